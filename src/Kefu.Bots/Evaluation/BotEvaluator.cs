using System.Diagnostics;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Evaluation;

/// <summary>
/// Measures the matching pipeline on labelled questions (B7), exactly as the service answers: one knowledge rule per
/// training category (its distinct training texts as questions, the category as answer), built with
/// <see cref="KnowledgeIndex.Build"/> and asked with <see cref="KnowledgeIndex.Match"/> for three candidates.
/// </summary>
public static class BotEvaluator
{
    /// <summary>The prediction recorded when the pipeline matched nothing (without an out-of-scope label).</summary>
    public const string NoMatch = "(no match)";

    private const int Candidates = 3;
    private const int WarmUpQuestions = 200;
    private const int MaxConfusions = 20;

    /// <summary>The other in-scope accuracy losses whose thresholds the out-of-scope report shows for comparison.</summary>
    private static readonly double[] OtherLosses = [0, 0.005, 0.01, 0.02, 0.05, 0.1];

    /// <summary>
    /// Builds the rules from <paramref name="train"/>, answers every row of <paramref name="test"/> and reports accuracy,
    /// top-3 accuracy, errors per category, the most frequent confusions, the build time and the latency of one match.
    /// With <see cref="BotEvaluationOptions.OosLabel"/> it first chooses a confidence threshold by k-fold
    /// cross-validation on <paramref name="train"/> alone (nothing of <paramref name="test"/> is used to tune) and
    /// reports out-of-scope recall and in-scope accuracy at it and at 0. The threshold rejects as many out-of-scope
    /// rows as it can while the cross-validated in-scope accuracy stays within <see cref="BotEvaluationOptions.MaxInScopeLoss"/>
    /// of its value at 0.
    /// </summary>
    /// <param name="train">The rows the rules are built from; with an out-of-scope label, some must carry it and some not.</param>
    /// <param name="test">The rows answered.</param>
    /// <param name="matcher">The statistical stage, as registered in the service.</param>
    /// <param name="options">The out-of-scope label, folds and seed; null for the defaults.</param>
    /// <param name="cancellationToken">Stops between builds and questions.</param>
    /// <exception cref="ArgumentException">A set is empty, or the training rows lack in-scope or out-of-scope rows when a label is given.</exception>
    /// <exception cref="KefuValidationException">An option is out of range.</exception>
    public static BotEvaluationReport Evaluate(IReadOnlyList<LabelledText> train, IReadOnlyList<LabelledText> test, IQuestionMatcher matcher,
        BotEvaluationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(matcher);
        options ??= new BotEvaluationOptions();
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("There are no training rows.", nameof(train));
        }

        if (test.Count == 0)
        {
            throw new ArgumentException("There are no test rows.", nameof(test));
        }

        var oos = options.OosLabel;
        if (oos is not null && (train.All(r => r.Category != oos) || train.All(r => r.Category == oos)))
        {
            throw new ArgumentException(
                $"With the out-of-scope label '{oos}' the training rows must hold rows with it and rows without it to choose a threshold.", nameof(train));
        }

        var categories = train.Select(r => r.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var crossValidation = oos is null ? ((OosThreshold Chosen, List<OosSample> Samples)?)null : ChooseThreshold(train, categories, oos, matcher, options, cancellationToken);
        OosThreshold? chosen = crossValidation?.Chosen;

        var watch = Stopwatch.StartNew();
        var index = KnowledgeIndex.Build(Rules(train, categories), matcher, cancellationToken: cancellationToken);
        var buildTime = watch.Elapsed;

        for (var i = 0; i < WarmUpQuestions; i++)
        {
            index.Match(test[i % test.Count].Text, Candidates);
        }

        var matches = new KnowledgeMatch[test.Count];
        var latencies = new TimeSpan[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            matches[i] = index.Match(test[i].Text, Candidates);
            latencies[i] = Stopwatch.GetElapsedTime(start);
        }

        Array.Sort(latencies);
        var scored = Score(test, matches, categories, oos, chosen?.Threshold ?? 0);
        var known = categories.ToHashSet(StringComparer.Ordinal);
        return new BotEvaluationReport
        {
            Matcher = matcher.Name,
            RuleCount = index.RuleCount,
            TrainCount = train.Count,
            Count = test.Count,
            UnknownCategoryCount = test.Count(r => !known.Contains(r.Category)),
            Accuracy = scored.Accuracy,
            Top3 = scored.Top3,
            Categories = CategoryErrorsOf(test, scored.Predicted),
            Confusions = ConfusionsOf(test, scored.Predicted),
            BuildTime = buildTime,
            MedianLatency = Thresholds.Percentile(latencies, 0.5),
            P99Latency = Thresholds.Percentile(latencies, 0.99),
            OutOfScope = chosen is not { } threshold ? null : OutOfScopeOf(test, matches, categories, oos!, threshold, options.MaxInScopeLoss, scored, crossValidation!.Value.Samples),
        };
    }

