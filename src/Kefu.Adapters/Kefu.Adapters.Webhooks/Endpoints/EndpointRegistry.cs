using System.Collections.Concurrent;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Webhooks.Endpoints;

/// <summary>
/// The tenants' endpoint lists: read from the store, cached for <see cref="WebhookOptions.EndpointRefreshInterval"/>,
/// and changed with optimistic concurrency so that concurrent changes (on this node or another) never overwrite each other.
/// </summary>
internal sealed class EndpointRegistry
{
    private const int MaxConflictRetries = 5;

    private readonly IConfigurationDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly ConcurrentDictionary<long, Snapshot> _cache = new();

    public EndpointRegistry(IConfigurationDocumentStore store, TimeProvider time, IOptions<WebhookOptions> options)
    {
        _store = store;
        _time = time;
        _refreshInterval = options.Value.EndpointRefreshInterval;
    }

    /// <summary>The tenant's endpoints, from the cache while it is fresh.</summary>
    public async ValueTask<IReadOnlyList<StoredEndpoint>> GetAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(tenantId, out var cached) && _time.GetElapsedTime(cached.LoadedAt) < _refreshInterval)
        {
            return cached.Endpoints;
        }

        return (await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false)).Endpoints;
    }

    /// <summary>One endpoint, or null when the tenant has no such endpoint.</summary>
    public async ValueTask<StoredEndpoint?> FindAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        foreach (var endpoint in await GetAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (endpoint.Id == endpointId)
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored list and writes the result, reading again and re-applying when
    /// another writer got in between. <paramref name="change"/> returns the new list, or null to write nothing.
    /// </summary>
    public async ValueTask<TResult> ChangeAsync<TResult>(
        long tenantId, Func<List<StoredEndpoint>, (List<StoredEndpoint>? Next, TResult Result)> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
            var (next, result) = change([.. current.Endpoints]);
            if (next is null)
            {
                return result;
            }

            try
            {
                var document = await _store.PutAsync(
                    tenantId, WebhookDocuments.EndpointsKind, WebhookDocuments.EndpointsKey, WebhookDocuments.Serialize(next),
                    current.Version, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                Remember(tenantId, new Snapshot(next, document.Version, _time.GetTimestamp()));
                return result;
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency && attempt < MaxConflictRetries)
            {
            }
        }
    }

    private async ValueTask<Snapshot> LoadAsync(long tenantId, CancellationToken cancellationToken)
    {
        var document = await _store.GetAsync(tenantId, WebhookDocuments.EndpointsKind, WebhookDocuments.EndpointsKey, cancellationToken).ConfigureAwait(false);
        var snapshot = new Snapshot(WebhookDocuments.ReadEndpoints(document), document?.Version ?? 0, _time.GetTimestamp());
        return Remember(tenantId, snapshot);
    }

    // A slow read must not replace a newer version that a write cached meanwhile.
    private Snapshot Remember(long tenantId, Snapshot snapshot) =>
        _cache.AddOrUpdate(tenantId, snapshot, (_, existing) => existing.Version > snapshot.Version ? existing : snapshot);

    private sealed record Snapshot(IReadOnlyList<StoredEndpoint> Endpoints, long Version, long LoadedAt);
}
