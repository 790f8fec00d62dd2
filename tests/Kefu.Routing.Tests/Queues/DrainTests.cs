using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Queues;

/// <summary>
/// The drain (R9): whenever an agent may take one more conversation, the oldest waiting conversation they may take is
/// assigned within the same call. Each test reads the state right after the awaited call, without advancing time.
/// </summary>
public class DrainTests
{
    private static void AssertDrainedTo(Conversation c, long agentId)
    {
        Assert.Equal(ConversationState.InService, c.State);
        Assert.Equal(agentId, c.AgentId);
        Assert.Equal(RoutingReason.CapacityFreed, c.Routing[^1].Reason);
        Assert.Equal("capacity freed", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task ConversationEnding_AssignsTheOldestWaitingConversationToItsAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent", maxConcurrentChats: 1, online: true);
        var served = await h.OpenAsync();
        var oldest = await h.OpenAsync();
        var younger = await h.OpenAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5));

        await h.Kefu.Conversations.EndAsync(h.TenantId, served.Id, Participant.Agent(agent.Id));

        AssertDrainedTo(await h.GetAsync(oldest.Id), agent.Id);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(younger.Id)).State);
        var assigned = h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, oldest.Id).Single().SessionAssigned;
        Assert.Equal(5000, assigned.QueueWaitMs);
        Assert.False(assigned.Picked);
    }

    [Fact]
    public async Task AgentComingOnline_TakesTheWaitingConversationsUpToCapacity()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent", maxConcurrentChats: 2);
        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync();
        var c3 = await h.OpenAsync();

        await h.SetStatusAsync(agent.Id, AgentStatus.Online);

        AssertDrainedTo(await h.GetAsync(c1.Id), agent.Id);
        AssertDrainedTo(await h.GetAsync(c2.Id), agent.Id);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(c3.Id)).State);
    }

    [Fact]
    public async Task CapacityRaised_TheAgentTakesTheNextWaitingConversation()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent", maxConcurrentChats: 1, online: true);
        await h.OpenAsync();
        var waiting = await h.OpenAsync();

        await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = 2 });

        AssertDrainedTo(await h.GetAsync(waiting.Id), agent.Id);
    }

    [Fact]
    public async Task TransferToGroupCompleting_FreesTheAgent_WhoTakesTheNextWaitingConversation()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", maxConcurrentChats: 1, online: true);
        var b = await h.AddAgentAsync("B", online: true);
        var ga = await h.AddGroupAsync("GA", a);
        var gb = await h.AddGroupAsync("GB", b);
        var served = await h.OpenAsync(groupId: ga.Id);
        var waiting = await h.OpenAsync(groupId: ga.Id);

        var transferred = await h.Kefu.Conversations.TransferToGroupAsync(h.TenantId, served.Id, a.Id, gb.Id);

        Assert.Equal(ConversationState.Queued, waiting.State);
        Assert.Equal(b.Id, transferred.AgentId);
        Assert.Equal(gb.Id, transferred.GroupId);
        Assert.Equal(RoutingReason.Transfer, transferred.Routing[^1].Reason);
        AssertDrainedTo(await h.GetAsync(waiting.Id), a.Id);
    }

    [Fact]
    public async Task TransferToAgentAccepted_FreesTheAgent_WhoTakesTheNextWaitingConversation()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", maxConcurrentChats: 1, online: true);
        var b = await h.AddAgentAsync("B", online: true);
        var ga = await h.AddGroupAsync("GA", a);
        await h.AddGroupAsync("GB", b);
        var served = await h.OpenAsync(groupId: ga.Id);
        var waiting = await h.OpenAsync(groupId: ga.Id);

        await h.Kefu.Conversations.RequestTransferAsync(h.TenantId, served.Id, a.Id, b.Id);
        var transferred = await h.Kefu.Conversations.AnswerTransferAsync(h.TenantId, served.Id, b.Id, accept: true);

        Assert.Equal(b.Id, transferred.AgentId);
        AssertDrainedTo(await h.GetAsync(waiting.Id), a.Id);
    }

    [Fact]
    public async Task Drain_TakesTheOldestAcrossTheAgentsGroupQueuesAndTheTenantQueue()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.SaveRoutingAsync(new RoutingConfiguration { DefaultPool = DefaultPool.AnyAgent }); // the tenant queue: anyone may take it
        var agent = await h.AddAgentAsync("Agent", maxConcurrentChats: 1);
        var g1 = await h.AddGroupAsync("G1", agent);
        var g2 = await h.AddGroupAsync("G2", agent);
        var foreign = await h.AddGroupAsync("Foreign");

        var ofForeign = await h.OpenAsync(groupId: foreign.Id);
        var ofG2 = await h.OpenAsync(groupId: g2.Id);
        var ofAnyone = await h.OpenAsync();
        var ofG1 = await h.OpenAsync(groupId: g1.Id);

        var served = new List<long>();
        await h.SetStatusAsync(agent.Id, AgentStatus.Online);
        for (var i = 0; i < 3; i++)
        {
            var current = Assert.Single(await h.Kefu.Conversations.ListOpenAsync(h.TenantId, agent.Id));
            served.Add(current.Id);
            await h.Kefu.Conversations.EndAsync(h.TenantId, current.Id, Participant.Agent(agent.Id));
        }

        Assert.Equal([ofG2.Id, ofAnyone.Id, ofG1.Id], served);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(ofForeign.Id)).State);
    }

    [Fact]
    public async Task Drain_WhenTheGroupRequiresAcceptance_OffersTheWaitingChatInsteadOfAssigningIt()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent");
        var group = await h.AddGroupAsync("Ringing chats", agent);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            DefaultTarget = RoutingTarget.Group(group.Id),
            Groups = [new GroupRouting(group.Id, RequireAcceptance: true)],
        });
        var waiting = await h.OpenAsync();

        await h.SetStatusAsync(agent.Id, AgentStatus.Online);
        var c = await h.GetAsync(waiting.Id);

        Assert.Equal(ConversationState.Queued, waiting.State);
        Assert.Equal(agent.Id, c.AgentId);
        Assert.Equal(ConversationState.Offered, c.State);   // the group's chats ring until the agent accepts
        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, c.Id));
        Assert.Single(h.EventsOf(KefuEvent.PayloadOneofCase.SessionOffered, c.Id));
    }
}
