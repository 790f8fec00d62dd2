namespace Kefu.Analytics.Topics;

/// <summary>How <see cref="TopicModeler.Fit"/> groups keywords into themes.</summary>
public sealed class TopicOptions
{
    /// <summary>The smallest allowed <see cref="TopicCount"/>.</summary>
    public const int MinTopicCount = 2;

    /// <summary>The largest allowed <see cref="TopicCount"/>.</summary>
    public const int MaxTopicCount = 50;

    /// <summary>The smallest allowed <see cref="MaxKeywords"/>.</summary>
    public const int MinMaxKeywords = 10;

    /// <summary>The largest allowed <see cref="MaxKeywords"/>.</summary>
    public const int MaxMaxKeywords = 20_000;

    /// <summary>The largest allowed <see cref="Restarts"/>.</summary>
    public const int MaxRestarts = 100;

    /// <summary>The number of themes (k).</summary>
    /// <value>10; from 2 to 50.</value>
    public int TopicCount { get; set; } = 10;

    /// <summary>How many keywords are clustered: the most frequent ones; the others belong to no theme.</summary>
    /// <value>3000; from 10 to 20,000.</value>
    public int MaxKeywords { get; set; } = 3000;

    /// <summary>The frequency a keyword needs to be clustered.</summary>
    /// <value>2 (a keyword seen once has no reliable co-occurrences); from 1 to 1,000,000.</value>
    public int MinKeywordFrequency { get; set; } = 2;

    /// <summary>How many times the clustering starts from fresh seeds; the best result is kept.</summary>
    /// <value>10; from 1 to 100.</value>
    public int Restarts { get; set; } = 10;

    /// <summary>The seed of the random choices: the same statistics, options and seed give the same themes.</summary>
    /// <value>1; any integer.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Checks every field.</summary>
    /// <exception cref="KefuValidationException">A field is out of range; the exception names it and the range.</exception>
    public void Validate()
    {
        Check(TopicCount, MinTopicCount, MaxTopicCount, nameof(TopicCount));
        Check(MaxKeywords, MinMaxKeywords, MaxMaxKeywords, nameof(MaxKeywords));
        Check(MinKeywordFrequency, 1, 1_000_000, nameof(MinKeywordFrequency));
        Check(Restarts, 1, MaxRestarts, nameof(Restarts));
    }

    private static void Check(int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, $"between {min} and {max}", $"was {value}");
        }
    }
}
