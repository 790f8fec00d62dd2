using System.Diagnostics;
using System.Globalization;
using Kefu.Benchmarks.Verbs;
using Kefu.Bots.Matching;

namespace Kefu.Benchmarks.Bots;

/// <summary>
/// <c>bot-bench</c>: builds the matching pipeline over a synthetic knowledge base (<see cref="SyntheticKnowledgeBase"/>,
/// as <see cref="BotBenchmarks"/> does) and times it: the build, then single matches of held-out paraphrases. Last line:
/// <c>build_s=X.XX p50_ms=X.XXX p99_ms=X.XXX rules=N</c>.
/// </summary>
internal sealed class BotBenchVerb(TextWriter output, TextWriter error) : IVerb
{
    private const int Questions = 10_000;
    private const int WarmUpQuestions = 1_000;

    private static readonly Flag[] Flags =
    [
        Flag.Int("rules", "rules of the synthetic knowledge base; default 10000", 1, 1_000_000),
        Flag.Int("variants", "questions per rule; default 10", 1, 200),
        Flag.Int("seed", "the seed the knowledge base is made from; default 1", int.MinValue, int.MaxValue),
        Flag.OneOf("language", "the script: Chinese-like (zh) or English-like (en) text; default zh", "zh", "en"),
    ];

    public string Name => "bot-bench";

    public string Summary => "Times building the matching pipeline over a synthetic knowledge base and single matches against it.";

    public string Usage => FlagParser.Describe(Flags) + """

        Each rule has a few topic words shared by its variants (and, drawn from one vocabulary, with other rules) plus
        filler words; 10,000 held-out paraphrases are matched one at a time after 1,000 warm-up ones (KnowledgeIndex.Match,
        3 candidates, one thread).
        Last line: build_s=X.XX p50_ms=X.XXX p99_ms=X.XXX rules=N
        """;

    public Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return Task.FromResult(VerbTable.UsageError(this, problem, error));
        }

        var rules = flags.GetInt("rules", 10_000);
        var variants = flags.GetInt("variants", 10);
        var seed = flags.GetInt("seed", 1);
        var language = flags.GetText("language", "zh") == "en" ? SyntheticLanguage.English : SyntheticLanguage.Chinese;
        var c = CultureInfo.InvariantCulture;

        var watch = Stopwatch.StartNew();
        var knowledge = SyntheticKnowledgeBase.Generate(rules, variants, Questions + WarmUpQuestions, seed, language);
        output.WriteLine(string.Create(c,
            $"bot-bench: {language} synthetic knowledge base, seed {seed}: {rules:N0} rules, {knowledge.QuestionCount:N0} questions, made in {watch.Elapsed.TotalSeconds:F2} s"));
        output.WriteLine(string.Create(c, $"  for example: {string.Join(" | ", knowledge.Rules[0].Questions.Take(3))}"));
        output.WriteLine(string.Create(c, $"  held out:    {knowledge.HeldOut[0].Text}"));

        var matcher = new NgramQuestionMatcher();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var index = KnowledgeIndex.Build(knowledge.Rules, matcher);
        var build = watch.Elapsed;
        var retained = Math.Max(0, GC.GetTotalMemory(forceFullCollection: true) - before);
        output.WriteLine(string.Create(c,
            $"build:  {build.TotalSeconds:F2} s, {retained / 1048576.0:F0} MiB retained (matcher '{matcher.Name}', {Environment.ProcessorCount} threads)"));

        for (var i = 0; i < WarmUpQuestions; i++)
        {
            index.Match(knowledge.HeldOut[Questions + i].Text, 3);
        }

        var latencies = new double[Questions];
        var right = 0;
        var top3 = 0;
        for (var i = 0; i < Questions; i++)
        {
            var question = knowledge.HeldOut[i];
            var start = Stopwatch.GetTimestamp();
            var match = index.Match(question.Text, 3);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            right += match.BestRuleId == question.RuleId ? 1 : 0;
            top3 += match.Candidates.Any(s => s.RuleId == question.RuleId) ? 1 : 0;
        }

        Array.Sort(latencies);
        var p50 = LatencyProbe.Percentile(latencies, 0.50);
        var p99 = LatencyProbe.Percentile(latencies, 0.99);
        output.WriteLine(string.Create(c,
            $"match:  {Questions:N0} held-out paraphrases one at a time: p50 {p50:F3} ms, p99 {p99:F3} ms, max {latencies[^1]:F3} ms, mean {latencies.Average():F3} ms"));
        output.WriteLine(string.Create(c,
            $"        top-1 {(double)right / Questions:F4}, top-3 {(double)top3 / Questions:F4} (a check that the synthetic paraphrases are answerable, not a quality figure)"));
        output.WriteLine(string.Create(c, $"build_s={build.TotalSeconds:F2} p50_ms={p50:F3} p99_ms={p99:F3} rules={rules}"));
        return Task.FromResult(ExitCodes.Success);
    }
}
