namespace Kefu.Bots.Matching;

/// <summary>Which stage of the pipeline found the answer.</summary>
public enum MatchKind
{
    /// <summary>Nothing matched.</summary>
    None,

    /// <summary>The question equals one of a rule's questions after normalisation.</summary>
    Exact,

    /// <summary>The question contains every word of one of a rule's keyword entries.</summary>
    Keyword,

    /// <summary>The statistical matcher.</summary>
    Statistical,
}

/// <summary>What the matching pipeline found for a question.</summary>
/// <param name="Kind">The stage that found <see cref="Candidates"/>.</param>
/// <param name="Candidates">The best rules, most confident first (up to the number asked for).</param>
public sealed record KnowledgeMatch(MatchKind Kind, IReadOnlyList<RuleScore> Candidates)
{
    /// <summary>Nothing matched.</summary>
    public static KnowledgeMatch None { get; } = new(MatchKind.None, []);

    /// <summary>The best rule's confidence, 0 when nothing matched.</summary>
    public double Confidence => Candidates.Count > 0 ? Candidates[0].Confidence : 0;

    /// <summary>The best rule, or null.</summary>
    public long? BestRuleId => Candidates.Count > 0 ? Candidates[0].RuleId : null;
}

/// <summary>
/// A robot's matching pipeline (B4), immutable once built: exact match after normalisation, then keyword rules, then
/// the statistical matcher. Built off the message path when rules change and swapped in whole, so readers never
/// block and never see half an index.
/// </summary>
public sealed class KnowledgeIndex
{
    private readonly Dictionary<string, long> _exact;
    private readonly Kefu.Moderation.SensitiveWordMatcher? _keywords;
    private readonly Dictionary<string, int[]> _entriesByWord;
    private readonly KeywordEntry[] _entries;

    private KnowledgeIndex(Dictionary<string, long> exact, Kefu.Moderation.SensitiveWordMatcher? keywords, Dictionary<string, int[]> entriesByWord,
        KeywordEntry[] entries, IQuestionIndex statistical, int ruleCount, long version)
    {
        _exact = exact;
        _keywords = keywords;
        _entriesByWord = entriesByWord;
        _entries = entries;
        Statistical = statistical;
        RuleCount = ruleCount;
        Version = version;
    }

    /// <summary>An index with no rules: every question falls back.</summary>
    public static KnowledgeIndex Empty { get; } = new([], null, [], [], EmptyQuestionIndex.Instance, 0, 0);

    /// <summary>The statistical stage.</summary>
    public IQuestionIndex Statistical { get; }

    /// <summary>How many enabled rules the index answers from.</summary>
    public int RuleCount { get; }

    /// <summary>A number that grows with every rebuild of the same robot's index (given by the builder).</summary>
    public long Version { get; }

    /// <summary>Builds the pipeline over the enabled rules.</summary>
    public static KnowledgeIndex Build(IEnumerable<KnowledgeRule> rules, IQuestionMatcher matcher, long version = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(matcher);
        var exact = new Dictionary<string, long>(StringComparer.Ordinal);
        var labelled = new List<LabelledQuestion>();
        var entries = new List<KeywordEntry>();
        var words = new HashSet<string>(StringComparer.Ordinal);
        var ruleCount = 0;
        foreach (var rule in rules)
        {
            if (!rule.Enabled)
            {
                continue;
            }

            ruleCount++;
            foreach (var question in rule.Questions)
            {
                var normal = QuestionText.Normalize(question);
                if (normal.Length > 0)
                {
                    exact.TryAdd(normal, rule.Id);
                    labelled.Add(new LabelledQuestion(question, rule.Id));
                }
            }

            foreach (var keyword in rule.Keywords)
            {
                var parts = keyword.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(p => QuestionText.Normalize(p)).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
                if (parts.Length > 0)
                {
                    entries.Add(new KeywordEntry(rule.Id, parts));
                    words.UnionWith(parts);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var statistical = labelled.Count > 0 ? matcher.Build(labelled, cancellationToken) : EmptyQuestionIndex.Instance;
        var byWord = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            foreach (var part in entries[i].Words)
            {
                if (!byWord.TryGetValue(part, out var list))
                {
                    byWord[part] = list = [];
                }

                list.Add(i);
            }
        }

        var keywordMatcher = words.Count > 0
            ? Kefu.Moderation.SensitiveWordMatcher.Compile(words, Kefu.Moderation.SensitiveWordNormalization.None)
            : null;
        return new KnowledgeIndex(exact, keywordMatcher, byWord.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
            [.. entries], statistical, ruleCount, version);
    }

    /// <summary>Finds the rules a question asks for: up to <paramref name="max"/> candidates (1–10), most confident first.</summary>
    public KnowledgeMatch Match(ReadOnlySpan<char> question, int max = 3)
    {
        if (max is < 1 or > 10)
        {
            throw new KefuValidationException(nameof(max), "1–10", $"was {max}");
        }

        var normal = QuestionText.Normalize(question);
        if (normal.Length == 0 || RuleCount == 0)
        {
            return KnowledgeMatch.None;
        }

        if (_exact.TryGetValue(normal, out var exactRule))
        {
            return new KnowledgeMatch(MatchKind.Exact, [new RuleScore(exactRule, 1.0)]);
        }

        if (_keywords is not null && MatchKeywords(normal) is { } keywordRule)
        {
            return new KnowledgeMatch(MatchKind.Keyword, [new RuleScore(keywordRule, 1.0)]);
        }

        Span<RuleScore> buffer = stackalloc RuleScore[10];
        var n = Statistical.Match(normal, buffer[..max]);
        return n == 0 ? KnowledgeMatch.None : new KnowledgeMatch(MatchKind.Statistical, buffer[..n].ToArray());
    }

    /// <summary>How alike two questions are, in [0, 1], under the statistical stage.</summary>
    public double Similarity(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Statistical.Similarity(QuestionText.Normalize(first), QuestionText.Normalize(second));
    }

    /// <summary>The keyword entry with the most words found in the question (the most specific), or null.</summary>
    private long? MatchKeywords(string normal)
    {
        var found = _keywords!.FindAll(normal);
        if (found.Count == 0)
        {
            return null;
        }

        var present = new HashSet<string>(found.Select(m => m.Word), StringComparer.Ordinal);
        long? best = null;
        var bestWords = 0;
        foreach (var word in present)
        {
            if (!_entriesByWord.TryGetValue(word, out var candidates))
            {
                continue;
            }

            foreach (var i in candidates)
            {
                var entry = _entries[i];
                if (entry.Words.Length > bestWords && entry.Words.All(present.Contains))
                {
                    best = entry.RuleId;
                    bestWords = entry.Words.Length;
                }
            }
        }

        return best;
    }

    private sealed record KeywordEntry(long RuleId, string[] Words);

    private sealed class EmptyQuestionIndex : IQuestionIndex
    {
        public static EmptyQuestionIndex Instance { get; } = new();

        public int RuleCount => 0;

        public int Match(ReadOnlySpan<char> question, Span<RuleScore> results) => 0;

        public double Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => first.SequenceEqual(second) ? 1 : 0;
    }
}
