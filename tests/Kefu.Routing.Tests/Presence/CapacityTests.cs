using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Presence;

/// <summary>Capacity (R7): chats up to the agent's maximum, voice and video one at a time.</summary>
public class CapacityTests
{
    [Fact]
    public async Task Chats_WhenTheAgentIsAtMaxConcurrentChats_TheNextOneQueues()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent", maxConcurrentChats: 2, online: true);

        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync();
        var c3 = await h.OpenAsync();

        Assert.Equal(agent.Id, c1.AgentId);
        Assert.Equal(agent.Id, c2.AgentId);
        Assert.Equal(ConversationState.Queued, c3.State);
        Assert.Null(c3.AgentId);
        Assert.Equal(2, (await h.PresenceAsync(agent.Id)).ActiveConversations);
    }

    [Fact]
    public async Task Chats_ManyVisitorsAndAgentsOfMixedCapacity_NoAgentEverExceedsTheirMaximum()
    {
        await using var h = await RoutingHarness.StartAsync();
        var capacities = new[] { 1, 2, 3, 5 };
        var agents = new List<Agent>();
        foreach (var capacity in capacities)
        {
            agents.Add(await h.AddAgentAsync($"Cap {capacity}", maxConcurrentChats: capacity, online: true));
        }

        var opened = new List<Conversation>();
        for (var i = 0; i < 15; i++)
        {
            opened.Add(await h.OpenAsync());
            foreach (var agent in agents)
            {
                var presence = await h.PresenceAsync(agent.Id);
                Assert.InRange(presence.ActiveConversations, 0, agent.MaxConcurrentChats);
            }
        }

        Assert.Equal(11, opened.Count(c => c.State == ConversationState.InService));
        Assert.Equal(4, opened.Count(c => c.State == ConversationState.Queued));
        foreach (var agent in agents)
        {
            Assert.Equal(agent.MaxConcurrentChats, opened.Count(c => c.AgentId == agent.Id));
        }
    }

    [Theory]
    [InlineData(ChannelKind.Phone, MediaKind.Voice)]
    [InlineData(ChannelKind.Video, MediaKind.Video)]
    public async Task Calls_TakeOneAtATime_TheSecondWaitsUntilTheFirstEnds(ChannelKind channel, MediaKind media)
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Caller", media);

        var first = await h.OpenAsync(channel);
        var second = await h.OpenAsync(channel);

        Assert.Equal(ConversationState.Offered, first.State);
        Assert.Equal(agent.Id, first.AgentId);
        Assert.Equal(ConversationState.Queued, second.State);
        Assert.Equal(media, (await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, second.Id))?.Media);

        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, first.Id, agent.Id, accept: true);
        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Agent(agent.Id));
        var next = await h.GetAsync(second.Id);

        Assert.Equal(ConversationState.Offered, next.State);
        Assert.Equal(agent.Id, next.AgentId);
    }

    [Fact]
    public async Task Calls_DoNotCountAgainstChats_AndChatPresenceDoesNotReceiveCalls()
    {
        await using var h = await RoutingHarness.StartAsync();
        var chatOnly = await h.AddAgentAsync("Chat only", maxConcurrentChats: 1, online: true);
        var voice = await h.AddCallAgentAsync("Voice", MediaKind.Voice);

        var call = await h.OpenAsync(ChannelKind.Phone);
        var chat = await h.OpenAsync(ChannelKind.Web);

        Assert.Equal(voice.Id, call.AgentId);
        Assert.Equal(chatOnly.Id, chat.AgentId);
        var presence = await h.PresenceAsync(voice.Id);
        Assert.Equal(1, presence.ActiveCalls);
        Assert.Equal(AgentStatus.Offline, presence.Status);
    }
}