    /// <summary>One rule per category present in <paramref name="rows"/>: its distinct texts, answered with the category's name; the id is the category's place in <paramref name="categories"/> plus one.</summary>
    internal static List<KnowledgeRule> Rules(IEnumerable<LabelledText> rows, string[] categories)
    {
        var ids = new Dictionary<string, int>(categories.Length, StringComparer.Ordinal);
        for (var i = 0; i < categories.Length; i++)
        {
            ids[categories[i]] = i + 1;
        }

        return [.. rows.GroupBy(r => r.Category, StringComparer.Ordinal)
            .OrderBy(g => ids[g.Key])
            .Select(g => new KnowledgeRule
            {
                Id = ids[g.Key],
                Questions = [.. g.Select(r => r.Text).Distinct(StringComparer.Ordinal)],
                Answer = KnowledgeAnswer.FromText(g.Key),
                Category = g.Key,
            })];
    }

    /// <summary>
    /// Deals the training rows into folds (stratified: each category's rows shuffled and dealt in turn), builds on all
    /// folds but one, matches the held-out one, and picks the threshold over all held-out predictions.
    /// </summary>
    private static (OosThreshold Chosen, List<OosSample> Samples) ChooseThreshold(IReadOnlyList<LabelledText> train, string[] categories, string oos, IQuestionMatcher matcher,
        BotEvaluationOptions options, CancellationToken cancellationToken)
    {
        var folds = options.Folds;
        var fold = new int[train.Count];
        var random = new Random(options.Seed);
        var next = 0;
        foreach (var group in Enumerable.Range(0, train.Count).GroupBy(i => train[i].Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            foreach (var i in members)
            {
                fold[i] = next++ % folds;
            }
        }

        var samples = new List<OosSample>(train.Count);
        for (var f = 0; f < folds; f++)
        {
            var heldOut = Enumerable.Range(0, train.Count).Where(i => fold[i] == f).ToArray();
            var index = KnowledgeIndex.Build(Rules(Enumerable.Range(0, train.Count).Where(i => fold[i] != f).Select(i => train[i]), categories), matcher,
                cancellationToken: cancellationToken);
            foreach (var i in heldOut)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var match = index.Match(train[i].Text, Candidates);
                var best = match.BestRuleId is { } id ? categories[id - 1] : null;
                samples.Add(new OosSample(match.Confidence, IsOos: train[i].Category == oos, Rejected: best is null || best == oos, Right: best == train[i].Category));
            }
        }

        return (Thresholds.BestOutOfScope(samples, options.MaxInScopeLoss), samples);
    }

