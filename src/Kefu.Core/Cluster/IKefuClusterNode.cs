namespace Kefu.Cluster;

/// <summary>
/// This node's view of the cluster, for cluster transports: its name, the shards it holds now, and notice when it
/// takes or loses one (registered by <c>UseCluster</c>).
/// </summary>
public interface IKefuClusterNode
{
    /// <summary>This node's name (unique among the nodes and per process start).</summary>
    string NodeName { get; }

    /// <summary>How many shards tenants hash into.</summary>
    int ShardCount { get; }

    /// <summary>The shards this node holds a valid lease on now, in order.</summary>
    IReadOnlyList<int> HeldShards { get; }

    /// <summary>The shard of a tenant.</summary>
    int ShardOf(long tenantId);

    /// <summary>Raised when the node took a shard's lease.</summary>
    event Action<ShardLease>? Acquired;

    /// <summary>Raised when the node lost (or gave up) a shard's lease.</summary>
    event Action<int>? Lost;
}
