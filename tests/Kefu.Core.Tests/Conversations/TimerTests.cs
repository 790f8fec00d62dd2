using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Conversations;

/// <summary>C16 and R12 time-outs, on fake time.</summary>
public class TimerTests
{
    private static async Task<(KefuTestHarness H, Conversation C, Agent A)> ServedAsync(Func<CannedPhrases, CannedPhrases> phrases)
    {
        var h = await KefuTestHarness.StartAsync();
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateCannedPhrasesAsync(h.TenantId, phrases(settings.Phrases));
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        return (h, conversation, agent);
    }

    private static async Task<IReadOnlyList<Message>> SystemMessagesAsync(KefuTestHarness h, long conversationId) =>
        [.. (await h.Kefu.History.GetMessagesAsync(h.TenantId, conversationId, limit: 200)).Where(m => m.SenderKind == ParticipantKind.System)];

    [Fact]
    public async Task VisitorNoReply_RemindsThenCloses_AtTheConfiguredMinutes()
    {
        var (h, c, agent) = await ServedAsync(p => p with
        {
            Welcome = p.Welcome with { Enabled = false },
            VisitorNoReplyReminder = new TimedPhrase(true, 3, "您好，由于您长时间没有回复，本次咨询将于2分钟后自动结束。"),
            VisitorNoReplyClose = new TimedPhrase(true, 5, "您好，由于您长时间没有回复，系统自动结束了本次咨询。"),
        });
        await using var _ = h;
        var asked = await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "请问还有什么问题吗？");

        await h.AdvanceAsync(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1));
        Assert.Empty(await SystemMessagesAsync(h, c.Id));

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var reminder = Assert.Single(await SystemMessagesAsync(h, c.Id));
        Assert.StartsWith("您好，由于您长时间没有回复，本次咨询将于", reminder.Text, StringComparison.Ordinal);
        Assert.Equal(asked.SentAt + TimeSpan.FromMinutes(3), reminder.SentAt);

        await h.AdvanceAsync(TimeSpan.FromMinutes(2));
        var closed = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(ConversationState.Closed, closed.State);
        Assert.Equal(CloseReason.VisitorNoReply, closed.CloseReason);
        Assert.Equal(asked.SentAt + TimeSpan.FromMinutes(5), closed.ClosedAt);
        Assert.Equal("您好，由于您长时间没有回复，系统自动结束了本次咨询。", (await SystemMessagesAsync(h, c.Id))[^1].Text);
        Assert.Equal(0, (await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).Single().ActiveConversations);
    }

    [Fact]
    public async Task VisitorNoReply_WhenTheVisitorAnswers_StartsAgainFromTheAgentsNextMessage()
    {
        var (h, c, agent) = await ServedAsync(p => p with
        {
            Welcome = p.Welcome with { Enabled = false },
            VisitorNoReplyClose = new TimedPhrase(true, 5, "closed for silence"),
        });
        await using var _ = h;
        await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "question 1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(4));
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "answer");
        await h.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(ConversationState.InService, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).State);

        await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "question 2");
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(CloseReason.VisitorNoReply, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).CloseReason);
    }

    [Fact]
    public async Task AgentNoReply_SendsTheBusyPhraseOncePerUnansweredVisitorMessage()
    {
        var (h, c, agent) = await ServedAsync(p => p with
        {
            Welcome = p.Welcome with { Enabled = false },
            AgentNoReply = new TimedPhrase(true, 2, "您好，当前咨询客户量过多，客服正在忙碌中，请稍候。"),
        });
        await using var _ = h;
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "在吗？");
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "有人吗？");
        await h.AdvanceAsync(TimeSpan.FromSeconds(89));
        Assert.Empty(await SystemMessagesAsync(h, c.Id));

        await h.AdvanceAsync(TimeSpan.FromSeconds(1)); // 2 minutes after the first unanswered message
        Assert.Single(await SystemMessagesAsync(h, c.Id));
        await h.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Single(await SystemMessagesAsync(h, c.Id));

        await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "在的");
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "好的");
        await h.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, (await SystemMessagesAsync(h, c.Id)).Count);
    }

    [Fact]
    public async Task InactiveConversation_ClosesAfterTheInactiveTimeout_WhenTheTenantEnablesIt()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateConversationSettingsAsync(h.TenantId, settings.Conversations with
        {
            InactiveSessionAutoClose = true,
            InactiveTimeout = TimeSpan.FromMinutes(30),
        });
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        await h.AdvanceAsync(TimeSpan.FromMinutes(20));
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "still here");
        await h.AdvanceAsync(TimeSpan.FromMinutes(29));
        Assert.Equal(ConversationState.InService, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).State);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var closed = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(CloseReason.Inactive, closed.CloseReason);
    }

    [Fact]
    public async Task Timers_WhenDisabled_NeverFire()
    {
        var (h, c, agent) = await ServedAsync(p => p);
        await using var _ = h;
        await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "hello");
        await h.AdvanceAsync(TimeSpan.FromHours(5));
        Assert.Equal(ConversationState.InService, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).State);
        Assert.Null(h.Clock.NextTimerDue);
    }
}
