using Kefu.Model;
using Kefu.Routing;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NSubstitute;

namespace Kefu.Core.Tests.Validation;

/// <summary>
/// Commands in the wrong state (recall after the window, a second rating, a message to a closed conversation, editing a
/// submitted wrap-up, deleting a group a rule still uses) get typed errors and change nothing.
/// </summary>
public class WrongStateTests
{
    [Fact]
    public async Task Recall_AfterTheTwoMinuteWindow_IsRefusedNamingTheWindowAndTheMessageStaysUnrecalled()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation) = await ServedConversationAsync(h);
        var sent = await h.SendTextAsync(conversation.Id, Participant.Agent(agent.Id), "Your order ships today", h.Data.ClientMessageId());
        Assert.False(sent.Blocked);
        await h.AdvanceAsync(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var messagesBefore = TenantSnapshot.Of(await h.Kefu.History.GetMessagesAsync(h.TenantId, conversation.Id));

        var refusal = await Refusal.AssertAsync<KefuStateException>(h,
            async () => await h.Kefu.Conversations.RecallAsync(h.TenantId, conversation.Id, agent.Id, sent.MessageId));

        Assert.Equal(KefuErrorKind.InvalidState, refusal.Kind);
        Assert.Equal(sent.MessageId, refusal.Id);
        Assert.Contains("RecallWindow", refusal.Message);
        Assert.Contains("120 s", refusal.Message);
        var messages = await h.Kefu.History.GetMessagesAsync(h.TenantId, conversation.Id);
        Assert.False(Assert.Single(messages, m => m.Id == sent.MessageId).Recalled);
        Assert.Equal(messagesBefore, TenantSnapshot.Of(messages));
    }

    [Fact]
    public async Task Recall_AfterAShorterConfiguredWindow_IsRefusedNamingThatWindow()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.UpdateConversationSettingsAsync(h.TenantId, new ConversationSettings { RecallWindow = TimeSpan.FromSeconds(30) });
        var (agent, conversation) = await ServedConversationAsync(h);
        var sent = await h.SendTextAsync(conversation.Id, Participant.Agent(agent.Id), "Typo");
        Assert.False(sent.Blocked);
        await h.AdvanceAsync(TimeSpan.FromSeconds(31));

        var refusal = await Refusal.AssertAsync<KefuStateException>(h,
            async () => await h.Kefu.Conversations.RecallAsync(h.TenantId, conversation.Id, agent.Id, sent.MessageId));

        Assert.Contains("30 s", refusal.Message);
        Assert.Contains("RecallWindow", refusal.Message);
        Assert.False(Assert.Single(await h.Kefu.History.GetMessagesAsync(h.TenantId, conversation.Id), m => m.Id == sent.MessageId).Recalled);
    }

    [Fact]
    public async Task Rate_ASecondTime_IsRefusedAndTheFirstRatingStays()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation) = await ServedConversationAsync(h);
        await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Agent(agent.Id));
        await h.Kefu.Conversations.RateAsync(h.TenantId, conversation.Id, conversation.VisitorId, new RatingInput(5, Comment: "Great"));
        var before = TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id));

        var refusal = await Refusal.AssertAsync<KefuStateException>(h, async () => await h.Kefu.Conversations.RateAsync(
            h.TenantId, conversation.Id, conversation.VisitorId, new RatingInput(1, Comment: "Changed my mind")));

        Assert.Equal(KefuErrorKind.InvalidState, refusal.Kind);
        Assert.Equal(conversation.Id, refusal.Id);
        Assert.Contains("rated", refusal.Message);
        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id);
        Assert.NotNull(after.Rating);
        Assert.Equal(5, after.Rating.Level);
        Assert.Equal("Great", after.Rating.Comment);
        Assert.Equal(before, TenantSnapshot.Of(after));
    }

    [Fact]
    public async Task InviteRating_OnceRated_IsRefusedAndConversationUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation) = await ServedConversationAsync(h);
        await h.Kefu.Conversations.RateAsync(h.TenantId, conversation.Id, conversation.VisitorId, new RatingInput(4));
        var before = TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id));

        await Refusal.AssertAsync<KefuStateException>(h,
            async () => await h.Kefu.Conversations.InviteRatingAsync(h.TenantId, conversation.Id, agent.Id));

        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Send_ToAClosedConversation_IsRefusedAndNoMessageIsStored(bool byAgent)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation) = await ServedConversationAsync(h);
        await h.SendTextAsync(conversation.Id, Participant.Visitor(conversation.VisitorId), "Hello");
        await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Agent(agent.Id));
        var before = TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id));
        var messagesBefore = TenantSnapshot.Of(await h.Kefu.History.GetMessagesAsync(h.TenantId, conversation.Id, limit: 200));
        var sender = byAgent ? Participant.Agent(agent.Id) : Participant.Visitor(conversation.VisitorId);

        var refusal = await Refusal.AssertAsync<KefuStateException>(h,
            async () => await h.SendTextAsync(conversation.Id, sender, "Are you still there?", h.Data.ClientMessageId()));

        Assert.Equal(KefuErrorKind.InvalidState, refusal.Kind);
        Assert.Equal(conversation.Id, refusal.Id);
        Assert.Contains("closed", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)));
        Assert.Equal(messagesBefore, TenantSnapshot.Of(await h.Kefu.History.GetMessagesAsync(h.TenantId, conversation.Id, limit: 200)));
    }

    [Fact]
    public async Task End_OfAClosedConversation_IsRefusedAsInvalidState()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation) = await ServedConversationAsync(h);
        await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Agent(agent.Id));
        var before = TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id));

        var refusal = await Refusal.AssertAsync<KefuStateException>(h,
            async () => await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Visitor(conversation.VisitorId)));

        Assert.Contains("closed", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)));
    }

    [Fact]
    public async Task End_OfAClosedConversationNoLongerCachedInMemory_IsRefusedAsInvalidStateNotNotFound()
    {
        // A cache of 0 closed conversations is a valid option; it stands for any conversation that has left the cache.
        await using var h = await KefuTestHarness.StartAsync(o => o.ClosedConversationCacheSize = 0);
        var (agent, conversation) = await ServedConversationAsync(h);
        await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Agent(agent.Id));
        Assert.True((await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)).IsClosed);

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Visitor(conversation.VisitorId)));

        Assert.Equal(KefuErrorKind.InvalidState, refusal.Kind);
        Assert.IsType<KefuStateException>(refusal);
    }

    [Fact]
    public async Task SaveWrapUpDraft_AfterSubmit_IsRefusedAndTheSubmittedWrapUpStays()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation, submitted) = await SubmittedWrapUpAsync(h);

        var refusal = await Refusal.AssertAsync<KefuStateException>(h, async () => await h.Kefu.Conversations.SaveWrapUpDraftAsync(
            h.TenantId, conversation.Id, agent.Id, new WrapUpInput(null, Resolved: false, "Edited afterwards")));

        Assert.Equal(KefuErrorKind.InvalidState, refusal.Kind);
        Assert.Contains("submitted", refusal.Message);
        Assert.Equal(submitted, (await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)).WrapUp);
    }

    [Fact]
    public async Task SubmitWrapUp_ASecondTime_IsRefusedAndTheSubmittedWrapUpStays()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var (agent, conversation, submitted) = await SubmittedWrapUpAsync(h);
        Assert.NotNull(submitted.ProblemTypeId);

        var refusal = await Refusal.AssertAsync<KefuStateException>(h, async () => await h.Kefu.Conversations.SubmitWrapUpAsync(
            h.TenantId, conversation.Id, agent.Id, new WrapUpInput(submitted.ProblemTypeId, Resolved: false, "Resubmitted")));

        Assert.Contains("submitted", refusal.Message);
        var wrapUp = (await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)).WrapUp;
        Assert.Equal(submitted, wrapUp);
        Assert.True(wrapUp?.Resolved);
    }

    [Fact]
    public async Task DeleteSkillGroup_WhileARoutingRuleUsesIt_IsRefusedAsInUseNamingTheRuleAndTheGroupStays()
    {
        var policy = DelegatingPolicy();
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton(policy)));
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        var agent = await h.AddAgentAsync("Member");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [agent.Id], []);
        var waiting = await h.OpenConversationAsync(group.Id);
        Assert.Equal(ConversationState.Queued, waiting.State);
        policy.RulesUsingGroup(h.TenantId, group.Id).Returns(new[] { "VIP customers" });
        var groupsBefore = TenantSnapshot.Of(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h, async () => await h.Kefu.Directory.DeleteSkillGroupAsync(h.TenantId, group.Id));

        Assert.Equal(KefuErrorKind.InUse, refusal.Kind);
        Assert.Contains("VIP customers", refusal.Message);
        policy.Received().RulesUsingGroup(h.TenantId, group.Id);
        Assert.Equal(groupsBefore, TenantSnapshot.Of(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId)));
        Assert.Equal(group.Id, (await h.Kefu.Conversations.GetAsync(h.TenantId, waiting.Id)).GroupId);
        Assert.Equal(group.Id, Assert.Single(await h.Kefu.Conversations.GetQueueAsync(h.TenantId)).GroupId);
    }

    [Fact]
    public async Task DeleteSkillGroup_OnceNoRuleUsesIt_Succeeds()
    {
        var policy = DelegatingPolicy();
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton(policy)));
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        policy.RulesUsingGroup(h.TenantId, group.Id).Returns(new[] { "VIP customers" });
        await Assert.ThrowsAnyAsync<KefuException>(async () => await h.Kefu.Directory.DeleteSkillGroupAsync(h.TenantId, group.Id));
        policy.RulesUsingGroup(h.TenantId, group.Id).Returns(Array.Empty<string>());

        await h.Kefu.Directory.DeleteSkillGroupAsync(h.TenantId, group.Id);

        Assert.Empty(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId));
    }

    private static IRoutingPolicy DelegatingPolicy()
    {
        var real = new FirstAvailableAgentRoutingPolicy();
        var policy = Substitute.For<IRoutingPolicy>();
        policy.Route(Arg.Any<RoutingRequest>(), Arg.Any<IRoutingView>())
            .Returns(call => real.Route(call.ArgAt<RoutingRequest>(0), call.ArgAt<IRoutingView>(1)));
        policy.SelectForAgent(Arg.Any<IRoutingAgent>(), Arg.Any<MediaKind>(), Arg.Any<IRoutingView>())
            .Returns(call => real.SelectForAgent(call.ArgAt<IRoutingAgent>(0), call.ArgAt<MediaKind>(1), call.ArgAt<IRoutingView>(2)));
        policy.RulesUsingGroup(Arg.Any<long>(), Arg.Any<long>()).Returns(Array.Empty<string>());
        return policy;
    }

    private static async Task<(Agent Agent, Conversation Conversation)> ServedConversationAsync(KefuTestHarness h)
    {
        var agent = await h.AddAgentAsync("Ann", online: true);
        var conversation = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.InService, conversation.State);
        Assert.Equal(agent.Id, conversation.AgentId);
        return (agent, conversation);
    }

    private static async Task<(Agent Agent, Conversation Conversation, WrapUp Submitted)> SubmittedWrapUpAsync(KefuTestHarness h)
    {
        var category = await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, null, "Billing");
        var (agent, conversation) = await ServedConversationAsync(h);
        await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Agent(agent.Id));
        var closed = await h.Kefu.Conversations.SubmitWrapUpAsync(
            h.TenantId, conversation.Id, agent.Id, new WrapUpInput(category.Id, Resolved: true, "Refund asked", "Refunded"));
        Assert.NotNull(closed.WrapUp);
        Assert.True(closed.WrapUp.Submitted);
        return (agent, conversation, closed.WrapUp);
    }
}
