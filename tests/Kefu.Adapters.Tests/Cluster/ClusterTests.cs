using System.Diagnostics;
using System.Globalization;
using Kefu.Adapters.PostgreSql;
using Kefu.Adapters.Tests.PostgreSql;
using Kefu.Cluster;
using Kefu.Storage;
using Xunit.Abstractions;

namespace Kefu.Adapters.Tests.Cluster;

/// <summary>The RabbitMQ node shared by the cluster tests of one class.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public RabbitMqServer Server { get; } = new();

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>
/// Several node processes on loopback sharing one private PostgreSQL and one private RabbitMQ: a visitor's
/// subscription on node A, an agent's on node C, the tenant's shard on another node. Nodes A and C own no shard (front
/// nodes), so the owner is always a third process; the lease time-out is 2 s here (its 10 s default is asserted in the
/// Core tests).
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class ClusterTests(PostgreSqlServer postgres, RabbitMqFixture rabbit, ITestOutputHelper output) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private const int Shards = 8;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(90);
    private readonly List<NodeProcess> _nodes = [];
    private readonly Dictionary<string, long> _acknowledged = [];
    private string _database = "";
    private int _nextNodeId = 1;

    public async Task InitializeAsync() => _database = await postgres.CreateDatabaseAsync("cluster");

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private async Task<NodeProcess> StartAsync(string name, bool ownsShards)
    {
        var node = await NodeProcess.StartAsync(_database, rabbit.Server.Uri, $"{name}-{Guid.NewGuid().ToString("N")[..6]}", _nextNodeId++, ownsShards, Shards, Lease);
        _nodes.Add(node);
        return node;
    }

    private sealed record Chat(long Tenant, long Conversation, long Visitor, long Agent, int Shard);

    private static async Task<Chat> SetUpAsync(NodeProcess via)
    {
        var line = await via.AskAsync("setup", "setup ", TimeSpan.FromSeconds(60));
        var parts = line.Split(' ').Skip(1).Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new Chat(parts[0], parts[1], parts[2], parts[3], ShardMap.ShardOf(parts[0], Shards));
    }

    /// <summary>Sends one message as a client would: retried with the same client message id until acknowledged.</summary>
    private async Task SendUntilAcknowledgedAsync(NodeProcess node, Chat chat, bool agent, string clientId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (acked, messageId) = await node.SendAsync(chat.Tenant, chat.Conversation, agent ? "agent" : "visitor", agent ? chat.Agent : chat.Visitor, clientId, SendTimeout);
            if (acked)
            {
                lock (_acknowledged)
                {
                    Assert.True(!_acknowledged.TryGetValue(clientId, out var earlier) || earlier == messageId, $"{clientId} was acknowledged as two messages.");
                    _acknowledged[clientId] = messageId;
                }

                return;
            }

            Assert.True(attempt < 5, $"{clientId} was refused {attempt} times by {node.Name}:\n{node.Errors}");
        }
    }

    private async Task<int> StreamAsync(NodeProcess node, Chat chat, bool agent, string prefix, int first, CancellationToken stop)
    {
        var i = first;
        while (!stop.IsCancellationRequested)
        {
            await SendUntilAcknowledgedAsync(node, chat, agent, $"{prefix}-{i++}");
        }

        return i;
    }

    [Fact]
    public async Task VisitorOnA_AndAgentOnC_Chat_WhileNodeBOwnsTheShard()
    {
        var b = await StartAsync("b", ownsShards: true);
        Assert.Equal(Shards, b.Held.Count);
        var a = await StartAsync("a", ownsShards: false);
        var c = await StartAsync("c", ownsShards: false);
        var chat = await SetUpAsync(a);
        await a.AskAsync($"subscribe {chat.Tenant}", "subscribed", TimeSpan.FromSeconds(10));
        await c.AskAsync($"subscribe {chat.Tenant}", "subscribed", TimeSpan.FromSeconds(10));

        for (var i = 0; i < 10; i++)
        {
            await SendUntilAcknowledgedAsync(a, chat, agent: false, $"v-{i}");
            await SendUntilAcknowledgedAsync(c, chat, agent: true, $"g-{i}");
        }

        await WaitUntilSeenAsync([a, c]);
        Assert.Empty(a.Held);
        Assert.Empty(c.Held);
        Assert.Contains(chat.Shard, b.Held);
        var expected = Enumerable.Range(0, 10).SelectMany(i => new[] { $"v-{i}", $"g-{i}" }).ToList();
        foreach (var node in new[] { a, c })
        {
            Assert.Equal(expected, Deduplicated(node, chat.Conversation).Select(e => e.ClientMessageId));
        }

        await AssertStoredOnceAsync(chat);
    }

    [Fact]
    public async Task OwnerKilledMidStream_TenRounds_ShardMovesWithinLeasePlus5s_NothingAcknowledgedIsLost_NoDuplicates_InOrder()
    {
        var owner = await StartAsync("owner", ownsShards: true);
        var standby = await StartAsync("standby", ownsShards: true);
        var a = await StartAsync("a", ownsShards: false);
        var c = await StartAsync("c", ownsShards: false);
        var chat = await SetUpAsync(a);
        Assert.Contains(chat.Shard, owner.Held);
        await a.AskAsync($"subscribe {chat.Tenant}", "subscribed", TimeSpan.FromSeconds(10));
        await c.AskAsync($"subscribe {chat.Tenant}", "subscribed", TimeSpan.FromSeconds(10));
        var random = new Random(20261204);
        int visitorNext = 0, agentNext = 0;
        var takeOvers = new List<TimeSpan>();
        for (var round = 0; round < 10; round++)
        {
            using var stop = new CancellationTokenSource();
            var visitor = StreamAsync(a, chat, agent: false, "v", visitorNext, stop.Token);
            var agent = StreamAsync(c, chat, agent: true, "g", agentNext, stop.Token);
            await Task.Delay(random.Next(300, 1200));

            var killedAt = Stopwatch.GetTimestamp();
            owner.Kill();
            while (!standby.Held.Contains(chat.Shard))
            {
                Assert.True(Stopwatch.GetElapsedTime(killedAt) < Lease + TimeSpan.FromSeconds(5), $"Round {round}: no node took shard {chat.Shard} within the lease time-out plus 5 s.\n{standby.Errors}");
                await Task.Delay(20);
            }

            takeOvers.Add(Stopwatch.GetElapsedTime(killedAt));

            // The stream goes on through the new owner while the next standby starts.
            var next = await StartAsync("standby", ownsShards: true);
            await Task.Delay(random.Next(200, 600));
            await stop.CancelAsync();
            visitorNext = await visitor;
            agentNext = await agent;
            owner = standby;
            standby = next;
        }

        output.WriteLine($"take-overs after SIGKILL: {string.Join(", ", takeOvers.Select(t => $"{t.TotalMilliseconds:F0} ms"))}; {_acknowledged.Count} messages acknowledged");
        Assert.All(takeOvers, t => Assert.True(t < Lease + TimeSpan.FromSeconds(5)));
        Assert.True(visitorNext > 10 && agentNext > 10);
        await WaitUntilSeenAsync([a, c]);
        await AssertStoredOnceAsync(chat);
        foreach (var node in new[] { a, c })
        {
            AssertNoDuplicateAndInOrder(node, chat.Conversation);
        }
    }

    [Fact]
    public async Task RabbitMqRestartedMidStream_NodesReconnect_AndNothingAcknowledgedIsLost()
    {
        var b = await StartAsync("b", ownsShards: true);
        var a = await StartAsync("a", ownsShards: false);
        var c = await StartAsync("c", ownsShards: false);
        var chat = await SetUpAsync(a);
        await a.AskAsync($"subscribe {chat.Tenant}", "subscribed", TimeSpan.FromSeconds(10));
        await c.AskAsync($"subscribe {chat.Tenant}", "subscribed", TimeSpan.FromSeconds(10));
        using var stop = new CancellationTokenSource();
        var visitor = StreamAsync(a, chat, agent: false, "v", 0, stop.Token);
        var agent = StreamAsync(c, chat, agent: true, "g", 0, stop.Token);
        var before = await WaitForAcknowledgedAsync(10, TimeSpan.FromSeconds(60));
        await rabbit.Server.RestartAsync(TimeSpan.FromSeconds(1));
        var restarted = Stopwatch.GetTimestamp();
        var afterRestart = AcknowledgedCount;
        await WaitForAcknowledgedAsync(afterRestart + 20, TimeSpan.FromSeconds(60));
        var resumedAfter = Stopwatch.GetElapsedTime(restarted);
        await stop.CancelAsync();
        await Task.WhenAll(visitor, agent);
        output.WriteLine($"{before} messages acknowledged before the broker went down, {afterRestart} when it was back, {AcknowledgedCount} in all; 20 more within {resumedAfter.TotalMilliseconds:F0} ms of the restart");
        Assert.True(before > 0);
        Assert.False(a.HasExited || b.HasExited || c.HasExited);
        Assert.All(new[] { a, b, c }, node => Assert.Contains("reconnected", node.Errors, StringComparison.Ordinal));
        await WaitUntilSeenAsync([a, c]);
        await AssertStoredOnceAsync(chat);
        foreach (var node in new[] { a, c })
        {
            AssertNoDuplicateAndInOrder(node, chat.Conversation);
        }
    }

    private int AcknowledgedCount
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.Count;
            }
        }
    }

    private async Task<int> WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (AcknowledgedCount < count)
        {
            Assert.True(waited.Elapsed < timeout, $"Only {AcknowledgedCount} of {count} messages were acknowledged within {timeout}.");
            await Task.Delay(20);
        }

        return AcknowledgedCount;
    }

    /// <summary>Waits until every subscriber saw the event of every acknowledged message.</summary>
    private async Task WaitUntilSeenAsync(IReadOnlyList<NodeProcess> subscribers)
    {
        Dictionary<string, long> acknowledged;
        lock (_acknowledged)
        {
            acknowledged = new(_acknowledged);
        }

        var waited = Stopwatch.StartNew();
        foreach (var node in subscribers)
        {
            while (true)
            {
                var seen = node.Events.Select(e => e.MessageId).ToHashSet();
                var missing = acknowledged.Where(x => !seen.Contains(x.Value)).Select(x => x.Key).ToList();
                if (missing.Count == 0)
                {
                    break;
                }

                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{node.Name} never saw the events of {missing.Count} acknowledged messages: {string.Join(", ", missing.Take(20))}\n{node.Errors}");
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A subscriber's message events of a conversation after the client's de-duplication by message id.</summary>
    private static List<SeenEvent> Deduplicated(NodeProcess node, long conversation)
    {
        var seen = new HashSet<long>();
        return [.. node.Events.Where(e => e.ConversationId == conversation && seen.Add(e.MessageId))];
    }

    private void AssertNoDuplicateAndInOrder(NodeProcess node, long conversation)
    {
        var events = Deduplicated(node, conversation);

        // One message per client message id: no retried command was applied twice.
        Assert.All(events.GroupBy(e => e.ClientMessageId), g => Assert.Single(g));

        // In commit order: the sequence grows along the stream as the subscriber saw it.
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Sequence > events[i - 1].Sequence, $"{node.Name} saw {events[i].ClientMessageId} (sequence {events[i].Sequence}) after {events[i - 1].ClientMessageId} (sequence {events[i - 1].Sequence}).");
        }

        lock (_acknowledged)
        {
            Assert.All(_acknowledged, x => Assert.Contains(events, e => e.MessageId == x.Value && e.ClientMessageId == x.Key));
        }
    }

    /// <summary>Every acknowledged message is in PostgreSQL exactly once, with the id it was acknowledged with.</summary>
    private async Task AssertStoredOnceAsync(Chat chat)
    {
        await using var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = _database });
        var messages = await store.GetLatestMessagesAsync(chat.Tenant, chat.Conversation, 100_000);
        var byClientId = messages.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(byClientId, g => Assert.Single(g.Value));
        lock (_acknowledged)
        {
            Assert.NotEmpty(_acknowledged);
            foreach (var (clientId, messageId) in _acknowledged)
            {
                Assert.True(byClientId.TryGetValue(clientId, out var stored), $"Acknowledged message {clientId} is not stored.");
                Assert.Equal(messageId, Assert.Single(stored).Id);
            }
        }
    }
}