    /// <summary>The predictions at a threshold: top-1 for every row, and accuracy and top-3 accuracy overall and in scope.</summary>
    private static Scored Score(IReadOnlyList<LabelledText> test, KnowledgeMatch[] matches, string[] categories, string? oos, double threshold)
    {
        var predicted = new string[test.Count];
        int right = 0, top3 = 0, inScope = 0, inRight = 0, inTop3 = 0, oosCount = 0, oosRejected = 0;
        var list = new List<string>(Candidates + 1);
        for (var i = 0; i < test.Count; i++)
        {
            var match = matches[i];
            list.Clear();
            var rejected = oos is not null && (match.Candidates.Count == 0 || match.Confidence < threshold);
            if (rejected)
            {
                list.Add(oos!);
            }

            foreach (var candidate in match.Candidates)
            {
                var category = categories[candidate.RuleId - 1];
                if (!list.Contains(category))
                {
                    list.Add(category);
                }
            }

            predicted[i] = list.Count > 0 ? list[0] : NoMatch;
            var truth = test[i].Category;
            var isRight = predicted[i] == truth;
            var inTop = list.IndexOf(truth) is >= 0 and < Candidates;
            right += isRight ? 1 : 0;
            top3 += inTop ? 1 : 0;
            if (oos is not null && truth == oos)
            {
                oosCount++;
                oosRejected += isRight ? 1 : 0;
            }
            else
            {
                inScope++;
                inRight += isRight ? 1 : 0;
                inTop3 += inTop ? 1 : 0;
            }
        }

        return new Scored(predicted, Ratio(right, test.Count), Ratio(top3, test.Count), Ratio(inRight, inScope), Ratio(inTop3, inScope), Ratio(oosRejected, oosCount));
    }

    private static OutOfScopeReport OutOfScopeOf(IReadOnlyList<LabelledText> test, KnowledgeMatch[] matches, string[] categories, string oos, OosThreshold chosen, double maxInScopeLoss, Scored atChosen,
        List<OosSample> samples)
    {
        var others = OtherLosses.Where(l => l != maxInScopeLoss).Select(loss =>
        {
            var at = Thresholds.BestOutOfScope(samples, loss);
            var scored = Score(test, matches, categories, oos, at.Threshold);
            return new OosOperatingPoint(loss, at.Threshold, at.InScopeAccuracy, at.OosRecall, scored.InScopeAccuracy, scored.OosRecall);
        });
        var atZero = Score(test, matches, categories, oos, 0);
        var oosCount = test.Count(r => r.Category == oos);
        return new OutOfScopeReport
        {
            Label = oos,
            Threshold = chosen.Threshold,
            MaxInScopeLoss = maxInScopeLoss,
            CrossValidationInScopeAccuracyAtZero = chosen.InScopeAccuracyAtZero,
            CrossValidationInScopeAccuracy = chosen.InScopeAccuracy,
            CrossValidationOosRecall = chosen.OosRecall,
            InScopeCount = test.Count - oosCount,
            OosCount = oosCount,
            InScopeAccuracy = atChosen.InScopeAccuracy,
            InScopeTop3 = atChosen.InScopeTop3,
            OosRecall = atChosen.OosRecall,
            InScopeAccuracyAtZero = atZero.InScopeAccuracy,
            OosRecallAtZero = atZero.OosRecall,
            AccuracyAtZero = atZero.Accuracy,
            OtherLosses = [.. others],
        };
    }

    private static List<CategoryErrors> CategoryErrorsOf(IReadOnlyList<LabelledText> test, string[] predicted)
        => [.. Enumerable.Range(0, test.Count)
            .GroupBy(i => test[i].Category, StringComparer.Ordinal)
            .Select(g =>
            {
                var wrong = g.Where(i => predicted[i] != g.Key).Select(i => predicted[i]).ToArray();
                var instead = wrong.GroupBy(p => p, StringComparer.Ordinal)
                    .OrderByDescending(p => p.Count()).ThenBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => p.Key).FirstOrDefault();
                return new CategoryErrors(g.Key, g.Count(), wrong.Length, instead);
            })
            .OrderByDescending(c => c.Errors).ThenByDescending(c => c.ErrorRate).ThenBy(c => c.Category, StringComparer.Ordinal)];

    private static List<Confusion> ConfusionsOf(IReadOnlyList<LabelledText> test, string[] predicted)
        => [.. Enumerable.Range(0, test.Count)
            .Where(i => predicted[i] != test[i].Category)
            .GroupBy(i => (Actual: test[i].Category, Predicted: predicted[i]))
            .Select(g => new Confusion(g.Key.Actual, g.Key.Predicted, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Actual, StringComparer.Ordinal).ThenBy(c => c.Predicted, StringComparer.Ordinal)
            .Take(MaxConfusions)];

    private static double Ratio(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;

    private sealed record Scored(string[] Predicted, double Accuracy, double Top3, double InScopeAccuracy, double InScopeTop3, double OosRecall);
}
