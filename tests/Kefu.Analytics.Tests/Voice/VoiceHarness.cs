using System.Diagnostics;
using Kefu.Analysis;
using Kefu.Analytics.Text;
using Kefu.Analytics.Voice;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Analytics.Tests.Voice;

/// <summary>jieba's dictionary, loaded once for all the voice tests.</summary>
public sealed class SharedText
{
    public TextResources Resources { get; } = new();
}

[CollectionDefinition(Name)]
public sealed class VoiceCollection : ICollectionFixture<SharedText>
{
    public const string Name = "voice";
}

/// <summary>
/// A sentiment rule for tests, so these tests depend on the aggregation and not on a lexicon: a text with 差 is
/// negative (−0.8), with 好 positive (0.6), anything else neutral.
/// </summary>
internal sealed class MarkerAnalyzer : ITextAnalyzer
{
    public bool IsEnabled => true;

    public TextSentiment? Analyze(long tenantId, ParticipantKind sender, string text) =>
        text.Contains('差', StringComparison.Ordinal) ? new TextSentiment(-1, -0.8f)
        : text.Contains('好', StringComparison.Ordinal) ? new TextSentiment(1, 0.6f)
        : new TextSentiment(0, 0);
}

/// <summary>The engine with the voice of the customer on a fake clock, one agent online.</summary>
internal sealed class VoiceHarness : IAsyncDisposable
{
    private Agent? _agent;

    private VoiceHarness(KefuTestHarness harness) => H = harness;

    public KefuTestHarness H { get; }

    public long TenantId => H.TenantId;

    public IVoiceOfCustomer Voice => H.Services.GetRequiredService<IVoiceOfCustomer>();

    public DateOnly Today => DateOnly.FromDateTime(H.Clock.GetUtcNow().UtcDateTime);

    public static async Task<VoiceHarness> StartAsync(SharedText text, Action<AnalyticsBuilder>? configure = null)
    {
        var harness = await KefuTestHarness.StartAsync(build: b =>
        {
            b.AddAnalytics(configure);
            b.Services.Replace(ServiceDescriptor.Singleton(text.Resources));
            b.Services.Replace(ServiceDescriptor.Singleton<ITextAnalyzer, MarkerAnalyzer>());
        });
        return new VoiceHarness(harness);
    }

    public async Task<Agent> AgentAsync() => _agent ??= await H.AddAgentAsync("Agent", maxConcurrentChats: 100, online: true);

    public async Task<Conversation> OpenAsync()
    {
        await AgentAsync();
        return await H.OpenConversationAsync();
    }

    public async Task<long> VisitorAsync(Conversation c, string text) => (await H.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), text)).MessageId;

    public async Task<long> AgentSaysAsync(Conversation c, string text) => (await H.SendTextAsync(c.Id, Participant.Agent((await AgentAsync()).Id), text)).MessageId;

    /// <summary>Waits until every committed event of the tenant went through the sinks.</summary>
    public async Task DeliveredAsync()
    {
        await H.DeliveredAsync();
    }

    /// <summary>Moves the clock to the next UTC day plus <paramref name="hours"/>.</summary>
    public async Task NextDayAsync(int hours = 1)
    {
        var now = H.Clock.GetUtcNow();
        var next = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddHours(hours), TimeSpan.Zero);
        await H.AdvanceAsync(next - now);
    }

    public async Task<KeywordStat?> KeywordAsync(string word, VoiceScope scope = VoiceScope.All, DateOnly? from = null, DateOnly? to = null)
    {
        var list = await Voice.GetKeywordsAsync(TenantId, new KeywordQuery { From = from ?? Today.AddDays(-30), To = to ?? Today, Scope = scope, Limit = 500 });
        return list.SingleOrDefault(k => k.Word == word);
    }

    public ValueTask DisposeAsync() => H.DisposeAsync();
}
