using Kefu.Model;

namespace Kefu.Events;

/// <summary>Maps message events to the <see cref="Message"/> read model: how stores turn stored events back into messages.</summary>
public static class MessageEventExtensions
{
    /// <summary>The message a <see cref="ServiceSessionMessageEvent"/> created.</summary>
    /// <param name="e">An event whose payload is <see cref="KefuEvent.PayloadOneofCase.Message"/>.</param>
    /// <param name="recalled">Whether a later <see cref="MessageRecalledEvent"/> recalled it.</param>
    /// <exception cref="ArgumentException">The event is not a message event.</exception>
    public static Message ToMessage(this KefuEvent e, bool recalled = false)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.PayloadCase != KefuEvent.PayloadOneofCase.Message)
        {
            throw new ArgumentException($"Event {e.EventId} is a {e.PayloadCase} event, not a message.", nameof(e));
        }

        var m = e.Message;
        return new Message
        {
            Id = m.MessageId,
            ConversationId = e.ConversationId,
            SenderKind = m.SenderKind,
            SenderId = m.SenderId,
            Kind = m.Kind,
            Text = m.Text.Length == 0 ? null : m.Text,
            Media = m.Media is { } media ? new MediaAttachment(media.Url, media.Name, media.Size, media.ContentType.Length == 0 ? null : media.ContentType) : null,
            MenuItems = m.Menu is { } menu ? [.. menu.Items] : null,
            ClientMessageId = m.ClientMessageId.Length == 0 ? null : m.ClientMessageId,
            SentAt = DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs),
            Recalled = recalled,
            Masked = m.Masked,
            Sentiment = m.HasSentiment ? new TextSentiment(m.Sentiment, m.SentimentScore) : null,
        };
    }
}
