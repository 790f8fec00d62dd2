using System.Diagnostics;
using System.Globalization;
using Kefu.Benchmarks.Verbs;
using Kefu.Bots.Evaluation;
using Kefu.Bots.Matching;

namespace Kefu.Benchmarks.Bots;

/// <summary>
/// <c>eval-bot</c>: builds one knowledge rule per training category and answers the test rows through the service's
/// matching pipeline (<see cref="BotEvaluator"/>), with the default statistical matcher. Last line:
/// <c>accuracy=0.XXXX top3=0.XXXX [oos_recall=0.XXXX] n=NNNN</c>.
/// </summary>
internal sealed class EvalBotVerb(TextWriter output, TextWriter error) : IVerb
{
    private const int WorstCategories = 15;

    private static readonly Flag[] Flags =
    [
        Flag.Text("train", "the training rows: CSV with columns text and category; one rule per category", "a .csv file path") with { IsRequired = true },
        Flag.Text("test", "the rows to answer: CSV with columns text and category", "a .csv file path") with { IsRequired = true },
        Flag.Text("oos-label", "the category that means out of scope (training rows with it form a rule; a question is rejected when that rule is best or the confidence is below a threshold chosen by cross-validation on the training rows); default none", "a category name"),
        Flag.Int("folds", "the folds of the cross-validation choosing the out-of-scope threshold; default 5; only with --oos-label", 2, 10),
        Flag.Double("max-in-scope-loss", "the in-scope accuracy the out-of-scope threshold may cost in the cross-validation (it rejects the most out-of-scope rows within it); default 0.005; only with --oos-label", 0, 1),
        Flag.Int("seed", "the seed of the shuffle dealing training rows into folds; default 1", int.MinValue, int.MaxValue),
    ];

    public string Name => "eval-bot";

    public string Summary => "Answers labelled test questions from rules built from labelled training questions through the matching pipeline.";

    public string Usage => FlagParser.Describe(Flags) + """

        Prints the rules, the build time, the errors of the worst 15 categories, the top confusions and the latency of
        one match (median and p99 after 200 warm-up questions); with --oos-label the threshold and, at it and at 0,
        in-scope accuracy and out-of-scope recall.
        Last line: accuracy=0.XXXX top3=0.XXXX oos_recall=0.XXXX n=NNNN (oos_recall only with --oos-label, and then
        accuracy and top3 are over the in-scope test rows at the chosen threshold; n is the number of test rows).
        """;

