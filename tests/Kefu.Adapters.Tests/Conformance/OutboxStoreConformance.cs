using Kefu.Events;
using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>What every <see cref="IOutboxStore"/> answers to the same calls.</summary>
public abstract class OutboxStoreConformance
{
    private protected abstract IOutboxStore Store { get; }

    private protected abstract ITenantCommitStore Commits { get; }

    private ValueTask AppendAsync(long tenantId, IReadOnlyList<KefuEvent> events)
    {
        var commit = new TenantCommit(tenantId);
        commit.EventList.AddRange(events);
        return Commits.CommitAsync(commit);
    }

    private static KefuEvent[] Events(long tenantId, long firstSequence, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new KefuEvent
        {
            EventId = 9_000_000 + firstSequence + i,
            TenantId = tenantId,
            Sequence = firstSequence + i,
            OccurredAtMs = 1_772_000_000_000 + i,
            ConversationId = 40 + i,
            MessageRecalled = new MessageRecalledEvent { MessageId = 700 + i },
        }),
    ];

    [Fact]
    public async Task ReadPending_WhenNothingCommitted_ReturnsEmpty()
    {
        Assert.Empty(await Store.ReadPendingAsync(TestTenants.Next(), 0, 10));
    }

    [Fact]
    public async Task ReadPending_ReturnsTheEventsInSequenceOrder_Unchanged()
    {
        var tenant = TestTenants.Next();
        var events = Events(tenant, 1, 5);
        await AppendAsync(tenant, events[..2]);
        await AppendAsync(tenant, events[2..]);

        Assert.Equal(events, await Store.ReadPendingAsync(tenant, 0, 10));
    }

    [Fact]
    public async Task ReadPending_StartsAfterTheSequenceAndTakesAtMostMax()
    {
        var tenant = TestTenants.Next();
        var events = Events(tenant, 1, 6);
        await AppendAsync(tenant, events);

        Assert.Equal(events[2..4], await Store.ReadPendingAsync(tenant, 2, 2));
        Assert.Equal(events[5..], await Store.ReadPendingAsync(tenant, 5, 100));
        Assert.Empty(await Store.ReadPendingAsync(tenant, 6, 100));
    }

    [Fact]
    public async Task ReadPending_WithMaxBelowOne_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReadPendingAsync(TestTenants.Next(), 0, 0).AsTask());
    }

    [Fact]
    public async Task MarkDispatched_RemovesThroughTheSequence()
    {
        var tenant = TestTenants.Next();
        var events = Events(tenant, 1, 5);
        await AppendAsync(tenant, events);

        await Store.MarkDispatchedAsync(tenant, 3);

        Assert.Equal(events[3..], await Store.ReadPendingAsync(tenant, 0, 10));
        await Store.MarkDispatchedAsync(tenant, 2);
        Assert.Equal(events[3..], await Store.ReadPendingAsync(tenant, 0, 10));
        await Store.MarkDispatchedAsync(tenant, 5);
        Assert.Empty(await Store.ReadPendingAsync(tenant, 0, 10));
    }

    [Fact]
    public async Task MarkDispatched_ForUnknownTenant_DoesNothing()
    {
        await Store.MarkDispatchedAsync(TestTenants.Next(), 100);
    }

    [Fact]
    public async Task Outboxes_AreSeparatedByTenant()
    {
        var a = TestTenants.Next();
        var b = TestTenants.Next();
        var eventsA = Events(a, 1, 3);
        var eventsB = Events(b, 1, 2);
        await AppendAsync(a, eventsA);
        await AppendAsync(b, eventsB);

        await Store.MarkDispatchedAsync(b, 2);

        Assert.Equal(eventsA, await Store.ReadPendingAsync(a, 0, 10));
        Assert.Empty(await Store.ReadPendingAsync(b, 0, 10));
    }
}
