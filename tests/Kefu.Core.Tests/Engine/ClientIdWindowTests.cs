using Kefu.Engine;
using Kefu.Events;

namespace Kefu.Core.Tests.Engine;

public class ClientIdWindowTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Hash128_OfAMillionTypicalClientIds_HasNoCollisions()
    {
        var seen = new HashSet<(ulong, ulong)>();
        for (var i = 0; i < 500_000; i++)
        {
            Assert.True(seen.Add(ClientIdWindow.Hash128($"msg-{i}")));
            Assert.True(seen.Add(ClientIdWindow.Hash128(Guid.NewGuid().ToString("N"))));
        }
    }

    [Fact]
    public void Hash128_TellsApartIdsThatDifferOnlyInOrderOrLength()
    {
        Assert.NotEqual(ClientIdWindow.Hash128("ab"), ClientIdWindow.Hash128("ba"));
        Assert.NotEqual(ClientIdWindow.Hash128("a"), ClientIdWindow.Hash128("a\0"));
        Assert.NotEqual(ClientIdWindow.Hash128(""), ClientIdWindow.Hash128("\0"));
        Assert.Equal(ClientIdWindow.Hash128("同一个"), ClientIdWindow.Hash128("同一个"));
    }

    [Fact]
    public void Key_OfTheSameIdFromAnotherSender_DiffersInEveryHalf()
    {
        var visitor = ClientIdKey.Of(ParticipantKind.Visitor, 7, "x");
        var agent = ClientIdKey.Of(ParticipantKind.Agent, 7, "x");
        var otherVisitor = ClientIdKey.Of(ParticipantKind.Visitor, 8, "x");
        Assert.NotEqual(visitor.Low, agent.Low);
        Assert.NotEqual(visitor.High, agent.High);
        Assert.NotEqual(visitor.Low, otherVisitor.Low);
        Assert.Equal(visitor, ClientIdKey.Of(ParticipantKind.Visitor, 7, "x"));
    }

    [Fact]
    public void Window_FindsOnlyTheSameSendersId()
    {
        var window = new ClientIdWindow(capacity: 16);
        window.Add(ClientIdKey.Of(ParticipantKind.Visitor, 7, "x"), new(100, At));
        Assert.True(window.TryGet(ClientIdKey.Of(ParticipantKind.Visitor, 7, "x"), out var hit));
        Assert.Equal(new ClientIdWindow.Entry(100, At), hit);
        Assert.False(window.TryGet(ClientIdKey.Of(ParticipantKind.Agent, 7, "x"), out _));
        Assert.False(window.TryGet(ClientIdKey.Of(ParticipantKind.Visitor, 8, "x"), out _));
        Assert.False(window.TryGet(ClientIdKey.Of(ParticipantKind.Visitor, 7, "y"), out _));
    }

    [Fact]
    public void Window_WhoseLowHalvesCollide_StillTellsTheKeysApart()
    {
        var window = new ClientIdWindow(capacity: 16);
        var first = new ClientIdKey(42, 1, 7, ParticipantKind.Visitor);
        var second = new ClientIdKey(42, 2, 7, ParticipantKind.Visitor);
        window.Add(first, new(100, At));
        window.Add(second, new(101, At));
        Assert.True(window.TryGet(second, out var hit));
        Assert.Equal(101, hit.MessageId);
        Assert.True(window.TryGet(first, out hit));
        Assert.Equal(100, hit.MessageId);
        Assert.False(window.TryGet(new ClientIdKey(42, 3, 7, ParticipantKind.Visitor), out _));
    }

    [Fact]
    public void Window_GrowsToItsCapacity_ThenForgetsTheOldestFirst()
    {
        const int Capacity = 20;
        var window = new ClientIdWindow(Capacity);
        for (var i = 0; i < Capacity; i++)
        {
            window.Add(ClientIdKey.Of(ParticipantKind.Visitor, 1, $"id-{i}"), new(i, At));
        }

        Assert.Equal(Capacity, window.Count);
        Assert.All(Enumerable.Range(0, Capacity), i => Assert.True(window.TryGet(ClientIdKey.Of(ParticipantKind.Visitor, 1, $"id-{i}"), out _)));

        for (var i = Capacity; i < Capacity + 5; i++)
        {
            window.Add(ClientIdKey.Of(ParticipantKind.Visitor, 1, $"id-{i}"), new(i, At));
        }

        Assert.Equal(Capacity, window.Count);
        for (var i = 0; i < Capacity + 5; i++)
        {
            var found = window.TryGet(ClientIdKey.Of(ParticipantKind.Visitor, 1, $"id-{i}"), out var hit);
            Assert.Equal(i >= 5, found);
            if (found)
            {
                Assert.Equal(i, hit.MessageId);
            }
        }
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(20, 2)]
    [InlineData(256, 3)]
    public void Window_AfterManyAddsWithCollidingHashes_HoldsExactlyTheNewestKeys(int capacity, int seed)
    {
        // Low halves drawn from a few values, some with equal tags and different low bits, so the index's probe runs
        // overlap, wrap round and are shifted back on every eviction; the reference is a plain queue of the newest keys.
        var random = new Random(seed);
        var window = new ClientIdWindow(capacity);
        var newest = new Queue<ClientIdKey>();
        for (var i = 0; i < capacity * 20; i++)
        {
            var low = ((ulong)random.Next(0, capacity / 2) * 7919UL << 16) + (ulong)random.Next(0, 3);
            var key = new ClientIdKey(low, (ulong)i, 7, ParticipantKind.Visitor);
            window.Add(key, new(i, At));
            newest.Enqueue(key);
            if (newest.Count > capacity)
            {
                var forgotten = newest.Dequeue();
                Assert.False(window.TryGet(forgotten, out _));
            }

            if (i % 7 == 0)
            {
                Assert.All(newest, k => Assert.True(window.TryGet(k, out var hit) && hit.MessageId == (long)k.High));
            }
        }

        Assert.Equal(capacity, window.Count);
        Assert.All(newest, k => Assert.True(window.TryGet(k, out var hit) && hit.MessageId == (long)k.High));
    }
}
