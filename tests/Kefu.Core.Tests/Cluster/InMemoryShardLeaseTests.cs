using Kefu.Cluster;
using Kefu.Events;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Kefu.Testing;

namespace Kefu.Core.Tests.Cluster;

public class InMemoryShardLeaseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();
    private readonly InMemoryKefuStore _store;

    public InMemoryShardLeaseTests() => _store = new InMemoryKefuStore(_clock);

    [Fact]
    public async Task FreeShard_IsTakenAtEpochOne_AndRefusedToOthersWhileValid()
    {
        var a = await _store.TryAcquireAsync(3, "a", Timeout);

        Assert.Equal(new ShardLease(3, "a", 1, _clock.GetUtcNow() + Timeout), a);
        Assert.Null(await _store.TryAcquireAsync(3, "b", Timeout));
        Assert.True(await _store.IsCurrentAsync(a!));
    }

    [Fact]
    public async Task ExpiredLease_IsTakenOverWithTheNextEpoch_AndTheOldOwnerCannotRenewIt()
    {
        var a = await _store.TryAcquireAsync(0, "a", Timeout);
        _clock.Advance(Timeout);

        var b = await _store.TryAcquireAsync(0, "b", Timeout);

        Assert.Equal(2, b!.Epoch);
        Assert.Null(await _store.RenewAsync(a!, Timeout));
        Assert.False(await _store.IsCurrentAsync(a!));
        Assert.True(await _store.IsCurrentAsync(b));
    }

    [Fact]
    public async Task Renewal_KeepsTheEpoch_AndPushesExpiryFromNow()
    {
        var a = await _store.TryAcquireAsync(1, "a", Timeout);
        _clock.Advance(TimeSpan.FromSeconds(7));

        var renewed = await _store.RenewAsync(a!, Timeout);
        _clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(a!.Epoch, renewed!.Epoch);
        Assert.Null(await _store.TryAcquireAsync(1, "b", Timeout));
        Assert.Equal(a.Epoch, (await _store.TryAcquireAsync(1, "a", Timeout))!.Epoch);
    }

    [Fact]
    public async Task ReleasedLease_CanBeTakenAtOnce()
    {
        var a = await _store.TryAcquireAsync(2, "a", Timeout);

        await _store.ReleaseAsync(a!);

        Assert.Equal(2, (await _store.TryAcquireAsync(2, "b", Timeout))!.Epoch);
        Assert.Equal(["b"], (await _store.ListAsync()).Select(l => l.Owner));
    }

    [Fact]
    public async Task FencedCommit_WithALostLease_IsRefused_AndWritesNothing()
    {
        var a = await _store.TryAcquireAsync(0, "a", Timeout);
        var first = new TenantCommit(7) { Lease = a };
        first.EventList.Add(new KefuEvent { EventId = 1, TenantId = 7, Sequence = 1, MessageRecalled = new MessageRecalledEvent { MessageId = 1 } });
        await _store.CommitAsync(first);
        await _store.ReleaseAsync(a!);
        var b = await _store.TryAcquireAsync(0, "b", Timeout);

        var stale = new TenantCommit(7) { Lease = a };
        stale.VisitorList.Add(new Kefu.Model.Visitor { Id = 5, Name = "never" });
        stale.EventList.Add(new KefuEvent { EventId = 2, TenantId = 7, Sequence = 2, MessageRecalled = new MessageRecalledEvent { MessageId = 2 } });
        var error = await Assert.ThrowsAsync<KefuLeaseLostException>(() => _store.CommitAsync(stale).AsTask());

        Assert.Equal(KefuErrorKind.Unavailable, error.Kind);
        Assert.Equal(a, error.Lease);
        Assert.Null(await _store.GetVisitorAsync(7, 5));
        Assert.Single(await _store.ReadPendingAsync(7, 0, 10));
        var fresh = new TenantCommit(7) { Lease = b };
        fresh.VisitorList.Add(new Kefu.Model.Visitor { Id = 5, Name = "new owner" });
        await _store.CommitAsync(fresh);
        Assert.Equal("new owner", (await _store.GetVisitorAsync(7, 5))!.Name);
    }
}
