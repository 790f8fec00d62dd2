using System.Diagnostics;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Evaluation;

/// <summary>
/// Measures the statistical stage's similarity on question pairs labelled same / different (B7): one index is built
/// from every distinct text (each its own rule, as the service would build it), and a pair is called a match when
/// <see cref="KnowledgeIndex.Similarity"/> is at or above a threshold.
/// </summary>
public static class QuestionPairEvaluator
{
    /// <summary>
    /// Scores every pair of <paramref name="pairs"/> and reports ROC AUC and the accuracy at the best threshold on the
    /// pairs themselves; with <paramref name="tuneOn"/>, also the threshold chosen on those pairs and the accuracy it
    /// gives on <paramref name="pairs"/>. The index is built from the distinct texts of both sets: it learns term
    /// weights from the texts, never the labels.
    /// </summary>
    /// <param name="pairs">The pairs measured.</param>
    /// <param name="matcher">The statistical stage, as registered in the service.</param>
    /// <param name="tuneOn">Separate pairs to choose the threshold on, or null.</param>
    /// <param name="cancellationToken">Stops between the build and the pairs.</param>
    /// <exception cref="ArgumentException"><paramref name="pairs"/> or a given <paramref name="tuneOn"/> is empty.</exception>
    public static QuestionPairReport Evaluate(IReadOnlyList<QuestionPair> pairs, IQuestionMatcher matcher, IReadOnlyList<QuestionPair>? tuneOn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(matcher);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("There are no pairs.", nameof(pairs));
        }

        if (tuneOn is { Count: 0 })
        {
            throw new ArgumentException("There are no tuning pairs.", nameof(tuneOn));
        }

        var texts = pairs.Concat(tuneOn ?? []).SelectMany(p => new[] { p.Text1, p.Text2 }).Distinct(StringComparer.Ordinal).ToArray();
        var rules = texts.Select((text, i) => new KnowledgeRule { Id = i + 1, Questions = [text], Answer = KnowledgeAnswer.FromText(text) });
        var watch = Stopwatch.StartNew();
        var index = KnowledgeIndex.Build(rules, matcher, cancellationToken: cancellationToken);
        var buildTime = watch.Elapsed;

        var (scores, labels) = Similarities(index, pairs, cancellationToken);
        var (bestThreshold, bestAccuracy) = Thresholds.BestAccuracy(scores, labels);
        double? tunedThreshold = null, tunedAccuracy = null;
        if (tuneOn is not null)
        {
            var (tuneScores, tuneLabels) = Similarities(index, tuneOn, cancellationToken);
            tunedThreshold = Thresholds.BestAccuracy(tuneScores, tuneLabels).Threshold;
            tunedAccuracy = Thresholds.Accuracy(scores, labels, tunedThreshold.Value);
        }

        return new QuestionPairReport
        {
            Matcher = matcher.Name,
            Count = pairs.Count,
            PositiveRate = (double)labels.Count(l => l) / labels.Length,
            TextCount = texts.Length,
            BuildTime = buildTime,
            Auc = Thresholds.RocAuc(scores, labels),
            BestThreshold = bestThreshold,
            BestAccuracy = bestAccuracy,
            TuneCount = tuneOn?.Count ?? 0,
            TunedThreshold = tunedThreshold,
            TunedAccuracy = tunedAccuracy,
        };
    }

    private static (double[] Scores, bool[] Labels) Similarities(KnowledgeIndex index, IReadOnlyList<QuestionPair> pairs, CancellationToken cancellationToken)
    {
        var scores = new double[pairs.Count];
        var labels = new bool[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = index.Similarity(pairs[i].Text1, pairs[i].Text2);
            labels[i] = pairs[i].IsMatch;
        }

        return (scores, labels);
    }
}
