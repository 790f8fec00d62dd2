using System.Collections.Concurrent;
using Google.Protobuf;
using Kefu.Adapters.Webhooks.Endpoints;
using Kefu.Events;
using Kefu.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Kefu.Adapters.Webhooks.Delivery;

/// <summary>
/// Delivers the queued webhook deliveries. Each delivery is a document in the store before it is handed here, so a
/// restart loses nothing: the first use of an endpoint's queue in a process (or the host's start) reads its documents
/// back. Each lane (conversation) has one runner that posts its head with retries (Polly: exponential back-off with
/// jitter, a time-out per attempt, both on the injected <see cref="TimeProvider"/>), removes it when delivered, and
/// moves the whole lane to the dead-letter list when the head fails <see cref="WebhookOptions.MaxAttempts"/> times.
/// </summary>
internal sealed partial class WebhookDispatcher : IAsyncDisposable, IDisposable
{
    private const string HeldBackError = "Held back behind an earlier dead letter of its conversation.";
    private static readonly ResiliencePropertyKey<Attempt> AttemptKey = new("Kefu.Webhooks.Attempt");

    private readonly IConfigurationDocumentStore _store;
    private readonly EndpointRegistry _endpoints;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxAttempts;
    private readonly int _maxConcurrentRequests;
    private readonly JsonFormatter _json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _timeout;
    private readonly ResiliencePipeline _storeRetry;
    private readonly ConcurrentDictionary<(long TenantId, long EndpointId), Task<EndpointQueue>> _queues = new();
    private readonly ConcurrentDictionary<Task, byte> _runners = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;

