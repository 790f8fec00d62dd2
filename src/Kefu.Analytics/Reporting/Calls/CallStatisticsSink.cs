using System.Collections.Concurrent;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Storage;
using Kefu.Transport;

namespace Kefu.Analytics.Reporting.Calls;

/// <summary>
/// Keeps the call and video statistics (P5, P6) in <see cref="IAggregateStore"/> from the engine's events. Every event
/// writes its deltas in one <see cref="IAggregateStore.ApplyAsync"/> under its own id and <see cref="CallSeries.Consumer"/>,
/// so a redelivered event adds nothing.
/// <list type="bullet">
/// <item>A call (a conversation on a phone or video channel) is recorded when it ends, in the half-hour of its request
/// (creation), under the agent serving it then: request; connected with its wait (pick-up − request), its response
/// (pick-up − the conversation's last offer, when that came before the pick-up) and talk time (end − pick-up), who
/// ended it; or, closed by the visitor before any pick-up, abandoned with its wait.</item>
/// <item>Each offer (ring) counts for its agent in the half-hour of the offer.</item>
/// <item>Presence intervals per agent and media are measured between <c>agent_state_changed</c> events: login time is
/// every interval not offline, split over the half-hours it covers; not ready is away, invisible, and busy the agent
/// chose. The busy a ringing or answered call sets is not "not ready" (it is talk or ringing time): it is recognised as the
/// busy change of the same millisecond as an offer or pick-up of that agent on that media, which the engine emits
/// right before the offer. Rest is not counted as not ready (E86 names away, invisible and busy only).</item>
/// <item>After-call work runs from a connected call's end to the agent's next offer or pick-up on that media, or to
/// the agent's presence on that media going offline; it is recorded when it ends, in the half-hour of the call's end,
/// with that call's dimensions.</item>
/// </list>
/// The interval state (current presence and since when, the pending after-call work) is in memory. A replayed event
/// (a sequence at or below the last one applied for that agent and media) does not move it. After a restart the state
/// is empty: the interval that was open then (login, not ready, after-call work) is lost, not double counted, and the
/// figures resume from the next presence change.
/// </summary>
internal sealed class CallStatisticsSink : IEventSink
{
    private readonly IAggregateStore _aggregates;
    private readonly IConversationStore _conversations;
    private readonly ConcurrentDictionary<(long Tenant, long Agent, MediaKind Media), PresenceState> _presence = new();

    public CallStatisticsSink(IAggregateStore aggregates, IConversationStore conversations)
    {
        _aggregates = aggregates;
        _conversations = conversations;
    }

    /// <summary>What is known of an agent's presence on one media.</summary>
    internal sealed record PresenceState
    {
        public AgentStatus Status { get; init; }
        /// <summary>When <see cref="Status"/> began, −1 when unknown (the sink started while it was on).</summary>
        public long SinceMs { get; init; } = -1;
        /// <summary>Whether a busy <see cref="Status"/> was set by a call.</summary>
        public bool SystemBusy { get; init; }
        /// <summary>The end of the agent's last connected call while its after-call work is pending, else −1.</summary>
        public long CallEndMs { get; init; } = -1;
        public string CallEndDimension { get; init; } = string.Empty;
        public long LastSequence { get; init; }

        public bool IsNotReady => Status is AgentStatus.Away or AgentStatus.Invisible || (Status == AgentStatus.Busy && !SystemBusy);
    }

    /// <summary>The presence states of a tenant's agents on <paramref name="media"/>, for the open intervals of a query.</summary>
    internal IReadOnlyList<(long AgentId, PresenceState State)> Presence(long tenantId, MediaKind media) =>
        [.. _presence.Where(p => p.Key.Tenant == tenantId && p.Key.Media == media).Select(p => (p.Key.Agent, p.Value))];

    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            switch (e.PayloadCase)
            {
                case KefuEvent.PayloadOneofCase.SessionOffered:
                    await CallStartedAsync(tenantId, e, e.SessionOffered.AgentId, offer: true, cancellationToken).ConfigureAwait(false);
                    break;
                case KefuEvent.PayloadOneofCase.SessionAssigned:
                    await CallStartedAsync(tenantId, e, e.SessionAssigned.AgentId, offer: false, cancellationToken).ConfigureAwait(false);
                    break;
                case KefuEvent.PayloadOneofCase.SessionClosed:
                    await ClosedAsync(tenantId, e, cancellationToken).ConfigureAwait(false);
                    break;
                case KefuEvent.PayloadOneofCase.AgentStateChanged:
                    await StateChangedAsync(tenantId, e, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }
    }

