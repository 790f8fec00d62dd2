using Kefu.Events;
using Kefu.Storage;
using Kefu.Transport;

namespace Kefu.Analytics.Quality;

/// <summary>
/// Inspects a conversation when it closes, and again when a rating arrives for a conversation that is already closed (a
/// rating given while the conversation is open is inspected at the close). Each conversation of a batch is inspected
/// once, as it stands in the store, and its result replaces any earlier one, so events delivered again change nothing
/// but the inspection time. A store failure throws, so the outbox delivers the events again.
/// </summary>
internal sealed class QualityInspectionSink : IEventSink
{
    private readonly IConversationStore _conversations;
    private readonly QualityInspection _inspection;

    public QualityInspectionSink(IConversationStore conversations, QualityInspection inspection)
    {
        _conversations = conversations;
        _inspection = inspection;
    }

    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<long>? pending = null;
        foreach (var e in events)
        {
            if (e.ConversationId != 0
                && e.PayloadCase is KefuEvent.PayloadOneofCase.SessionClosed or KefuEvent.PayloadOneofCase.RatingSubmitted
                && !(pending ??= []).Contains(e.ConversationId))
            {
                pending.Add(e.ConversationId);
            }
        }

        if (pending is null)
        {
            return;
        }

        foreach (var conversationId in pending)
        {
            var conversation = await _conversations.GetConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
            if (conversation is { IsClosed: true })
            {
                await _inspection.InspectAsync(tenantId, conversation, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
