using System.Diagnostics;
using Kefu.Analytics.Quality;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Quality;

/// <summary>The engine on a fake clock with quality inspection registered, one agent online, and helpers to talk, rate, close and wait for the sinks.</summary>
internal sealed class QualityHarness : IAsyncDisposable
{
    private Agent? _agent;

    private QualityHarness(KefuTestHarness h) => H = h;

    public KefuTestHarness H { get; }

    public long TenantId => H.TenantId;

    public IQualityInspection Quality => H.Services.GetRequiredService<IQualityInspection>();

    public IConfigurationDocumentStore Documents => H.Services.GetRequiredService<IConfigurationDocumentStore>();

    public static async Task<QualityHarness> StartAsync() =>
        new(await KefuTestHarness.StartAsync(build: b => AnalyticsRegistration.AddQuality(b.Services)));

    public async Task<Agent> AgentAsync() => _agent ??= await H.AddAgentAsync("Agent", maxConcurrentChats: 100, online: true);

    /// <summary>Opens a conversation that the agent picks up at once.</summary>
    public async Task<Conversation> OpenAsync()
    {
        var agent = await AgentAsync();
        var c = await H.OpenConversationAsync();
        Assert.Equal(agent.Id, c.AgentId);
        return c;
    }

    public async Task<long> VisitorAsync(Conversation c, string text) => (await H.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), text)).MessageId;

    public async Task<long> AgentSaysAsync(Conversation c, string text) => (await H.SendTextAsync(c.Id, Participant.Agent((await AgentAsync()).Id), text)).MessageId;

    public async Task RateAsync(Conversation c, int level, string? comment = null)
    {
        await H.Kefu.Conversations.RateAsync(TenantId, c.Id, c.VisitorId, new RatingInput(level, null, comment));
        await DeliveredAsync();
    }

    public async Task CloseAsync(Conversation c)
    {
        await H.Kefu.Conversations.EndAsync(TenantId, c.Id, Participant.Agent((await AgentAsync()).Id));
        await DeliveredAsync();
    }

    /// <summary>A closed conversation where the agent answered after <paramref name="firstResponse"/>.</summary>
    public async Task<Conversation> ServedAsync(TimeSpan firstResponse, int? rating = null)
    {
        var c = await OpenAsync();
        await VisitorAsync(c, "你好，我的订单还没发货");
        await H.AdvanceAsync(firstResponse);
        await AgentSaysAsync(c, "您好，我帮您查一下");
        if (rating is { } level)
        {
            await RateAsync(c, level);
        }

        await CloseAsync(c);
        return c;
    }

    /// <summary>Waits until every committed event of the tenant went through the sinks.</summary>
    public async Task DeliveredAsync()
    {
        await H.DeliveredAsync();
    }

    public ValueTask DisposeAsync() => H.DisposeAsync();
}
