using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kefu.Bots.Matching;

namespace Kefu.Benchmarks.Bots;

/// <summary>
/// The matching pipeline on a synthetic knowledge base of 10,000 rules × 10 questions
/// (<see cref="SyntheticKnowledgeBase"/>, seed 1), Chinese-like and English-like: <c>Match</c> answers one question per
/// invocation through <see cref="KnowledgeIndex.Match"/> (three candidates, as the service asks), cycling through 1,000
/// held-out paraphrases; <c>Similarity</c> compares one paraphrase with its rule's first question. Baselines: a scan
/// of every question's character bigrams (<see cref="BigramBaseline"/>). The <c>P50 (µs)</c> and <c>P99 (µs)</c>
/// columns time single invocations (<see cref="LatencyColumn"/>), which BenchmarkDotNet's mean does not show.
/// </summary>
// Not sealed: BenchmarkDotNet generates its runner as a class derived from this one.
[MemoryDiagnoser]
[Config(typeof(LatencyConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class BotBenchmarks
{
    /// <summary>Rules of the synthetic base.</summary>
    public const int Rules = 10_000;

    /// <summary>Questions per rule.</summary>
    public const int Variants = 10;

    /// <summary>Held-out paraphrases the benchmarks cycle through.</summary>
    public const int Questions = 1_000;

    private SyntheticKnowledgeBase? _knowledge;
    private KnowledgeIndex? _index;
    private BigramBaseline? _baseline;
    private string[] _questions = [];
    private string[] _titles = [];
    private int _next;

    /// <summary>The script of the synthetic base.</summary>
    [Params(SyntheticLanguage.Chinese, SyntheticLanguage.English)]
    public SyntheticLanguage Language { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _knowledge = SyntheticKnowledgeBase.Generate(Rules, Variants, Questions, seed: 1, Language);
        _index = KnowledgeIndex.Build(_knowledge.Rules, new NgramQuestionMatcher());
        _baseline = new BigramBaseline(_knowledge.Rules);
        _questions = [.. _knowledge.HeldOut.Select(q => q.Text)];
        _titles = [.. _knowledge.HeldOut.Select(q => _knowledge.Rules[(int)q.RuleId - 1].Title)];
        _next = 0;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Match")]
    public long? Match_BigramScan() => _baseline!.Match(_questions[Next()]);

    [Benchmark, BenchmarkCategory("Match")]
    public KnowledgeMatch Match() => _index!.Match(_questions[Next()], 3);

    [Benchmark(Baseline = true), BenchmarkCategory("Similarity")]
    public double Similarity_Bigrams()
    {
        var i = Next();
        return BigramBaseline.Similarity(_questions[i], _titles[i]);
    }

    [Benchmark, BenchmarkCategory("Similarity")]
    public double Similarity()
    {
        var i = Next();
        return _index!.Similarity(_questions[i], _titles[i]);
    }

    private int Next()
    {
        var i = _next;
        _next = i + 1 == _questions.Length ? 0 : i + 1;
        return i;
    }

    /// <summary>Adds the latency percentiles of one invocation.</summary>
    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            var probe = new LatencyProbe(Questions);
            AddColumn(new LatencyColumn(probe, 0.50, "P50 (µs)"), new LatencyColumn(probe, 0.99, "P99 (µs)"));
        }
    }
}

/// <summary>
/// Building the pipeline over the synthetic base of <see cref="BotBenchmarks"/> (10,000 rules × 10 questions): seconds
/// per operation, so one warm-up and three measured iterations of one build each. Baseline: the
/// <see cref="BigramBaseline"/>'s bigram sets.
/// </summary>
// Job mutators rather than a [SimpleJob]: they shorten whichever job runs (a --job given to micro too) instead of
// adding a second one beside it.
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(3)]
[InvocationCount(1, unrollFactor: 1)]
public class BotBuildBenchmarks
{
    private SyntheticKnowledgeBase? _knowledge;
    private readonly NgramQuestionMatcher _matcher = new();

    /// <summary>The script of the synthetic base.</summary>
    [Params(SyntheticLanguage.Chinese, SyntheticLanguage.English)]
    public SyntheticLanguage Language { get; set; }

    [GlobalSetup]
    public void Setup() => _knowledge = SyntheticKnowledgeBase.Generate(BotBenchmarks.Rules, BotBenchmarks.Variants, heldOut: 0, seed: 1, Language);

    [Benchmark(Baseline = true)]
    public BigramBaseline BuildBigramScan() => new(_knowledge!.Rules);

    [Benchmark]
    public KnowledgeIndex BuildIndex() => KnowledgeIndex.Build(_knowledge!.Rules, _matcher);
}
