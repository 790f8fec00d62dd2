using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Core.Tests.Engine;

/// <summary>The outbox is written only when something reads it back: an event sink, or a transport other than the in-process one.</summary>
public class OutboxUseTests
{
    [Fact]
    public async Task Commits_WithNoSinkAndTheInProcessTransport_LeaveTheOutboxOut_ButStoreTheMessages()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var c = await h.OpenConversationAsync();
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "hello");
        await h.FlushAsync();

        Assert.Empty(await h.Services.GetRequiredService<IOutboxStore>().ReadPendingAsync(h.TenantId, 0, 100));
        Assert.Contains(await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 10), m => m.Text == "hello");
        Assert.NotEmpty(h.Events.Kinds);
    }

    [Fact]
    public async Task Commits_WithASink_KeepTheirEventsInTheOutboxUntilTheSinkTakesThem()
    {
        var sink = new RefusingSink();
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.AddSingleton<IEventSink>(sink));
        var c = await h.OpenConversationAsync();
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "hello");
        await h.FlushAsync();

        var pending = await h.Services.GetRequiredService<IOutboxStore>().ReadPendingAsync(h.TenantId, 0, 100);
        Assert.Contains(pending, e => e.PayloadCase == KefuEvent.PayloadOneofCase.Message && e.Message.Text == "hello");
    }

    private sealed class RefusingSink : IEventSink
    {
        public ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
            => throw new InvalidOperationException("The receiver is down.");
    }
}
