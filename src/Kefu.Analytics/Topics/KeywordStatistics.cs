namespace Kefu.Analytics.Topics;

/// <summary>The counts of one keyword over a period.</summary>
/// <param name="Frequency">How many times the keyword occurred, repeats in one message included.</param>
/// <param name="Messages">How many messages contain the keyword; at most <paramref name="Frequency"/>.</param>
/// <param name="SentimentSum">The sum, over the keyword's occurrences, of the sentiment (in [−1, 1]) of the message it occurred in.</param>
public readonly record struct KeywordCounts(long Frequency, long Messages, double SentimentSum)
{
    /// <summary>The keyword's average sentiment, <see cref="SentimentSum"/> / <see cref="Frequency"/>, in [−1, 1]; 0 when it never occurred.</summary>
    public double Sentiment => Frequency == 0 ? 0 : Math.Clamp(SentimentSum / Frequency, -1, 1);
}

/// <summary>Two different keywords, in ordinal order (<see cref="First"/> sorts before <see cref="Second"/>).</summary>
public readonly record struct KeywordPair
{
    private KeywordPair(string first, string second)
    {
        First = first;
        Second = second;
    }

    /// <summary>The keyword that sorts first.</summary>
    public string First { get; }

    /// <summary>The keyword that sorts second.</summary>
    public string Second { get; }

    /// <summary>The pair of <paramref name="a"/> and <paramref name="b"/>, in either order.</summary>
    /// <exception cref="ArgumentException">The keywords are empty or equal.</exception>
    public static KeywordPair Of(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        var order = string.CompareOrdinal(a, b);
        if (order == 0)
        {
            throw new ArgumentException($"A keyword pair needs two different keywords; both are '{a}'.", nameof(b));
        }

        return order < 0 ? new KeywordPair(a, b) : new KeywordPair(b, a);
    }
}

/// <summary>
/// What the topic engine reads: over a period (one tenant, a range of days), each keyword's counts, how many messages
/// held each pair of keywords, and the number of messages. The product keeps these as daily aggregates and sums the
/// days of a range (<see cref="KeywordStatisticsBuilder.Add(KeywordStatistics)"/>); tests and evaluations build them
/// from messages' keywords (<see cref="KeywordStatisticsBuilder.AddMessage"/>). Immutable.
/// </summary>
public sealed class KeywordStatistics
{
    internal KeywordStatistics(long messageCount, Dictionary<string, KeywordCounts> keywords, Dictionary<KeywordPair, long> cooccurrences)
    {
        MessageCount = messageCount;
        Keywords = keywords;
        Cooccurrences = cooccurrences;
    }

    /// <summary>Statistics of no message.</summary>
    public static KeywordStatistics Empty { get; } = new(0, new(StringComparer.Ordinal), []);

    /// <summary>The number of messages counted, those without keywords included.</summary>
    public long MessageCount { get; }

    /// <summary>Each keyword's counts.</summary>
    public IReadOnlyDictionary<string, KeywordCounts> Keywords { get; }

    /// <summary>
    /// For each pair of keywords, the number of messages in which both were among the message's top
    /// <see cref="KeywordStatisticsBuilder.MaxPairKeywordsPerMessage"/> distinct keywords.
    /// </summary>
    public IReadOnlyDictionary<KeywordPair, long> Cooccurrences { get; }

    /// <summary>A builder, empty.</summary>
    public static KeywordStatisticsBuilder CreateBuilder() => new();
}

/// <summary>Accumulates <see cref="KeywordStatistics"/> from messages or from stored aggregates. Not thread-safe.</summary>
public sealed class KeywordStatisticsBuilder
{
    /// <summary>How many distinct keywords of a message form its pairs: 8, so a message adds at most 28 pairs.</summary>
    public const int MaxPairKeywordsPerMessage = 8;

    private readonly Dictionary<string, KeywordCounts> _keywords = new(StringComparer.Ordinal);
    private readonly Dictionary<KeywordPair, long> _pairs = [];
    private readonly Dictionary<string, (int Count, int First)> _scratch = new(StringComparer.Ordinal);
    private long _messages;

    /// <summary>The number of messages added so far.</summary>
    public long MessageCount => _messages;

