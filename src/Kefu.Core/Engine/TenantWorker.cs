using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Kefu.Engine;

/// <summary>
/// The one sequential worker of a tenant. Commands arrive through an unbounded channel and are applied in order;
/// each batch (up to <see cref="KefuOptions.MaxBatchSize"/> items) is committed with the events it produced in one
/// store transaction, the events are published, and only then are the callers acknowledged. A batch that cannot be
/// committed fails all its callers and the worker reloads the tenant from the store, so memory never runs ahead of it.
/// </summary>
internal sealed class TenantWorker : IAsyncDisposable
{
    private readonly long _tenantId;
    private readonly EngineServices _s;
    private readonly Channel<WorkItem> _channel = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private volatile bool _retired;

    /// <summary>Starts a tenant's worker; in a cluster, under the lease of the tenant's shard, which fences every commit.</summary>
    public TenantWorker(long tenantId, EngineServices services, Cluster.ShardLease? lease = null)
    {
        _tenantId = tenantId;
        _s = services;
        Lease = lease;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The shard lease the worker writes under (the fencing token), or null on a single node.</summary>
    public Cluster.ShardLease? Lease { get; }

    /// <summary>Whether the worker stopped taking commands because its shard's lease was lost.</summary>
    public bool IsRetired => _retired;

    public void Post(WorkItem item)
    {
        if (_retired)
        {
            throw NotOwnedAnyMore();
        }

        if (!_channel.Writer.TryWrite(item))
        {
            throw _retired ? NotOwnedAnyMore() : new ObjectDisposedException(nameof(KefuEngine), "The Kefu engine is shutting down.");
        }
    }

    /// <summary>
    /// Stops the worker for good because its shard's lease is gone: commands still queued fail with
    /// <see cref="KefuErrorKind.Unavailable"/> without being applied, and so do later posts.
    /// </summary>
    public ValueTask RetireAsync()
    {
        _retired = true;
        return DisposeAsync();
    }

    private KefuException NotOwnedAnyMore() => new(
        KefuErrorKind.Unavailable,
        $"Tenant {_tenantId}'s shard {Lease?.Shard} is no longer owned by this node: the command was not applied. Retry it.");

    private async Task RunAsync()
    {
        var state = await LoadAsync().ConfigureAwait(false);
        var reader = _channel.Reader;
        var batch = new List<WorkItem>(_s.Options.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_retired)
            {
                while (reader.TryRead(out var refused))
                {
                    refused.Fail(NotOwnedAnyMore());
                }

                continue;
            }

            Exception? poison = null;
            var batchTime = _s.Time.GetUtcNow(); // one clock read per batch: the batch commits as one
            while (batch.Count < _s.Options.MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
                state.BeginItem(item.FixedTime ?? batchTime);
                try
                {
                    await item.ExecuteAsync(state).ConfigureAwait(false);
                }
                catch (KefuException refusal) when (!state.ItemRecordedChanges)
                {
                    item.Refuse(refusal);
                }
                catch (Exception ex)
                {
                    // A bug (in Kefu or in a seam implementation) may have left the state half-changed:
                    // refuse the whole batch and reload from the store.
                    _s.Logger.LogError(ex, "Tenant {TenantId}: a command failed unexpectedly; the batch is discarded and the tenant reloaded.", _tenantId);
                    poison = ex;
                    break;
                }
            }

            if (poison is not null)
            {
                FailAll(batch, poison);
                state = await ReloadAsync(state).ConfigureAwait(false);
                continue;
            }

            var commit = state.PrepareCommit();
            try
            {
                if (!commit.IsEmpty)
                {
                    if (Lease is not null && _s.Cluster is { } cluster && !cluster.IsValid(Lease))
                    {
                        // The lease lapsed locally (renewals failed): another node may own the shard by now.
                        throw new Cluster.KefuLeaseLostException(Lease);
                    }

                    await _s.CommitStore.CommitAsync(commit).ConfigureAwait(false);
                }
            }
            catch (Cluster.KefuLeaseLostException lost)
            {
                // Fenced: nothing of the batch was written, and this node must not write the tenant again.
                _s.Logger.LogWarning("Tenant {TenantId}: the commit of {Count} commands was refused, the shard's lease is lost; the worker stops.", _tenantId, batch.Count);
                // The lease is given up before the callers hear of the refusal: a caller that checks this node's
                // leases when it sees Unavailable must find the shard gone, not retry here.
                _retired = true;
                _s.Cluster?.Forfeit(lost.Lease);
                FailAll(batch, new KefuException(KefuErrorKind.Unavailable, lost.Message, lost));
                continue;
            }
            catch (Exception ex)
            {
                _s.Logger.LogError(ex, "Tenant {TenantId}: a batch of {Count} commands could not be committed; they are failed and the tenant reloaded.", _tenantId, batch.Count);
                FailAll(batch, new KefuException(KefuErrorKind.InvalidState, "The command could not be committed; it was not applied. Retry it.", ex));
                state = await ReloadAsync(state).ConfigureAwait(false);
                continue;
            }

            await PublishAsync(commit.EventList, state.TransientEvents).ConfigureAwait(false);

            // The timer is set again before the callers continue, so a caller that moves the clock right after its
            // command finds the tenant's next due time already armed.
            try
            {
                state.AfterCommit();
            }
            catch (Exception ex)
            {
                _s.Logger.LogError(ex, "Tenant {TenantId}: setting the timer after a commit failed; the tenant is reloaded.", _tenantId);
                foreach (var item in batch)
                {
                    item.Complete();
                }

                batch.Clear();
                state = await ReloadAsync(state).ConfigureAwait(false);
                continue;
            }

            foreach (var item in batch)
            {
                item.Complete();
            }

            batch.Clear();
        }

        state.DisposeTimer();
    }

