using Kefu.Events;
using Kefu.Host.RealTime;

namespace Kefu.Host.Tests;

/// <summary>An agent's connection is woken only for its own conversations and the tenant-wide news it shows.</summary>
public class AgentRoutingTests
{
    private const long Agent = 7;

    private static KefuEvent Message(long conversation) => new() { ConversationId = conversation, Message = new ServiceSessionMessageEvent() };

    private static KefuEvent Assigned(long conversation, long agent) => new() { ConversationId = conversation, SessionAssigned = new ServiceSessionAssignedEvent { AgentId = agent } };

    [Fact]
    public void BeforeItsConversationsAreListed_EveryEventPasses_SoNoneIsMissedWhileListing()
    {
        var routing = new AgentRouting(Agent, viewAll: false);

        Assert.True(routing.Wants(Message(1)));
        Assert.True(routing.Wants(Assigned(2, 99)));
    }

    [Fact]
    public void AfterListing_OnlyItsConversations_AndThoseAssignedToItLater_Pass_InDeliveryOrder()
    {
        var routing = new AgentRouting(Agent, viewAll: false);
        routing.Listed([1]);

        Assert.True(routing.Wants(Message(1)));
        Assert.False(routing.Wants(Message(2)));
        Assert.False(routing.Wants(Assigned(2, 99)));
        Assert.True(routing.Wants(Assigned(3, Agent)));
        Assert.True(routing.Wants(Message(3)));
        Assert.True(routing.Wants(new KefuEvent { ConversationId = 4, SessionQueued = new ServiceSessionQueuedEvent() }));
        Assert.False(routing.Wants(Message(4)));
    }

    [Fact]
    public void ViewAll_PassesEveryConversation()
    {
        var routing = new AgentRouting(Agent, viewAll: true);
        routing.Listed([]);

        Assert.True(routing.Wants(Message(5)));
    }
}
