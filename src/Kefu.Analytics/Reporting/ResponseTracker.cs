using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kefu.Events;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// Follows the response times of open conversations from their message events, so a close needs no message read.
/// It gives exactly what <see cref="ConversationFacts.ResponseTimes"/> gives over the stored messages: each agent
/// message answering visitor messages, measured from the first of them or the pick-up when later. The pick-up is
/// known only at the close, so the first answered run is kept as it is and the later ones summed as measured from
/// their visitor message; the close checks that none of those started before the pick-up.
/// <para>
/// A conversation is followed only from its creation event, so every message is seen. An event seen twice or out of
/// order (a redelivered batch, events without sequence numbers) stops the conversation being vouched for, and so does
/// a restart (nothing is followed): the close then reads the messages. Bounded: when
/// <see cref="MaxConversations"/> are followed at once, all are dropped. Thread-safe.
/// </para>
/// </summary>
internal sealed class ResponseTracker
{
    /// <summary>The most conversations followed at once.</summary>
    public const int MaxConversations = 1 << 18;

    private readonly Lock _gate = new();
    private readonly Dictionary<(long Tenant, long Conversation), State> _open = [];

    internal struct State
    {
        public long LastSequence;
        public bool Broken;
        public bool Pending;
        public long PendingAtMs;
        public bool HasFirst;
        public long FirstPendingAtMs;
        public long FirstAnswerAtMs;
        public int Count;
        public long SumMs;
        public long MaxMs;
        public long EarliestPendingAtMs;
    }

    /// <summary>A conversation was created: follow it from here.</summary>
    public void Created(long tenantId, KefuEvent e)
    {
        lock (_gate)
        {
            if (_open.Count >= MaxConversations)
            {
                _open.Clear();
            }

            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_open, (tenantId, e.ConversationId), out var exists);
            state = new State { LastSequence = e.Sequence, Broken = exists, EarliestPendingAtMs = long.MaxValue };
        }
    }

    /// <summary>A message of a followed conversation.</summary>
    public void Message(long tenantId, KefuEvent e)
    {
        var kind = e.Message.SenderKind;
        if (kind is not (ParticipantKind.Visitor or ParticipantKind.Agent))
        {
            return;
        }

        lock (_gate)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_open, (tenantId, e.ConversationId));
            if (Unsafe.IsNullRef(ref state) || state.Broken)
            {
                return;
            }

            if (e.Sequence <= state.LastSequence)
            {
                state.Broken = true;
                return;
            }

            state.LastSequence = e.Sequence;
            var at = e.OccurredAtMs;
            if (kind == ParticipantKind.Visitor)
            {
                if (!state.Pending)
                {
                    state.Pending = true;
                    state.PendingAtMs = at;
                }

                return;
            }

            if (!state.Pending)
            {
                return;
            }

            state.Pending = false;
            if (!state.HasFirst)
            {
                state.HasFirst = true;
                state.FirstPendingAtMs = state.PendingAtMs;
                state.FirstAnswerAtMs = at;
                return;
            }

            // Measured from the visitor message, which the close checks is not before the pick-up.
            state.EarliestPendingAtMs = Math.Min(state.EarliestPendingAtMs, state.PendingAtMs);
            if (at >= state.PendingAtMs)
            {
                var time = at - state.PendingAtMs;
                state.MaxMs = state.Count == 0 ? time : Math.Max(state.MaxMs, time);
                state.Count++;
                state.SumMs += time;
            }
        }
    }

    /// <summary>A conversation closed: stops following it and returns what was followed (nothing when it was not).</summary>
    public Followed Close(long tenantId, KefuEvent e)
    {
        lock (_gate)
        {
            if (!_open.Remove((tenantId, e.ConversationId), out var state) || state.Broken || e.Sequence <= state.LastSequence)
            {
                return default;
            }

            return Followed.Of(state);
        }
    }

    /// <summary>What was followed of a conversation until its close.</summary>
    public readonly struct Followed
    {
        private readonly bool _known;
        private readonly bool _hasFirst;
        private readonly long _firstPendingAtMs;
        private readonly long _firstAnswerAtMs;
        private readonly int _count;
        private readonly long _sumMs;
        private readonly long _maxMs;
        private readonly long _earliestPendingAtMs;

        private Followed(in State state)
        {
            _known = true;
            _hasFirst = state.HasFirst;
            _firstPendingAtMs = state.FirstPendingAtMs;
            _firstAnswerAtMs = state.FirstAnswerAtMs;
            _count = state.Count;
            _sumMs = state.SumMs;
            _maxMs = state.MaxMs;
            _earliestPendingAtMs = state.EarliestPendingAtMs;
        }

        internal static Followed Of(in State state) => new(state);

        /// <summary>
        /// The response count, sum and maximum (milliseconds) for a pick-up at <paramref name="pickedUpAtMs"/>, or
        /// false when the messages must be read: not followed, or a later run began before the pick-up.
        /// </summary>
        public bool TryMeasure(long pickedUpAtMs, out int count, out long sumMs, out long maxMs)
        {
            count = 0;
            sumMs = 0;
            maxMs = 0;
            if (!_known || _earliestPendingAtMs < pickedUpAtMs)
            {
                return false;
            }

            count = _count;
            sumMs = _sumMs;
            maxMs = _maxMs;
            if (_hasFirst)
            {
                var start = Math.Max(_firstPendingAtMs, pickedUpAtMs);
                if (_firstAnswerAtMs >= start)
                {
                    var time = _firstAnswerAtMs - start;
                    maxMs = count == 0 ? time : Math.Max(maxMs, time);
                    count++;
                    sumMs += time;
                }
            }

            return true;
        }
    }
}
