using Kefu.Cluster;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Kefu.Adapters.Webhooks.Tests.Delivery;

/// <summary>In a cluster a node delivers only the queues of the tenants whose shard it holds.</summary>
public class WebhookClusterTests
{
    private const int Shard = 7;

    [Fact]
    public async Task QueuedDeliveries_AfterARestart_WaitForTheShardsLease_ThenGoOutInOrder()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kefu-webhooks-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        try
        {
            await using var receiver = new LoopbackReceiver(_ => ReceiverAnswer.Fail);
            long tenantId;
            string[] sent = ["one", "two", "three"];
            await using (var first = await WebhookTestHost.StartAsync(o => o.MaxAttempts = 100, connectionString))
            {
                tenantId = await first.CreateTenantAsync();
                await first.Webhooks.AddEndpointAsync(tenantId, new WebhookEndpointSpec
                {
                    Url = receiver.Url,
                    Secret = "cluster-secret-000000000",
                    EventTypes = [WebhookEventTypes.Message],
                });
                var (_, conversation) = await first.OpenAssignedAsync(tenantId);
                foreach (var text in sent)
                {
                    await first.SendAsync(tenantId, conversation, text);
                }

                await first.OutboxDrainedAsync(tenantId);
                await receiver.WaitUntilAsync(r => r.Count >= 1);
            }

            receiver.Decide = _ => ReceiverAnswer.Accept;
            var before = receiver.Requests.Count;
            var node = Substitute.For<IKefuClusterNode>();
            node.NodeName.Returns("node-b");
            node.ShardCount.Returns(64);
            node.HeldShards.Returns([]);
            node.ShardOf(Arg.Any<long>()).Returns(Shard);
            await using var second = await WebhookTestHost.StartAsync(o => o.MaxAttempts = 100, connectionString, s => s.AddSingleton(node));

            // Not this node's shard yet: nothing goes out.
            await Task.Delay(500);
            Assert.Equal(before, receiver.Requests.Count);

            node.Acquired += Raise.Event<Action<ShardLease>>(new ShardLease(Shard, "node-b", 2, DateTimeOffset.UnixEpoch));
            var requests = await receiver.WaitUntilAsync(r => r.Count(x => x.Accepted) == 3);

            Assert.Equal(sent, requests.Where(r => r.Accepted).Select(r => r.Event.Message.Text));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
            {
                File.Delete(file);
            }
        }
    }
}
