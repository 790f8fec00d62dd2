using System.Threading.Channels;
using Kefu.Events;

namespace Kefu.Transport;

/// <summary>The transport of a single node: events go straight to in-process subscriptions.</summary>
internal sealed class InProcessTransport : IKefuTransport
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    public ValueTask PublishAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken = default)
    {
        var subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var subscription in subscriptions)
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

        return ValueTask.CompletedTask;
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

    private sealed class Subscription(InProcessTransport owner, EventFilter filter) : IEventSubscription
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
