namespace Kefu.Cluster;

/// <summary>
/// A node's lease on a shard: while it lasts, only <see cref="Owner"/> writes the shard's tenants. The epoch grows by
/// one at every change of owner and is the fencing token: a store refuses a commit whose lease is no longer the current one.
/// </summary>
/// <param name="Shard">The shard, 0 to the shard count less one.</param>
/// <param name="Owner">The owning node's name.</param>
/// <param name="Epoch">The fencing token: 1 for the shard's first owner, one more at every change of owner.</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed, by the lease store's clock.</param>
public sealed record ShardLease(int Shard, string Owner, long Epoch, DateTimeOffset ExpiresAt);

/// <summary>
/// Shard leases (the <c>shard_lease</c> table of a shared store). Every operation is atomic; expiry is judged by the
/// store's own clock, so the nodes' clocks need not agree. The in-memory store implements it for tests and single
/// processes; the PostgreSQL store for real clusters.
/// </summary>
public interface IShardLeaseStore
{
    /// <summary>
    /// Takes the shard's lease for <paramref name="owner"/> when it is free, expired or already held by
    /// <paramref name="owner"/> (then it is renewed, keeping its epoch), for <paramref name="duration"/>. Returns the
    /// lease, or null when another node holds it.
    /// </summary>
    ValueTask<ShardLease?> TryAcquireAsync(int shard, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a lease that is still current (same owner and epoch, not expired) by <paramref name="duration"/> from
    /// now. Returns the renewed lease, or null when it was lost: the node must stop writing the shard.
    /// </summary>
    ValueTask<ShardLease?> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease up (it expires now) if it is still current, so another node can take the shard at once.</summary>
    ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken = default);

    /// <summary>Every shard's lease, expired or not, by shard.</summary>
    ValueTask<IReadOnlyList<ShardLease>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether a lease is current by the store's clock: its owner and epoch hold the shard and it has not expired.</summary>
    ValueTask<bool> IsCurrentAsync(ShardLease lease, CancellationToken cancellationToken = default);
}

/// <summary>Which shard a tenant belongs to: a fixed hash of the tenant id, the same on every node and in every version.</summary>
public static class ShardMap
{
    /// <summary>The shard of <paramref name="tenantId"/> among <paramref name="shardCount"/> shards.</summary>
    public static int ShardOf(long tenantId, int shardCount)
    {
        Guard.Range(shardCount, 1, KefuClusterOptions.MaxShardCount, "ShardCount");

        // SplitMix64's finaliser: snowflake ids are sequential, their low bits must not decide the shard alone.
        var z = unchecked((ulong)tenantId + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % (ulong)shardCount);
    }
}

/// <summary>
/// A commit refused because its fencing lease is no longer current: the node lost the shard (expired, taken over or
/// released) and nothing of the batch was written. Of kind <see cref="KefuErrorKind.Unavailable"/>: retry the command,
/// it goes to the shard's new owner.
/// </summary>
public sealed class KefuLeaseLostException : KefuException
{
    /// <summary>Creates the error for <paramref name="lease"/>.</summary>
    public KefuLeaseLostException(ShardLease lease)
        : base(KefuErrorKind.Unavailable, $"Shard {lease?.Shard} is no longer leased to node '{lease?.Owner}' at epoch {lease?.Epoch}: nothing was written. Retry the command.")
    {
        ArgumentNullException.ThrowIfNull(lease);
        Lease = lease;
    }

    /// <summary>Creates the error for <paramref name="lease"/> with the store's error.</summary>
    public KefuLeaseLostException(ShardLease lease, Exception innerException)
        : base(KefuErrorKind.Unavailable, $"Shard {lease?.Shard} is no longer leased to node '{lease?.Owner}' at epoch {lease?.Epoch}: nothing was written. Retry the command.", innerException)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Lease = lease;
    }

    /// <summary>The lease that was lost.</summary>
    public ShardLease Lease { get; }
}
