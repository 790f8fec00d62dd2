using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Visitors;

/// <summary>An agent invites a browsing visitor (C19).</summary>
public class ProactiveConversationTests
{
    /// <summary>A visitor who has been here before and is not in a conversation now.</summary>
    private static async Task<long> BrowsingVisitorAsync(KefuTestHarness h)
    {
        var earlier = await h.OpenConversationAsync();
        await h.Kefu.Conversations.EndAsync(h.TenantId, earlier.Id, Participant.Visitor(earlier.VisitorId));
        await h.Kefu.Conversations.RecordPageVisitAsync(h.TenantId, earlier.VisitorId, "https://shop.example.test/pricing");
        return earlier.VisitorId;
    }

    [Fact]
    public async Task InviteVisitor_ByOnlineAgent_StartsAConversationInServiceWithThatAgent()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var visitorId = await BrowsingVisitorAsync(h);
        await h.AddAgentAsync("First", online: true);
        var agent = await h.AddAgentAsync("Inviter", online: true);
        h.Events.Clear();

        var conversation = await h.Kefu.Conversations.InviteVisitorAsync(t, agent.Id, visitorId);

        Assert.Equal(ConversationState.InService, conversation.State);
        Assert.Equal(agent.Id, conversation.AgentId);
        Assert.Equal(agent.Id, conversation.InvitingAgentId);
        Assert.Equal(visitorId, conversation.VisitorId);
        Assert.Equal(h.Clock.GetUtcNow(), conversation.AssignedAt);
        Assert.Equal(conversation, await h.Kefu.Conversations.GetAsync(t, conversation.Id));
        Assert.Equal(1, (await h.Kefu.Conversations.ListPresenceAsync(t)).Single(p => p.AgentId == agent.Id).ActiveConversations);
        var lifecycle = h.Events.Events.Where(e => e.ConversationId == conversation.Id && e.PayloadCase != PayloadOneofCase.Message).ToList();
        Assert.Equal([PayloadOneofCase.SessionCreated, PayloadOneofCase.SessionAssigned], lifecycle.Select(e => e.PayloadCase));
        Assert.Equal((visitorId, agent.Id), (lifecycle[0].SessionCreated.VisitorId, lifecycle[0].SessionCreated.InvitingAgentId));
        Assert.Equal(agent.Id, lifecycle[1].SessionAssigned.AgentId);

        var sent = await h.SendTextAsync(conversation.Id, Participant.Agent(agent.Id), "您好，需要帮您介绍一下价格吗？");
        Assert.False(sent.Blocked);
    }

    [Fact]
    public async Task InviteVisitor_ByOfflineAgent_ThrowsStateAndStartsNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var visitorId = await BrowsingVisitorAsync(h);
        var agent = await h.AddAgentAsync();
        h.Events.Clear();

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.InviteVisitorAsync(h.TenantId, agent.Id, visitorId));

        Assert.Empty(await h.Kefu.Conversations.ListOpenAsync(h.TenantId));
        Assert.Empty(h.Events.Events);
    }

    [Fact]
    public async Task InviteVisitor_AlreadyInAConversation_ThrowsStateAndKeepsTheExistingOne()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var waiting = await h.OpenConversationAsync();
        var agent = await h.AddAgentAsync(maxConcurrentChats: 0, online: true);

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.InviteVisitorAsync(t, agent.Id, waiting.VisitorId));

        var open = Assert.Single(await h.Kefu.Conversations.ListOpenAsync(t));
        Assert.Equal(waiting.Id, open.Id);
        Assert.Null(open.InvitingAgentId);
    }

    [Fact]
    public async Task InviteVisitor_UnknownVisitor_ThrowsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.InviteVisitorAsync(h.TenantId, agent.Id, 55555));
    }

    [Fact]
    public async Task InviteVisitor_ThenVisitorOpens_GetsTheInvitedConversation()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var visitorId = await BrowsingVisitorAsync(h);
        var agent = await h.AddAgentAsync(online: true);
        var invited = await h.Kefu.Conversations.InviteVisitorAsync(t, agent.Id, visitorId);

        var opened = await h.Kefu.Conversations.OpenAsync(t, h.Data.Conversation(visitorId: visitorId));

        Assert.Equal(invited.Id, opened.Id);
        Assert.Equal(agent.Id, opened.AgentId);
    }
}
