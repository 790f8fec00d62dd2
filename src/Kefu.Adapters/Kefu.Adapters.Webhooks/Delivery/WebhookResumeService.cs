using Kefu.Cluster;
using Kefu.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Webhooks.Delivery;

/// <summary>
/// At the host's start, resumes the deliveries an earlier run left queued (in the background: the start does not wait
/// for the store reads). Off with <see cref="WebhookOptions.ResumeOnStart"/>. In a cluster (<c>UseCluster</c>) a node
/// delivers only the queues of the tenants whose shard it holds: it resumes a shard's queues when it takes the shard's
/// lease and stops delivering them when it loses it, so two nodes never work one queue.
/// </summary>
internal sealed class WebhookResumeService(
    IDirectoryStore directory,
    WebhookDispatcher dispatcher,
    IOptions<WebhookOptions> options,
    IKefuClusterNode? cluster = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (cluster is null)
        {
            if (options.Value.ResumeOnStart)
            {
                _ = Task.Run(() => dispatcher.ResumeAllAsync(directory), CancellationToken.None);
            }

            return Task.CompletedTask;
        }

        cluster.Acquired += OnAcquired;
        cluster.Lost += OnLost;
        if (options.Value.ResumeOnStart)
        {
            var held = cluster.HeldShards.ToHashSet();
            _ = Task.Run(() => dispatcher.ResumeAsync(directory, tenant => held.Contains(cluster.ShardOf(tenant))), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (cluster is not null)
        {
            cluster.Acquired -= OnAcquired;
            cluster.Lost -= OnLost;
        }

        return Task.CompletedTask;
    }

    private void OnAcquired(ShardLease lease)
        => _ = Task.Run(() => dispatcher.ResumeAsync(directory, tenant => cluster!.ShardOf(tenant) == lease.Shard), CancellationToken.None);

    private void OnLost(int shard)
        => _ = Task.Run(() => dispatcher.SuspendAsync(tenant => cluster!.ShardOf(tenant) == shard, CancellationToken.None).AsTask(), CancellationToken.None);
}
