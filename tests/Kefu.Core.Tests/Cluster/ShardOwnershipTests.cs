using Kefu.Cluster;
using Kefu.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Kefu.Core.Tests.Cluster;

public sealed class ShardOwnershipTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly IShardLeaseStore _store = Substitute.For<IShardLeaseStore>();
    private readonly KefuClusterOptions _options = new() { NodeName = "me", ShardCount = 4 };
    private readonly ShardOwnership _ownership;
    private readonly List<int> _lost = [];
    private readonly List<int> _acquired = [];

    public ShardOwnershipTests()
    {
        _ownership = new ShardOwnership(_store, _options, _clock, NullLogger.Instance);
        _ownership.Lost += _lost.Add;
        _ownership.Acquired += l => _acquired.Add(l.Shard);
        _store.ListAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<ShardLease>>([]));
        _store.TryAcquireAsync(Arg.Any<int>(), "me", _options.LeaseTimeout, Arg.Any<CancellationToken>())
            .Returns(call => new ValueTask<ShardLease?>(new ShardLease(call.ArgAt<int>(0), "me", 1, _clock.GetUtcNow() + _options.LeaseTimeout)));
        _store.RenewAsync(Arg.Any<ShardLease>(), _options.LeaseTimeout, Arg.Any<CancellationToken>())
            .Returns(call => new ValueTask<ShardLease?>(call.ArgAt<ShardLease>(0) with { ExpiresAt = _clock.GetUtcNow() + _options.LeaseTimeout }));
    }

    [Fact]
    public async Task FirstRound_TakesEveryFreeShard_WhenNoOtherNodeHoldsOne()
    {
        await _ownership.RunRoundAsync(default);

        Assert.Equal([0, 1, 2, 3], _ownership.HeldShards);
        Assert.Equal([0, 1, 2, 3], _acquired.Order());
    }

    [Fact]
    public async Task TakeOver_StopsAtAFairShare_WhenAnotherNodeHoldsLiveLeases()
    {
        _store.ListAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<ShardLease>>(
            [new ShardLease(0, "other", 3, _clock.GetUtcNow().AddSeconds(5))]));

        await _ownership.RunRoundAsync(default);

        Assert.Equal(2, _ownership.HeldShards.Count);
        Assert.DoesNotContain(0, _ownership.HeldShards);
        await _store.DidNotReceive().TryAcquireAsync(0, Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ExpiredLeaseOfAnotherNode_IsTakenOver()
    {
        _store.ListAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<ShardLease>>(
            [.. Enumerable.Range(0, 4).Select(s => new ShardLease(s, "dead", 1, _clock.GetUtcNow().AddSeconds(-1)))]));

        await _ownership.RunRoundAsync(default);

        Assert.Equal([0, 1, 2, 3], _ownership.HeldShards);
    }

    [Fact]
    public async Task FailingRenewals_KeepTheLeaseUntilTheTimeOutSinceTheLastRenewalSent_ThenLoseIt()
    {
        await _ownership.RunRoundAsync(default);
        _store.RenewAsync(Arg.Any<ShardLease>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).ThrowsAsync(new TimeoutException("store unreachable"));
        _store.ListAsync(Arg.Any<CancellationToken>()).ThrowsAsync(new TimeoutException("store unreachable"));

        _clock.Advance(_options.LeaseTimeout - TimeSpan.FromMilliseconds(1));
        await _ownership.RunRoundAsync(default);
        Assert.Equal(4, _ownership.HeldShards.Count);
        Assert.Empty(_lost);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(_ownership.HeldShards);
        Assert.False(_ownership.TryGetLease(0, out _));
        await _ownership.RunRoundAsync(default);
        Assert.Equal([0, 1, 2, 3], _lost.Order());
    }

    [Fact]
    public async Task RenewalRefusedByTheStore_LosesTheShardAtOnce()
    {
        await _ownership.RunRoundAsync(default);
        _store.RenewAsync(Arg.Is<ShardLease>(l => l.Shard == 2), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<ShardLease?>((ShardLease?)null));
        _store.ListAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<ShardLease>>([new ShardLease(2, "other", 2, _clock.GetUtcNow().AddSeconds(9))]));

        await _ownership.RunRoundAsync(default);

        Assert.Equal([2], _lost);
        Assert.Equal([0, 1, 3], _ownership.HeldShards);
    }

    [Fact]
    public async Task FrontNode_TakesNoShard()
    {
        var front = new ShardOwnership(_store, new KefuClusterOptions { NodeName = "front", ShardCount = 4, OwnsShards = false }, _clock, NullLogger.Instance);

        await front.RunRoundAsync(default);

        Assert.Empty(front.HeldShards);
        await _store.DidNotReceive().TryAcquireAsync(Arg.Any<int>(), Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>());
        await front.DisposeAsync();
    }

    [Fact]
    public async Task Stop_ReleasesEveryLease_SoOtherNodesTakeThemAtOnce()
    {
        await _ownership.RunRoundAsync(default);

        await _ownership.StopAsync(default);

        Assert.Empty(_ownership.HeldShards);
        Assert.Equal([0, 1, 2, 3], _lost.Order());
        await _store.Received(4).ReleaseAsync(Arg.Is<ShardLease>(l => l.Owner == "me"), Arg.Any<CancellationToken>());
    }

    public async ValueTask DisposeAsync() => await _ownership.DisposeAsync();
}
