using Kefu.Cluster;

namespace Kefu.Storage.InMemory;

/// <summary>
/// The in-memory store's shard leases, for tests and for several engines in one process: one table behind one lock,
/// expiry judged by the store's <see cref="TimeProvider"/>. Fenced commits check their lease under the same lock.
/// </summary>
internal sealed partial class InMemoryKefuStore : IShardLeaseStore
{
    private readonly Lock _leaseGate = new();
    private readonly Dictionary<int, ShardLease> _leases = [];
    private readonly TimeProvider _time;

    /// <summary>A store whose leases expire by the system clock.</summary>
    public InMemoryKefuStore()
        : this(TimeProvider.System)
    {
    }

    /// <summary>A store whose leases expire by <paramref name="time"/>.</summary>
    public InMemoryKefuStore(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    public ValueTask<ShardLease?> TryAcquireAsync(int shard, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        lock (_leaseGate)
        {
            var now = _time.GetUtcNow();
            ShardLease? taken = null;
            if (!_leases.TryGetValue(shard, out var current))
            {
                taken = new ShardLease(shard, owner, 1, now + duration);
            }
            else if (current.Owner == owner && current.ExpiresAt > now)
            {
                taken = current with { ExpiresAt = now + duration };
            }
            else if (current.ExpiresAt <= now)
            {
                taken = new ShardLease(shard, owner, current.Epoch + 1, now + duration);
            }

            if (taken is not null)
            {
                _leases[shard] = taken;
            }

            return ValueTask.FromResult(taken);
        }
    }

    public ValueTask<ShardLease?> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_leaseGate)
        {
            if (!IsCurrent(lease))
            {
                return ValueTask.FromResult<ShardLease?>(null);
            }

            var renewed = _leases[lease.Shard] with { ExpiresAt = _time.GetUtcNow() + duration };
            _leases[lease.Shard] = renewed;
            return ValueTask.FromResult<ShardLease?>(renewed);
        }
    }

    public ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_leaseGate)
        {
            if (IsCurrent(lease))
            {
                _leases[lease.Shard] = _leases[lease.Shard] with { ExpiresAt = _time.GetUtcNow() };
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ShardLease>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_leaseGate)
        {
            return ValueTask.FromResult<IReadOnlyList<ShardLease>>([.. _leases.Values.OrderBy(l => l.Shard)]);
        }
    }

    public ValueTask<bool> IsCurrentAsync(ShardLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_leaseGate)
        {
            return ValueTask.FromResult(IsCurrent(lease));
        }
    }

    /// <summary>Under <see cref="_leaseGate"/>: whether the lease's owner and epoch hold the shard and it has not expired.</summary>
    private bool IsCurrent(ShardLease lease)
        => _leases.TryGetValue(lease.Shard, out var current) && current.Owner == lease.Owner && current.Epoch == lease.Epoch && current.ExpiresAt > _time.GetUtcNow();
}
