using System.Collections.Concurrent;
using Kefu.Adapters.PostgreSql;
using Kefu.Cluster;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Kefu.Adapters.Tests.PostgreSql;

/// <summary>Shard leases and fenced commits on PostgreSQL: two engines on one database never both write one tenant.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlClusterTests(PostgreSqlServer server) : IAsyncLifetime
{
    private const int Shards = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly List<ServiceProvider> _nodes = [];
    private readonly TestData _data = new();
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await server.CreateDatabaseAsync("cluster");

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            foreach (var hosted in node.GetServices<IHostedService>().Reverse())
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            await node.DisposeAsync();
        }
    }

    /// <summary>A node whose lease loop renews rarely, so the test decides when it notices a lost lease.</summary>
    private async Task<(IKefu Kefu, ShardOwnership Ownership)> StartNodeAsync(string name, int nodeId)
    {
        var services = new ServiceCollection();
        services.AddKefu(o => o.NodeId = nodeId).UsePostgreSql(_connectionString).UseCluster(o =>
        {
            o.NodeName = name;
            o.ShardCount = Shards;
            o.LeaseTimeout = Timeout;
            o.RenewInterval = Timeout / 3;
        });
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return (provider.GetRequiredService<IKefu>(), provider.GetRequiredService<ShardOwnership>());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task UsePostgreSql_ServesTheShardLeases_WhileAStoreWithoutALeaseTable_MakesUseClusterFailClearly()
    {
        var postgreSql = new ServiceCollection();
        postgreSql.AddKefu().UseCluster().UsePostgreSql(_connectionString);
        await using (var provider = postgreSql.BuildServiceProvider())
        {
            Assert.Same(provider.GetRequiredService<PostgreSqlKefuStore>(), provider.GetRequiredService<IShardLeaseStore>());
        }

        var path = TempDatabase.NewPath();
        try
        {
            var sqlite = new ServiceCollection();
            sqlite.AddKefu().UseSqlite(TempDatabase.ConnectionString(path)).UseCluster();
            await using var provider = sqlite.BuildServiceProvider();

            Assert.Null(provider.GetService<IShardLeaseStore>());
            var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IKefu>());
            Assert.Contains("IShardLeaseStore", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task Leases_AreTakenOnce_TakenOverWithTheNextEpochAfterExpiry_AndLostLeasesCannotBeRenewed()
    {
        await using var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = _connectionString });
        var a = await store.TryAcquireAsync(5, "a", TimeSpan.FromSeconds(30));
        Assert.Equal((5, "a", 1L), (a!.Shard, a.Owner, a.Epoch));
        Assert.Null(await store.TryAcquireAsync(5, "b", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, (await store.RenewAsync(a, TimeSpan.FromSeconds(30)))!.Epoch);
        Assert.Equal(1, (await store.TryAcquireAsync(5, "a", TimeSpan.FromSeconds(30)))!.Epoch);

        await ExecuteAsync("UPDATE shard_lease SET expires_at = clock_timestamp() - interval '1 second';");
        var b = await store.TryAcquireAsync(5, "b", TimeSpan.FromSeconds(30));

        Assert.Equal(("b", 2L), (b!.Owner, b.Epoch));
        Assert.Null(await store.RenewAsync(a, TimeSpan.FromSeconds(30)));
        Assert.False(await store.IsCurrentAsync(a));
        Assert.True(await store.IsCurrentAsync(b));
        await store.ReleaseAsync(b);
        Assert.Equal(3, (await store.TryAcquireAsync(5, "a", TimeSpan.FromSeconds(30)))!.Epoch);
        Assert.Equal(["a"], (await store.ListAsync()).Select(l => l.Owner));
    }

    [Fact]
    public async Task TwoEngines_TheOneThatLostTheLease_GetsItsCommitRefused_AndNothingOfItIsWritten()
    {
        var (a, ownershipA) = await StartNodeAsync("node-a", 1);
        var (b, ownershipB) = await StartNodeAsync("node-b", 2);
        Assert.Equal(Enumerable.Range(0, Shards), ownershipA.HeldShards);
        Assert.Empty(ownershipB.HeldShards);
        var tenant = await a.Organisation.CreateTenantAsync(new NewTenant { Name = "Fenced" });
        var agent = await a.Directory.AddAgentAsync(tenant.Id, _data.Agent());
        await a.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await a.Conversations.OpenAsync(tenant.Id, _data.Conversation());
        var visitor = Participant.Visitor(conversation.VisitorId);
        var first = await a.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("one"), "m-1");
        var outboxBefore = await CountAsync($"SELECT count(*) FROM outbox WHERE tenant_id = {tenant.Id};");

        // Node a stalls with its lease still valid by its own clock; meanwhile the lease lapses and node b takes over.
        await ExecuteAsync("UPDATE shard_lease SET expires_at = clock_timestamp() - interval '1 second';");
        await ownershipB.RunRoundAsync(CancellationToken.None);
        var shard = ShardMap.ShardOf(tenant.Id, Shards);
        Assert.Contains(shard, ownershipB.HeldShards);
        Assert.Contains(shard, ownershipA.HeldShards);

        var refused = await Assert.ThrowsAsync<KefuException>(() =>
            a.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("two"), "m-2").AsTask());

        Assert.Equal(KefuErrorKind.Unavailable, refused.Kind);
        Assert.DoesNotContain(shard, ownershipA.HeldShards);
        Assert.Equal(outboxBefore, await CountAsync($"SELECT count(*) FROM outbox WHERE tenant_id = {tenant.Id};"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM messages WHERE tenant_id = {tenant.Id} AND event IS NOT NULL AND message_id = {first.MessageId};"));
        var store = _nodes[0].GetRequiredService<IConversationStore>();
        Assert.Equal(["one"], (await store.GetMessagesAsync(tenant.Id, conversation.Id, null, 100)).Where(m => m.SenderKind == ParticipantKind.Visitor).Select(m => m.Text));
        Assert.Equal(1, (await store.GetConversationAsync(tenant.Id, conversation.Id))!.VisitorMessageCount);

        // The new owner reloads what was committed and goes on; a's retry of m-1 through b is recognised.
        var second = await b.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("two"), "m-2");
        var again = await b.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("one"), "m-1");
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(["one", "two"], (await store.GetMessagesAsync(tenant.Id, conversation.Id, null, 100)).Where(m => m.SenderKind == ParticipantKind.Visitor).Select(m => m.Text));
        Assert.Equal(2, (await b.Conversations.GetAsync(tenant.Id, conversation.Id)).VisitorMessageCount);
        Assert.NotEqual(first.MessageId, second.MessageId);
    }

    [Fact]
    public async Task TwoEngines_SendingWhileTheLeaseFlipsBackAndForth_StoreEveryAcknowledgedMessageOnce_AndNoStaleStateOverwritesTheOwners()
    {
        var (a, ownershipA) = await StartNodeAsync("node-a", 1);
        var (b, ownershipB) = await StartNodeAsync("node-b", 2);
        var tenant = await a.Organisation.CreateTenantAsync(new NewTenant { Name = "Flipping" });
        var agent = await a.Directory.AddAgentAsync(tenant.Id, _data.Agent());
        await a.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await a.Conversations.OpenAsync(tenant.Id, _data.Conversation());
        var visitor = Participant.Visitor(conversation.VisitorId);
        var acknowledged = new ConcurrentDictionary<string, long>();
        var refusals = 0;
        using var stop = new CancellationTokenSource();

        async Task SendLoopAsync(IKefu node, string prefix)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"{prefix}-{i}";
                try
                {
                    var sent = await node.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText(id), id);
                    acknowledged[id] = sent.MessageId;
                }
                catch (KefuException e) when (e.Kind == KefuErrorKind.Unavailable)
                {
                    Interlocked.Increment(ref refusals);
                    await Task.Delay(5);
                }
            }
        }

        var senders = new[] { Task.Run(() => SendLoopAsync(a, "a")), Task.Run(() => SendLoopAsync(b, "b")) };
        var owners = new[] { ownershipB, ownershipA };
        for (var flip = 0; flip < 6; flip++)
        {
            await Task.Delay(150);
            await ExecuteAsync("UPDATE shard_lease SET expires_at = clock_timestamp() - interval '1 second';");
            await owners[flip % 2].RunRoundAsync(CancellationToken.None);
        }

        await Task.Delay(150);
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        var epochs = await CountAsync($"SELECT max(epoch) FROM shard_lease;");
        Assert.True(epochs >= 7, $"The lease changed hands {epochs - 1} times.");
        Assert.True(refusals > 0);
        Assert.True(acknowledged.Count > 20, $"Only {acknowledged.Count} messages were acknowledged.");
        var store = _nodes[0].GetRequiredService<IConversationStore>();
        var stored = (await store.GetLatestMessagesAsync(tenant.Id, conversation.Id, 100_000))
            .Where(m => m.SenderKind == ParticipantKind.Visitor).ToList();
        Assert.Equal(stored.Count, stored.Select(m => m.ClientMessageId).Distinct().Count());
        Assert.Equal(acknowledged.OrderBy(x => x.Value).Select(x => (x.Key, x.Value)), stored.Select(m => (m.ClientMessageId!, m.Id)).Where(m => acknowledged.ContainsKey(m.Item1)));
        Assert.All(stored, m => Assert.True(acknowledged.ContainsKey(m.ClientMessageId!), $"{m.ClientMessageId} was stored but never acknowledged."));

        // A node writing from stale state after losing the lease would store a conversation that missed messages.
        Assert.Equal(stored.Count, (await store.GetConversationAsync(tenant.Id, conversation.Id))!.VisitorMessageCount);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
