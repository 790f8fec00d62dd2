namespace Kefu.Analytics.Topics;

/// <summary>A keyword of a theme.</summary>
/// <param name="Keyword">The keyword, folded as it is counted.</param>
/// <param name="Frequency">How many times it occurred in the period.</param>
/// <param name="Sentiment">Its average sentiment in [−1, 1] (<see cref="KeywordCounts.Sentiment"/>).</param>
/// <param name="Affinity">How strongly it belongs to the theme, in [0, 1]: the cosine of its co-occurrence profile with the theme's.</param>
public sealed record TopicKeyword(string Keyword, long Frequency, double Sentiment, double Affinity);

/// <summary>One theme: a group of keywords that occur together.</summary>
/// <param name="Id">The theme's number, from 0; themes are numbered by decreasing share.</param>
/// <param name="Name">A name made of its leading keywords, such as <c>酒店/房间</c>.</param>
/// <param name="Share">Its keywords' frequency over the frequency of every clustered keyword, in [0, 1]; the shares sum to 1.</param>
/// <param name="Frequency">The sum of its keywords' frequencies.</param>
/// <param name="Keywords">Its keywords, most representative first (frequency weighted by affinity).</param>
public sealed record Topic(int Id, string Name, double Share, long Frequency, IReadOnlyList<TopicKeyword> Keywords);

/// <summary>
/// The themes fitted by <see cref="TopicModeler.Fit"/>, and the means to place a message in one of them. Immutable
/// and thread-safe.
/// </summary>
public sealed class TopicModel
{
    private readonly Dictionary<string, int> _index;
    private readonly float[] _affinity;
    private readonly float[] _weight;
    private readonly int[] _topic;
    private readonly int _k;

    internal TopicModel(IReadOnlyList<Topic> topics, Dictionary<string, int> index, int[] topic, float[] affinity, float[] weight, TopicOptions options, long messageCount)
    {
        Topics = topics;
        _index = index;
        _topic = topic;
        _affinity = affinity;
        _weight = weight;
        _k = topics.Count;
        TopicCount = options.TopicCount;
        Seed = options.Seed;
        MessageCount = messageCount;
    }

    /// <summary>The themes, by decreasing share; <see cref="Topic.Id"/> is the position in this list. Fewer than asked when there were too few keywords.</summary>
    public IReadOnlyList<Topic> Topics { get; }

    /// <summary>The number of themes asked for.</summary>
    public int TopicCount { get; }

    /// <summary>The seed the model was fitted with.</summary>
    public int Seed { get; }

    /// <summary>The number of messages of the statistics.</summary>
    public long MessageCount { get; }

    /// <summary>The clustered keywords: those that belong to a theme.</summary>
    public int KeywordCount => _index.Count;

    /// <summary>The theme of <paramref name="keyword"/>, or −1 when it was not clustered.</summary>
    public int TopicOf(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return _index.TryGetValue(keyword, out var row) ? _topic[row] : -1;
    }

    /// <summary>
    /// The theme a message belongs to: its keywords vote for the themes by their affinity to each, a rarer keyword's
    /// vote weighing more (inverse document frequency). −1 when none of its keywords was clustered.
    /// </summary>
    /// <param name="keywords">The message's keywords, folded (as <c>KeywordExtractor.Extract</c> gives them); repeats count again.</param>
    public int Assign(IEnumerable<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        Span<double> scores = stackalloc double[_k];
        scores.Clear();
        var any = false;
        foreach (var keyword in keywords)
        {
            if (keyword is null || !_index.TryGetValue(keyword, out var row))
            {
                continue;
            }

            var w = _weight[row];
            for (var z = 0; z < _k; z++)
            {
                scores[z] += w * _affinity[(row * _k) + z];
            }

            any = true;
        }

        if (!any)
        {
            return -1;
        }

        var best = -1;
        var bestScore = 0.0;
        for (var z = 0; z < _k; z++)
        {
            if (scores[z] > bestScore)
            {
                bestScore = scores[z];
                best = z;
            }
        }

        return best;
    }
}
