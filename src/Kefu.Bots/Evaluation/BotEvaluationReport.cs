namespace Kefu.Bots.Evaluation;

/// <summary>What <see cref="BotEvaluator.Evaluate"/> measured: the matching pipeline answering a labelled test set from rules built from a labelled training set.</summary>
public sealed record BotEvaluationReport
{
    /// <summary>The statistical matcher's <see cref="Matching.IQuestionMatcher.Name"/>.</summary>
    public required string Matcher { get; init; }

    /// <summary>The rules built: one per training category (the out-of-scope label included).</summary>
    public required int RuleCount { get; init; }

    /// <summary>The training rows.</summary>
    public required int TrainCount { get; init; }

    /// <summary>The test rows (n).</summary>
    public required int Count { get; init; }

    /// <summary>Test rows whose category no training row has: they cannot be answered right.</summary>
    public required int UnknownCategoryCount { get; init; }

    /// <summary>
    /// Top-1 accuracy over every test row. With an out-of-scope label it is a class like the others: an out-of-scope
    /// row is right when rejected, an in-scope row when answered with its category and not rejected.
    /// </summary>
    public required double Accuracy { get; init; }

    /// <summary>
    /// The share of test rows whose category is among the first three predictions: the best three rules' categories,
    /// preceded by the out-of-scope label when the row is rejected.
    /// </summary>
    public required double Top3 { get; init; }

    /// <summary>Every test category with its errors, the most errors first (then the highest error rate, then the name).</summary>
    public required IReadOnlyList<CategoryErrors> Categories { get; init; }

    /// <summary>The 20 most frequent (actual, predicted) pairs with actual ≠ predicted, most frequent first.</summary>
    public required IReadOnlyList<Confusion> Confusions { get; init; }

    /// <summary>The time to build the pipeline (<see cref="Matching.KnowledgeIndex.Build"/>) over every training row.</summary>
    public required TimeSpan BuildTime { get; init; }

    /// <summary>The median time of one <see cref="Matching.KnowledgeIndex.Match"/> call (3 candidates), after a warm-up of 200 calls.</summary>
    public required TimeSpan MedianLatency { get; init; }

    /// <summary>The 99th percentile (nearest rank) of the time of one <see cref="Matching.KnowledgeIndex.Match"/> call.</summary>
    public required TimeSpan P99Latency { get; init; }

    /// <summary>The out-of-scope figures, or null without <see cref="BotEvaluationOptions.OosLabel"/>.</summary>
    public OutOfScopeReport? OutOfScope { get; init; }
}

/// <summary>One test category's errors.</summary>
/// <param name="Category">The category.</param>
/// <param name="TestCount">Its test rows.</param>
/// <param name="Errors">Those not answered with it.</param>
/// <param name="MostOftenPredicted">The prediction its errors got most often (<see cref="BotEvaluator.NoMatch"/> for no answer; ties go to the first in ordinal order), or null without errors.</param>
public sealed record CategoryErrors(string Category, int TestCount, int Errors, string? MostOftenPredicted)
{
    /// <summary>Errors over test rows.</summary>
    public double ErrorRate => TestCount == 0 ? 0 : (double)Errors / TestCount;
}

/// <summary>How often test rows of one category were answered with another.</summary>
/// <param name="Actual">The row's category.</param>
/// <param name="Predicted">The answer (<see cref="BotEvaluator.NoMatch"/> for none).</param>
/// <param name="Count">How many rows.</param>
public sealed record Confusion(string Actual, string Predicted, int Count);

/// <summary>The out-of-scope figures of a <see cref="BotEvaluationReport"/>.</summary>
public sealed record OutOfScopeReport
{
    /// <summary>The out-of-scope label.</summary>
    public required string Label { get; init; }

    /// <summary>
    /// The confidence threshold chosen on the training rows alone by k-fold cross-validation: a question whose best
    /// confidence is below it is rejected as out of scope. It rejects the most out-of-scope rows the cross-validation
    /// allows at an in-scope accuracy loss of at most <see cref="MaxInScopeLoss"/>.
    /// </summary>
    public required double Threshold { get; init; }

    /// <summary>The in-scope accuracy the threshold could cost in the cross-validation (<see cref="BotEvaluationOptions.MaxInScopeLoss"/>).</summary>
    public required double MaxInScopeLoss { get; init; }

    /// <summary>In the cross-validation at threshold 0: in-scope accuracy, from which <see cref="MaxInScopeLoss"/> is counted.</summary>
    public required double CrossValidationInScopeAccuracyAtZero { get; init; }

    /// <summary>In the cross-validation at <see cref="Threshold"/>: in-scope accuracy (a rejected in-scope row counts as wrong).</summary>
    public required double CrossValidationInScopeAccuracy { get; init; }

    /// <summary>In the cross-validation at <see cref="Threshold"/>: the share of out-of-scope rows rejected.</summary>
    public required double CrossValidationOosRecall { get; init; }

    /// <summary>In-scope test rows.</summary>
    public required int InScopeCount { get; init; }

    /// <summary>Out-of-scope test rows.</summary>
    public required int OosCount { get; init; }

    /// <summary>Over the in-scope test rows at <see cref="Threshold"/>: answered with the right category (a rejection is wrong).</summary>
    public required double InScopeAccuracy { get; init; }

    /// <summary>Over the in-scope test rows at <see cref="Threshold"/>: the category among the first three predictions.</summary>
    public required double InScopeTop3 { get; init; }

    /// <summary>Over the out-of-scope test rows at <see cref="Threshold"/>: the share rejected; NaN when the test set has none.</summary>
    public required double OosRecall { get; init; }

    /// <summary><see cref="InScopeAccuracy"/> at threshold 0 (rejected only when the out-of-scope rule is the best), for comparison.</summary>
    public required double InScopeAccuracyAtZero { get; init; }

    /// <summary><see cref="OosRecall"/> at threshold 0, for comparison.</summary>
    public required double OosRecallAtZero { get; init; }

    /// <summary><see cref="BotEvaluationReport.Accuracy"/> at threshold 0, for comparison.</summary>
    public required double AccuracyAtZero { get; init; }

    /// <summary>For comparison, the thresholds the same cross-validation gives at other allowed losses (0, 0.005, 0.01, 0.02, 0.05 and 0.1 but <see cref="MaxInScopeLoss"/>) and what they give.</summary>
    public IReadOnlyList<OosOperatingPoint> OtherLosses { get; init; } = [];
}

/// <summary>A threshold the out-of-scope cross-validation gives at an allowed in-scope accuracy loss, and what it gives there and on the test rows.</summary>
/// <param name="MaxInScopeLoss">The allowed loss of in-scope accuracy in the cross-validation.</param>
/// <param name="Threshold">The threshold chosen.</param>
/// <param name="CrossValidationInScopeAccuracy">In-scope accuracy at it in the cross-validation.</param>
/// <param name="CrossValidationOosRecall">Out-of-scope recall at it in the cross-validation.</param>
/// <param name="InScopeAccuracy">In-scope accuracy at it on the test rows.</param>
/// <param name="OosRecall">Out-of-scope recall at it on the test rows.</param>
public sealed record OosOperatingPoint(double MaxInScopeLoss, double Threshold, double CrossValidationInScopeAccuracy, double CrossValidationOosRecall,
    double InScopeAccuracy, double OosRecall);
