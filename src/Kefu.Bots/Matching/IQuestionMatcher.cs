namespace Kefu.Bots.Matching;

/// <summary>A question and the rule it asks for: what a matcher learns from.</summary>
/// <param name="Text">The question as written.</param>
/// <param name="RuleId">The knowledge rule.</param>
public readonly record struct LabelledQuestion(string Text, long RuleId);

/// <summary>A rule and how sure a matcher is that a question asks for it.</summary>
/// <param name="RuleId">The knowledge rule.</param>
/// <param name="Confidence">A calibrated confidence in [0, 1]: of the questions given this confidence, about this share are right.</param>
public readonly record struct RuleScore(long RuleId, double Confidence);

/// <summary>
/// The statistical stage of the matching pipeline (B4), pluggable: builds an index from the rules' questions alone.
/// Kefu ships <see cref="NgramQuestionMatcher"/>; register another with <c>AddBots(b =&gt; b.UseMatcher&lt;T&gt;())</c>.
/// </summary>
public interface IQuestionMatcher
{
    /// <summary>The matcher's name, for logs and evaluation output.</summary>
    string Name { get; }

    /// <summary>
    /// Builds an index over <paramref name="questions"/>. Called off the message path whenever a robot's rules change;
    /// must not depend on anything but its input (nothing downloaded), and should take seconds, not minutes.
    /// </summary>
    IQuestionIndex Build(IReadOnlyList<LabelledQuestion> questions, CancellationToken cancellationToken = default);
}

/// <summary>An immutable index built by an <see cref="IQuestionMatcher"/>; safe for any number of concurrent readers.</summary>
public interface IQuestionIndex
{
    /// <summary>How many rules the index knows.</summary>
    int RuleCount { get; }

    /// <summary>
    /// Scores the rules for <paramref name="question"/> and writes the best, most confident first, into
    /// <paramref name="results"/>; returns how many were written (0 when nothing is similar at all).
    /// </summary>
    int Match(ReadOnlySpan<char> question, Span<RuleScore> results);

    /// <summary>How alike two texts are under the index's weighting, in [0, 1] (1 for the same text).</summary>
    double Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second);
}
