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

    [Fact]
    public void ManySubscriptionsToOneConversation_EachGetTheirConversation_AndLeavingOneKeepsTheOthers()
    {
        var subscriptions = new EventSubscriptions();
        var byConversation = Enumerable.Range(1, 500).Select(c => subscriptions.Subscribe(new EventFilter { TenantId = 1, ConversationId = c })).ToList();
        using var second = subscriptions.Subscribe(new EventFilter { TenantId = 1, ConversationId = 7 });
        using var otherTenant = subscriptions.Subscribe(new EventFilter { TenantId = 2, ConversationId = 7 });

        subscriptions.Deliver(1, [Event(1, 7, 1), Event(1, 8, 2), Event(1, 7, 3)]);
        byConversation[6].Dispose();
        subscriptions.Deliver(1, [Event(1, 7, 4)]);

        Assert.Equal([1L, 3], Drain(byConversation[6]));
        Assert.Equal([1L, 3, 4], Drain(second));
        Assert.Equal([2L], Drain(byConversation[7]));
        Assert.Empty(Drain(otherTenant));
        Assert.All(byConversation.Where((_, i) => i is not (6 or 7)), s => Assert.Empty(Drain(s)));
        foreach (var s in byConversation)
        {
            s.Dispose();
        }

        subscriptions.Deliver(1, [Event(1, 7, 5)]);
        Assert.Equal([5L], Drain(second));
    }

    [Fact]
    public void Where_RunsInDeliveryOrder_OnlyForEventsThatPassedTenantAndConversation()
    {
        var subscriptions = new EventSubscriptions();
        var seen = new List<long>();
        using var odd = subscriptions.Subscribe(new EventFilter
        {
            TenantId = 1,
            Where = e =>
            {
                seen.Add(e.Sequence);
                return e.Sequence % 2 == 1;
            },
        });

        subscriptions.Deliver(1, [Event(1, 10, 1), Event(1, 11, 2), Event(1, 10, 3)]);
        subscriptions.Deliver(Event(2, 10, 4));
        subscriptions.Deliver(Event(1, 12, 5));

        Assert.Equal([1L, 3, 5], Drain(odd));
        Assert.Equal([1L, 2, 3, 5], seen);
    }
}
