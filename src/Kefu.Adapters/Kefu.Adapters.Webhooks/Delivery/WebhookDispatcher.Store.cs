using Kefu.Adapters.Webhooks.Endpoints;

namespace Kefu.Adapters.Webhooks.Delivery;

// The queue documents: writes and deletes that tolerate versions moved by an earlier attempt or another node.
internal sealed partial class WebhookDispatcher
{
    /// <summary>Writes a delivery document, retrying store failures until it is written or the process stops; returns the new version.</summary>
    private async ValueTask<long> WriteAsync(long tenantId, string kind, StoredDelivery delivery, CancellationToken cancellationToken) =>
        await _storeRetry.ExecuteAsync(
            static (state, token) => state.Self.WriteOnceAsync(state.TenantId, state.Kind, state.Delivery, token),
            (Self: this, TenantId: tenantId, Kind: kind, Delivery: delivery),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes a delivery document whatever version it has (creating it when missing); returns the new version. A store
    /// failure throws: the event sink lets the outbox hand the batch again.
    /// </summary>
    private async ValueTask<long> WriteOnceAsync(long tenantId, string kind, StoredDelivery delivery, CancellationToken cancellationToken)
    {
        var key = WebhookDocuments.Key(delivery.Sequence);
        var content = WebhookDocuments.Serialize(delivery);
        long expected = 0; // new documents are the common case: no read first
        while (true)
        {
            try
            {
                var written = await _store.PutAsync(tenantId, kind, key, content, expected, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return written.Version;
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency)
            {
                expected = (await _store.GetAsync(tenantId, kind, key, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
            }
        }
    }

    /// <summary>Deletes a delivery document, whatever version it reached; a missing one is fine.</summary>
    private async ValueTask DeleteAsync(long tenantId, string kind, string key, long version, CancellationToken cancellationToken)
    {
        await _storeRetry.ExecuteAsync(
            async token =>
            {
                var expected = version;
                while (true)
                {
                    try
                    {
                        await _store.DeleteAsync(tenantId, kind, key, expected, token).ConfigureAwait(false);
                        return;
                    }
                    catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency)
                    {
                        var current = await _store.GetAsync(tenantId, kind, key, token).ConfigureAwait(false);
                        if (current is null)
                        {
                            return;
                        }

                        expected = current.Version;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}
