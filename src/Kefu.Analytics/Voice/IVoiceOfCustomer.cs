using Kefu.Model;

namespace Kefu.Analytics.Voice;

/// <summary>Whose messages a voice-of-the-customer query reads (E17 7.4, 7.5: 访客消息 or 全部消息).</summary>
public enum VoiceScope
{
    /// <summary>The visitors' messages.</summary>
    Visitor,
    /// <summary>The visitors' and the agents' messages.</summary>
    All,
}

/// <summary>How hot keywords are ordered (E17 7.3).</summary>
public enum KeywordSort
{
    /// <summary>Frequency × the strength of the sentiment (|sentiment|): frequent words people feel strongly about; ties by frequency. The default.</summary>
    Composite,
    /// <summary>Number of messages that mention the word.</summary>
    Frequency,
    /// <summary>The average sentiment of the messages that mention the word, most positive first (or most negative with <see cref="KeywordQuery.Descending"/> false).</summary>
    Sentiment,
}

/// <summary>Which keywords to list.</summary>
public sealed record KeywordQuery
{
    /// <summary>Whose messages.</summary>
    /// <value>Default <see cref="VoiceScope.All"/>.</value>
    public VoiceScope Scope { get; init; } = VoiceScope.All;

    /// <summary>The first day (UTC).</summary>
    public required DateOnly From { get; init; }

    /// <summary>The last day (UTC), included.</summary>
    public required DateOnly To { get; init; }

    /// <summary>The order.</summary>
    /// <value>Default <see cref="KeywordSort.Composite"/>.</value>
    public KeywordSort SortBy { get; init; } = KeywordSort.Composite;

    /// <summary>Largest first when true.</summary>
    /// <value>Default true.</value>
    public bool Descending { get; init; } = true;

    /// <summary>How many keywords, 1–500.</summary>
    /// <value>Default 100 (a word cloud).</value>
    public int Limit { get; init; } = 100;

    /// <summary>Only the tenant's focus words.</summary>
    public bool FocusOnly { get; init; }
}

/// <summary>A keyword over a period.</summary>
/// <param name="Word">The keyword, folded.</param>
/// <param name="Frequency">Messages that mention it.</param>
/// <param name="Sentiment">The average sentiment score of those messages, in [−1, 1].</param>
/// <param name="Composite">Frequency × |sentiment|.</param>
/// <param name="IsFocusWord">Whether it is one of the tenant's focus words.</param>
public sealed record KeywordStat(string Word, long Frequency, double Sentiment, double Composite, bool IsFocusWord);

/// <summary>The shares of a day's messages by sentiment (E17 7.4).</summary>
/// <param name="Day">The day (UTC).</param>
/// <param name="Positive">Positive messages.</param>
/// <param name="Neutral">Neutral messages.</param>
/// <param name="Negative">Negative messages.</param>
public sealed record SentimentDay(DateOnly Day, long Positive, long Neutral, long Negative)
{
    /// <summary>All messages that day.</summary>
    public long Total => Positive + Neutral + Negative;

    /// <summary>The share of positive messages, 0 when there were none.</summary>
    public double PositiveShare => Total == 0 ? 0 : (double)Positive / Total;

    /// <summary>The share of neutral messages.</summary>
    public double NeutralShare => Total == 0 ? 0 : (double)Neutral / Total;

    /// <summary>The share of negative messages.</summary>
    public double NegativeShare => Total == 0 ? 0 : (double)Negative / Total;
}

/// <summary>A keyword's trends (E17 7.5.3).</summary>
/// <param name="Word">The keyword, folded.</param>
/// <param name="Days">One entry a day, oldest first, days without mentions included with zero.</param>
public sealed record KeywordDetail(string Word, IReadOnlyList<KeywordDay> Days);

/// <summary>A keyword on one day.</summary>
/// <param name="Day">The day (UTC).</param>
/// <param name="Frequency">Messages that mention it.</param>
/// <param name="Sentiment">Their average sentiment score, 0 when none.</param>
public sealed record KeywordDay(DateOnly Day, long Frequency, double Sentiment);

/// <summary>A message that mentions a keyword, to open its conversation (E17 7.5.3).</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="Sender">Who sent it.</param>
/// <param name="SentAt">When.</param>
/// <param name="Text">Its text, null when the message is no longer stored.</param>
/// <param name="Sentiment">Its sentiment.</param>
public sealed record KeywordMessage(long ConversationId, long MessageId, Kefu.Events.ParticipantKind Sender, DateTimeOffset SentAt, string? Text, TextSentiment Sentiment);

