using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Kefu.Cluster;

/// <summary>
/// This node's shard leases: renews the ones it holds every <see cref="KefuClusterOptions.RenewInterval"/>, takes
/// over free and expired ones up to a fair share (the shard count over the nodes holding leases), and gives them all
/// up when it stops. A lease counts as held locally only until the lease time-out has passed since the renewal that
/// was <em>sent</em>, so the node stops writing before any other node can take the shard over; the store's fencing
/// check stops it in any case.
/// </summary>
internal sealed class ShardOwnership : IKefuClusterNode, IAsyncDisposable
{
    private readonly IShardLeaseStore _store;
    private readonly KefuClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, Held> _held = new();
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _scanStart;
    private Task _loop = Task.CompletedTask;
    private int _started;

    public ShardOwnership(IShardLeaseStore store, KefuClusterOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _scanStart = (int)((uint)options.NodeName.GetHashCode(StringComparison.Ordinal) % (uint)options.ShardCount);
    }

    /// <summary>This node's name.</summary>
    public string NodeName => _options.NodeName;

    /// <summary>The number of shards.</summary>
    public int ShardCount => _options.ShardCount;

    /// <summary>Raised (on the renewal loop) when the node took a shard: its tenants must be loaded from the store.</summary>
    public event Action<ShardLease>? Acquired;

    /// <summary>Raised (on the renewal loop, or when a commit was refused) when the node lost a shard: its workers must stop.</summary>
    public event Action<int>? Lost;

    /// <summary>The shard of a tenant.</summary>
    public int ShardOf(long tenantId) => ShardMap.ShardOf(tenantId, _options.ShardCount);

    /// <summary>The lease of <paramref name="shard"/> when this node holds it and it is still valid by the local clock.</summary>
    public bool TryGetLease(int shard, [NotNullWhen(true)] out ShardLease? lease)
    {
        if (_held.TryGetValue(shard, out var held) && _time.GetUtcNow() < held.ValidUntil)
        {
            lease = held.Lease;
            return true;
        }

        lease = null;
        return false;
    }

    /// <summary>Whether <paramref name="lease"/> is the one this node holds and it is still valid by the local clock.</summary>
    public bool IsValid(ShardLease lease) => TryGetLease(lease.Shard, out var current) && current.Epoch == lease.Epoch;

    /// <summary>The shards this node holds now.</summary>
    public IReadOnlyList<int> HeldShards => [.. _held.Where(h => _time.GetUtcNow() < h.Value.ValidUntil).Select(h => h.Key).Order()];

    /// <summary>Takes the first leases now, then renews and takes over in the background until stopped.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        await RunRoundAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Stops the loop and releases every lease, so other nodes take the shards over at once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        foreach (var (shard, held) in _held.ToArray())
        {
            _held.TryRemove(shard, out _);
            Lost?.Invoke(shard);
            try
            {
                await _store.ReleaseAsync(held.Lease, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Node {Node}: releasing shard {Shard} failed; it expires on its own.", NodeName, shard);
            }
        }
    }

    /// <summary>Forgets a shard whose lease a store refused (a fenced commit): the node stops writing it at once.</summary>
    public void Forfeit(ShardLease lease)
    {
        if (_held.TryGetValue(lease.Shard, out var held) && held.Lease.Epoch == lease.Epoch && _held.TryRemove(new KeyValuePair<int, Held>(lease.Shard, held)))
        {
            _logger.LogWarning("Node {Node}: shard {Shard} (epoch {Epoch}) was refused by the store; the node stops writing it.", NodeName, lease.Shard, lease.Epoch);
            Lost?.Invoke(lease.Shard);
        }
    }

    private async Task LoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RenewInterval, _time, token).ConfigureAwait(false);
                await RunRoundAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Node {Node}: a lease round failed.", NodeName);
            }
        }
    }

    /// <summary>One round: renew what is held, drop what lapsed, take over what is free (for tests, run by hand).</summary>
    internal async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
            if (_options.OwnsShards)
            {
                await TakeOverAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        foreach (var (shard, held) in _held.ToArray())
        {
            var sentAt = _time.GetUtcNow();
            ShardLease? renewed = null;
            var answered = false;
            try
            {
                renewed = await _store.RenewAsync(held.Lease, _options.LeaseTimeout, cancellationToken).ConfigureAwait(false);
                answered = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Node {Node}: renewing shard {Shard} failed; the lease stays valid until {ValidUntil}.", NodeName, shard, held.ValidUntil);
            }

            if (renewed is not null)
            {
                _held.TryUpdate(shard, new Held(renewed, sentAt + _options.LeaseTimeout), held);
            }
            else if (answered || _time.GetUtcNow() >= held.ValidUntil)
            {
                if (_held.TryRemove(new KeyValuePair<int, Held>(shard, held)))
                {
                    _logger.LogWarning("Node {Node}: lost shard {Shard} (epoch {Epoch}).", NodeName, shard, held.Lease.Epoch);
                    Lost?.Invoke(shard);
                }
            }
        }
    }

    private async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ShardLease> leases;
        try
        {
            leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Node {Node}: listing the shard leases failed.", NodeName);
            return;
        }

        var now = _time.GetUtcNow();
        var byShard = leases.ToDictionary(l => l.Shard);
        var liveOwners = leases.Where(l => l.ExpiresAt > now).Select(l => l.Owner).Append(NodeName).Distinct(StringComparer.Ordinal).Count();
        var fairShare = (_options.ShardCount + liveOwners - 1) / liveOwners;
        for (var i = 0; i < _options.ShardCount && _held.Count < fairShare; i++)
        {
            var shard = (_scanStart + i) % _options.ShardCount;
            if (_held.ContainsKey(shard) || (byShard.TryGetValue(shard, out var lease) && lease.ExpiresAt > now))
            {
                continue;
            }

            var sentAt = _time.GetUtcNow();
            ShardLease? taken;
            try
            {
                taken = await _store.TryAcquireAsync(shard, NodeName, _options.LeaseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Node {Node}: taking shard {Shard} failed.", NodeName, shard);
                return;
            }

            if (taken is not null && _held.TryAdd(shard, new Held(taken, sentAt + _options.LeaseTimeout)))
            {
                _logger.LogInformation("Node {Node}: took shard {Shard} at epoch {Epoch}.", NodeName, shard, taken.Epoch);
                Acquired?.Invoke(taken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _round.Dispose();
    }

    private sealed record Held(ShardLease Lease, DateTimeOffset ValidUntil);
}