    public Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return Task.FromResult(VerbTable.UsageError(this, problem, error));
        }

        var trainPath = flags.GetText("train", string.Empty);
        var testPath = flags.GetText("test", string.Empty);
        foreach (var (flag, path) in new[] { ("--train", trainPath), ("--test", testPath) })
        {
            if (!File.Exists(path))
            {
                return Task.FromResult(VerbTable.UsageError(this, $"{flag}: '{path}' is not an existing file.", error));
            }
        }

        if (!flags.Has("oos-label") && (flags.Has("folds") || flags.Has("max-in-scope-loss")))
        {
            return Task.FromResult(VerbTable.UsageError(this, "--folds and --max-in-scope-loss are used only with --oos-label.", error));
        }

        var total = Stopwatch.StartNew();
        IReadOnlyList<LabelledText> train, test;
        try
        {
            train = LabelledTextFile.Read(trainPath);
            test = LabelledTextFile.Read(testPath);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        var options = new BotEvaluationOptions
        {
            OosLabel = flags.Has("oos-label") ? flags.GetText("oos-label", string.Empty) : null,
            Folds = flags.GetInt("folds", 5),
            MaxInScopeLoss = flags.GetDouble("max-in-scope-loss", 0.005),
            Seed = flags.GetInt("seed", 1),
        };
        if (options.OosLabel is { } label && (train.All(r => r.Category != label) || train.All(r => r.Category == label)))
        {
            return Task.FromResult(VerbTable.UsageError(this,
                $"--oos-label: the training rows must hold rows labelled '{label}' and rows with other labels to choose a threshold.", error));
        }

        var matcher = new NgramQuestionMatcher();
        var report = BotEvaluator.Evaluate(train, test, matcher, options);
        Print(report, trainPath, testPath, options, total.Elapsed);
        return Task.FromResult(ExitCodes.Success);
    }

    private void Print(BotEvaluationReport r, string trainPath, string testPath, BotEvaluationOptions options, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"eval-bot: matcher '{r.Matcher}' through KnowledgeIndex (exact after normalisation, then keywords, then the matcher)");
        output.WriteLine(string.Create(c, $"train:  {r.TrainCount:N0} rows -> {r.RuleCount:N0} rules, one per category ({trainPath})"));
        output.WriteLine(string.Create(c, $"test:   {r.Count:N0} rows ({testPath})"));
        if (r.UnknownCategoryCount > 0)
        {
            output.WriteLine(string.Create(c, $"        {r.UnknownCategoryCount:N0} test rows have a category no training row has: they count as errors."));
        }

        output.WriteLine(string.Create(c, $"build:  {r.BuildTime.TotalSeconds:F3} s (every training row)"));
        output.WriteLine();
        if (r.OutOfScope is { } o)
        {
            output.WriteLine(string.Create(c,
                $"out of scope: label '{o.Label}'; threshold {o.Threshold:F4} chosen by {options.Folds}-fold cross-validation on the training rows alone (seed {options.Seed}),"));
            output.WriteLine(string.Create(c,
                $"  rejecting the most oos rows there at an in-scope accuracy loss of at most {o.MaxInScopeLoss:F4}: in-scope {o.CrossValidationInScopeAccuracyAtZero:F4} at 0 -> {o.CrossValidationInScopeAccuracy:F4}, oos recall {o.CrossValidationOosRecall:F4}"));
            output.WriteLine(string.Create(c, $"  test: {o.InScopeCount:N0} in scope, {o.OosCount:N0} out of scope"));
            output.WriteLine("                     threshold   in-scope accuracy   oos recall   accuracy (oos a class)");
            output.WriteLine(string.Create(c, $"  chosen             {o.Threshold,9:F4}   {o.InScopeAccuracy,17:F4}   {o.OosRecall,10:F4}   {r.Accuracy,22:F4}"));
            output.WriteLine(string.Create(c, $"  zero (comparison)  {0.0,9:F4}   {o.InScopeAccuracyAtZero,17:F4}   {o.OosRecallAtZero,10:F4}   {o.AccuracyAtZero,22:F4}"));
            foreach (var p in o.OtherLosses)
            {
                output.WriteLine(string.Create(c,
                    $"  loss <= {p.MaxInScopeLoss,-6:F3}       {p.Threshold,9:F4}   {p.InScopeAccuracy,17:F4}   {p.OosRecall,10:F4}   (cross-validation: in-scope {p.CrossValidationInScopeAccuracy:F4}, oos recall {p.CrossValidationOosRecall:F4})"));
            }

            output.WriteLine(string.Create(c, $"  in-scope top-3 at the chosen threshold {o.InScopeTop3:F4}; over all rows, oos a class: accuracy {r.Accuracy:F4}, top-3 {r.Top3:F4}"));
        }
        else
        {
            output.WriteLine(string.Create(c, $"accuracy {r.Accuracy:F4}, top-3 {r.Top3:F4} over {r.Count:N0} test rows"));
        }

        output.WriteLine();
        var worst = r.Categories.Where(e => e.Errors > 0).Take(WorstCategories).ToList();
        output.WriteLine(string.Create(c, $"errors by category (worst {worst.Count} of {r.Categories.Count}; {r.Categories.Count(e => e.Errors == 0)} without errors):"));
        var width = Math.Max(8, worst.Select(e => e.Category.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"  {"category".PadRight(width)}   test  errors   rate  most often predicted instead");
        foreach (var e in worst)
        {
            output.WriteLine(string.Create(c, $"  {e.Category.PadRight(width)} {e.TestCount,6} {e.Errors,7} {e.ErrorRate,6:F3}  {e.MostOftenPredicted}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"top confusions (actual -> predicted: rows), {r.Confusions.Count} most frequent:"));
        foreach (var confusion in r.Confusions)
        {
            output.WriteLine(string.Create(c, $"  {confusion.Actual} -> {confusion.Predicted}: {confusion.Count}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c,
            $"latency of one match (3 candidates, one thread, after 200 warm-up questions): median {r.MedianLatency.TotalMilliseconds:F3} ms, p99 {r.P99Latency.TotalMilliseconds:F3} ms"));
        output.WriteLine(string.Create(c, $"elapsed {elapsed.TotalSeconds:F1} s (reading, cross-validation, build and matching)"));
        output.WriteLine(r.OutOfScope is { } oos
            ? string.Create(c, $"accuracy={oos.InScopeAccuracy:F4} top3={oos.InScopeTop3:F4} oos_recall={oos.OosRecall:F4} n={r.Count}")
            : string.Create(c, $"accuracy={r.Accuracy:F4} top3={r.Top3:F4} n={r.Count}"));
    }
}
