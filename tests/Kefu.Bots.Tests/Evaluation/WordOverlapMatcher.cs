using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Evaluation;

/// <summary>
/// A matcher whose scores can be worked out by hand, for the evaluators' tests: a rule's confidence is the best
/// Jaccard index between the question's words and the words of one of the rule's questions; similarity is the
/// Jaccard index of two texts' words.
/// </summary>
internal sealed class WordOverlapMatcher : IQuestionMatcher
{
    public string Name => "word-overlap";

    public IQuestionIndex Build(IReadOnlyList<LabelledQuestion> questions, CancellationToken cancellationToken = default)
        => new Index([.. questions.Select(q => (Words(q.Text), q.RuleId))]);

    internal static HashSet<string> Words(ReadOnlySpan<char> text)
        => [.. QuestionText.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    internal static double Jaccard(HashSet<string> a, HashSet<string> b)
        => a.Count + b.Count == 0 ? 0 : (double)a.Count(b.Contains) / a.Union(b).Count();

    private sealed class Index((HashSet<string> Words, long RuleId)[] questions) : IQuestionIndex
    {
        public int RuleCount => questions.Select(q => q.RuleId).Distinct().Count();

        public int Match(ReadOnlySpan<char> question, Span<RuleScore> results)
        {
            var words = Words(question);
            var best = questions.GroupBy(q => q.RuleId)
                .Select(g => new RuleScore(g.Key, g.Max(q => Jaccard(words, q.Words))))
                .Where(s => s.Confidence > 0)
                .OrderByDescending(s => s.Confidence).ThenBy(s => s.RuleId)
                .Take(results.Length)
                .ToArray();
            best.CopyTo(results);
            return best.Length;
        }

        public double Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => Jaccard(Words(first), Words(second));
    }
}
