using Kefu.Storage;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// Where quality inspection hands its scores to the reports (质检评分平均值): a closed, picked-up conversation's
/// score (0–100) is added in the buckets of its pick-up, under the same dimensions as its other metrics. The first
/// score of a conversation counts; later ones (re-inspection) are ignored, since a maximum cannot be taken back.
/// </summary>
internal sealed class QualityScores
{
    public const string Consumer = "analytics.reporting.quality";

    private readonly IAggregateStore _aggregates;
    private readonly IConversationStore _conversations;

    public QualityScores(IAggregateStore aggregates, IConversationStore conversations)
    {
        _aggregates = aggregates;
        _conversations = conversations;
    }

    /// <summary>Records a score; false when the conversation is unknown, open, never picked up, or already scored.</summary>
    public async ValueTask<bool> RecordAsync(long tenantId, long conversationId, double score, CancellationToken cancellationToken = default)
    {
        if (double.IsNaN(score) || score is < 0 or > 100)
        {
            throw new KefuValidationException(nameof(score), "0–100", $"was {score}");
        }

        var conversation = await _conversations.GetConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is not { IsClosed: true, AssignedAt: { } pickedUp })
        {
            return false;
        }

        var visitor = await _conversations.GetVisitorAsync(tenantId, conversation.VisitorId, cancellationToken).ConfigureAwait(false);
        var facts = new ConversationFacts
        {
            Values = ConversationFacts.Dimensions(conversation, conversation.AgentId, visitor),
            VisitorId = conversation.VisitorId,
            CreatedAt = conversation.CreatedAt,
            PickedUpAt = pickedUp,
        };
        var cells = facts.Cells();
        var deltas = new List<AggregateDelta>(cells.Count * 2);
        ConversationFacts.Add(deltas, cells, ReportingSeries.Quality, pickedUp, 1, score, score);
        return await _aggregates.ApplyAsync(tenantId, Consumer, conversationId, deltas, cancellationToken).ConfigureAwait(false);
    }
}
