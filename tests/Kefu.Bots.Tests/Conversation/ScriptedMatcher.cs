using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>
/// A statistical stage that answers from a script: for a question (by normal form), the rules that have the scripted
/// questions, with the scripted confidences; nothing for other questions. Tests of the robot's bands (answer, "did you
/// mean", fallback) use it so that they do not depend on how the real matcher is calibrated.
/// </summary>
internal sealed class ScriptedMatcher(IReadOnlyDictionary<string, (string RuleQuestion, double Confidence)[]> script) : IQuestionMatcher
{
    public string Name => "scripted";

    public IQuestionIndex Build(IReadOnlyList<LabelledQuestion> questions, CancellationToken cancellationToken = default)
    {
        var rules = questions.GroupBy(q => q.Text, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().RuleId, StringComparer.Ordinal);
        var scores = script.ToDictionary(
            p => QuestionText.Normalize(p.Key),
            p => p.Value.Where(v => rules.ContainsKey(v.RuleQuestion)).Select(v => new RuleScore(rules[v.RuleQuestion], v.Confidence)).ToArray(),
            StringComparer.Ordinal);
        return new Index(scores, rules.Values.Distinct().Count());
    }

    private sealed class Index(Dictionary<string, RuleScore[]> script, int ruleCount) : IQuestionIndex
    {
        public int RuleCount => ruleCount;

        public int Match(ReadOnlySpan<char> question, Span<RuleScore> results)
        {
            if (!script.TryGetValue(question.ToString(), out var scores))
            {
                return 0;
            }

            var n = Math.Min(scores.Length, results.Length);
            scores.AsSpan(0, n).CopyTo(results);
            return n;
        }

        public double Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => first.SequenceEqual(second) ? 1 : 0;
    }
}
