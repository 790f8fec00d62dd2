using Kefu.Events;

namespace Kefu.Transport;

/// <summary>The transport of a single node: events go straight to in-process subscriptions.</summary>
internal sealed class InProcessTransport : IKefuTransport
{
    private readonly EventSubscriptions _subscriptions = new();

    public ValueTask PublishAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken = default)
    {
        _subscriptions.Deliver(tenantId, events);
        return ValueTask.CompletedTask;
    }

    public IEventSubscription Subscribe(EventFilter filter) => _subscriptions.Subscribe(filter);
}