/// <summary>Which messages of a keyword to list.</summary>
public sealed record KeywordMessageQuery
{
    /// <summary>The keyword.</summary>
    public required string Word { get; init; }

    /// <summary>Whose messages.</summary>
    /// <value>Default <see cref="VoiceScope.All"/>.</value>
    public VoiceScope Scope { get; init; } = VoiceScope.All;

    /// <summary>The first day (UTC).</summary>
    public required DateOnly From { get; init; }

    /// <summary>The last day (UTC), included.</summary>
    public required DateOnly To { get; init; }

    /// <summary>Only messages of this sentiment (−1, 0, 1), or all when null.</summary>
    public int? Sentiment { get; init; }

    /// <summary>Messages to skip, newest first.</summary>
    public int Offset { get; init; }

    /// <summary>How many, 1–200.</summary>
    /// <value>Default 20.</value>
    public int Limit { get; init; } = 20;
}

/// <summary>A page of a keyword's messages.</summary>
/// <param name="Total">Messages that match, over all pages.</param>
/// <param name="Items">This page, newest first.</param>
public sealed record KeywordMessagePage(int Total, IReadOnlyList<KeywordMessage> Items);

/// <summary>
/// The voice of the customer (E17 2.12, chapter 7): sentiment trends, hot keywords, topics and keyword detail, read
/// from daily aggregates that the analytics event sink keeps as messages arrive; and the tenant's vocabulary (focus
/// words, stop words from the next day, user words, new-word discovery). Dates are UTC days; a range is at most
/// <see cref="VoiceOptions.MaxRangeDays"/> days.
/// </summary>
public interface IVoiceOfCustomer
{
    /// <summary>
    /// The daily sentiment shares of <paramref name="scope"/>'s messages over <paramref name="days"/> days ending
    /// <paramref name="to"/> (today when null); 16 days by default (E17 7.4).
    /// </summary>
    ValueTask<IReadOnlyList<SentimentDay>> GetSentimentTrendAsync(long tenantId, VoiceScope scope, DateOnly? to = null, int days = 16, CancellationToken cancellationToken = default);

    /// <summary>Hot keywords (热门关键词) of a period, without the stop words in effect today.</summary>
    ValueTask<IReadOnlyList<KeywordStat>> GetKeywordsAsync(long tenantId, KeywordQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Groups a period's keywords into themes by how often they are mentioned together (E17 7.5), with each theme's
    /// share and the top keywords by frequency and by sentiment, globally and per theme. Computed from the daily
    /// aggregates; the stop words in effect today are left out.
    /// </summary>
    ValueTask<VoiceTopics> GetTopicsAsync(long tenantId, TopicQuery query, CancellationToken cancellationToken = default);

    /// <summary>A keyword's daily frequency and sentiment between two days.</summary>
    ValueTask<KeywordDetail> GetKeywordDetailAsync(long tenantId, string word, VoiceScope scope, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>The messages that mention a keyword, newest first, filterable by sentiment.</summary>
    ValueTask<KeywordMessagePage> GetKeywordMessagesAsync(long tenantId, KeywordMessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>The tenant's vocabulary.</summary>
    ValueTask<VoiceVocabulary> GetVocabularyAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds stop words; they take effect from tomorrow (UTC) and their keywords disappear from then on (E17 7.6).</summary>
    ValueTask<VoiceVocabulary> AddStopWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default);

    /// <summary>Takes words off the stop list; counting them resumes from tomorrow (E17 7.6).</summary>
    ValueTask<VoiceVocabulary> RemoveStopWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default);

    /// <summary>Replaces the focus words (关注词, E17 7.3); they apply to messages from now on.</summary>
    ValueTask<VoiceVocabulary> SetFocusWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds words the dictionary lacks (product names, slang) in the tenant's messages of conversations created in a
    /// period, by frequency, cohesion and boundary entropy, best first, leaving out the tenant's user and focus words.
    /// Reads at most <see cref="VoiceOptions.NewWordMaxConversations"/> conversations, newest first.
    /// </summary>
    ValueTask<IReadOnlyList<Kefu.Analytics.Text.NewWordCandidate>> DiscoverNewWordsAsync(long tenantId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Adds words to the tenant's own dictionary words (for example discovered new words); they apply to messages from now on.</summary>
    ValueTask<VoiceVocabulary> AddUserWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default);

    /// <summary>Replaces the tenant's own dictionary words; they apply to messages from now on.</summary>
    ValueTask<VoiceVocabulary> SetUserWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default);
}
