using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Transport;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// Feeds the reports. A conversation is recorded when it closes, with every dimension final then: its creation-time
/// observations (queue wait, abandonment, the visitor for distinct counts) in the buckets of its creation, its
/// pick-up observations (count, messages, duration, first response, each response, the visitor served) in the
/// buckets of its first pick-up. All the deltas of a close go in one <see cref="IAggregateStore.ApplyAsync"/> under
/// the close event's id, so a redelivered event adds nothing. A rating is counted once per conversation under its
/// id, by the close when it came before, by the rating event when it came after.
/// <para>
/// Response times are followed from the message events of each conversation whose creation the sink saw
/// (<see cref="ResponseTracker"/>), so a close reads no messages; a close the sink cannot vouch for (created before
/// it started, an event seen twice or out of order, a pair it cannot place without the pick-up time) reads the
/// conversation's messages from the store as before. Both give the same numbers.
/// </para>
/// </summary>
internal sealed class ReportingSink : IEventSink
{
    private readonly IAggregateStore _aggregates;
    private readonly IConversationStore _conversations;
    private readonly ResponseTracker _responses = new();
    private readonly CellNames _names = new();

    public ReportingSink(IAggregateStore aggregates, IConversationStore conversations)
    {
        _aggregates = aggregates;
        _conversations = conversations;
    }

    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            switch (e.PayloadCase)
            {
                case KefuEvent.PayloadOneofCase.SessionClosed:
                    await ClosedAsync(tenantId, e, cancellationToken).ConfigureAwait(false);
                    break;
                case KefuEvent.PayloadOneofCase.RatingSubmitted:
                    await RatedAsync(tenantId, e, cancellationToken).ConfigureAwait(false);
                    break;
                case KefuEvent.PayloadOneofCase.Message:
                    _responses.Message(tenantId, e);
                    break;
                case KefuEvent.PayloadOneofCase.SessionCreated:
                    _responses.Created(tenantId, e);
                    break;
                default:
                    break;
            }
        }
    }

    private async ValueTask ClosedAsync(long tenantId, KefuEvent e, CancellationToken cancellationToken)
    {
        // Taken out whatever happens next: a redelivered close reads the messages.
        var tracked = _responses.Close(tenantId, e);
        var conversation = await _conversations.GetConversationAsync(tenantId, e.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            return;
        }

        var closed = e.SessionClosed;
        var visitor = await _conversations.GetVisitorAsync(tenantId, conversation.VisitorId, cancellationToken).ConfigureAwait(false);
        var agentId = closed.AgentId;
        var facts = new ConversationFacts
        {
            Values = ConversationFacts.Dimensions(conversation, agentId, visitor, _names),
            VisitorId = conversation.VisitorId,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(closed.CreatedAtMs),
            PickedUpAt = closed.AssignedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(closed.AssignedAtMs) : null,
        };
        var cells = facts.Cells(_names);
        var observation = new CloseObservation
        {
            Queued = conversation.QueuedAt is not null,
            QueueWaitSeconds = conversation.QueueWaitMilliseconds / 1000.0,
            Abandoned = closed.Reason == CloseReason.QueueAbandoned,
            Messages = conversation.VisitorMessageCount + conversation.AgentMessageCount,
            DurationSeconds = Math.Max(0, e.OccurredAtMs - closed.AssignedAtMs) / 1000.0,
            FirstResponseSeconds = closed.FirstAgentMessageAtMs >= closed.AssignedAtMs && closed.FirstAgentMessageAtMs > 0
                ? (closed.FirstAgentMessageAtMs - closed.AssignedAtMs) / 1000.0
                : null,
        };
        if (facts.PickedUpAt is { } up && conversation.AgentMessageCount > 0 && conversation.VisitorMessageCount > 0)
        {
            if (tracked.TryMeasure(closed.AssignedAtMs, out var count, out var sumMs, out var maxMs))
            {
                if (count > 0)
                {
                    observation = observation with { ResponseCount = count, ResponseSumSeconds = sumMs / 1000.0, ResponseMaxSeconds = maxMs / 1000.0 };
                }
            }
            else
            {
                observation = await ReadResponsesAsync(tenantId, conversation, up, observation, cancellationToken).ConfigureAwait(false);
            }
        }

        var deltas = Rent(cells.Count * 10);
        CloseDeltas(deltas, facts, cells, observation);
        await _aggregates.ApplyAsync(tenantId, ReportingSeries.Consumer, e.EventId, deltas, cancellationToken).ConfigureAwait(false);
        Return(deltas);
        if (conversation.Rating is { } rating && facts.PickedUpAt is { } pickedUp)
        {
            await ApplyRatingAsync(tenantId, conversation.Id, rating, pickedUp, cells, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The response times of a conversation from its messages in the store.</summary>
    private async ValueTask<CloseObservation> ReadResponsesAsync(long tenantId, Conversation conversation, DateTimeOffset up, CloseObservation observation, CancellationToken cancellationToken)
    {
        var log = await _conversations.GetMessagesAsync(tenantId, conversation.Id, null, conversation.MessageCount + 64, cancellationToken).ConfigureAwait(false);
        var responses = ConversationFacts.ResponseTimes(log, up);
        return responses.Count > 0
            ? observation with { ResponseCount = responses.Count, ResponseSumSeconds = responses.Sum() / 1000.0, ResponseMaxSeconds = responses.Max() / 1000.0 }
            : observation;
    }

    // Delta lists are reused: a close's list is about 10 KB.
    private readonly System.Collections.Concurrent.ConcurrentBag<List<AggregateDelta>> _lists = [];

    private List<AggregateDelta> Rent(int capacity)
    {
        if (!_lists.TryTake(out var list))
        {
            list = new List<AggregateDelta>(capacity);
        }

        list.EnsureCapacity(capacity);
        return list;
    }

    private void Return(List<AggregateDelta> list)
    {
        if (list.Capacity <= 4096)
        {
            list.Clear();
            _lists.Add(list);
        }
    }

    /// <summary>What a close records besides the conversation's dimensions: its timings and counts.</summary>
    internal readonly record struct CloseObservation
    {
        public bool Queued { get; init; }
        public double QueueWaitSeconds { get; init; }
        public bool Abandoned { get; init; }
        public double Messages { get; init; }
        public double DurationSeconds { get; init; }
        public double? FirstResponseSeconds { get; init; }
        public int ResponseCount { get; init; }
        public double ResponseSumSeconds { get; init; }
        public double ResponseMaxSeconds { get; init; }
    }

    /// <summary>
    /// The deltas of one closed conversation: its creation-time observations in the buckets of its creation, its
    /// pick-up observations in the buckets of its pick-up, each in every cell of <paramref name="cells"/> at hour width.
    /// </summary>
    internal static void CloseDeltas(List<AggregateDelta> deltas, ConversationFacts facts, List<(int Mask, string Value)> cells, in CloseObservation o)
    {
        // The close's observations, then every observation of each cell in a row: the store finds a dimension once
        // for all its series.
        Span<ConversationFacts.Observation> observations = stackalloc ConversationFacts.Observation[10];
        var n = 0;

        // By creation time.
        var created = ReportingSeries.Start(facts.CreatedAt, BucketGranularity.Hour);
        observations[n++] = new(ReportingSeries.VisitorsIndex, created, 1, 0, 0);
        observations[n++] = new(ReportingSeries.CreatedIndex, created, 1, 0, 0);
        if (facts.PickedUpAt is null)
        {
            observations[n++] = new(ReportingSeries.NotAcceptedIndex, created, 1, 0, 0);
        }

        if (o.Queued)
        {
            observations[n++] = new(ReportingSeries.QueueIndex, created, 1, o.QueueWaitSeconds, o.QueueWaitSeconds);
        }

        if (o.Abandoned)
        {
            observations[n++] = new(ReportingSeries.AbandonedIndex, created, 1, 0, 0);
        }

        // By pick-up time.
        if (facts.PickedUpAt is { } at)
        {
            var up = ReportingSeries.Start(at, BucketGranularity.Hour);
            observations[n++] = new(ReportingSeries.ConversationsIndex, up, 1, o.Messages, o.Messages);
            observations[n++] = new(ReportingSeries.ServedIndex, up, 1, 0, 0);
            observations[n++] = new(ReportingSeries.DurationIndex, up, 1, o.DurationSeconds, o.DurationSeconds);
            if (o.FirstResponseSeconds is { } first)
            {
                observations[n++] = new(ReportingSeries.FirstResponseIndex, up, 1, first, first);
            }

            if (o.ResponseCount > 0)
            {
                observations[n++] = new(ReportingSeries.ResponseIndex, up, o.ResponseCount, o.ResponseSumSeconds, o.ResponseMaxSeconds);
            }
        }

        ConversationFacts.AddAll(deltas, cells, observations[..n], facts.VisitorId);
    }

    private async ValueTask RatedAsync(long tenantId, KefuEvent e, CancellationToken cancellationToken)
    {
        var conversation = await _conversations.GetConversationAsync(tenantId, e.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is not { IsClosed: true, Rating: { } rating, AssignedAt: { } pickedUp })
        {
            return; // Rated while open: the close counts it.
        }

        var visitor = await _conversations.GetVisitorAsync(tenantId, conversation.VisitorId, cancellationToken).ConfigureAwait(false);
        var facts = new ConversationFacts
        {
            Values = ConversationFacts.Dimensions(conversation, conversation.AgentId, visitor, _names),
            VisitorId = conversation.VisitorId,
            CreatedAt = conversation.CreatedAt,
            PickedUpAt = conversation.AssignedAt,
        };
        await ApplyRatingAsync(tenantId, conversation.Id, rating, pickedUp, facts.Cells(_names), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ApplyRatingAsync(long tenantId, long conversationId, Rating rating, DateTimeOffset up, List<(int Mask, string Value)> cells, CancellationToken cancellationToken)
    {
        var score = ReportingSeries.SatisfactionScore(rating.Level, rating.LevelCount);
        var deltas = Rent(cells.Count * 2);
        ConversationFacts.AddRating(deltas, cells, up, score, ReportingSeries.IsPositive(score));
        await _aggregates.ApplyAsync(tenantId, ReportingSeries.RatingConsumer, conversationId, deltas, cancellationToken).ConfigureAwait(false);
        Return(deltas);
    }
}
