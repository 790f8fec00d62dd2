using System.Globalization;
using Kefu.Events;

namespace Kefu.Analytics.Voice;

/// <summary>
/// The aggregate series the voice of the customer keeps, one day buckets, each dimension prefixed with the sender
/// (<c>v</c> visitor, <c>g</c> agent) so "all messages" is the sum of both:
/// <list type="bullet">
/// <item><c>voice.messages</c>, dimension <c>v</c>: messages analysed.</item>
/// <item><c>voice.sentiment</c>, dimension <c>v:-1</c> / <c>v:0</c> / <c>v:1</c>: messages by sentiment, sum of scores.</item>
/// <item><c>voice.keyword</c>, dimension <c>v:退款</c>: messages that mention the word, sum of their scores.</item>
/// <item><c>voice.pair</c>, dimension <c>v:物流␟退款</c>: messages that mention both words (ordinal order), for topics.</item>
/// <item><c>voice.mentions:退款</c>, dimension <c>message:v:-1:conversation</c>: the messages that mention the word, for keyword
/// detail. The message id leads, zero-padded, so a day's mentions are appended in id (time) order rather than scattered
/// by conversation; dimensions written before that, <c>v:-1:conversation:message</c>, are still read.</item>
/// </list>
/// </summary>
internal static class VoiceSeries
{
    internal const string Consumer = "analytics.voice";
    internal const string Messages = "voice.messages";
    internal const string Sentiment = "voice.sentiment";
    internal const string Keyword = "voice.keyword";
    internal const string Pair = "voice.pair";
    internal const string MentionsPrefix = "voice.mentions:";
    internal const char PairSeparator = '\u001f';

    internal static string Mentions(string word) => MentionsPrefix + word;

    internal static char SenderCode(ParticipantKind kind) => kind == ParticipantKind.Visitor ? 'v' : 'g';

    internal static bool InScope(char sender, VoiceScope scope) => scope == VoiceScope.All || sender == 'v';

    internal static string Mention(char sender, int label, long conversationId, long messageId) =>
        string.Create(CultureInfo.InvariantCulture, $"{messageId:D19}:{sender}:{label}:{conversationId}");

    internal static bool TryParseMention(string dimension, out char sender, out int label, out long conversationId, out long messageId)
    {
        sender = default;
        label = 0;
        conversationId = 0;
        messageId = 0;
        var parts = dimension.Split(':');
        if (parts.Length != 4)
        {
            return false;
        }

        // The message id leads; a single letter first is the earlier layout, sender:label:conversation:message.
        var legacy = parts[0].Length == 1;
        var (senderPart, labelPart, conversationPart, messagePart) = legacy ? (parts[0], parts[1], parts[2], parts[3]) : (parts[1], parts[2], parts[3], parts[0]);
        if (senderPart.Length != 1)
        {
            return false;
        }

        sender = senderPart[0];
        return int.TryParse(labelPart, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out label)
            && long.TryParse(conversationPart, NumberStyles.None, CultureInfo.InvariantCulture, out conversationId)
            && long.TryParse(messagePart, NumberStyles.None, CultureInfo.InvariantCulture, out messageId);
    }

    internal static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    internal static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
