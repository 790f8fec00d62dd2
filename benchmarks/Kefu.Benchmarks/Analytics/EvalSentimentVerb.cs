using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kefu.Analytics.Sentiment;
using Kefu.Benchmarks.Data;
using Kefu.Benchmarks.Verbs;

namespace Kefu.Benchmarks.Analytics;

/// <summary>
/// <c>eval-sentiment</c>: scores labelled test texts with the lexicon analyser (no <c>--train</c>) or with a
/// <see cref="SentimentClassifier"/> trained on <c>--train</c>. A text counts as positive when its score is 0 or
/// more. Last line: <c>accuracy=0.XXXX f1=0.XXXX n=NNNN</c>.
/// </summary>
internal sealed class EvalSentimentVerb(TextWriter output, TextWriter error) : IVerb
{
    private static readonly Flag[] Flags =
    [
        Flag.Text("test", "the texts to score: CSV with columns label (1 positive, 0 negative) and text, and optionally category", "a .csv file path") with { IsRequired = true },
        Flag.Text("train", "train a classifier on this CSV (same columns); without it the lexicon analyser is evaluated", "a .csv file path"),
        Flag.Text("category", "keep only rows of these categories (comma-separated) in files with a category column", "category names separated by commas"),
        Flag.Text("exclude-category", "drop rows of these categories (comma-separated) in files with a category column", "category names separated by commas"),
        Flag.Int("seed", "the training seed; default 1", int.MinValue, int.MaxValue),
        Flag.Int("hash-bits", "hashed feature buckets as a power of two; default 18", 12, 24),
        Flag.Int("max-ngram", "the longest character n-gram; default 3", 1, 5),
        Flag.Double("cost", "the SVM cost C; default 1", 0.001, 100),
    ];

    public string Name => "eval-sentiment";

    public string Summary => "Scores labelled texts for sentiment with the lexicon analyser or a classifier trained on labelled texts.";

    public string Usage => FlagParser.Describe(Flags) + """

        Prints the rows, the training time and cross-validated accuracy (with --train), the share labelled neutral,
        accuracy and macro-F1 of the yes/no decision (positive when the score is 0 or more) and the texts scored per
        second on one thread. Last line: accuracy=0.XXXX f1=0.XXXX n=NNNN.
        """;