    private static MediaKind? CallMedia(Conversation? c) =>
        c is null ? null : MediaKinds.Of(c.ChannelKind) is var m && m != MediaKind.Chat ? m : null;

    private static CallDimensions Dimensions(Conversation c) =>
        new(c.ChannelId ?? 0, c.AssociationId ?? 0, c.InvitingAgentId is > 0, c.GroupId ?? 0);

    private bool TracksAgent(long tenantId, long agentId) =>
        _presence.ContainsKey((tenantId, agentId, MediaKind.Voice)) || _presence.ContainsKey((tenantId, agentId, MediaKind.Video));

    /// <summary>An offer or a pick-up: counts the offer, marks the busy the call set, ends pending after-call work.</summary>
    private async ValueTask CallStartedAsync(long tenantId, KefuEvent e, long agentId, bool offer, CancellationToken cancellationToken)
    {
        if (agentId == 0 || (!offer && !TracksAgent(tenantId, agentId)))
        {
            return; // A chat pick-up (or a pick-up by an agent never signed in to calls): nothing to do.
        }

        var conversation = await _conversations.GetConversationAsync(tenantId, e.ConversationId, cancellationToken).ConfigureAwait(false);
        if (CallMedia(conversation) is not { } media)
        {
            return;
        }

        var deltas = new List<AggregateDelta>(2);
        if (offer)
        {
            deltas.Add(Delta(media, CallSeries.Offers, CallSeries.Dimension(agentId, Dimensions(conversation!)), CallSeries.SlotStart(e.OccurredAtMs), 1, 0, 0));
        }

        var key = (tenantId, agentId, media);
        var state = _presence.GetValueOrDefault(key);
        PresenceState? next = null;
        if (state is null || e.Sequence > state.LastSequence)
        {
            next = (state ?? new PresenceState { Status = AgentStatus.Offline }) with { LastSequence = e.Sequence };
            if (next.Status == AgentStatus.Busy && next.SinceMs == e.OccurredAtMs)
            {
                next = next with { SystemBusy = true };
            }

            next = EndAfterCallWork(next, media, e.OccurredAtMs, deltas);
        }

        await _aggregates.ApplyAsync(tenantId, CallSeries.Consumer, e.EventId, deltas, cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            _presence[key] = next;
        }
    }

    private async ValueTask ClosedAsync(long tenantId, KefuEvent e, CancellationToken cancellationToken)
    {
        var conversation = await _conversations.GetConversationAsync(tenantId, e.ConversationId, cancellationToken).ConfigureAwait(false);
        if (CallMedia(conversation) is not { } media)
        {
            return;
        }

        var c = conversation!;
        var closed = e.SessionClosed;
        var end = e.OccurredAtMs;
        var created = closed.CreatedAtMs > 0 ? closed.CreatedAtMs : c.CreatedAt.ToUnixTimeMilliseconds();
        var slot = CallSeries.SlotStart(created);
        var dims = Dimensions(c);
        var agentId = closed.AssignedAtMs > 0 ? closed.AgentId : 0;
        var dimension = CallSeries.Dimension(agentId, dims);
        var deltas = new List<AggregateDelta>(8);
        void Add(string what, double value) => deltas.Add(Delta(media, what, dimension, slot, 1, value, value));

        Add(CallSeries.Requests, 0);
        if (closed.AssignedAtMs > 0)
        {
            var assigned = closed.AssignedAtMs;
            var wait = Math.Max(0, assigned - created) / 1000.0;
            Add(CallSeries.Connected, wait);
            Add(CallSeries.Talk, Math.Max(0, end - assigned) / 1000.0);
            double? response = null;
            if (c.OfferedAt is { } offeredAt && offeredAt.ToUnixTimeMilliseconds() <= assigned)
            {
                response = (assigned - offeredAt.ToUnixTimeMilliseconds()) / 1000.0;
                Add(CallSeries.Response, response.Value);
            }

            Add((response ?? wait) <= 10 ? CallSeries.AnsweredWithin10 : CallSeries.AnsweredAfter10, 0);
            if (closed.ClosedBy == ParticipantKind.Visitor)
            {
                Add(CallSeries.CustomerEnded, 0);
            }
            else if (closed.ClosedBy == ParticipantKind.Agent)
            {
                Add(CallSeries.AgentEnded, 0);
            }
        }
        else if (closed.ClosedBy == ParticipantKind.Visitor)
        {
            var wait = Math.Max(0, end - created) / 1000.0;
            Add(CallSeries.Abandoned, wait);
            Add(wait <= 10 ? CallSeries.AbandonedWithin10 : CallSeries.AbandonedAfter10, 0);
        }

        if (c.InvitingAgentId is { } inviter and > 0)
        {
            deltas.Add(Delta(media, CallSeries.Proactive, CallSeries.Dimension(inviter, dims), slot, 1, 0, 0));
        }

        // The agent's after-call work starts now.
        PresenceState? next = null;
        var key = (tenantId, closed.AgentId, media);
        if (agentId != 0)
        {
            var state = _presence.GetValueOrDefault(key);
            if (state is null || e.Sequence > state.LastSequence)
            {
                next = (state ?? new PresenceState { Status = AgentStatus.Offline }) with
                {
                    LastSequence = e.Sequence,
                    CallEndMs = end,
                    CallEndDimension = dimension,
                };
            }
        }

        await _aggregates.ApplyAsync(tenantId, CallSeries.Consumer, e.EventId, deltas, cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            _presence[key] = next;
        }
    }

