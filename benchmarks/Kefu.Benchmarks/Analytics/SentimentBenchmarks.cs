using BenchmarkDotNet.Attributes;
using Kefu.Analytics.Sentiment;
using Kefu.Model;

namespace Kefu.Benchmarks.Analytics;

/// <summary>
/// Sentiment of one short customer-service message per invocation (<see cref="SyntheticMessages"/>, 4,000 messages,
/// seed 1, cycled through): the lexicon analyser and a classifier trained in setup on 4,000 other synthetic
/// messages (seed 2), against a baseline that counts the positive and negative words each message contains with
/// <see cref="string.Contains(string, StringComparison)"/>.
/// </summary>
// Not sealed: BenchmarkDotNet generates its runner as a class derived from this one.
[MemoryDiagnoser]
public class AnalyticsSentimentBenchmarks
{
    /// <summary>Messages the benchmarks cycle through.</summary>
    public const int Messages = 4_000;

    private static readonly string[] PositiveWords = ["满意", "谢谢", "感谢", "好评", "不错", "解决了", "点赞", "辛苦", "耐心", "及时", "很好", "😊", "👍", ":)"];

    private static readonly string[] NegativeWords = ["投诉", "太慢", "退款", "差评", "不满意", "失望", "骗人", "太差", "没人理", "不回复", "坏了", "不符", "😡"];

    private string[] _messages = [];
    private LexiconSentimentAnalyzer? _lexicon;
    private SentimentClassifier? _classifier;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _messages = [.. SyntheticMessages.Generate(Messages, seed: 1).Select(m => m.Text)];
        _lexicon = new LexiconSentimentAnalyzer();
        var training = SyntheticMessages.Generate(Messages, seed: 2).Where(m => m.Label != 0).Select(m => new SentimentSample(m.Text, m.Label > 0)).ToList();
        _classifier = SentimentClassifier.Train(training, _lexicon);
        _next = 0;
    }

    [Benchmark(Baseline = true)]
    public int Naive_Contains()
    {
        var text = _messages[Next()];
        var score = 0;
        foreach (var word in PositiveWords)
        {
            score += text.Contains(word, StringComparison.Ordinal) ? 1 : 0;
        }

        foreach (var word in NegativeWords)
        {
            score -= text.Contains(word, StringComparison.Ordinal) ? 1 : 0;
        }

        return Math.Sign(score);
    }

    [Benchmark]
    public TextSentiment Lexicon() => _lexicon!.Analyze(_messages[Next()]);

    [Benchmark]
    public TextSentiment Classifier() => _classifier!.Analyze(_messages[Next()]);

    private int Next()
    {
        var i = _next;
        _next = i + 1 == _messages.Length ? 0 : i + 1;
        return i;
    }
}
