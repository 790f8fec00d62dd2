using Kefu.Bots.Matching;

namespace Kefu.Bots.Assist;

/// <summary>The ranking of <see cref="AgentAssistOptions"/>: base scores moved on the log-odds scale by bounded feedback boosts.</summary>
internal static class AssistRanking
{
    /// <summary>Base scores are kept this far from 0 and 1, so feedback can always move them.</summary>
    public const double Epsilon = 0.01;

    /// <summary>Feedback on questions less similar than this to the current one does not count locally.</summary>
    public const double MinSimilarity = 0.3;

    /// <summary>The global boost moves an answer's odds by at most 2× either way.</summary>
    public static readonly double MaxGlobal = Math.Log(2);

    /// <summary>The local boost moves an answer's odds by at most 16× either way.</summary>
    public static readonly double MaxLocal = Math.Log(16);

    /// <summary>How much a mined answer's confidence counts, from how often agents gave it: (n + 1) / (n + 2).</summary>
    public static double Support(int uses) => (Math.Max(0, uses) + 1.0) / (Math.Max(0, uses) + 2.0);

    /// <summary>
    /// A mined answer's base score: the similarity of the question to the answer's nearest question, raised towards the
    /// history index's confidence when that is higher (their geometric mean), times <see cref="Support"/>. The index
    /// finds the candidates; the similarity keeps a classifier's guess over few answers from counting unless the
    /// question is really alike, and keeps the runners-up a one-vs-rest classifier scores 0.
    /// </summary>
    public static double HistoryScore(double confidence, double nearestSimilarity, int uses)
    {
        var alike = Math.Clamp(nearestSimilarity, 0, 1);
        var sure = Math.Clamp(confidence, 0, 1);
        return (sure > alike ? Math.Sqrt(sure * alike) : alike) * Support(uses);
    }

    /// <summary>The answer's boost from all its feedback in the tenant: ½ ln((1 + P + E/2) / (1 + I)), within ±ln 2.</summary>
    public static double GlobalBoost(FeedbackStats stats) =>
        Math.Clamp(0.5 * Math.Log((1 + stats.Picks + (0.5 * stats.Edits)) / (1.0 + stats.Ignores)), -MaxGlobal, MaxGlobal);

    /// <summary>
    /// The answer's boost from its feedback on questions like <paramref name="question"/>: 2 ln((1 + p) / (1 + i)) within
    /// ±ln 16, where p sums, over the questions it was given feedback on, the question's similarity times its picks (an
    /// edit counting half), and i the similarity times its ignores; questions less than <see cref="MinSimilarity"/>
    /// alike do not count.
    /// </summary>
    public static double LocalBoost(FeedbackStats stats, string question, IQuestionIndex similarity)
    {
        if (question.Length == 0)
        {
            return 0;
        }

        double positive = 0, negative = 0;
        foreach (var asked in stats.Questions)
        {
            var alike = similarity.Similarity(question, asked.Question);
            if (alike < MinSimilarity)
            {
                continue;
            }

            positive += alike * (asked.Picks + (0.5 * asked.Edits));
            negative += alike * asked.Ignores;
        }

        return Math.Clamp(2 * Math.Log((1 + positive) / (1 + negative)), -MaxLocal, MaxLocal);
    }

    /// <summary>σ(logit(clamp(s, ε, 1 − ε)) + global + local): the score after feedback, in (0, 1).</summary>
    public static double Score(double baseScore, FeedbackStats? stats, string question, IQuestionIndex similarity)
    {
        var s = Math.Clamp(baseScore, Epsilon, 1 - Epsilon);
        var logit = Math.Log(s / (1 - s));
        if (stats is not null)
        {
            logit += GlobalBoost(stats) + LocalBoost(stats, question, similarity);
        }

        return 1 / (1 + Math.Exp(-logit));
    }
}
