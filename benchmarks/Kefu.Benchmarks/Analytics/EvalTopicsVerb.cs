using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kefu.Analytics.Text;
using Kefu.Analytics.Topics;
using Kefu.Benchmarks.Data;
using Kefu.Benchmarks.Verbs;

namespace Kefu.Benchmarks.Analytics;

/// <summary>
/// <c>eval-topics</c>: extracts every text's keywords, aggregates them as the product does (keyword counts and the
/// pairs of each message's top 8 distinct keywords), fits the themes, assigns every text to a theme and compares
/// the assignment with a label column by normalised mutual information. Last line: <c>nmi=0.XXXX n=NNNN</c>.
/// </summary>
internal sealed class EvalTopicsVerb(TextWriter output, TextWriter error) : IVerb
{
    private const int ShownKeywords = 12;

    // The rows kept by --limit are drawn with --sample-seed, not --seed, so every --seed sees the same rows.
    private const int DefaultSampleSeed = 20_260_101;

    private static readonly Flag[] Flags =
    [
        Flag.Text("data", "the texts: a CSV file with a header row", "a .csv file path") with { IsRequired = true },
        Flag.Text("text-column", "the column holding the text; default text", "a column name"),
        Flag.Text("label-column", "the column holding the reference label; default category", "a column name"),
        Flag.Text("sentiment-column", "a column holding each text's sentiment (0/1 labels read as -1/+1, other numbers clamped to [-1, 1]); default none (sentiment 0)", "a column name"),
        Flag.Int("k", "the number of themes; default 10", TopicOptions.MinTopicCount, TopicOptions.MaxTopicCount),
        Flag.Int("seed", "the seed of the clustering; default 1", int.MinValue, int.MaxValue),
        Flag.Int("limit", "use a random sample of this many rows (the same sample for every --seed); default every row", 1, int.MaxValue),
        Flag.Int("sample-seed", "the seed drawing the --limit sample; default 20260101", int.MinValue, int.MaxValue),
        Flag.Int("max-keywords", "how many of the most frequent keywords are clustered; default 3000", TopicOptions.MinMaxKeywords, TopicOptions.MaxMaxKeywords),
        Flag.Int("restarts", "the clustering's restarts; default 10", 1, TopicOptions.MaxRestarts),
        Flag.Int("min-frequency", "the frequency a keyword needs to be clustered; default 2", 1, 1_000_000),
    ];

    public string Name => "eval-topics";

    public string Summary => "Fits keyword themes to labelled texts from aggregated keyword statistics and scores the themes against the labels by NMI.";

    public string Usage => FlagParser.Describe(Flags) + """

        Prints the extraction and fitting times, each theme's share, name and leading keywords, the labels each
        theme's texts carry, and the top 15 keywords by frequency.
        Last line: nmi=0.XXXX n=NNNN (normalised mutual information, arithmetic mean, between the themes the texts
        are assigned to, texts of no theme forming one more group, and the labels; n is the number of texts).
        """;

