using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kefu.Benchmarks.Data;
using Kefu.Moderation;

namespace Kefu.Benchmarks.Moderation;

/// <summary>
/// The filter-bench cases under BenchmarkDotNet: ContainsAny, FindAll and Mask over the first 5,000 messages of the
/// online-shopping reviews with the konsheng lists (from <c>../shared/data</c> beside the repository), each against
/// its <see cref="SearchValuesBaseline"/> in the same category. One operation is one message.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ModerationBenchmarks
{
    private const int Messages = 5_000;

    private string[] _messages = [];
    private SearchValuesBaseline? _baseline;
    private SensitiveWordMatcher? _plain;
    private SensitiveWordMatcher? _normalized;
    private readonly SensitiveWordMatch[] _matches = new SensitiveWordMatch[4096];
    private char[] _masked = [];

    [GlobalSetup]
    public void Load()
    {
        var data = SharedData.Locate();
        var words = SensitiveWordFile.Load(Path.Combine(data, "sensitive_words", "konsheng", "Vocabulary"))
            .Where(w => w.Word.Length >= 2).DistinctBy(w => w.Word, StringComparer.Ordinal).ToArray();
        _messages = [.. CsvFile.ReadColumn(Path.Combine(data, "sentiment", "online_shopping_10_cats.csv"), "text", "review").Take(Messages)];
        _masked = new char[_messages.Max(m => m.Length)];
        _baseline = new SearchValuesBaseline([.. words.Select(w => w.Word)]);
        _plain = SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.None);
        _normalized = SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.Default);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages), BenchmarkCategory("ContainsAny")]
    public int ContainsAny_SearchValues() => Count(m => _baseline!.ContainsAny(m) ? 1 : 0);

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("ContainsAny")]
    public int ContainsAny_Kefu() => Count(m => _plain!.ContainsAny(m) ? 1 : 0);

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("ContainsAny")]
    public int ContainsAny_KefuNormalized() => Count(m => _normalized!.ContainsAny(m) ? 1 : 0);

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages), BenchmarkCategory("FindAll")]
    public int FindAll_SearchValues() => Count(_baseline!.CountAll);

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("FindAll")]
    public int FindAll_Kefu() => Count(m => _plain!.FindAll(m, _matches));

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("FindAll")]
    public int FindAll_KefuNormalized() => Count(m => _normalized!.FindAll(m, _matches));

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages), BenchmarkCategory("Mask")]
    public int Mask_SearchValues() => Count(m => _baseline!.Mask(m, _masked));

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Mask")]
    public int Mask_Kefu() => Count(m => _plain!.Mask(m, _masked));

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Mask")]
    public int Mask_KefuNormalized() => Count(m => _normalized!.Mask(m, _masked));

    private int Count(Func<string, int> perMessage)
    {
        var total = 0;
        foreach (var message in _messages)
        {
            total += perMessage(message);
        }

        return total;
    }
}
