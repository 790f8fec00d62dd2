using Kefu.Events;
using Kefu.Transport;

namespace Kefu.Core.Tests.Transport;

/// <summary>A node's subscriptions get exactly the events their filters pass, in the order delivered, until disposed.</summary>
public class EventSubscriptionsTests
{
    private static KefuEvent Event(long tenant, long conversation, long sequence) => new() { TenantId = tenant, ConversationId = conversation, Sequence = sequence };

    private static List<long> Drain(IEventSubscription subscription)
    {
        var sequences = new List<long>();
        while (subscription.Events.TryRead(out var e))
        {
            sequences.Add(e.Sequence);
        }

        return sequences;
    }

    [Fact]
    public void Deliver_ReachesTheSubscriptionsWhoseFiltersPass_InOrder()
    {
        var subscriptions = new EventSubscriptions();
        using var all = subscriptions.Subscribe(new EventFilter());
        using var tenant = subscriptions.Subscribe(new EventFilter { TenantId = 1 });
        using var conversation = subscriptions.Subscribe(new EventFilter { TenantId = 1, ConversationId = 10 });

        subscriptions.Deliver(1, [Event(1, 10, 1), Event(1, 11, 2)]);
        subscriptions.Deliver(Event(2, 10, 3));
        subscriptions.Deliver(1, [Event(1, 10, 4)]);

        Assert.Equal([1L, 2, 3, 4], Drain(all));
        Assert.Equal([1L, 2, 4], Drain(tenant));
        Assert.Equal([1L, 4], Drain(conversation));
    }

    [Fact]
    public void Dispose_CompletesTheSubscription_AndLaterEventsSkipIt()
    {
        var subscriptions = new EventSubscriptions();
        var subscription = subscriptions.Subscribe(new EventFilter());
        Assert.False(subscriptions.IsEmpty);

        subscription.Dispose();
        subscriptions.Deliver(Event(1, 1, 1));

        Assert.True(subscriptions.IsEmpty);
        Assert.True(subscription.Events.Completion.IsCompleted);
        Assert.Empty(Drain(subscription));
    }
}
