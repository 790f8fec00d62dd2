namespace Kefu.Analytics.Topics;

/// <summary>A keyword with its frequency and average sentiment, for a chart of the voice of the customer.</summary>
/// <param name="Keyword">The keyword.</param>
/// <param name="Frequency">How many times it occurred.</param>
/// <param name="Sentiment">Its average sentiment in [−1, 1].</param>
public sealed record KeywordSummary(string Keyword, long Frequency, double Sentiment);

/// <summary>The keyword charts of E17 7.5: the top keywords by frequency and by sentiment, over all keywords or one theme's.</summary>
public static class KeywordRanking
{
    /// <summary>The number of keywords the charts show: 15.</summary>
    public const int DefaultCount = 15;

    /// <summary>The <paramref name="count"/> most frequent keywords (ties in ordinal order), with their sentiment.</summary>
    public static IReadOnlyList<KeywordSummary> TopByFrequency(KeywordStatistics statistics, int count = DefaultCount)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return TopByFrequency(statistics.Keywords.Keys, statistics, count);
    }

    /// <summary>The <paramref name="count"/> most frequent keywords of <paramref name="topic"/>, with their sentiment.</summary>
    public static IReadOnlyList<KeywordSummary> TopByFrequency(Topic topic, KeywordStatistics statistics, int count = DefaultCount)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(statistics);
        return TopByFrequency(topic.Keywords.Select(k => k.Keyword), statistics, count);
    }

    /// <summary>
    /// The <paramref name="count"/> keywords of highest average sentiment (lowest with <paramref name="mostNegative"/>),
    /// among those of frequency at least <paramref name="minFrequency"/>; ties go to the more frequent, then ordinal order.
    /// </summary>
    public static IReadOnlyList<KeywordSummary> TopBySentiment(KeywordStatistics statistics, int count = DefaultCount, bool mostNegative = false, long minFrequency = 1)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return TopBySentiment(statistics.Keywords.Keys, statistics, count, mostNegative, minFrequency);
    }

    /// <summary>As <see cref="TopBySentiment(KeywordStatistics, int, bool, long)"/>, among the keywords of <paramref name="topic"/>.</summary>
    public static IReadOnlyList<KeywordSummary> TopBySentiment(Topic topic, KeywordStatistics statistics, int count = DefaultCount, bool mostNegative = false, long minFrequency = 1)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(statistics);
        return TopBySentiment(topic.Keywords.Select(k => k.Keyword), statistics, count, mostNegative, minFrequency);
    }

    private static KeywordSummary[] TopByFrequency(IEnumerable<string> keywords, KeywordStatistics statistics, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Summaries(keywords, statistics, 1)
            .OrderByDescending(s => s.Frequency).ThenBy(s => s.Keyword, StringComparer.Ordinal)
            .Take(count).ToArray();
    }

    private static KeywordSummary[] TopBySentiment(IEnumerable<string> keywords, KeywordStatistics statistics, int count, bool mostNegative, long minFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(minFrequency, 1);
        var summaries = Summaries(keywords, statistics, minFrequency);
        var ordered = mostNegative ? summaries.OrderBy(s => s.Sentiment) : summaries.OrderByDescending(s => s.Sentiment);
        return ordered.ThenByDescending(s => s.Frequency).ThenBy(s => s.Keyword, StringComparer.Ordinal).Take(count).ToArray();
    }

    private static IEnumerable<KeywordSummary> Summaries(IEnumerable<string> keywords, KeywordStatistics statistics, long minFrequency)
    {
        foreach (var keyword in keywords)
        {
            if (statistics.Keywords.TryGetValue(keyword, out var c) && c.Frequency >= minFrequency)
            {
                yield return new KeywordSummary(keyword, c.Frequency, c.Sentiment);
            }
        }
    }
}