    public WebhookDispatcher(
        IConfigurationDocumentStore store, EndpointRegistry endpoints, IHttpClientFactory http, IOptions<WebhookOptions> options,
        TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        var o = options.Value;
        _stoppingToken = _stopping.Token;
        _store = store;
        _endpoints = endpoints;
        _http = http;
        _time = time;
        _logger = logger;
        _maxAttempts = o.MaxAttempts;
        _maxConcurrentRequests = o.MaxConcurrentRequestsPerEndpoint;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryDelay,
                MaxDelay = o.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome.Exception)),
                OnRetry = args => RecordFailureAsync(args.Context, args.Outcome.Exception, args.RetryDelay),
            })
            .Build();
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(o.AttemptTimeout).Build();

        // Store writes of the queue itself are retried until they succeed or the process stops: giving up would either
        // lose a delivery or deliver it again.
        _storeRetry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && ex is not OperationCanceledException
                    && !(ex is KefuException { Kind: KefuErrorKind.Concurrency })),
                OnRetry = args =>
                {
                    LogStoreRetry(args.Outcome.Exception, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Queues an event for an endpoint: written to the store before this returns, then delivered in the background.</summary>
    public async ValueTask EnqueueAsync(long tenantId, long endpointId, KefuEvent kefuEvent, string eventType, CancellationToken cancellationToken)
    {
        var queue = await GetQueueAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (kefuEvent.Sequence <= queue.HighWater || queue.Closed)
            {
                return;
            }

            var lane = EndpointQueue.LaneOf(kefuEvent);
            var now = _time.GetUtcNow();
            var stored = new StoredDelivery(
                kefuEvent.EventId, kefuEvent.Sequence, lane, eventType, Convert.ToBase64String(kefuEvent.ToByteArray()), 0, now, null, null);
            if (queue.IsParked(lane))
            {
                await WriteOnceAsync(tenantId, WebhookDocuments.DeadKind(endpointId), stored with { LastError = HeldBackError, DeadLetteredAt = now }, cancellationToken)
                    .ConfigureAwait(false);
                queue.AddDead(lane);
            }
            else
            {
                var version = await WriteOnceAsync(tenantId, WebhookDocuments.QueueKind(endpointId), stored, cancellationToken).ConfigureAwait(false);
                Append(queue, new PendingDelivery(stored, kefuEvent, version));
            }

            queue.HighWater = kefuEvent.Sequence;
        }
        finally
        {
            queue.Mutation.Release();
        }

        if (queue.HasPausedLanes)
        {
            Resume(queue);
        }
    }

    /// <summary>Loads every endpoint queue of a tenant and starts their lanes (after a restart, or when an endpoint is enabled again).</summary>
    public async ValueTask ResumeTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        foreach (var endpoint in await _endpoints.GetAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            Resume(await GetQueueAsync(tenantId, endpoint.Id, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Resumes every tenant's queues; failures are logged, never thrown.</summary>
    public Task ResumeAllAsync(IDirectoryStore directory) => ResumeAsync(directory, static _ => true);

    /// <summary>Resumes the queues of the tenants <paramref name="tenants"/> picks; failures are logged, never thrown.</summary>
    public async Task ResumeAsync(IDirectoryStore directory, Func<long, bool> tenants)
    {
        var token = _stoppingToken;
        IReadOnlyList<Model.Tenant> all;
        try
        {
            all = await directory.ListTenantsAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            LogResumeFailed(ex, 0);
            return;
        }

        foreach (var tenant in all)
        {
            if (!tenants(tenant.Id))
            {
                continue;
            }

            try
            {
                await ResumeTenantAsync(tenant.Id, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogResumeFailed(ex, tenant.Id);
            }
        }
    }

    /// <summary>
    /// Stops delivering the queues of the tenants <paramref name="tenants"/> picks in this process, keeping them in the
    /// store: their shard moved to another node, which resumes them. A delivery in flight finishes (at least once).
    /// </summary>
    public async ValueTask SuspendAsync(Func<long, bool> tenants, CancellationToken cancellationToken)
    {
        foreach (var key in _queues.Keys)
        {
            if (!tenants(key.TenantId) || !_queues.TryRemove(key, out var pending) || !pending.IsCompletedSuccessfully)
            {
                continue;
            }

            var queue = pending.Result;
            await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (queue.Gate)
                {
                    queue.Closed = true;
                }
            }
            finally
            {
                queue.Mutation.Release();
            }
        }
    }

    /// <summary>Drops an endpoint's queue in this process and deletes its queued deliveries and dead letters from the store.</summary>
    public async ValueTask DropAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        if (_queues.TryRemove((tenantId, endpointId), out var pending) && pending.IsCompletedSuccessfully)
        {
            var queue = pending.Result;
            await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (queue.Gate)
                {
                    queue.Closed = true;
                }
            }
            finally
            {
                queue.Mutation.Release();
            }
        }

        foreach (var kind in (string[])[WebhookDocuments.QueueKind(endpointId), WebhookDocuments.DeadKind(endpointId)])
        {
            foreach (var document in await _store.ListAsync(tenantId, kind, cancellationToken).ConfigureAwait(false))
            {
                await DeleteAsync(tenantId, kind, document.Key, document.Version, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Counts an endpoint's queued deliveries and dead letters in the store, between two moves of this process (a move
    /// writes the dead letter before it deletes the queued delivery, so a reader in between would count it twice).
    /// </summary>
    public async ValueTask<WebhookQueueStatus> GetStatusAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        var queue = await GetQueueAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var queued = await _store.ListAsync(tenantId, WebhookDocuments.QueueKind(endpointId), cancellationToken).ConfigureAwait(false);
            var dead = await _store.ListAsync(tenantId, WebhookDocuments.DeadKind(endpointId), cancellationToken).ConfigureAwait(false);
            return new WebhookQueueStatus(queued.Count, dead.Count);
        }
        finally
        {
            queue.Mutation.Release();
        }
    }

    /// <summary>An endpoint's dead letters in commit order, between two moves of this process.</summary>
    public async ValueTask<IReadOnlyList<WebhookDeadLetter>> ListDeadLettersAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        var queue = await GetQueueAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ConfigurationDocument> documents;
        await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            documents = await ListInOrderAsync(tenantId, WebhookDocuments.DeadKind(endpointId), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.Mutation.Release();
        }

        return [.. documents.Select(WebhookDocuments.ReadDelivery).Select(d => new WebhookDeadLetter(
            endpointId, d.ReadEvent(), d.EventType, d.Attempts, d.LastError ?? string.Empty, d.DeadLetteredAt ?? d.QueuedAt))];
    }

    /// <summary>Moves dead letters back to the queue (see <see cref="IWebhooks.ReplayDeadLettersAsync"/>).</summary>
    public async ValueTask<int> ReplayAsync(long tenantId, long endpointId, IReadOnlyCollection<long>? eventIds, CancellationToken cancellationToken)
    {
        var queue = await GetQueueAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        var replayed = 0;
        await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var kind = WebhookDocuments.DeadKind(endpointId);
            var dead = (await ListInOrderAsync(tenantId, kind, cancellationToken).ConfigureAwait(false))
                .Select(document => (Document: document, Delivery: WebhookDocuments.ReadDelivery(document)))
                .ToList();
            Dictionary<string, long>? cutoffs = null;
            if (eventIds is not null)
            {
                // A replayed event takes the earlier dead letters of its lane with it, so the lane stays in order.
                cutoffs = new(StringComparer.Ordinal);
                foreach (var (_, delivery) in dead.Where(d => eventIds.Contains(d.Delivery.EventId)))
                {
                    cutoffs[delivery.Lane] = Math.Max(cutoffs.GetValueOrDefault(delivery.Lane), delivery.Sequence);
                }
            }

            var now = _time.GetUtcNow();
            foreach (var (document, delivery) in dead)
            {
                if (cutoffs is not null && !(cutoffs.TryGetValue(delivery.Lane, out var cutoff) && delivery.Sequence <= cutoff))
                {
                    continue;
                }

                var stored = delivery with { Attempts = 0, LastError = null, DeadLetteredAt = null, QueuedAt = now };
                var version = await WriteAsync(tenantId, WebhookDocuments.QueueKind(endpointId), stored, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(tenantId, kind, document.Key, document.Version, cancellationToken).ConfigureAwait(false);
                queue.RemoveDead(delivery.Lane);
                Append(queue, new PendingDelivery(stored, delivery.ReadEvent(), version));
                replayed++;
            }
        }
        finally
        {
            queue.Mutation.Release();
        }

        Resume(queue);
        return replayed;
    }

    /// <summary>Deletes dead letters (see <see cref="IWebhooks.DiscardDeadLettersAsync"/>).</summary>
    public async ValueTask<int> DiscardAsync(long tenantId, long endpointId, IReadOnlyCollection<long>? eventIds, CancellationToken cancellationToken)
    {
        var queue = await GetQueueAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        var discarded = 0;
        await queue.Mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var kind = WebhookDocuments.DeadKind(endpointId);
            foreach (var document in await _store.ListAsync(tenantId, kind, cancellationToken).ConfigureAwait(false))
            {
                var delivery = WebhookDocuments.ReadDelivery(document);
                if (eventIds is null || eventIds.Contains(delivery.EventId))
                {
                    await DeleteAsync(tenantId, kind, document.Key, document.Version, cancellationToken).ConfigureAwait(false);
                    queue.RemoveDead(delivery.Lane);
                    discarded++;
                }
            }
        }
        finally
        {
            queue.Mutation.Release();
        }

        return discarded;
    }

    /// <summary>Starts the runners of lanes that have deliveries and none running (for example after the endpoint was enabled again).</summary>
    public void Resume(EndpointQueue queue)
    {
        List<Lane> idle;
        lock (queue.Gate)
        {
            idle = queue.ClaimIdle();
        }

        foreach (var lane in idle)
        {
            Start(queue, lane);
        }
    }

    /// <summary>Resumes an endpoint's queue when this process has loaded it.</summary>
    public void Resume(long tenantId, long endpointId)
    {
        if (_queues.TryGetValue((tenantId, endpointId), out var pending) && pending.IsCompletedSuccessfully)
        {
            Resume(pending.Result);
        }
    }

    private async ValueTask<EndpointQueue> GetQueueAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        var key = (tenantId, endpointId);
        while (true)
        {
            if (_queues.TryGetValue(key, out var existing))
            {
                try
                {
                    return await existing.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch when (existing.IsFaulted || existing.IsCanceled)
                {
                    // A failed load is forgotten so that the next caller reads the store again.
                    _queues.TryRemove(KeyValuePair.Create(key, existing));
                    throw;
                }
            }

            var loading = new TaskCompletionSource<EndpointQueue>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_queues.TryAdd(key, loading.Task))
            {
                continue;
            }

            try
            {
                var queue = await LoadAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
                loading.SetResult(queue);
                Resume(queue);
                return queue;
            }
            catch (Exception ex)
            {
                _queues.TryRemove(KeyValuePair.Create(key, loading.Task));
                loading.SetException(ex);
                _ = loading.Task.Exception; // observed: the caller gets the exception
                throw;
            }
        }
    }

    /// <summary>
    /// Reads an endpoint's queue back from the store. A delivery found both queued and dead (a crash between the two
    /// writes of a move) stays queued: delivering twice is allowed, losing is not. A queued delivery behind a dead letter
    /// of its lane is dead-lettered too, as the move it was part of intended.
    /// </summary>
    private async Task<EndpointQueue> LoadAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        var queueKind = WebhookDocuments.QueueKind(endpointId);
        var deadKind = WebhookDocuments.DeadKind(endpointId);
        var queued = await ListInOrderAsync(tenantId, queueKind, cancellationToken).ConfigureAwait(false);
        var dead = await ListInOrderAsync(tenantId, deadKind, cancellationToken).ConfigureAwait(false);
        var queue = new EndpointQueue(tenantId, endpointId, _maxConcurrentRequests);
        var queuedKeys = queued.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var firstDead = new Dictionary<string, long>(StringComparer.Ordinal);
        long highWater = 0;
        foreach (var document in dead)
        {
            if (queuedKeys.Contains(document.Key))
            {
                await DeleteAsync(tenantId, deadKind, document.Key, document.Version, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var delivery = WebhookDocuments.ReadDelivery(document);
            queue.AddDead(delivery.Lane);
            firstDead.TryAdd(delivery.Lane, delivery.Sequence);
            highWater = Math.Max(highWater, delivery.Sequence);
        }

        foreach (var document in queued)
        {
            var delivery = WebhookDocuments.ReadDelivery(document);
            highWater = Math.Max(highWater, delivery.Sequence);
            if (firstDead.TryGetValue(delivery.Lane, out var first) && delivery.Sequence > first)
            {
                await WriteAsync(tenantId, deadKind, delivery with { LastError = HeldBackError, DeadLetteredAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(tenantId, queueKind, document.Key, document.Version, cancellationToken).ConfigureAwait(false);
                queue.AddDead(delivery.Lane);
                continue;
            }

            lock (queue.Gate)
            {
                // Runners start once the queue is published; claiming here only marks the lanes as runnable.
                queue.Append(new PendingDelivery(delivery, delivery.ReadEvent(), document.Version))?.Release();
            }
        }

        queue.HighWater = highWater;
        return queue;
    }

    /// <summary>A kind's documents in commit order (keys are zero-padded sequences), whatever order the store lists them in.</summary>
    private async ValueTask<IReadOnlyList<ConfigurationDocument>> ListInOrderAsync(long tenantId, string kind, CancellationToken cancellationToken)
    {
        var documents = await _store.ListAsync(tenantId, kind, cancellationToken).ConfigureAwait(false);
        return [.. documents.OrderBy(d => d.Key, StringComparer.Ordinal)];
    }

    /// <summary>Stops the runners without waiting for them (for containers disposed synchronously).</summary>
    public void Dispose() => _stopping.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_runners.Keys).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook: tenant {TenantId} endpoint {EndpointId} took event {EventId} on attempt {Attempt}.")]
    private partial void LogDelivered(long tenantId, long endpointId, long eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook: tenant {TenantId} endpoint {EndpointId} event {EventId} attempt {Attempt} failed ({Error}); next attempt in {Delay}.")]
    private partial void LogAttemptFailed(long tenantId, long endpointId, long eventId, int attempt, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook: tenant {TenantId} endpoint {EndpointId} event {EventId} failed {Attempts} attempts ({Error}) and went to the dead-letter list with {HeldBack} later events of its conversation.")]
    private partial void LogDeadLettered(long tenantId, long endpointId, long eventId, int attempts, int heldBack, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook: the attempt count of tenant {TenantId} endpoint {EndpointId} event {EventId} could not be stored.")]
    private partial void LogAttemptNotRecorded(Exception exception, long tenantId, long endpointId, long eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook: a store operation failed; retrying in {Delay}.")]
    private partial void LogStoreRetry(Exception? exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook: resuming the queued deliveries of tenant {TenantId} failed (0: listing the tenants failed).")]
    private partial void LogResumeFailed(Exception exception, long tenantId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook: the runner of tenant {TenantId} endpoint {EndpointId} lane {Lane} stopped.")]
    private partial void LogLaneFailed(Exception exception, long tenantId, long endpointId, string lane);

    private enum Outcome
    {
        Delivered,
        Exhausted,
        Paused,
    }

    private readonly record struct Attempt(EndpointQueue Queue, PendingDelivery Delivery);
}