    private async ValueTask StateChangedAsync(long tenantId, KefuEvent e, CancellationToken cancellationToken)
    {
        var changed = e.AgentStateChanged;
        var media = changed.Media switch
        {
            MediaKindInfo.Voice => MediaKind.Voice,
            MediaKindInfo.Video => MediaKind.Video,
            _ => MediaKind.Chat,
        };
        if (media == MediaKind.Chat)
        {
            return;
        }

        var key = (tenantId, changed.AgentId, media);
        var state = _presence.GetValueOrDefault(key);
        if (state is not null && e.Sequence <= state.LastSequence)
        {
            return; // Replayed: already applied (the store refuses its deltas anyway).
        }

        var now = e.OccurredAtMs;
        var deltas = new List<AggregateDelta>();
        var agent = CallSeries.Id(changed.AgentId);
        if (state is { SinceMs: >= 0 } && state.Status == changed.Previous && now > state.SinceMs)
        {
            var first = true;
            foreach (var (slot, seconds) in CallSeries.Split(state.SinceMs, now))
            {
                if (state.Status != AgentStatus.Offline)
                {
                    deltas.Add(Delta(media, CallSeries.Login, agent, slot, 0, seconds, 0));
                }

                if (state.IsNotReady)
                {
                    deltas.Add(Delta(media, CallSeries.NotReady, agent, slot, first ? 1 : 0, seconds, 0));
                }

                first = false;
            }
        }
        else if (state is { SinceMs: >= 0 } && state.Status == changed.Previous && state.IsNotReady)
        {
            deltas.Add(Delta(media, CallSeries.NotReady, agent, CallSeries.SlotStart(now), 1, 0, 0)); // Not ready for 0 ms.
        }

        var next = (state ?? new PresenceState()) with
        {
            Status = changed.Current,
            SinceMs = now,
            SystemBusy = false,
            LastSequence = e.Sequence,
        };
        if (changed.Current == AgentStatus.Offline)
        {
            next = EndAfterCallWork(next, media, now, deltas);
        }

        await _aggregates.ApplyAsync(tenantId, CallSeries.Consumer, e.EventId, deltas, cancellationToken).ConfigureAwait(false);
        _presence[key] = next;
    }

    private static PresenceState EndAfterCallWork(PresenceState state, MediaKind media, long at, List<AggregateDelta> deltas)
    {
        if (state.CallEndMs < 0)
        {
            return state;
        }

        var seconds = Math.Max(0, at - state.CallEndMs) / 1000.0;
        deltas.Add(Delta(media, CallSeries.AfterCallWork, state.CallEndDimension, CallSeries.SlotStart(state.CallEndMs), 1, seconds, seconds));
        return state with { CallEndMs = -1, CallEndDimension = string.Empty };
    }

    private static AggregateDelta Delta(MediaKind media, string what, string dimension, DateTimeOffset slot, long count, double sum, double max) =>
        new(CallSeries.Name(media, what), dimension, CallSeries.Width, slot, count, sum, max);
}