    private async ValueTask PublishAsync(IReadOnlyList<Events.KefuEvent> events, IReadOnlyList<Events.KefuEvent> transient)
    {
        try
        {
            if (events.Count > 0)
            {
                await _s.Transport.PublishAsync(_tenantId, events).ConfigureAwait(false);
                await _s.Dispatcher.DispatchAsync(_tenantId, events).ConfigureAwait(false);
            }

            if (transient.Count > 0)
            {
                await _s.Transport.PublishAsync(_tenantId, transient).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The batch is committed: its events stay in the outbox and are published again when the tenant reloads.
            _s.Logger.LogError(ex, "Tenant {TenantId}: publishing committed events failed; they stay in the outbox.", _tenantId);
        }
    }

    private static void FailAll(List<WorkItem> batch, Exception ex)
    {
        foreach (var item in batch)
        {
            item.Fail(ex);
        }

        batch.Clear();
    }

    private async Task<TenantState> LoadAsync()
    {
        var state = new TenantState(_tenantId, _s);
        state.Commit.Lease = Lease;
        state.TimerFired = at => _channel.Writer.TryWrite(new TimerTickWorkItem(at));
        await state.LoadAsync(CancellationToken.None).ConfigureAwait(false);
        await RedeliverPendingAsync().ConfigureAwait(false);
        state.AfterCommit();
        return state;
    }

    private async Task<TenantState> ReloadAsync(TenantState old)
    {
        old.DisposeTimer();
        while (true)
        {
            try
            {
                return await LoadAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _s.Logger.LogError(ex, "Tenant {TenantId}: reloading from the store failed; retrying in 1 s.", _tenantId);
                await Task.Delay(TimeSpan.FromSeconds(1), _s.Time).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Events committed by an earlier run but not dispatched (a crash between commit and publish) go out again: at least once.</summary>
    private async Task RedeliverPendingAsync()
    {
        long after = 0;
        while (true)
        {
            var pending = await _s.Outbox.ReadPendingAsync(_tenantId, after, 1024).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                return;
            }

            await _s.Transport.PublishAsync(_tenantId, pending).ConfigureAwait(false);
            await _s.Dispatcher.DispatchAsync(_tenantId, pending).ConfigureAwait(false);
            after = pending[^1].Sequence;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class TimerTickWorkItem(DateTimeOffset firedAt) : WorkItem<bool>
    {
        public override DateTimeOffset? FixedTime => firedAt;

        public override ValueTask ExecuteAsync(TenantState state)
        {
            state.TimerConsumed();
            SetResult(state.OnTimerTick());
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The message path's work item: pooled, so sending a message allocates no command object.</summary>
internal sealed class SendMessageWorkItem : WorkItem<Model.SendResult>
{
    private ItemPool<SendMessageWorkItem>? _pool;
    private long _conversationId;
    private Model.Participant _sender;
    private Model.MessageContent? _content;
    private string? _clientMessageId;

    public static SendMessageWorkItem Rent(ItemPool<SendMessageWorkItem> pool, long conversationId, Model.Participant sender, Model.MessageContent content, string? clientMessageId)
    {
        var item = pool.Rent() ?? new SendMessageWorkItem();
        item._pool = pool;
        item._conversationId = conversationId;
        item._sender = sender;
        item._content = content;
        item._clientMessageId = clientMessageId;
        return item;
    }

    public override ValueTask ExecuteAsync(TenantState state)
    {
        if (state.Exists && state.Open.TryGetValue(_conversationId, out var c))
        {
            SetResult(state.Send(c, _sender, _content!, _clientMessageId));
            return ValueTask.CompletedTask;
        }

        return SlowAsync(state);
    }

    private async ValueTask SlowAsync(TenantState state) => SetResult(await state.SendAsync(_conversationId, _sender, _content!, _clientMessageId).ConfigureAwait(false));

    protected override void OnConsumed()
    {
        _content = null;
        _clientMessageId = null;
        ResetCore();
        _pool?.Return(this);
    }
}
