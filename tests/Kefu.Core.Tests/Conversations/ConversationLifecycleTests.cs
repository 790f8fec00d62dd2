using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Conversations;

/// <summary>The walk-through: one conversation from opening to history, through the public API, on fake time.</summary>
public class ConversationLifecycleTests
{
    [Fact]
    public async Task OneConversation_FromOpenToHistory_BehavesAndEmitsEventsInOrder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var kefu = h.Kefu;
        var t = h.TenantId;
        var problem = await kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户问题");
        var first = await h.AddAgentAsync("Jane", maxConcurrentChats: 2);
        var second = await h.AddAgentAsync("Lei", maxConcurrentChats: 2, online: true);
        await kefu.Conversations.SetStatusAsync(t, second.Id, AgentStatus.Busy); // busy: no automatic assignment
        h.Events.Clear();
        var startedAt = h.Clock.GetUtcNow();

        // Visitor opens: nobody online has capacity, so the conversation queues.
        var opened = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.Queued, opened.State);
        Assert.Equal(1, (await kefu.Conversations.GetQueuePositionAsync(t, opened.Id))!.Position);
        var id = opened.Id;
        var visitor = Participant.Visitor(opened.VisitorId);

        // An online agent with capacity gets it at once.
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        await kefu.Conversations.SetStatusAsync(t, first.Id, AgentStatus.Online);
        var assigned = await kefu.Conversations.GetAsync(t, id);
        Assert.Equal(ConversationState.InService, assigned.State);
        Assert.Equal(first.Id, assigned.AgentId);
        Assert.Equal(30_000, assigned.QueueWaitMilliseconds);
        Assert.Null(await kefu.Conversations.GetQueuePositionAsync(t, id));

        // Messages both ways; the same client message id twice is stored once.
        var hello = await h.SendTextAsync(id, visitor, "你好，我的账户登不上了", "v-1");
        var again = await h.SendTextAsync(id, visitor, "你好，我的账户登不上了", "v-1");
        Assert.False(hello.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(hello.MessageId, again.MessageId);
        var reply = await h.SendTextAsync(id, Participant.Agent(first.Id), "请问您的账号是？", "a-1");
        var stored = await kefu.History.GetMessagesAsync(t, id, limit: 100);
        Assert.Single(stored, m => m.ClientMessageId == "v-1");
        Assert.Contains(stored, m => m.Id == reply.MessageId && m.SenderKind == ParticipantKind.Agent);

        // Recall: 1:59 after sending succeeds, 2:01 after sending is refused.
        await h.AdvanceAsync(TimeSpan.FromSeconds(119));
        var recalled = await kefu.Conversations.RecallAsync(t, id, first.Id, reply.MessageId);
        Assert.True(recalled.Recalled);
        Assert.Equal("请问您的账号是？", recalled.Text); // kept for re-editing
        var late = await h.SendTextAsync(id, Participant.Agent(first.Id), "稍等，我查一下", "a-2");
        await h.AdvanceAsync(TimeSpan.FromSeconds(121));
        var refusal = await Assert.ThrowsAsync<KefuStateException>(async () => await kefu.Conversations.RecallAsync(t, id, first.Id, late.MessageId));
        Assert.Contains("120 s", refusal.Message, StringComparison.Ordinal);
        Assert.False((await kefu.History.GetMessagesAsync(t, id, limit: 100)).Single(m => m.Id == late.MessageId).Recalled);

        // Transfer to another agent: stays with the first until accepted.
        await kefu.Conversations.SetStatusAsync(t, second.Id, AgentStatus.Online);
        var pending = await kefu.Conversations.RequestTransferAsync(t, id, first.Id, second.Id, "账户问题请协助");
        Assert.Equal(first.Id, pending.AgentId);
        Assert.Equal(second.Id, pending.PendingTransferToAgentId);
        await h.SendTextAsync(id, Participant.Agent(first.Id), "我为您转接专员", "a-3");
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.SendTextAsync(id, Participant.Agent(second.Id), "too early"));
        var transferred = await kefu.Conversations.AnswerTransferAsync(t, id, second.Id, accept: true);
        Assert.Equal(second.Id, transferred.AgentId);
        Assert.Null(transferred.PendingTransferToAgentId);
        await h.SendTextAsync(id, Participant.Agent(second.Id), "您好，我来处理", "a-4");
        var presence = await kefu.Conversations.ListPresenceAsync(t);
        Assert.Equal(0, presence.Single(p => p.AgentId == first.Id).ActiveConversations);
        Assert.Equal(1, presence.Single(p => p.AgentId == second.Id).ActiveConversations);

        // The agent ends: the rating invitation goes out; the first rating counts, a second is refused.
        var ended = await kefu.Conversations.EndAsync(t, id, Participant.Agent(second.Id));
        Assert.Equal(ConversationState.Closed, ended.State);
        Assert.True(ended.RatingInvited);
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.SendTextAsync(id, visitor, "还在吗"));
        var rated = await kefu.Conversations.RateAsync(t, id, opened.VisitorId, new RatingInput(5, Comment: "很快"));
        Assert.Equal(5, rated.Rating!.Level);
        await Assert.ThrowsAsync<KefuStateException>(async () => await kefu.Conversations.RateAsync(t, id, opened.VisitorId, new RatingInput(1)));

        // Wrap-up: submitting without a problem type is refused; with one it is accepted; editing afterwards is refused.
        var noType = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await kefu.Conversations.SubmitWrapUpAsync(t, id, second.Id, new WrapUpInput(null, true)));
        Assert.Equal("ProblemTypeId", noType.Field);
        var wrapped = await kefu.Conversations.SubmitWrapUpAsync(t, id, second.Id, new WrapUpInput(problem.Id, true, "登录失败", "已重置密码"));
        Assert.True(wrapped.WrapUp!.Submitted);
        await Assert.ThrowsAsync<KefuStateException>(async () =>
            await kefu.Conversations.SaveWrapUpDraftAsync(t, id, second.Id, new WrapUpInput(problem.Id, false)));

        // History finds it by id, time range, rating and problem type; a filter it does not match leaves it out.
        var end = h.Clock.GetUtcNow();
        Assert.Equal(id, Assert.Single((await kefu.History.SearchAsync(t, new HistoryQuery { ConversationId = id })).Items).Id);
        Assert.Equal(id, Assert.Single((await kefu.History.SearchAsync(t, new HistoryQuery { From = startedAt, To = end.AddSeconds(1) })).Items).Id);
        Assert.Equal(id, Assert.Single((await kefu.History.SearchAsync(t, new HistoryQuery { RatingLevel = 5 })).Items).Id);
        Assert.Equal(id, Assert.Single((await kefu.History.SearchAsync(t, new HistoryQuery { ProblemTypeId = problem.Id, Closed = true })).Items).Id);
        Assert.Empty((await kefu.History.SearchAsync(t, new HistoryQuery { RatingLevel = 1 })).Items);
        Assert.Empty((await kefu.History.SearchAsync(t, new HistoryQuery { From = end.AddSeconds(1) })).Items);
        var found = (await kefu.History.SearchAsync(t, new HistoryQuery { ConversationId = id })).Items[0];
        Assert.Equal(second.Id, found.AgentId);
        Assert.NotNull(found.AssignedAt);
        Assert.NotNull(found.FirstAgentMessageAt);
        Assert.Equal(CloseReason.AgentEnded, found.CloseReason);

        // Events of every step, in commit order with gap-free sequences (published-only events, such as queue positions, have none).
        var events = h.Events.Events.Where(e => e.Sequence != 0).ToList();
        Assert.Equal(Enumerable.Range((int)events[0].Sequence, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        var lifecycle = events.Where(e => e.ConversationId == id && e.PayloadCase != PayloadOneofCase.Message).Select(e => e.PayloadCase).ToList();
        Assert.Equal(
        [
            PayloadOneofCase.SessionCreated,
            PayloadOneofCase.SessionQueued,
            PayloadOneofCase.SessionAssigned,
            PayloadOneofCase.MessageRecalled,
            PayloadOneofCase.TransferRequested,
            PayloadOneofCase.SessionTransferred,
            PayloadOneofCase.SessionClosed,
            PayloadOneofCase.RatingInvited,
            PayloadOneofCase.RatingSubmitted,
            PayloadOneofCase.WrapUpSaved,
        ], lifecycle);
        var messageEvents = events.Where(e => e.PayloadCase == PayloadOneofCase.Message && e.Message.SenderKind != ParticipantKind.System).Select(e => e.Message.ClientMessageId).ToList();
        Assert.Equal(["v-1", "a-1", "a-2", "a-3", "a-4"], messageEvents);
        var assignedEvent = events.Single(e => e.PayloadCase == PayloadOneofCase.SessionAssigned).SessionAssigned;
        Assert.Equal(first.Id, assignedEvent.AgentId);
        Assert.Equal(30_000, assignedEvent.QueueWaitMs);
        Assert.True(events.Single(e => e.PayloadCase == PayloadOneofCase.RatingInvited).RatingInvited.Automatic);
    }
}
