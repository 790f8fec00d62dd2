using Kefu.Engine;
using Kefu.Events;

namespace Kefu.Core.Tests.Engine;

public class ClientIdIndexTests
{
    [Fact]
    public void Hash128_OfAMillionTypicalClientIds_HasNoCollisions()
    {
        var seen = new HashSet<(ulong, ulong)>();
        for (var i = 0; i < 500_000; i++)
        {
            Assert.True(seen.Add(ClientIdIndex.Hash128($"msg-{i}")));
            Assert.True(seen.Add(ClientIdIndex.Hash128(Guid.NewGuid().ToString("N"))));
        }
    }

    [Fact]
    public void Hash128_TellsApartIdsThatDifferOnlyInOrderOrLength()
    {
        Assert.NotEqual(ClientIdIndex.Hash128("ab"), ClientIdIndex.Hash128("ba"));
        Assert.NotEqual(ClientIdIndex.Hash128("a"), ClientIdIndex.Hash128("a\0"));
        Assert.NotEqual(ClientIdIndex.Hash128(""), ClientIdIndex.Hash128("\0"));
        Assert.Equal(ClientIdIndex.Hash128("同一个"), ClientIdIndex.Hash128("同一个"));
    }

    [Fact]
    public void Index_KeysBySenderAndConversation_AndForgetsTheOldestBeyondItsCapacity()
    {
        var index = new ClientIdIndex(capacity: 2);
        var at = DateTimeOffset.UnixEpoch;
        index.Add(1, ParticipantKind.Visitor, 7, "x", new(100, at));
        Assert.True(index.TryGet(1, ParticipantKind.Visitor, 7, "x", out var hit));
        Assert.Equal(100, hit.MessageId);
        Assert.False(index.TryGet(1, ParticipantKind.Agent, 7, "x", out _));
        Assert.False(index.TryGet(2, ParticipantKind.Visitor, 7, "x", out _));
        Assert.False(index.TryGet(1, ParticipantKind.Visitor, 8, "x", out _));

        index.Add(1, ParticipantKind.Visitor, 7, "y", new(101, at));
        index.Add(1, ParticipantKind.Visitor, 7, "z", new(102, at));
        Assert.False(index.TryGet(1, ParticipantKind.Visitor, 7, "x", out _));
        Assert.True(index.TryGet(1, ParticipantKind.Visitor, 7, "y", out _));
        Assert.True(index.TryGet(1, ParticipantKind.Visitor, 7, "z", out _));
    }
}
