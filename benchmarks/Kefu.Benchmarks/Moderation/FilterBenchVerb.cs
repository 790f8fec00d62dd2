using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Kefu.Benchmarks.Data;
using Kefu.Benchmarks.Verbs;
using Kefu.Moderation;

namespace Kefu.Benchmarks.Moderation;

/// <summary>
/// <c>filter-bench</c>: the sensitive-word matcher against .NET's <see cref="SearchValues{T}"/> of strings on a real
/// word list and real messages, one call per message, in one run. Prints build time, memory and M chars/s for
/// ContainsAny, FindAll and Mask, with normalisation off and fully on, and a last line of ratios.
/// </summary>
internal sealed class FilterBenchVerb(TextWriter output, TextWriter error) : IVerb
{
    private static readonly Flag[] Flags =
    [
        Flag.Text("words", "a word list: a .txt file (one word a line, optional word<TAB>category) or a folder of them", "a file or folder path") with { IsRequired = true },
        Flag.Text("text", "the messages: a .txt file (one a line) or a .csv file (its text or review column)", "a .txt or .csv file path") with { IsRequired = true },
        Flag.Int("seconds", "how long each case is measured", 1, 60),
    ];

    public string Name => "filter-bench";

    public string Summary => "Measures the sensitive-word matcher against SearchValues<string> on a word list and messages.";

    public string Usage => string.Join('\n', Flags.Select(f => f.UsageLine)) + """

        Words from every file are united, trimmed, de-duplicated, and words shorter than 2 characters dropped.
        Last line: containsany_vs_searchvalues=R findall_vs_searchvalues=R findall_normalized_vs_searchvalues=R findall_mbps=N build_ms=N
        """;

    public Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return Task.FromResult(VerbTable.UsageError(this, problem, error));
        }

        var wordsPath = flags.GetText("words", string.Empty);
        var textPath = flags.GetText("text", string.Empty);
        if (!File.Exists(wordsPath) && !Directory.Exists(wordsPath))
        {
            return Task.FromResult(VerbTable.UsageError(this, $"--words: '{wordsPath}' is neither a file nor a folder.", error));
        }

        var extension = Path.GetExtension(textPath).ToUpperInvariant();
        if (!File.Exists(textPath) || extension is not (".TXT" or ".CSV"))
        {
            return Task.FromResult(VerbTable.UsageError(this, $"--text: '{textPath}' is not an existing .txt or .csv file.", error));
        }

        var seconds = flags.GetInt("seconds", 2);
        var words = SensitiveWordFile.Load(wordsPath)
            .Where(w => w.Word.Length >= 2)
            .DistinctBy(w => w.Word, StringComparer.Ordinal)
            .ToArray();
        if (words.Length == 0)
        {
            return Task.FromResult(VerbTable.UsageError(this, $"--words: '{wordsPath}' holds no word of 2 characters or more.", error));
        }

        var messages = extension == ".CSV"
            ? CsvFile.ReadColumn(textPath, "text", "review")
            : File.ReadAllLines(textPath).Where(l => l.Length > 0).ToArray();
        var chars = messages.Sum(m => (long)m.Length);
        output.WriteLine($"words: {words.Length:N0} from {wordsPath}");
        output.WriteLine($"messages: {messages.Count:N0} ({chars:N0} chars) from {textPath}");
        output.WriteLine();

        var plainBuild = Build(() => SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.None), out var plain);
        var normalizedBuild = Build(() => SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.Default), out var normalized);
        var baselineBuild = Build(() => new SearchValuesBaseline(words.Select(w => w.Word).ToArray()), out var baseline);
        output.WriteLine("build                          time        retained memory");
        output.WriteLine($"  Kefu, normalisation off      {plainBuild.Milliseconds,7:F0} ms  {plainBuild.Bytes / 1048576.0,8:F1} MiB");
        output.WriteLine($"  Kefu, normalisation on       {normalizedBuild.Milliseconds,7:F0} ms  {normalizedBuild.Bytes / 1048576.0,8:F1} MiB");
        output.WriteLine($"  SearchValues<string>         {baselineBuild.Milliseconds,7:F0} ms  {baselineBuild.Bytes / 1048576.0,8:F1} MiB");
        output.WriteLine();

        var buffer = new SensitiveWordMatch[4096];
        var maskBuffer = new char[messages.Max(m => m.Length)];
        var cases = new (string Name, Func<string, int> PerMessage)[]
        {
            ("ContainsAny  SearchValues", m => baseline.ContainsAny(m) ? 1 : 0),
            ("ContainsAny  Kefu off", m => plain.ContainsAny(m) ? 1 : 0),
            ("ContainsAny  Kefu on", m => normalized.ContainsAny(m) ? 1 : 0),
            ("FindAll      SearchValues", baseline.CountAll),
            ("FindAll      Kefu off", m => CountAll(plain, m, buffer)),
            ("FindAll      Kefu on", m => CountAll(normalized, m, buffer)),
            ("Mask         SearchValues", m => baseline.Mask(m, maskBuffer)),
            ("Mask         Kefu off", m => plain.Mask(m, maskBuffer)),
            ("Mask         Kefu on", m => normalized.Mask(m, maskBuffer)),
        };

        output.WriteLine("case                         M chars/s     result");
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, perMessage) in cases)
        {
            var (rate, result) = Measure(messages, chars, perMessage, TimeSpan.FromSeconds(seconds));
            rates[name] = rate;
            output.WriteLine($"  {name,-26} {rate,9:F1}  {result,9:N0}");
        }

        output.WriteLine();
        output.WriteLine("(result: messages with a match for ContainsAny, occurrences for FindAll, characters masked for Mask)");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"containsany_vs_searchvalues={rates["ContainsAny  Kefu off"] / rates["ContainsAny  SearchValues"]:F2} " +
            $"findall_vs_searchvalues={rates["FindAll      Kefu off"] / rates["FindAll      SearchValues"]:F2} " +
            $"findall_normalized_vs_searchvalues={rates["FindAll      Kefu on"] / rates["FindAll      SearchValues"]:F2} " +
            $"findall_mbps={rates["FindAll      Kefu off"]:F1} " +
            $"build_ms={Math.Max(plainBuild.Milliseconds, normalizedBuild.Milliseconds):F0}");
        output.WriteLine(line);
        return Task.FromResult(ExitCodes.Success);
    }

    private static int CountAll(SensitiveWordMatcher matcher, string message, SensitiveWordMatch[] buffer)
    {
        var count = matcher.FindAll(message, buffer);
        return count < buffer.Length ? count : matcher.FindAll(message).Count;
    }

    private static (double Milliseconds, long Bytes) Build<T>(Func<T> build, out T built)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        built = build();
        watch.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(built);
        return (watch.Elapsed.TotalMilliseconds, Math.Max(0, after - before));
    }

    /// <summary>One warm-up pass, then whole passes for at least <paramref name="duration"/>; the median pass's rate.</summary>
    private static (double MCharsPerSecond, long Result) Measure(IReadOnlyList<string> messages, long chars, Func<string, int> perMessage, TimeSpan duration)
    {
        long Pass()
        {
            long result = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                result += perMessage(messages[i]);
            }

            return result;
        }

        var expected = Pass();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || total.Elapsed < duration)
        {
            var watch = Stopwatch.StartNew();
            var result = Pass();
            times.Add(watch.Elapsed.TotalSeconds);
            if (result != expected)
            {
                throw new InvalidOperationException($"A pass gave {result}, the first gave {expected}: the case is not deterministic.");
            }
        }

        times.Sort();
        return (chars / times[times.Count / 2] / 1e6, expected);
    }
}
