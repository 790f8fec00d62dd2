using System.Threading.Channels;
using Kefu.Events;
using Kefu.Transport;

namespace Kefu.Adapters.RabbitMq;

/// <summary>This node's subscriptions: events received from the broker go to every one whose filter matches.</summary>
internal sealed class LocalSubscriptions
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    public bool IsEmpty => Volatile.Read(ref _subscriptions).Length == 0;

    public void Deliver(KefuEvent e)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Filter.Matches(e))
            {
                subscription.Writer.TryWrite(e);
            }
        }
    }

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

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    private sealed class Subscription(LocalSubscriptions owner, EventFilter filter) : IEventSubscription
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
