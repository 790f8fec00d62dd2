using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Transport;

namespace Kefu.Bots.Assist;

/// <summary>
/// Mines each conversation when it closes: reads its messages and stores their question–answer pairs
/// (<see cref="PairExtractor"/>). Events arrive at least once; a conversation already mined is not counted again. A
/// store failure throws, so the outbox delivers the events again.
/// </summary>
internal sealed class AssistMiningSink : IEventSink
{
    /// <summary>The latest messages of a conversation that are mined (a longer conversation keeps its end).</summary>
    internal const int MaxMessages = 2000;

    private readonly IConversationStore _conversations;
    private readonly AssistState _state;

    public AssistMiningSink(IConversationStore conversations, AssistState state)
    {
        _conversations = conversations;
        _state = state;
    }

    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            if (e.PayloadCase != KefuEvent.PayloadOneofCase.SessionClosed || e.ConversationId == 0)
            {
                continue;
            }

            var messages = await _conversations.GetLatestMessagesAsync(tenantId, e.ConversationId, MaxMessages, cancellationToken).ConfigureAwait(false);
            var pairs = PairExtractor.Extract(messages);
            await _state.AddPairsAsync(tenantId, e.ConversationId, pairs, cancellationToken).ConfigureAwait(false);
        }
    }
}
