using System.Diagnostics;
using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Reporting;

/// <summary>The engine with reporting only (no text pipeline) on a fake clock.</summary>
internal sealed class ReportingHarness : IAsyncDisposable
{
    private ReportingHarness(KefuTestHarness harness) => H = harness;

    public KefuTestHarness H { get; }

    public long TenantId => H.TenantId;

    public IReports Reports => H.Services.GetRequiredService<IReports>();

    public IKefuConversations Conversations => H.Kefu.Conversations;

    public DateTimeOffset Now => H.Clock.GetUtcNow();

    public static async Task<ReportingHarness> StartAsync(Action<KefuOptions>? configure = null) =>
        new(await KefuTestHarness.StartAsync(configure, b => AnalyticsRegistration.AddReporting(b.Services)));

    public Task<Agent> AgentAsync(string name, int capacity = 10, bool online = true) => H.AddAgentAsync(name, capacity, online);

    public async Task<Conversation> OpenAsync(ChannelKind channel = ChannelKind.Web, long? visitorId = null, long? associationId = null) =>
        await Conversations.OpenAsync(TenantId, H.Data.Conversation(visitorId, channel: channel) with { AssociationId = associationId });

    public async Task VisitorSaysAsync(Conversation c) => await H.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "你好");

    public async Task AgentSaysAsync(Conversation c, long agentId) => await H.SendTextAsync(c.Id, Participant.Agent(agentId), "您好");

    public Task AtAsync(DateTimeOffset start, double seconds) => H.AdvanceAsync(start.AddSeconds(seconds) - Now);

    /// <summary>Waits until every committed event of the tenant went through the sinks.</summary>
    public async Task DeliveredAsync()
    {
        await H.DeliveredAsync();
    }

    /// <summary>Hands every recorded event to the reporting sink again, as a redelivery after a crash would.</summary>
    public async Task ReplayAsync()
    {
        var sink = H.Services.GetServices<IEventSink>().OfType<ReportingSink>().Single();
        await sink.HandleAsync(TenantId, H.Events.Events, CancellationToken.None);
    }

    public async Task<ReportResult> RunAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> metrics, params ReportDimension[] dimensions) =>
        await Reports.RunAsync(TenantId, new ReportQuery { From = from, To = to, Metrics = metrics, Dimensions = dimensions });

    public ValueTask DisposeAsync() => H.DisposeAsync();
}

internal static class ReportResultExtensions
{
    /// <summary>The value of a metric in the row with these dimension values (the only row of the time bucket).</summary>
    public static double? Value(this ReportResult result, string metric, params string[] values)
    {
        var column = result.Metrics.Select(m => m.Id).ToList().IndexOf(metric);
        Assert.True(column >= 0, $"{metric} is not a column");
        var row = result.Rows.SingleOrDefault(r => r.DimensionValues.SequenceEqual(values));
        return row?.Values[column];
    }
}