    public Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return Task.FromResult(VerbTable.UsageError(this, problem, error));
        }

        var path = flags.GetText("data", string.Empty);
        if (!File.Exists(path))
        {
            return Task.FromResult(VerbTable.UsageError(this, $"--data: '{path}' is not an existing file.", error));
        }

        if (flags.Has("sample-seed") && !flags.Has("limit"))
        {
            return Task.FromResult(VerbTable.UsageError(this, "--sample-seed is used only with --limit.", error));
        }

        var options = new TopicOptions
        {
            TopicCount = flags.GetInt("k", 10),
            Seed = flags.GetInt("seed", 1),
            MaxKeywords = flags.GetInt("max-keywords", 3000),
            Restarts = flags.GetInt("restarts", 10),
            MinKeywordFrequency = flags.GetInt("min-frequency", 2),
        };

        List<Row> rows;
        try
        {
            rows = Read(path, flags.GetText("text-column", "text"), flags.GetText("label-column", "category"),
                flags.Has("sentiment-column") ? flags.GetText("sentiment-column", string.Empty) : null);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        if (flags.Has("limit"))
        {
            rows = Sample(rows, flags.GetInt("limit", rows.Count), flags.GetInt("sample-seed", DefaultSampleSeed));
        }

        Run(rows, options, path);
        return Task.FromResult(ExitCodes.Success);
    }

    private void Run(List<Row> rows, TopicOptions options, string path)
    {
        var c = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        var extractor = new KeywordExtractor(new ChineseSegmenter(WordDictionary.LoadDefault()), StopWords.Default);
        var loaded = total.Elapsed;

        var keywords = new IReadOnlyList<string>[rows.Count];
        Parallel.For(0, rows.Count, i => keywords[i] = extractor.Extract(rows[i].Text));
        var extracted = total.Elapsed;

        var builder = KeywordStatistics.CreateBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            builder.AddMessage(keywords[i], rows[i].Sentiment);
        }

        var statistics = builder.Build();
        var aggregated = total.Elapsed;

        var model = TopicModeler.Fit(statistics, options);
        var fitted = total.Elapsed;

        var themes = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            themes[i] = model.Assign(keywords[i]);
        }

        var assigned = total.Elapsed;
        var labels = rows.Select(r => r.Label).ToArray();
        var nmi = ClusteringMetrics.NormalizedMutualInformation(labels, themes);

        output.WriteLine(string.Create(c, $"eval-topics: {rows.Count:N0} texts of {path}, {labels.Distinct().Count()} labels; k={options.TopicCount} seed={options.Seed} restarts={options.Restarts} max-keywords={options.MaxKeywords} min-frequency={options.MinKeywordFrequency}"));
        output.WriteLine(string.Create(c, $"statistics: {statistics.Keywords.Count:N0} keywords, {statistics.Cooccurrences.Count:N0} pairs, {statistics.Keywords.Values.Sum(k => k.Frequency):N0} keyword occurrences; {model.KeywordCount:N0} keywords clustered"));
        output.WriteLine(string.Create(c,
            $"time: dictionary {loaded.TotalSeconds:F1} s, keywords {(extracted - loaded).TotalSeconds:F1} s, aggregation {(aggregated - extracted).TotalSeconds:F1} s, fit {(fitted - aggregated).TotalSeconds:F2} s, assignment {(assigned - fitted).TotalSeconds:F2} s"));
        output.WriteLine();
        output.WriteLine("themes (share of keyword occurrences; texts assigned; their most common labels):");
        for (var t = 0; t < model.Topics.Count; t++)
        {
            var topic = model.Topics[t];
            var members = Enumerable.Range(0, rows.Count).Where(i => themes[i] == t).Select(i => labels[i]).ToList();
            var mix = members.GroupBy(l => l, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(3)
                .Select(g => string.Create(c, $"{g.Key} {100.0 * g.Count() / Math.Max(1, members.Count):F0}%"));
            output.WriteLine(string.Create(c, $"  #{topic.Id,-2} {topic.Share,6:P1}  {topic.Name}  ({topic.Keywords.Count} keywords; {members.Count:N0} texts: {string.Join(", ", mix)})"));
            output.WriteLine($"       {string.Join(' ', topic.Keywords.Take(ShownKeywords).Select(k => k.Keyword))}");
        }

        var none = themes.Count(t => t < 0);
        output.WriteLine(string.Create(c, $"  no theme: {none:N0} texts"));
        output.WriteLine();
        output.WriteLine("top 15 keywords by frequency (sentiment): " + string.Join(", ",
            KeywordRanking.TopByFrequency(statistics).Select(s => string.Create(c, $"{s.Keyword} {s.Frequency} ({s.Sentiment:+0.00;-0.00;0.00})"))));
        output.WriteLine(string.Create(c, $"elapsed {total.Elapsed.TotalSeconds:F1} s"));
        output.WriteLine(string.Create(c, $"nmi={nmi:F4} n={rows.Count}"));
    }

    private static List<Row> Sample(List<Row> rows, int limit, int seed)
    {
        if (limit >= rows.Count)
        {
            return rows;
        }

        var shuffled = rows.ToArray();
        new Random(seed).Shuffle(shuffled);
        return shuffled.Take(limit).ToList();
    }

    private static List<Row> Read(string path, string textColumn, string labelColumn, string? sentimentColumn)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = CsvFile.ReadRow(reader) ?? throw new InvalidDataException($"'{path}' is empty: a header row is needed.");
        int Column(string name)
        {
            var index = header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index : throw new InvalidDataException($"'{path}' has no column named {name}; its columns are {string.Join(", ", header)}.");
        }

        var text = Column(textColumn);
        var label = Column(labelColumn);
        var sentiment = sentimentColumn is null ? -1 : Column(sentimentColumn);
        var rows = new List<Row>();
        while (CsvFile.ReadRow(reader) is { } row)
        {
            if (row.Count <= Math.Max(label, sentiment) || string.IsNullOrWhiteSpace(row[label]))
            {
                continue;
            }

            rows.Add(new Row(row.Count > text ? row[text] : string.Empty, row[label].Trim(), sentiment < 0 ? 0 : ParseSentiment(row[sentiment])));
        }

        return rows;
    }

    private static double ParseSentiment(string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
        {
            return 0;
        }

        return x switch
        {
            0 => -1,
            1 => 1,
            _ => Math.Clamp(x, -1, 1),
        };
    }

    private sealed record Row(string Text, string Label, double Sentiment);
}
