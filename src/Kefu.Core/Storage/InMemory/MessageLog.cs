using Kefu.Events;
using Kefu.Model;

namespace Kefu.Storage.InMemory;

/// <summary>
/// One conversation's messages in the in-memory store, kept as compact structs in chunks: no object per message
/// survives the commit (the events die young), and growing the log never copies what is already there. The first chunk
/// is small, since most conversations have few messages; the rest hold 256 each. Messages are appended in id order.
/// </summary>
internal sealed class MessageLog
{
    private const int FirstChunkSize = 16;
    private const int ChunkSize = 256;
    private readonly List<Row[]> _chunks = [];

    public int Count { get; private set; }

    public void Add(KefuEvent e)
    {
        var m = e.Message;
        if (Count == 0)
        {
            _chunks.Add(new Row[FirstChunkSize]);
        }
        else if (Count >= FirstChunkSize && (Count - FirstChunkSize) % ChunkSize == 0)
        {
            _chunks.Add(new Row[ChunkSize]);
        }

        At(Count) = new Row(
            m.MessageId, m.SenderId, e.OccurredAtMs, m.Text, m.ClientMessageId, m.Media, m.Menu, m.SenderKind, m.Kind, m.Masked,
            m.HasSentiment, m.Sentiment, m.SentimentScore);
        Count++;
    }

    public long IdAt(int index) => At(index).Id;

    private ref Row At(int index) => ref index < FirstChunkSize
        ? ref _chunks[0][index]
        : ref _chunks[1 + ((index - FirstChunkSize) / ChunkSize)][(index - FirstChunkSize) % ChunkSize];

    /// <summary>The index of a message, or the complement of where it would be.</summary>
    public int IndexOf(long messageId)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = IdAt(mid);
            if (value == messageId)
            {
                return mid;
            }

            if (value < messageId)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    /// <summary>
    /// Whether a message not in <paramref name="recalled"/> has a text containing <paramref name="text"/>, ignoring
    /// case (<see cref="HistoryQuery.Text"/>).
    /// </summary>
    public bool AnyTextContains(string text, HashSet<long> recalled)
    {
        for (var i = 0; i < Count; i++)
        {
            ref readonly var r = ref At(i);
            if (r.Text is { } t && t.Contains(text, StringComparison.OrdinalIgnoreCase) && !recalled.Contains(r.Id))
            {
                return true;
            }
        }

        return false;
    }

    public Message ToMessage(int index, long conversationId, HashSet<long> recalled)
    {
        ref readonly var r = ref At(index);
        return new Message
        {
            Id = r.Id,
            ConversationId = conversationId,
            SenderKind = r.SenderKind,
            SenderId = r.SenderId,
            Kind = r.Kind,
            Text = string.IsNullOrEmpty(r.Text) ? null : r.Text,
            Media = r.Media is { } media ? new MediaAttachment(media.Url, media.Name, media.Size, media.ContentType.Length == 0 ? null : media.ContentType) : null,
            MenuItems = r.Menu is { } menu ? [.. menu.Items] : null,
            ClientMessageId = string.IsNullOrEmpty(r.ClientMessageId) ? null : r.ClientMessageId,
            SentAt = DateTimeOffset.FromUnixTimeMilliseconds(r.SentAtMs),
            Recalled = recalled.Contains(r.Id),
            Masked = r.Masked,
            Sentiment = r.HasSentiment ? new TextSentiment(r.Sentiment, r.SentimentScore) : null,
        };
    }

    private readonly record struct Row(
        long Id, long SenderId, long SentAtMs, string? Text, string? ClientMessageId, MediaContent? Media, MenuContent? Menu,
        ParticipantKind SenderKind, MessageKind Kind, bool Masked, bool HasSentiment, int Sentiment, float SentimentScore);
}
