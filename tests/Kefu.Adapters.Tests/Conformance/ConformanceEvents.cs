using Kefu.Events;
using Kefu.Model;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>Events the conformance suites commit: a text message (the visitor's unless told) and a recall, at <c>t0</c> plus the sequence in seconds.</summary>
internal static class ConformanceEvents
{
    public static KefuEvent Message(DateTimeOffset t0, long tenantId, long sequence, long conversationId, long messageId, string text, ParticipantKind sender = ParticipantKind.Visitor) => new()
    {
        EventId = 50_000 + sequence,
        TenantId = tenantId,
        Sequence = sequence,
        ConversationId = conversationId,
        OccurredAtMs = t0.AddSeconds(sequence).ToUnixTimeMilliseconds(),
        Message = new ServiceSessionMessageEvent
        {
            MessageId = messageId,
            SenderKind = sender,
            SenderId = sender == ParticipantKind.Visitor ? 900 : 7,
            Kind = MessageKind.Text,
            Text = text,
            ClientMessageId = $"c-{messageId}",
            Sentiment = 1,
            SentimentScore = 0.75f,
        },
    };

    public static KefuEvent Recall(DateTimeOffset t0, long tenantId, long sequence, long conversationId, long messageId) => new()
    {
        EventId = 50_000 + sequence,
        TenantId = tenantId,
        Sequence = sequence,
        ConversationId = conversationId,
        OccurredAtMs = t0.AddSeconds(sequence).ToUnixTimeMilliseconds(),
        MessageRecalled = new MessageRecalledEvent { MessageId = messageId },
    };
}
