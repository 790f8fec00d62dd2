using System.Diagnostics;
using System.Globalization;
using Kefu.Benchmarks.Verbs;
using Kefu.Bots.Evaluation;
using Kefu.Bots.Matching;

namespace Kefu.Benchmarks.Bots;

/// <summary>
/// <c>eval-pairs</c>: how well the statistical stage's similarity tells paraphrases from other questions
/// (<see cref="QuestionPairEvaluator"/>). Last line: <c>accuracy=0.XXXX auc=0.XXXX threshold=0.XXXX n=NNNN</c>.
/// </summary>
internal sealed class EvalPairsVerb(TextWriter output, TextWriter error) : IVerb
{
    private static readonly Flag[] Flags =
    [
        Flag.Text("pairs", "the pairs measured: CSV with columns text1, text2 and label (1 same meaning, 0 not)", "a .csv file path") with { IsRequired = true },
        Flag.Text("tune", "separate pairs, same format, to choose the threshold on; default: the best threshold on --pairs itself (optimistic)", "a .csv file path"),
    ];

    public string Name => "eval-pairs";

    public string Summary => "Measures the matcher's similarity on question pairs labelled same or different meaning (accuracy at a threshold, ROC AUC).";

    public string Usage => FlagParser.Describe(Flags) + """

        One index is built from every distinct text (each its own rule); a pair is called the same when
        KnowledgeIndex.Similarity is at or above the threshold.
        Last line: accuracy=0.XXXX auc=0.XXXX threshold=0.XXXX n=NNNN (at the threshold chosen on --tune when given,
        else at the best threshold on --pairs itself; the line before it says which).
        """;

    public Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return Task.FromResult(VerbTable.UsageError(this, problem, error));
        }

        var pairsPath = flags.GetText("pairs", string.Empty);
        var tunePath = flags.Has("tune") ? flags.GetText("tune", string.Empty) : null;
        foreach (var (flag, path) in new[] { ("--pairs", pairsPath), ("--tune", tunePath) })
        {
            if (path is not null && !File.Exists(path))
            {
                return Task.FromResult(VerbTable.UsageError(this, $"{flag}: '{path}' is not an existing file.", error));
            }
        }

        var total = Stopwatch.StartNew();
        IReadOnlyList<QuestionPair> pairs;
        IReadOnlyList<QuestionPair>? tune;
        try
        {
            pairs = QuestionPairFile.Read(pairsPath);
            tune = tunePath is null ? null : QuestionPairFile.Read(tunePath);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        if (pairs.Count == 0 || tune is { Count: 0 })
        {
            error.WriteLine($"{Name}: {(pairs.Count == 0 ? pairsPath : tunePath)} holds no pairs.");
            return Task.FromResult(ExitCodes.Failure);
        }

        var r = QuestionPairEvaluator.Evaluate(pairs, new NgramQuestionMatcher(), tune);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"eval-pairs: matcher '{r.Matcher}', KnowledgeIndex.Similarity");
        output.WriteLine(string.Create(c, $"pairs:  {r.Count:N0} ({r.PositiveRate:P1} labelled the same) from {pairsPath}"));
        if (tunePath is not null)
        {
            output.WriteLine(string.Create(c, $"tune:   {r.TuneCount:N0} pairs from {tunePath}"));
        }

        output.WriteLine(string.Create(c, $"index:  {r.TextCount:N0} distinct texts, built in {r.BuildTime.TotalSeconds:F3} s"));
        output.WriteLine();
        output.WriteLine(string.Create(c, $"ROC AUC                                   {r.Auc:F4}"));
        output.WriteLine(string.Create(c, $"best threshold on the pairs themselves    {r.BestThreshold:F4}  accuracy {r.BestAccuracy:F4} (optimistic: tuned on what it measures)"));
        if (r.TunedThreshold is { } tuned)
        {
            output.WriteLine(string.Create(c, $"threshold chosen on --tune                {tuned:F4}  accuracy {r.TunedAccuracy:F4} on --pairs"));
        }

        output.WriteLine(string.Create(c, $"elapsed {total.Elapsed.TotalSeconds:F1} s"));
        output.WriteLine(r.TunedThreshold is null
            ? "threshold: the best on --pairs itself (no --tune given)"
            : "threshold: chosen on --tune, accuracy measured on --pairs");
        output.WriteLine(string.Create(c, $"accuracy={r.Accuracy:F4} auc={r.Auc:F4} threshold={r.Threshold:F4} n={r.Count}"));
        return Task.FromResult(ExitCodes.Success);
    }
}
