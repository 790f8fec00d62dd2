using System.Threading.Channels;
using Kefu.Events;

namespace Kefu.Transport;

/// <summary>
/// The live subscriptions of one node, for transport implementations: <see cref="Subscribe"/> hands out
/// subscriptions, <see cref="Deliver(long, IReadOnlyList{KefuEvent})"/> writes events to every subscription whose filter
/// matches. Delivering never blocks (each subscription has an unbounded channel) and is safe from one thread at a time
/// per tenant, the order the events arrive in being the order each subscription reads them in. Subscriptions to one
/// conversation (a visitor's connection) are found by the conversation's id, so delivering costs the same with ten or
/// ten thousand of them.
/// </summary>
public sealed class EventSubscriptions
{
    private readonly Lock _gate = new();
    private Snapshot _current = Snapshot.Empty;

    /// <summary>Whether nobody is subscribed.</summary>
    public bool IsEmpty => Volatile.Read(ref _current).Count == 0;

    /// <summary>Subscribes to the events delivered from now on that pass <paramref name="filter"/>.</summary>
    public IEventSubscription Subscribe(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var subscription = new Subscription(this, filter);
        lock (_gate)
        {
            _current = _current.With(subscription);
        }

        return subscription;
    }

    /// <summary>Delivers one event to every matching subscription.</summary>
    public void Deliver(KefuEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var snapshot = Volatile.Read(ref _current);
        foreach (var subscription in snapshot.Wide)
        {
            if (subscription.Filter.Matches(e))
            {
                subscription.Writer.TryWrite(e);
            }
        }

        if (snapshot.ByConversation.TryGetValue(e.ConversationId, out var narrow))
        {
            foreach (var subscription in narrow)
            {
                if (subscription.Filter.Matches(e))
                {
                    subscription.Writer.TryWrite(e);
                }
            }
        }
    }

    /// <summary>Delivers a tenant's events, in order, to every matching subscription.</summary>
    public void Deliver(long tenantId, IReadOnlyList<KefuEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var snapshot = Volatile.Read(ref _current);
        if (snapshot.Count == 0)
        {
            return;
        }

        // Event by event (not subscription by subscription): each subscription still reads them in commit order.
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            foreach (var subscription in snapshot.Wide)
            {
                if ((subscription.Filter.TenantId is null || subscription.Filter.TenantId == tenantId) && subscription.Filter.Matches(e))
                {
                    subscription.Writer.TryWrite(e);
                }
            }

            if (snapshot.ByConversation.Count > 0 && snapshot.ByConversation.TryGetValue(e.ConversationId, out var narrow))
            {
                foreach (var subscription in narrow)
                {
                    if (subscription.Filter.Matches(e))
                    {
                        subscription.Writer.TryWrite(e);
                    }
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _current = _current.Without(subscription);
        }
    }

    /// <summary>
    /// An immutable view of the subscriptions, replaced on every change (subscriptions change far less often than
    /// events are delivered): those without a conversation, and the others by conversation id.
    /// </summary>
    private sealed class Snapshot(Subscription[] wide, Dictionary<long, Subscription[]> byConversation, int count)
    {
        public static readonly Snapshot Empty = new([], [], 0);

        public Subscription[] Wide { get; } = wide;
        public Dictionary<long, Subscription[]> ByConversation { get; } = byConversation;
        public int Count { get; } = count;

        public Snapshot With(Subscription s)
        {
            if (s.Filter.ConversationId is not { } conversationId)
            {
                return new([.. Wide, s], ByConversation, Count + 1);
            }

            var map = new Dictionary<long, Subscription[]>(ByConversation);
            map[conversationId] = map.TryGetValue(conversationId, out var those) ? [.. those, s] : [s];
            return new(Wide, map, Count + 1);
        }

        public Snapshot Without(Subscription s)
        {
            if (s.Filter.ConversationId is not { } conversationId)
            {
                return Array.IndexOf(Wide, s) < 0 ? this : new([.. Wide.Where(x => x != s)], ByConversation, Count - 1);
            }

            if (!ByConversation.TryGetValue(conversationId, out var those) || Array.IndexOf(those, s) < 0)
            {
                return this;
            }

            var map = new Dictionary<long, Subscription[]>(ByConversation);
            if (those.Length == 1)
            {
                map.Remove(conversationId);
            }
            else
            {
                map[conversationId] = [.. those.Where(x => x != s)];
            }

            return new(Wide, map, Count - 1);
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
