using Kefu.Events;
using Kefu.Model;

namespace Kefu.Engine;

/// <summary>
/// Conversation timers (C16, R12): one <see cref="ITimer"/> per tenant set to the earliest deadline of a priority
/// queue. Each conversation has at most one entry per kind; when an entry comes due the deadline is computed again
/// from the conversation's state, so entries made stale by later messages are re-armed or dropped, never acted on.
/// </summary>
internal sealed partial class TenantState
{
    private static readonly TimerKind[] AllKinds = Enum.GetValues<TimerKind>();
    private readonly PriorityQueue<(long ConversationId, TimerKind Kind), DateTimeOffset> _timers = new();
    private ITimer? _timer;
    private DateTimeOffset? _timerDue;

    /// <summary>Called by the timer, on a timer thread, with the time it fired; the worker posts a tick.</summary>
    public Action<DateTimeOffset>? TimerFired { get; set; }

    private bool HasTimers
    {
        get
        {
            var p = Settings.Phrases;
            return p.AgentNoReply.Enabled || p.VisitorNoReplyReminder.Enabled || p.VisitorNoReplyClose.Enabled || Settings.Conversations.InactiveSessionAutoClose;
        }
    }

    /// <summary>Arms one timer of a conversation, whatever the message timers' settings (offers, queue reminders).</summary>
    internal void ArmTimer(ConversationRuntime c, TimerKind kind)
    {
        var bit = (byte)(1 << (int)kind);
        if ((c.PendingTimers & bit) == 0 && !c.IsClosed && Deadline(c, kind) is { } due)
        {
            _timers.Enqueue((c.Id, kind), due);
            c.PendingTimers |= bit;
        }
    }

    internal void ArmTimers(ConversationRuntime c)
    {
        if (!HasTimers || c.IsClosed)
        {
            return;
        }

        foreach (var kind in AllKinds)
        {
            var bit = (byte)(1 << (int)kind);
            if ((c.PendingTimers & bit) == 0 && Deadline(c, kind) is { } due)
            {
                _timers.Enqueue((c.Id, kind), due);
                c.PendingTimers |= bit;
            }
        }
    }

    private DateTimeOffset? Deadline(ConversationRuntime c, TimerKind kind)
    {
        var phrases = Settings.Phrases;
        var silentVisitor = c.State == ConversationState.InService && c.LastAgentMessageAt is { } agentAt
            && (c.LastVisitorMessageAt is null || c.LastVisitorMessageAt < agentAt);
        return kind switch
        {
            TimerKind.AgentNoReply when phrases.AgentNoReply.Enabled && c.State == ConversationState.InService
                && c.FirstUnansweredVisitorMessageAt is { } askedAt && !c.AgentNoReplySent => askedAt + phrases.AgentNoReply.Timeout,
            TimerKind.VisitorNoReplyReminder when phrases.VisitorNoReplyReminder.Enabled && silentVisitor && !c.VisitorReminderSent
                => c.LastAgentMessageAt!.Value + phrases.VisitorNoReplyReminder.Timeout,
            TimerKind.VisitorNoReplyClose when phrases.VisitorNoReplyClose.Enabled && silentVisitor
                => c.LastAgentMessageAt!.Value + phrases.VisitorNoReplyClose.Timeout,
            TimerKind.Inactive when Settings.Conversations.InactiveSessionAutoClose && c.State is ConversationState.InService or ConversationState.Bot
                => (c.LastMessageAt ?? c.AssignedAt ?? c.CreatedAt) + Settings.Conversations.InactiveTimeout,
            TimerKind.OfferTimeout when c.State == ConversationState.Offered && c.OfferedAt is { } offeredAt
                => offeredAt + Settings.Conversations.OfferTimeout,
            TimerKind.BotIdle when c.State == ConversationState.Bot && !c.BotIdleReplied && c.BotWaitingSince is { } since
                && c.RobotId is { } robotId && _s.Bots.IdleTimeout(TenantId, robotId) is { } idle && idle > TimeSpan.Zero => since + idle,
            TimerKind.QueueReminder when c.State == ConversationState.Queued && Settings.Conversations.QueueReminderInterval > TimeSpan.Zero
                => (c.LastQueueReminderAt ?? c.QueuedAt ?? Now) + Settings.Conversations.QueueReminderInterval,
            _ => null,
        };
    }

    /// <summary>Acts on every timer due at <see cref="Now"/>.</summary>
    public bool OnTimerTick()
    {
        while (_timers.TryPeek(out var entry, out var due) && due <= Now)
        {
            _timers.Dequeue();
            if (!Open.TryGetValue(entry.ConversationId, out var c))
            {
                continue;
            }

            c.PendingTimers &= (byte)~(1 << (int)entry.Kind);
            var deadline = Deadline(c, entry.Kind);
            if (deadline is null)
            {
                continue;
            }

            if (deadline > Now)
            {
                _timers.Enqueue(entry, deadline.Value);
                c.PendingTimers |= (byte)(1 << (int)entry.Kind);
                continue;
            }

            Fire(c, entry.Kind);
            if (!c.IsClosed)
            {
                ArmTimers(c);
            }
        }

        return true;
    }

    private void Fire(ConversationRuntime c, TimerKind kind)
    {
        var phrases = Settings.Phrases;
        switch (kind)
        {
            case TimerKind.AgentNoReply:
                c.AgentNoReplySent = true;
                AddSystemMessage(c, phrases.AgentNoReply.Text);
                break;
            case TimerKind.VisitorNoReplyReminder:
                c.VisitorReminderSent = true;
                AddSystemMessage(c, phrases.VisitorNoReplyReminder.Text);
                break;
            case TimerKind.VisitorNoReplyClose:
                Close(c, CloseReason.VisitorNoReply, ParticipantKind.System, phrases.VisitorNoReplyClose.Text);
                break;
            case TimerKind.Inactive:
                Close(c, CloseReason.Inactive, ParticipantKind.System);
                break;
            case TimerKind.OfferTimeout when c.AgentId is { } agentId && AgentsById.TryGetValue(agentId, out var agent):
                EndOffer(c, agent, timedOut: true);
                break;
            case TimerKind.BotIdle:
                c.BotIdleReplied = true;
                ApplyBotTurn(c, _s.Bots.TimedOut(BotInputOf(c, string.Empty)), idleReply: true);
                break;
            case TimerKind.QueueReminder when c.QueueEntry is { Owner: { } queue } entry:
                c.LastQueueReminderAt = Now;
                var position = queue.PositionOf(entry);
                SendQueueMessage(c, position);
                EmitTransient(c.Id).QueuePosition = new QueuePositionEvent { GroupId = entry.GroupId ?? 0, Position = position };
                ArmTimer(c, TimerKind.QueueReminder);
                break;
        }
    }

    private void ScheduleTimer()
    {
        if (!_timers.TryPeek(out _, out var due))
        {
            if (_timerDue is not null)
            {
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timerDue = null;
            }

            return;
        }

        if (_timerDue == due)
        {
            return;
        }

        _timerDue = due;
        var delay = due - _s.Time.GetUtcNow();
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        if (_timer is null)
        {
            _timer = _s.Time.CreateTimer(static state =>
            {
                if (state is TenantState self)
                {
                    self.TimerFired?.Invoke(self._s.Time.GetUtcNow());
                }
            }, this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Forgets the timer's due time, so the next <see cref="ScheduleTimer"/> sets it again.</summary>
    public void TimerConsumed() => _timerDue = null;

    public void DisposeTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
