using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Presence;

/// <summary>Agent presence (R6; IS 5.3): who receives automatic assignment and what going offline does.</summary>
public class PresenceTests
{
    [Fact]
    public async Task AutomaticAssignment_GoesOnlyToOnlineAgents()
    {
        await using var h = await RoutingHarness.StartAsync();
        var others = new List<Agent>();
        foreach (var status in new[] { AgentStatus.Busy, AgentStatus.Rest, AgentStatus.Away, AgentStatus.Invisible, AgentStatus.Offline })
        {
            var agent = await h.AddAgentAsync(status.ToString());
            await h.SetStatusAsync(agent.Id, status);
            others.Add(agent);
        }

        var online = await h.AddAgentAsync("Online", online: true);

        var conversations = new List<Conversation>();
        for (var i = 0; i < 3; i++)
        {
            conversations.Add(await h.OpenAsync());
        }

        Assert.All(conversations, c => Assert.Equal(online.Id, c.AgentId));
        Assert.All(conversations, c => Assert.Equal(1, c.Routing[^1].Eligible));
        foreach (var other in others)
        {
            Assert.Equal(0, (await h.PresenceAsync(other.Id)).ActiveConversations);
        }
    }

    [Fact]
    public async Task NoOnlineAgent_WhenOthersAreBusyOrResting_TheConversationQueues()
    {
        await using var h = await RoutingHarness.StartAsync();
        var busy = await h.AddAgentAsync("Busy");
        var resting = await h.AddAgentAsync("Rest");
        await h.SetStatusAsync(busy.Id, AgentStatus.Busy);
        await h.SetStatusAsync(resting.Id, AgentStatus.Rest);

        var c = await h.OpenAsync();

        Assert.Equal(ConversationState.Queued, c.State);
        Assert.Equal(RoutingOutcome.Queue, c.Routing[^1].Outcome);
        Assert.Equal(0, c.Routing[^1].Eligible);
    }

    [Theory]
    [InlineData(AgentStatus.Busy)]
    [InlineData(AgentStatus.Rest)]
    public async Task BusyOrRest_KeepsItsConversations_GetsNothingAutomatically_ButMayPickFromTheQueue(AgentStatus status)
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent", online: true);
        var served = await h.OpenAsync();

        await h.SetStatusAsync(agent.Id, status);
        var waiting = await h.OpenAsync();
        var stillServed = await h.GetAsync(served.Id);

        Assert.Equal(ConversationState.InService, stillServed.State);
        Assert.Equal(agent.Id, stillServed.AgentId);
        Assert.Equal(ConversationState.Queued, waiting.State);

        var picked = await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, waiting.Id);

        Assert.Equal(ConversationState.InService, picked.State);
        Assert.Equal(agent.Id, picked.AgentId);
        Assert.Equal(RoutingReason.ByAgent, picked.Routing[^1].Reason);
        Assert.True(h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, waiting.Id).Single().SessionAssigned.Picked);
        var presence = await h.PresenceAsync(agent.Id);
        Assert.Equal(status, presence.Status);
        Assert.Equal(2, presence.ActiveConversations);
    }

    [Fact]
    public async Task GoingOffline_WhenTheTenantCloses_EndsTheAgentsConversations()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent", online: true);
        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync();

        await h.SetStatusAsync(agent.Id, AgentStatus.Offline);

        foreach (var id in new[] { c1.Id, c2.Id })
        {
            var c = await h.GetAsync(id);
            Assert.Equal(ConversationState.Closed, c.State);
            Assert.Equal(CloseReason.AgentOffline, c.CloseReason);
        }

        Assert.Equal(0, (await h.PresenceAsync(agent.Id)).ActiveConversations);
    }

    [Fact]
    public async Task GoingOffline_WhenTheTenantRequeues_GivesTheConversationsToAnotherAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdateConversationSettingsAsync(s => s with { WhenAgentGoesOffline = OfflineConversationPolicy.Requeue });
        var leaving = await h.AddAgentAsync("Leaving", online: true);
        var c = await h.OpenAsync();
        var staying = await h.AddAgentAsync("Staying", online: true);

        await h.SetStatusAsync(leaving.Id, AgentStatus.Offline);
        var moved = await h.GetAsync(c.Id);

        Assert.Equal(leaving.Id, c.AgentId);
        Assert.Equal(ConversationState.InService, moved.State);
        Assert.Equal(staying.Id, moved.AgentId);
        Assert.Equal(RoutingReason.Requeue, moved.Routing[^1].Reason);
        Assert.Equal(0, (await h.PresenceAsync(leaving.Id)).ActiveConversations);
        Assert.Equal(1, (await h.PresenceAsync(staying.Id)).ActiveConversations);
    }

    [Fact]
    public async Task GoingOffline_WhenTheTenantRequeuesAndNobodyElseIsOnline_TheConversationQueuesForTheNextAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdateConversationSettingsAsync(s => s with { WhenAgentGoesOffline = OfflineConversationPolicy.Requeue });
        var leaving = await h.AddAgentAsync("Leaving", online: true);
        var c = await h.OpenAsync();

        await h.SetStatusAsync(leaving.Id, AgentStatus.Offline);
        var queued = await h.GetAsync(c.Id);
        var other = await h.AddAgentAsync("Other", online: true);
        var taken = await h.GetAsync(c.Id);

        Assert.Equal(ConversationState.Queued, queued.State);
        Assert.Equal(RoutingReason.Requeue, queued.Routing[^1].Reason);
        Assert.Equal(ConversationState.InService, taken.State);
        Assert.Equal(other.Id, taken.AgentId);
    }
}
