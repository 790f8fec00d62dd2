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

    [Fact]
    public void ManyConversations_EachFollowedOnePasses_AndTheOthersDoNot()
    {
        // Far more conversations than the routing's filter has bits, so many unfollowed ids share a followed one's bit
        // and must still be turned away by the exact check.
        var routing = new AgentRouting(Agent, viewAll: false);
        var followed = Enumerable.Range(0, 3_000).Select(i => 1_573_544_329_111_150_592L + (i * 4_194_304L)).ToArray();
        routing.Listed(followed.Take(1_500));
        foreach (var id in followed.Skip(1_500))
        {
            Assert.True(routing.Wants(Assigned(id, Agent)));
        }

        Assert.All(followed, id => Assert.True(routing.Wants(Message(id))));
        Assert.All(followed, id => Assert.False(routing.Wants(Message(id + 1))));
    }
}
