using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NSubstitute;

namespace Kefu.Core.Tests.Conversations;

/// <summary>Core's default routing: first online agent with spare capacity, FIFO queue, drain when capacity frees.</summary>
public class QueueAndAssignmentTests
{
    private static async Task<IReadOnlyList<string?>> SystemTextsAsync(KefuTestHarness h, long conversationId) =>
        [.. (await h.Kefu.History.GetMessagesAsync(h.TenantId, conversationId, limit: 100)).Where(m => m.SenderKind == ParticipantKind.System).Select(m => m.Text)];

    [Fact]
    public async Task Open_WhenNobodyIsOnline_QueuesWithPositionAndNobodyOnlinePhrase()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.AddAgentAsync();
        var first = await h.OpenConversationAsync();
        var second = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.Queued, second.State);
        Assert.Equal(2, (await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, second.Id))!.Position);
        var texts = await SystemTextsAsync(h, second.Id);
        Assert.Equal(["排队中，您在队伍中的第2个", "非常抱歉，当前没有客服在线。客服工作时间为工作日9:00-20:00"], texts);
        Assert.Equal([first.Id, second.Id], (await h.Kefu.Conversations.GetQueueAsync(h.TenantId)).Select(q => q.ConversationId));
    }

    [Fact]
    public async Task Queue_BeyondTheOverLimitThreshold_SendsTheOverLimitPhrase()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateCannedPhrasesAsync(h.TenantId, settings.Phrases with { QueueOverLimitEnabled = true, QueueOverLimitThreshold = 2 });
        var agent = await h.AddAgentAsync(online: true, maxConcurrentChats: 0);
        _ = agent;
        await h.OpenConversationAsync();
        await h.OpenConversationAsync();
        var third = await h.OpenConversationAsync();
        Assert.Equal("您在队伍中的第3个，当前等待人数较多，建议非繁忙时间再咨询", (await SystemTextsAsync(h, third.Id))[0]);
    }

    [Fact]
    public async Task Capacity_IsNeverExceeded_AndTheOldestWaitingGetsTheFreedSeat()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(maxConcurrentChats: 2, online: true);
        var c1 = await h.OpenConversationAsync();
        var c2 = await h.OpenConversationAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var c3 = await h.OpenConversationAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var c4 = await h.OpenConversationAsync();
        Assert.Equal([ConversationState.InService, ConversationState.InService, ConversationState.Queued, ConversationState.Queued], new[] { c1, c2, c3, c4 }.Select(c => c.State));

        await h.Kefu.Conversations.EndAsync(h.TenantId, c1.Id, Participant.Agent(agent.Id));
        Assert.Equal(agent.Id, (await h.Kefu.Conversations.GetAsync(h.TenantId, c3.Id)).AgentId);
        Assert.Equal(ConversationState.Queued, (await h.Kefu.Conversations.GetAsync(h.TenantId, c4.Id)).State);
        Assert.Equal(2, (await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).Single().ActiveConversations);

        // Raising capacity takes the next waiting conversation in the same command.
        await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = 3 });
        Assert.Equal(ConversationState.InService, (await h.Kefu.Conversations.GetAsync(h.TenantId, c4.Id)).State);
    }

    [Fact]
    public async Task BusyAgent_GetsNothingAutomatically_ButMayPickFromTheQueue()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Busy);
        var c = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.Queued, c.State);
        var picked = await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, c.Id);
        Assert.Equal(ConversationState.InService, picked.State);
        Assert.True(h.Events.Events.Last(e => e.PayloadCase == KefuEvent.PayloadOneofCase.SessionAssigned).SessionAssigned.Picked);
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, c.Id));
    }

    [Fact]
    public async Task AgentGoingOffline_ClosesItsConversations_ByDefault()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Offline);
        var closed = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(CloseReason.AgentOffline, closed.CloseReason);
    }

    [Fact]
    public async Task AgentGoingOffline_RequeuesToAnotherAgent_WhenTheTenantChoosesRequeue()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateConversationSettingsAsync(h.TenantId, settings.Conversations with { WhenAgentGoesOffline = OfflineConversationPolicy.Requeue });
        var leaving = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var staying = await h.AddAgentAsync(online: true);
        await h.Kefu.Conversations.LogoutAsync(h.TenantId, leaving.Id);
        var moved = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(ConversationState.InService, moved.State);
        Assert.Equal(staying.Id, moved.AgentId);
        Assert.Contains(KefuEvent.PayloadOneofCase.AgentLogout, h.Events.Kinds);
    }

    [Fact]
    public async Task TransferToGroup_GoesToAMemberOtherThanTheSender_OrQueuesForTheGroup()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var first = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "售后");
        var member = await h.AddAgentAsync();
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [member.Id, first.Id], []);

        var queued = await h.Kefu.Conversations.TransferToGroupAsync(h.TenantId, c.Id, first.Id, group.Id);
        Assert.Equal(ConversationState.Queued, queued.State);
        Assert.Equal(group.Id, queued.GroupId);

        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, member.Id, AgentStatus.Online);
        var served = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(member.Id, served.AgentId);
        var transferred = h.Events.Events.Single(e => e.PayloadCase == KefuEvent.PayloadOneofCase.SessionTransferred).SessionTransferred;
        Assert.Equal(group.Id, transferred.ToGroupId);
    }

    [Fact]
    public async Task TransferRequest_Declined_StaysWithTheFirstAgent()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var first = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var second = await h.AddAgentAsync(online: true);
        await h.Kefu.Conversations.RequestTransferAsync(h.TenantId, c.Id, first.Id, second.Id);
        var after = await h.Kefu.Conversations.AnswerTransferAsync(h.TenantId, c.Id, second.Id, accept: false);
        Assert.Equal(first.Id, after.AgentId);
        Assert.Null(after.PendingTransferToAgentId);
        var declined = h.Events.Events.Single(e => e.PayloadCase == KefuEvent.PayloadOneofCase.TransferDeclined).TransferDeclined;
        Assert.Equal((first.Id, second.Id, second.Id), (declined.FromAgentId, declined.ToAgentId, declined.DeclinedByAgentId));
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.AnswerTransferAsync(h.TenantId, c.Id, second.Id, accept: true));
    }

    [Fact]
    public async Task RoutingPolicy_OfferingToAnAgent_WaitsForAcceptance_AndReroutesOnDecline()
    {
        var policy = Substitute.For<IRoutingPolicy>();
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton(policy)));
        var a = await h.AddAgentAsync(online: true);
        var b = await h.AddAgentAsync(online: true);
        policy.Route(Arg.Any<RoutingRequest>(), Arg.Any<IRoutingView>()).Returns(call =>
        {
            var request = call.Arg<RoutingRequest>();
            var target = request.ExcludedAgentId == a.Id ? b.Id : a.Id;
            return RoutingDecision.OfferTo(target, null, "test policy offers");
        });

        var c = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.Offered, c.State);
        Assert.Equal(a.Id, c.AgentId);
        Assert.Equal("test policy offers", h.Events.Events.Single(e => e.PayloadCase == KefuEvent.PayloadOneofCase.SessionOffered).SessionOffered.Explanation);
        var rerouted = await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, c.Id, a.Id, accept: false);
        Assert.Equal(b.Id, rerouted.AgentId);
        var accepted = await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, c.Id, b.Id, accept: true);
        Assert.Equal(ConversationState.InService, accepted.State);
        var presence = await h.Kefu.Conversations.ListPresenceAsync(h.TenantId);
        Assert.Equal([0, 1], presence.OrderBy(p => p.AgentId == b.Id).Select(p => p.ActiveConversations));
        Assert.Equal(
            [KefuEvent.PayloadOneofCase.SessionOffered, KefuEvent.PayloadOneofCase.SessionOffered, KefuEvent.PayloadOneofCase.SessionAssigned],
            h.Events.Kinds.Where(k => k is KefuEvent.PayloadOneofCase.SessionOffered or KefuEvent.PayloadOneofCase.SessionAssigned));
    }
}