    public Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return Task.FromResult(VerbTable.UsageError(this, problem, error));
        }

        var testPath = flags.GetText("test", string.Empty);
        var trainPath = flags.Has("train") ? flags.GetText("train", string.Empty) : null;
        foreach (var (flag, path) in new[] { ("--test", testPath), ("--train", trainPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                return Task.FromResult(VerbTable.UsageError(this, $"{flag}: '{path}' is not an existing file.", error));
            }
        }

        var include = Split(flags.Has("category") ? flags.GetText("category", string.Empty) : null);
        var exclude = Split(flags.Has("exclude-category") ? flags.GetText("exclude-category", string.Empty) : null);
        List<SentimentSample> test, train;
        try
        {
            test = Read(testPath, include, exclude);
            train = trainPath is null ? [] : Read(trainPath, include, exclude);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        if (test.Count == 0)
        {
            error.WriteLine($"{Name}: no test rows left after the category filters.");
            return Task.FromResult(ExitCodes.Failure);
        }

        var c = CultureInfo.InvariantCulture;
        var lexicon = new LexiconSentimentAnalyzer();
        ISentimentAnalyzer analyzer = lexicon;
        output.WriteLine(string.Create(c, $"eval-sentiment: test {test.Count:N0} rows ({test.Count(s => s.Positive):N0} positive) from {testPath}"));
        if (trainPath is null)
        {
            output.WriteLine(string.Create(c, $"analyser: lexicon ({lexicon.LexiconSize:N0} entries), no training"));
        }
        else
        {
            var options = new SentimentOptions
            {
                Seed = flags.GetInt("seed", 1),
                HashBits = flags.GetInt("hash-bits", 18),
                MaxNgram = flags.GetInt("max-ngram", 3),
                Cost = flags.GetDouble("cost", 1),
            };
            var watch = Stopwatch.StartNew();
            SentimentClassifier model;
            try
            {
                model = SentimentClassifier.Train(train, lexicon, options);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"{Name}: {e.Message}");
                return Task.FromResult(ExitCodes.Failure);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            using var saved = new MemoryStream();
            model.Save(saved);
            output.WriteLine(string.Create(c, $"train: {train.Count:N0} rows ({train.Count(s => s.Positive):N0} positive) from {trainPath}"));
            output.WriteLine(string.Create(c,
                $"classifier: char 1-{options.MaxNgram}-grams in 2^{options.HashBits} buckets, NB-SVM C={options.Cost} + lexicon features, {options.Folds}-fold cross-validation"));
            output.WriteLine(string.Create(c,
                $"training {seconds:F2} s, cross-validated accuracy {model.CrossValidatedAccuracy:F4}, model {saved.Length:N0} bytes ({model.NonZeroWeights:N0} non-zero weights)"));
            analyzer = model;
        }

        // Warm up, then time one thread.
        foreach (var s in test.Take(200))
        {
            analyzer.Analyze(s.Text);
        }

        int tp = 0, fp = 0, tn = 0, fn = 0, neutral = 0;
        var timer = Stopwatch.StartNew();
        foreach (var s in test)
        {
            var sentiment = analyzer.Analyze(s.Text);
            neutral += sentiment.Label == 0 ? 1 : 0;
            var positive = sentiment.Score >= 0;
            (tp, fp, tn, fn) = (positive, s.Positive) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        var elapsed = timer.Elapsed.TotalSeconds;
        var accuracy = (double)(tp + tn) / test.Count;
        var f1 = (F1(tp, fp, fn) + F1(tn, fn, fp)) / 2;
        output.WriteLine(string.Create(c, $"confusion: positive predicted positive {tp}, negative {fn}; negative predicted negative {tn}, positive {fp}"));
        output.WriteLine(string.Create(c, $"labelled neutral: {(double)neutral / test.Count:P1} of the texts"));
        output.WriteLine(string.Create(c, $"speed: {test.Count / elapsed:N0} texts/s on one thread ({elapsed * 1e6 / test.Count:F1} µs a text, mean length {test.Average(s => s.Text.Length):F0} chars)"));
        output.WriteLine(string.Create(c, $"accuracy={accuracy:F4} f1={f1:F4} n={test.Count}"));
        return Task.FromResult(ExitCodes.Success);

        static double F1(int truePositive, int falsePositive, int falseNegative)
            => truePositive == 0 ? 0 : 2.0 * truePositive / (2.0 * truePositive + falsePositive + falseNegative);

        static HashSet<string>? Split(string? list)
            => list is null ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Reads label and text (and category when present) by header name; labels 1 positive, 0 or −1 negative.</summary>
    private static List<SentimentSample> Read(string path, HashSet<string>? include, HashSet<string>? exclude)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = CsvFile.ReadRow(reader) ?? throw new InvalidDataException($"'{path}' is empty: a header row is needed.");
        int Column(string name) => header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
        int label = Column("label"), text = Column("text"), category = Column("category");
        if (label < 0 || text < 0)
        {
            throw new InvalidDataException($"'{path}' needs columns label and text; its columns are {string.Join(", ", header)}.");
        }

        var rows = new List<SentimentSample>();
        var line = 1;
        while (CsvFile.ReadRow(reader) is { } row)
        {
            line++;
            if (row.Count <= Math.Max(label, text))
            {
                continue;
            }

            if (category >= 0 && row.Count > category
                && ((include is not null && !include.Contains(row[category])) || (exclude is not null && exclude.Contains(row[category]))))
            {
                continue;
            }

            var value = row[label].Trim();
            if (value is not ("1" or "0" or "-1"))
            {
                throw new InvalidDataException($"'{path}' row {line}: label must be 1, 0 or -1, not '{value}'.");
            }

            rows.Add(new SentimentSample(row[text], value == "1"));
        }

        return rows;
    }
}
