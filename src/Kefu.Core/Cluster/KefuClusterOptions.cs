namespace Kefu.Cluster;

/// <summary>
/// Options of a multi-node deployment (<c>UseCluster</c>): tenants hash into <see cref="ShardCount"/> shards, each
/// shard is owned by one node through a lease in the store, and a node runs a tenant's worker only while it holds
/// the lease of the tenant's shard. Validated when the engine starts.
/// </summary>
public sealed class KefuClusterOptions
{
    /// <summary>The largest shard count.</summary>
    public const int MaxShardCount = 4096;

    /// <summary>
    /// This node's name in the lease table: unique among the nodes sharing a store, and different at every start of
    /// a process (so a restarted node never mistakes its predecessor's leases for its own). <value>Default: the machine
    /// name, the process id and a random suffix; 1–100 characters of letters, digits, '.', '_', ':' and '-'.</value>
    /// </summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// How many shards tenants hash into. Every node sharing a store must use the same number; changing it moves
    /// tenants between shards, so stop every node first. <value>Default 64; 1–4,096.</value>
    /// </summary>
    public int ShardCount { get; set; } = 64;

    /// <summary>
    /// How long a lease lasts unless renewed: when a node dies, its shards move to other nodes after at most this
    /// long. <value>Default 10 s; 500 ms – 5 min.</value>
    /// </summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the node renews its leases and looks for expired ones to take over; well below
    /// <see cref="LeaseTimeout"/> so one failed renewal does not lose a lease. <value>Default 3 s; 100 ms – a third of
    /// <see cref="LeaseTimeout"/>.</value>
    /// </summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Whether this node takes shards. A node that does not (a front node) runs no tenant worker and forwards every
    /// tenant command to the shard's owner. <value>Default true.</value>
    /// </summary>
    public bool OwnsShards { get; set; } = true;

    /// <summary>
    /// How long a command for a shard this node does not own keeps being retried (owner unknown, moving or dead)
    /// before it fails with <see cref="KefuErrorKind.Unavailable"/>. <value>Default 30 s; 1 s – 10 min.</value>
    /// </summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Validates every option; throws <see cref="KefuValidationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(NodeName) || NodeName.Length > 100 || !NodeName.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
        {
            throw new KefuValidationException(nameof(NodeName), "1–100 characters of letters, digits, '.', '_', ':' and '-'", $"was '{NodeName}'");
        }

        Guard.Range(ShardCount, 1, MaxShardCount, nameof(ShardCount));
        Guard.Range(LeaseTimeout, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5), nameof(LeaseTimeout), "between 500 ms and 5 minutes");
        Guard.Range(RenewInterval, TimeSpan.FromMilliseconds(100), LeaseTimeout / 3, nameof(RenewInterval), $"between 100 ms and a third of LeaseTimeout ({LeaseTimeout / 3})");
        Guard.Range(ForwardTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), nameof(ForwardTimeout), "between 1 second and 10 minutes");
    }
}
