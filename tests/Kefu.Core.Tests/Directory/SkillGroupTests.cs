using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Directory;

/// <summary>Skill groups and routing to their members (C5).</summary>
public class SkillGroupTests
{
    [Fact]
    public async Task ChangeSkillGroupMembers_AddThenRemove_UpdatesMembers()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.AddAgentAsync();
        var b = await h.AddAgentAsync();
        var c = await h.AddAgentAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "售后");
        Assert.Empty(group.MemberIds);

        var added = await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [a.Id, b.Id, c.Id], []);
        var removed = await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [], [b.Id]);

        Assert.Equal(new[] { a.Id, b.Id, c.Id }.Order(), added.MemberIds.Order());
        Assert.Equal(new[] { a.Id, c.Id }.Order(), removed.MemberIds.Order());
        Assert.Equal(removed.MemberIds.Order(), (await h.Kefu.Directory.ListSkillGroupsAsync(t)).Single().MemberIds.Order());
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_AddingAnExistingMember_KeepsItOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var a = await h.AddAgentAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "售后");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [a.Id], []);

        var again = await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [a.Id, a.Id], []);

        Assert.Equal([a.Id], again.MemberIds);
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_UnknownAgent_ThrowsNotFoundAndChangesNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var a = await h.AddAgentAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "售后");

        await Assert.ThrowsAsync<KefuNotFoundException>(async () =>
            await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [a.Id, 987654321], []));

        Assert.Empty((await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId)).Single().MemberIds);
    }

    [Fact]
    public async Task Agent_InSeveralGroups_GetsConversationsOfEachGroup()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var sales = await h.Kefu.Directory.AddSkillGroupAsync(t, "售前");
        var support = await h.Kefu.Directory.AddSkillGroupAsync(t, "售后");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, sales.Id, [agent.Id], []);
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, support.Id, [agent.Id], []);

        var forSales = await h.OpenConversationAsync(sales.Id);
        var forSupport = await h.OpenConversationAsync(support.Id);

        Assert.Equal((ConversationState.InService, agent.Id, sales.Id), (forSales.State, forSales.AgentId ?? 0, forSales.GroupId ?? 0));
        Assert.Equal((ConversationState.InService, agent.Id, support.Id), (forSupport.State, forSupport.AgentId ?? 0, forSupport.GroupId ?? 0));
        Assert.All(await h.Kefu.Directory.ListSkillGroupsAsync(t), g => Assert.Equal([agent.Id], g.MemberIds));
    }

    [Fact]
    public async Task Open_WithGroup_GoesOnlyToMembersAndQueuesUntilAMemberComesOnline()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var outsider = await h.AddAgentAsync("Outsider", online: true);
        var member = await h.AddAgentAsync("Member");
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "VIP");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [member.Id], []);

        var conversation = await h.OpenConversationAsync(group.Id);

        Assert.Equal(ConversationState.Queued, conversation.State);
        Assert.Equal(group.Id, conversation.GroupId);
        Assert.Null(conversation.AgentId);
        Assert.Equal(0, (await h.Kefu.Conversations.ListPresenceAsync(t)).Single(p => p.AgentId == outsider.Id).ActiveConversations);
        var queued = Assert.Single(await h.Kefu.Conversations.GetQueueAsync(t, group.Id));
        Assert.Equal(conversation.Id, queued.ConversationId);

        // The outsider freeing capacity does not pull the group's conversation either.
        var general = await h.OpenConversationAsync();
        Assert.Equal(outsider.Id, general.AgentId);
        await h.Kefu.Conversations.EndAsync(t, general.Id, Participant.Agent(outsider.Id));
        Assert.Equal(ConversationState.Queued, (await h.Kefu.Conversations.GetAsync(t, conversation.Id)).State);

        await h.Kefu.Conversations.SetStatusAsync(t, member.Id, AgentStatus.Online);

        var served = await h.Kefu.Conversations.GetAsync(t, conversation.Id);
        Assert.Equal(ConversationState.InService, served.State);
        Assert.Equal(member.Id, served.AgentId);
    }

    [Fact]
    public async Task Open_WithoutGroup_CanGoToAGroupMember()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var member = await h.AddAgentAsync(online: true);
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [member.Id], []);

        var conversation = await h.OpenConversationAsync();

        Assert.Equal(member.Id, conversation.AgentId);
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_AddingOnlineAgentWithCapacity_AssignsTheGroupsWaitingConversationAtOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "VIP");
        var waiting = await h.OpenConversationAsync(group.Id);
        Assert.Equal(ConversationState.Queued, waiting.State);

        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [agent.Id], []);

        var served = await h.Kefu.Conversations.GetAsync(t, waiting.Id);
        Assert.Equal(ConversationState.InService, served.State);
        Assert.Equal(agent.Id, served.AgentId);
        Assert.Equal(group.Id, served.GroupId);
        Assert.Empty(await h.Kefu.Conversations.GetQueueAsync(t));
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_AddingOfflineAgent_LeavesTheConversationWaiting()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        var waiting = await h.OpenConversationAsync(group.Id);

        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [agent.Id], []);

        Assert.Equal(ConversationState.Queued, (await h.Kefu.Conversations.GetAsync(h.TenantId, waiting.Id)).State);
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_RemovedMember_NoLongerGetsTheGroupsConversations()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "VIP");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [agent.Id], []);

        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [], [agent.Id]);
        var conversation = await h.OpenConversationAsync(group.Id);

        Assert.Equal(ConversationState.Queued, conversation.State);
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.PickFromQueueAsync(t, agent.Id, conversation.Id));
    }

    [Fact]
    public async Task DeleteSkillGroup_WithWaitingConversation_ItCanBeServedByAnyone()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "VIP");
        var waiting = await h.OpenConversationAsync(group.Id);

        await h.Kefu.Directory.DeleteSkillGroupAsync(t, group.Id);
        var agent = await h.AddAgentAsync(online: true);

        Assert.Empty(await h.Kefu.Directory.ListSkillGroupsAsync(t));
        var served = await h.Kefu.Conversations.GetAsync(t, waiting.Id);
        Assert.Equal(agent.Id, served.AgentId);
        Assert.Null(served.GroupId);
    }

    [Fact]
    public async Task DeleteSkillGroup_WithWaitingConversationAndAFreeOnlineAgent_AssignsItAtOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var outsider = await h.AddAgentAsync(online: true);
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "VIP");
        var waiting = await h.OpenConversationAsync(group.Id);
        Assert.Equal(ConversationState.Queued, waiting.State);

        await h.Kefu.Directory.DeleteSkillGroupAsync(t, group.Id);

        var after = await h.Kefu.Conversations.GetAsync(t, waiting.Id);
        Assert.Null(after.GroupId);
        Assert.Equal(ConversationState.InService, after.State);
        Assert.Equal(outsider.Id, after.AgentId);
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_SameAgentInAddAndRemove_IsRefusedAndMembershipUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var group = await h.Kefu.Directory.AddSkillGroupAsync(t, "VIP");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [agent.Id], []);
        var events = h.Events.Events.Count;

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [agent.Id], [agent.Id]));
        Assert.Equal("Remove", ex.Field);
        Assert.Equal(events, h.Events.Events.Count);
        Assert.Equal([agent.Id], (await h.Kefu.Directory.ListSkillGroupsAsync(t)).Single().MemberIds);
        var conversation = await h.OpenConversationAsync(group.Id);
        Assert.Equal(agent.Id, conversation.AgentId); // routing and the stored members agree
    }
}
