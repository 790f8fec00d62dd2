using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Core.Tests.Testing;

/// <summary>Collects the message events handed to it, for the delivery tests.</summary>
internal sealed class CollectingSink : IEventSink
{
    private readonly List<long> _messageIds = [];

    public IReadOnlyList<long> MessageIds
    {
        get
        {
            lock (_messageIds)
            {
                return [.. _messageIds];
            }
        }
    }

    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        // Slow enough that a caller who does not wait would see nothing.
        await Task.Delay(20, cancellationToken);
        lock (_messageIds)
        {
            _messageIds.AddRange(events.Where(e => e.PayloadCase == KefuEvent.PayloadOneofCase.Message).Select(e => e.Message.MessageId));
        }
    }
}

public class KefuTestHarnessTests
{
    [Fact]
    public async Task DeliveredAsync_ReturnsOnceTheSinksHaveEveryCommittedEvent()
    {
        var sink = new CollectingSink();
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.AddSingleton<IEventSink>(sink));
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var sent = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), $"第{i}条")).MessageId);
        }

        await h.DeliveredAsync();

        Assert.Equal(sent, sink.MessageIds.Where(sent.Contains));
        Assert.Empty(await h.Services.GetRequiredService<IOutboxStore>().ReadPendingAsync(h.TenantId, 0, 10));
    }

    [Fact]
    public async Task GetLatestMessagesAsync_ReadsPageByPage_AndKeepsTheLatestOldestFirst()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var sent = new List<long>();
        for (var i = 0; i < 450; i++)
        {
            sent.Add((await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), $"第{i}条")).MessageId);
        }

        var store = h.Services.GetRequiredService<IConversationStore>();
        var latest = await store.GetLatestMessagesAsync(h.TenantId, c.Id, 420);
        Assert.Equal(420, latest.Count);
        Assert.Equal(sent[^420..], latest.Select(m => m.Id));

        var all = await store.GetLatestMessagesAsync(h.TenantId, c.Id, 10_000);
        Assert.Equal(sent, all.Where(m => m.SenderKind == ParticipantKind.Agent).Select(m => m.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetLatestMessagesAsync(h.TenantId, c.Id, 0));
    }
}
