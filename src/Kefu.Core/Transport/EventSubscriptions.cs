using System.Threading.Channels;
using Kefu.Events;

namespace Kefu.Transport;

/// <summary>
/// The live subscriptions of one node, for transport implementations: <see cref="Subscribe"/> hands out
/// subscriptions, <see cref="Deliver(long, IReadOnlyList{KefuEvent})"/> writes events to every subscription whose filter
/// matches. Delivering never blocks (each subscription has an unbounded channel) and is safe from one thread at a time
/// per tenant, the order the events arrive in being the order each subscription reads them in.
/// </summary>
public sealed class EventSubscriptions
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    /// <summary>Whether nobody is subscribed.</summary>
    public bool IsEmpty => Volatile.Read(ref _subscriptions).Length == 0;

    /// <summary>Subscribes to the events delivered from now on that pass <paramref name="filter"/>.</summary>
    public IEventSubscription Subscribe(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var subscription = new Subscription(this, filter);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    /// <summary>Delivers one event to every matching subscription.</summary>
    public void Deliver(KefuEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Filter.Matches(e))
            {
                subscription.Writer.TryWrite(e);
            }
        }
    }

    /// <summary>Delivers a tenant's events, in order, to every matching subscription.</summary>
    public void Deliver(long tenantId, IReadOnlyList<KefuEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Filter.TenantId is not null && subscription.Filter.TenantId != tenantId)
            {
                continue;
            }

            for (var i = 0; i < events.Count; i++)
            {
                if (subscription.Filter.Matches(events[i]))
                {
                    subscription.Writer.TryWrite(events[i]);
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    private sealed class Subscription(EventSubscriptions owner, EventFilter filter) : IEventSubscription
    {
        private readonly Channel<KefuEvent> _channel = Channel.CreateUnbounded<KefuEvent>(new UnboundedChannelOptions { SingleWriter = true });

        public EventFilter Filter { get; } = filter;
        public ChannelWriter<KefuEvent> Writer => _channel.Writer;
        public ChannelReader<KefuEvent> Events => _channel.Reader;

        public void Dispose()
        {
            owner.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
