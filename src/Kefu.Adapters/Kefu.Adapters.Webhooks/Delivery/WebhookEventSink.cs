using Kefu.Adapters.Webhooks.Endpoints;
using Kefu.Events;
using Kefu.Transport;

namespace Kefu.Adapters.Webhooks.Delivery;

/// <summary>
/// Takes committed events from the outbox and queues one delivery per subscribed, enabled endpoint. It returns only once
/// every delivery of the batch is a document in the store, so the outbox lets go of an event only when the webhooks have
/// it durably; a store failure throws and the outbox hands the batch again (already queued events are skipped). The
/// posting itself happens in the background, so a slow or failing receiver never holds up the outbox or other sinks.
/// </summary>
internal sealed class WebhookEventSink(EndpointRegistry endpoints, WebhookDispatcher dispatcher) : IEventSink
{
    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var subscribers = await endpoints.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (subscribers.Count == 0)
        {
            return;
        }

        foreach (var kefuEvent in events)
        {
            var eventType = WebhookEventTypes.Of(kefuEvent);
            if (eventType is null)
            {
                continue;
            }

            foreach (var endpoint in subscribers)
            {
                if (endpoint.Subscribes(eventType))
                {
                    await dispatcher.EnqueueAsync(tenantId, endpoint.Id, kefuEvent, eventType, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