    /// <summary>
    /// Counts one message from its keywords (in text order, with repeats, as <c>KeywordExtractor.Extract</c> gives
    /// them) and its sentiment: each occurrence adds 1 to its keyword's frequency and <paramref name="sentiment"/> to
    /// its sentiment sum, each distinct keyword 1 to its message count, and each pair among the message's top
    /// <see cref="MaxPairKeywordsPerMessage"/> distinct keywords (<see cref="PairKeywords"/>) 1 to the pair's count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sentiment"/> is outside [−1, 1].</exception>
    public KeywordStatisticsBuilder AddMessage(IReadOnlyList<string> keywords, double sentiment = 0)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        CheckSentiment(sentiment);
        _messages++;
        var top = SelectPairKeywords(keywords, _scratch);
        foreach (var (keyword, (count, _)) in _scratch)
        {
            var c = _keywords.GetValueOrDefault(keyword);
            _keywords[keyword] = new KeywordCounts(c.Frequency + count, c.Messages + 1, c.SentimentSum + (count * sentiment));
        }

        for (var i = 0; i < top.Count; i++)
        {
            for (var j = i + 1; j < top.Count; j++)
            {
                var pair = KeywordPair.Of(top[i], top[j]);
                _pairs[pair] = _pairs.GetValueOrDefault(pair) + 1;
            }
        }

        return this;
    }

    /// <summary>
    /// The keywords of a message that form its pairs: its distinct keywords, most repeated first, then in order of
    /// first appearance, at most <see cref="MaxPairKeywordsPerMessage"/>.
    /// </summary>
    public static IReadOnlyList<string> PairKeywords(IReadOnlyList<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        return SelectPairKeywords(keywords, new Dictionary<string, (int, int)>(StringComparer.Ordinal));
    }

    private static List<string> SelectPairKeywords(IReadOnlyList<string> keywords, Dictionary<string, (int Count, int First)> counts)
    {
        counts.Clear();
        for (var i = 0; i < keywords.Count; i++)
        {
            var keyword = keywords[i];
            ArgumentException.ThrowIfNullOrEmpty(keyword, nameof(keywords));
            counts[keyword] = counts.TryGetValue(keyword, out var c) ? (c.Count + 1, c.First) : (1, i);
        }

        var distinct = counts.OrderByDescending(e => e.Value.Count).ThenBy(e => e.Value.First).Take(MaxPairKeywordsPerMessage);
        return distinct.Select(e => e.Key).ToList();
    }

    /// <summary>Adds stored counts of one keyword (for example one day's).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, <paramref name="messages"/> exceeds <paramref name="frequency"/>, or the sentiment sum exceeds the frequency in size.</exception>
    public KeywordStatisticsBuilder AddKeyword(string keyword, long frequency, long messages, double sentimentSum)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyword);
        ArgumentOutOfRangeException.ThrowIfNegative(frequency);
        ArgumentOutOfRangeException.ThrowIfNegative(messages);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messages, frequency);
        if (!double.IsFinite(sentimentSum) || Math.Abs(sentimentSum) > frequency + 1e-9)
        {
            throw new ArgumentOutOfRangeException(nameof(sentimentSum), sentimentSum, $"The sentiment sum must lie in [−{frequency}, {frequency}] (the frequency).");
        }

        var c = _keywords.GetValueOrDefault(keyword);
        _keywords[keyword] = new KeywordCounts(c.Frequency + frequency, c.Messages + messages, c.SentimentSum + sentimentSum);
        return this;
    }

    /// <summary>Adds a stored count of messages holding both <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">The keywords are empty or equal.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="messages"/> is negative.</exception>
    public KeywordStatisticsBuilder AddCooccurrence(string a, string b, long messages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messages);
        var pair = KeywordPair.Of(a, b);
        _pairs[pair] = _pairs.GetValueOrDefault(pair) + messages;
        return this;
    }

    /// <summary>Adds a stored number of messages (those without keywords included).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public KeywordStatisticsBuilder AddMessageCount(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _messages += count;
        return this;
    }

    /// <summary>Adds all of <paramref name="statistics"/> (for example one more day).</summary>
    public KeywordStatisticsBuilder Add(KeywordStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        _messages += statistics.MessageCount;
        foreach (var (keyword, c) in statistics.Keywords)
        {
            var old = _keywords.GetValueOrDefault(keyword);
            _keywords[keyword] = new KeywordCounts(old.Frequency + c.Frequency, old.Messages + c.Messages, old.SentimentSum + c.SentimentSum);
        }

        foreach (var (pair, n) in statistics.Cooccurrences)
        {
            _pairs[pair] = _pairs.GetValueOrDefault(pair) + n;
        }

        return this;
    }

    /// <summary>The statistics added so far; the builder can go on adding.</summary>
    public KeywordStatistics Build()
        => new(_messages, new Dictionary<string, KeywordCounts>(_keywords, StringComparer.Ordinal), new Dictionary<KeywordPair, long>(_pairs));

    private static void CheckSentiment(double sentiment)
    {
        if (!(sentiment >= -1 && sentiment <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sentiment), sentiment, "A message's sentiment must lie in [−1, 1].");
        }
    }
}
