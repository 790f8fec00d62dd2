using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Voice;

/// <summary>Which period and messages to group into themes.</summary>
public sealed record TopicQuery
{
    /// <summary>Whose messages.</summary>
    /// <value>Default <see cref="VoiceScope.All"/>.</value>
    public VoiceScope Scope { get; init; } = VoiceScope.All;

    /// <summary>The first day (UTC).</summary>
    public required DateOnly From { get; init; }

    /// <summary>The last day (UTC), included.</summary>
    public required DateOnly To { get; init; }

    /// <summary>How many themes, 2–50.</summary>
    /// <value>Default 10.</value>
    public int TopicCount { get; init; } = 10;

    /// <summary>How many keywords each ranking lists, 1–100.</summary>
    /// <value>Default 15 (E17 7.5: Top 15 关键词).</value>
    public int Top { get; init; } = 15;
}

/// <summary>One theme with its rankings.</summary>
/// <param name="Topic">The theme: id, name (its leading keywords), share of all clustered keywords' mentions, keywords by affinity.</param>
/// <param name="TopByFrequency">Its most mentioned keywords, with their sentiment.</param>
/// <param name="MostPositive">Its keywords of highest average sentiment (mentioned at least twice).</param>
/// <param name="MostNegative">Its keywords of lowest average sentiment (mentioned at least twice).</param>
public sealed record VoiceTopic(Topic Topic, IReadOnlyList<KeywordSummary> TopByFrequency, IReadOnlyList<KeywordSummary> MostPositive, IReadOnlyList<KeywordSummary> MostNegative);

/// <summary>The keyword analysis of a period (E17 7.5.1, 7.5.2): themes and the global rankings.</summary>
/// <param name="Messages">Messages analysed in the period.</param>
/// <param name="Topics">The themes, largest share first.</param>
/// <param name="TopByFrequency">The most mentioned keywords overall, with their sentiment.</param>
/// <param name="MostPositive">The keywords of highest average sentiment overall (mentioned at least twice).</param>
/// <param name="MostNegative">The keywords of lowest average sentiment overall (mentioned at least twice).</param>
public sealed record VoiceTopics(long Messages, IReadOnlyList<VoiceTopic> Topics, IReadOnlyList<KeywordSummary> TopByFrequency, IReadOnlyList<KeywordSummary> MostPositive, IReadOnlyList<KeywordSummary> MostNegative);
