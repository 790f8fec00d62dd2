using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>Agents: profile, enabling, deleting, and the agent events of C20 (C4).</summary>
public class AgentTests
{
    [Fact]
    public async Task AddAgent_StoresProfileAndEmitsAgentCreatedWithItsFields()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var department = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "客服部");
        var request = h.Data.Agent("Jane", maxConcurrentChats: 7) with { Nickname = "小简", AvatarUrl = "https://cdn.example.test/jane.png", DepartmentId = department.Id };
        h.Events.Clear();

        var agent = await h.Kefu.Directory.AddAgentAsync(h.TenantId, request);

        Assert.Equal(agent, await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id));
        Assert.Equal("Jane", agent.Name);
        Assert.Equal("小简", agent.DisplayName);
        Assert.Equal(7, agent.MaxConcurrentChats);
        Assert.Equal(department.Id, agent.DepartmentId);
        Assert.True(agent.Enabled);
        Assert.Equal(h.Clock.GetUtcNow(), agent.CreatedAt);
        Assert.DoesNotContain(TestData.Password, agent.PasswordHash, StringComparison.Ordinal);
        var created = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.AgentCreated).AgentCreated;
        Assert.Equal(agent.Id, created.AgentId);
        Assert.Equal(request.Account, created.Account);
        Assert.Equal("Jane", created.Name);
        Assert.Equal(request.EmployeeNumber, created.EmployeeNumber);
        var presence = Assert.Single(await h.Kefu.Conversations.ListPresenceAsync(h.TenantId));
        Assert.Equal(AgentStatus.Offline, presence.Status);
    }

    [Fact]
    public async Task ListAgents_ReturnsAgentsInCreationOrder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var a = await h.AddAgentAsync("A");
        var b = await h.AddAgentAsync("B");
        var c = await h.AddAgentAsync("C");

        Assert.Equal([a.Id, b.Id, c.Id], (await h.Kefu.Directory.ListAgentsAsync(h.TenantId)).Select(x => x.Id));
    }

    [Fact]
    public async Task UpdateAgent_NicknameAndCapacity_ChangesProfileAndEmitsAgentChanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync("Jane", maxConcurrentChats: 3);
        h.Events.Clear();

        var updated = await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { Nickname = "简", MaxConcurrentChats = 12 });

        Assert.Equal("简", updated.Nickname);
        Assert.Equal("简", updated.DisplayName);
        Assert.Equal(12, updated.MaxConcurrentChats);
        Assert.Equal(agent.Account, updated.Account);
        Assert.Equal(agent.PasswordHash, updated.PasswordHash);
        Assert.Equal(updated, await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id));
        Assert.Equal(12, Assert.Single(await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).MaxConcurrentChats);
        var changed = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.AgentChanged).AgentChanged;
        Assert.Equal(agent.Id, changed.AgentId);
        Assert.Equal("Jane", changed.Name);
        Assert.Equal("简", changed.Nickname);
        Assert.Equal(12, changed.MaxConcurrentChats);
        Assert.True(changed.Enabled);
    }

    [Fact]
    public async Task UpdateAgent_RaisingCapacity_TakesTheWaitingConversationAtOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(maxConcurrentChats: 1, online: true);
        var first = await h.OpenConversationAsync();
        var second = await h.OpenConversationAsync();
        Assert.Equal(agent.Id, first.AgentId);
        Assert.Equal(ConversationState.Queued, second.State);

        await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = 2 });

        var now = await h.Kefu.Conversations.GetAsync(h.TenantId, second.Id);
        Assert.Equal(ConversationState.InService, now.State);
        Assert.Equal(agent.Id, now.AgentId);
        Assert.Empty(await h.Kefu.Conversations.GetQueueAsync(h.TenantId));
    }

    [Fact]
    public async Task UpdateAgent_LoweringCapacity_KeepsCurrentConversationsAndTakesNoMore()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(maxConcurrentChats: 2, online: true);
        var first = await h.OpenConversationAsync();
        var second = await h.OpenConversationAsync();

        await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = 1 });
        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Visitor(first.VisitorId));
        var third = await h.OpenConversationAsync();

        Assert.Equal(ConversationState.InService, (await h.Kefu.Conversations.GetAsync(h.TenantId, second.Id)).State);
        Assert.Equal(ConversationState.Queued, third.State);
    }

    [Fact]
    public async Task SetAgentEnabled_FalseOnOnlineAgent_ForcesOfflineAndClosesItsConversations()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        Assert.Equal(agent.Id, conversation.AgentId);
        h.Events.Clear();

        var disabled = await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: false);

        Assert.False(disabled.Enabled);
        var presence = Assert.Single(await h.Kefu.Conversations.ListPresenceAsync(h.TenantId));
        Assert.Equal(AgentStatus.Offline, presence.Status);
        Assert.Equal(0, presence.ActiveConversations);
        var closed = await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id);
        Assert.Equal(ConversationState.Closed, closed.State);
        Assert.Equal(CloseReason.AgentOffline, closed.CloseReason);
        Assert.Empty(await h.Kefu.Conversations.ListOpenAsync(h.TenantId));
        var events = h.Events.Events;
        var state = Assert.Single(events, e => e.PayloadCase == PayloadOneofCase.AgentStateChanged).AgentStateChanged;
        Assert.Equal(agent.Id, state.AgentId);
        Assert.Equal(AgentStatus.Online, state.Previous);
        Assert.Equal(AgentStatus.Offline, state.Current);
        Assert.Equal(agent.Id, Assert.Single(events, e => e.PayloadCase == PayloadOneofCase.AgentLogout).AgentLogout.AgentId);
        var changed = Assert.Single(events, e => e.PayloadCase == PayloadOneofCase.AgentChanged).AgentChanged;
        Assert.False(changed.Enabled);
        var sessionClosed = Assert.Single(events, e => e.PayloadCase == PayloadOneofCase.SessionClosed);
        Assert.Equal(conversation.Id, sessionClosed.ConversationId);
        Assert.Equal(CloseReason.AgentOffline, sessionClosed.SessionClosed.Reason);
    }

    [Fact]
    public async Task SetAgentEnabled_FalseOnOfflineAgent_EmitsNoStateChangeOrLogout()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();
        h.Events.Clear();

        await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: false);

        Assert.Equal([PayloadOneofCase.AgentChanged], h.Events.Kinds);
    }

    [Fact]
    public async Task SetStatus_DisabledAgentGoingOnline_ThrowsAuthenticationAndStaysOffline()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();
        await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: false);
        var waiting = await h.OpenConversationAsync();

        var error = await Assert.ThrowsAsync<KefuException>(async () => await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Online));

        Assert.Equal(KefuErrorKind.Authentication, error.Kind);
        Assert.Equal(AgentStatus.Offline, Assert.Single(await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).Status);
        Assert.Equal(ConversationState.Queued, (await h.Kefu.Conversations.GetAsync(h.TenantId, waiting.Id)).State);
    }

    [Fact]
    public async Task SetStatus_ReEnabledAgentGoingOnline_TakesWaitingConversation()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();
        await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: false);
        var waiting = await h.OpenConversationAsync();

        await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: true);
        var presence = await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Online);

        Assert.Equal(AgentStatus.Online, presence.Status);
        Assert.Equal(agent.Id, (await h.Kefu.Conversations.GetAsync(h.TenantId, waiting.Id)).AgentId);
    }

    [Fact]
    public async Task DeleteAgent_InSkillGroups_RemovesItFromGroupsAndEmitsAgentDeleted()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var colleague = await h.AddAgentAsync();
        var sales = await h.Kefu.Directory.AddSkillGroupAsync(t, "售前");
        var support = await h.Kefu.Directory.AddSkillGroupAsync(t, "售后");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, sales.Id, [agent.Id, colleague.Id], []);
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(t, support.Id, [agent.Id], []);
        h.Events.Clear();

        await h.Kefu.Directory.DeleteAgentAsync(t, agent.Id);

        var groups = await h.Kefu.Directory.ListSkillGroupsAsync(t);
        Assert.Equal([colleague.Id], groups.Single(g => g.Id == sales.Id).MemberIds);
        Assert.Empty(groups.Single(g => g.Id == support.Id).MemberIds);
        Assert.Equal([colleague.Id], (await h.Kefu.Directory.ListAgentsAsync(t)).Select(a => a.Id));
        Assert.DoesNotContain(await h.Kefu.Conversations.ListPresenceAsync(t), p => p.AgentId == agent.Id);
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.GetAgentAsync(t, agent.Id));
        var events = h.Events.Events;
        var state = Assert.Single(events, e => e.PayloadCase == PayloadOneofCase.AgentStateChanged).AgentStateChanged;
        Assert.Equal((agent.Id, AgentStatus.Online, AgentStatus.Offline), (state.AgentId, state.Previous, state.Current));
        Assert.Equal(agent.Id, Assert.Single(events, e => e.PayloadCase == PayloadOneofCase.AgentDeleted).AgentDeleted.AgentId);
        Assert.Equal(PayloadOneofCase.AgentDeleted, events[^1].PayloadCase);
    }

    [Fact]
    public async Task DeleteAgent_ServingAConversation_RequeuesItInsteadOfClosingIt()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        Assert.Equal(agent.Id, conversation.AgentId);

        await h.Kefu.Directory.DeleteAgentAsync(h.TenantId, agent.Id);

        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id);
        Assert.Equal(ConversationState.Queued, after.State);
        Assert.Null(after.AgentId);
        Assert.Equal(conversation.Id, Assert.Single(await h.Kefu.Conversations.GetQueueAsync(h.TenantId)).ConversationId);
    }

    [Fact]
    public async Task DeleteAgent_ServingAConversation_ConversationGoesToAnotherFreeAgent()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        var other = await h.AddAgentAsync(online: true);

        await h.Kefu.Directory.DeleteAgentAsync(h.TenantId, agent.Id);

        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id);
        Assert.Equal(ConversationState.InService, after.State);
        Assert.Equal(other.Id, after.AgentId);
    }

    [Fact]
    public async Task AgentLifecycle_EmitsTheC20AgentEventsInOrder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        h.Events.Clear();

        var agent = await h.AddAgentAsync("Lei");
        await h.Kefu.Directory.UpdateAgentAsync(t, agent.Id, AgentProfile.From(agent) with { Nickname = "小雷" });
        await h.Kefu.Conversations.SetStatusAsync(t, agent.Id, AgentStatus.Online);
        await h.Kefu.Conversations.SetStatusAsync(t, agent.Id, AgentStatus.Busy);
        await h.Kefu.Conversations.LogoutAsync(t, agent.Id);
        await h.Kefu.Directory.DeleteAgentAsync(t, agent.Id);

        var events = h.Events.Events.Where(e => e.PayloadCase != PayloadOneofCase.DirectoryChanged).ToList();
        Assert.Equal(
        [
            PayloadOneofCase.AgentCreated,
            PayloadOneofCase.AgentChanged,
            PayloadOneofCase.AgentStateChanged,
            PayloadOneofCase.AgentStateChanged,
            PayloadOneofCase.AgentStateChanged,
            PayloadOneofCase.AgentLogout,
            PayloadOneofCase.AgentDeleted,
        ], events.Select(e => e.PayloadCase));
        Assert.All(events, e => Assert.Equal(t, e.TenantId));
        Assert.Equal("小雷", events[1].AgentChanged.Nickname);
        Assert.Equal(
            [(AgentStatus.Offline, AgentStatus.Online), (AgentStatus.Online, AgentStatus.Busy), (AgentStatus.Busy, AgentStatus.Offline)],
            events.Where(e => e.PayloadCase == PayloadOneofCase.AgentStateChanged).Select(e => (e.AgentStateChanged.Previous, e.AgentStateChanged.Current)));
        Assert.All(events, e => Assert.Equal(agent.Id, e.PayloadCase switch
        {
            PayloadOneofCase.AgentCreated => e.AgentCreated.AgentId,
            PayloadOneofCase.AgentChanged => e.AgentChanged.AgentId,
            PayloadOneofCase.AgentStateChanged => e.AgentStateChanged.AgentId,
            PayloadOneofCase.AgentLogout => e.AgentLogout.AgentId,
            PayloadOneofCase.AgentDeleted => e.AgentDeleted.AgentId,
            _ => 0,
        }));
        Assert.Equal(Enumerable.Range(0, events.Count - 1).Select(_ => true), events.Zip(events.Skip(1), (a, b) => b.Sequence > a.Sequence));
    }

    [Fact]
    public async Task SetStatus_SameStatusTwice_EmitsOneStateChange()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();
        h.Events.Clear();

        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Online);
        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Online);

        Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.AgentStateChanged);
    }
}
