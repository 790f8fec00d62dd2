using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Kefu.Analytics.Text;
using Kefu.Text;

namespace Kefu.Benchmarks.Analytics;

/// <summary>
/// Segmentation and keyword counting over a few hundred KB of synthetic Chinese customer-service chat
/// (<see cref="SyntheticChat"/>, seed 1): every invocation reads the whole corpus and counts its keywords into a
/// <c>Dictionary&lt;string, int&gt;</c>. Baseline: forward maximum matching over a <c>HashSet&lt;string&gt;</c> of
/// the same dictionary (the usual simple segmenter), counting its words of two or more characters. The
/// <c>MB/s</c> column is the corpus's UTF-8 bytes over the mean time.
/// </summary>
// Not sealed: BenchmarkDotNet generates its runner as a class derived from this one.
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class AnalyticsTextBenchmarks
{
    private string[] _messages = [];
    private KeywordExtractor? _extractor;
    private ForwardMaximumMatching? _baseline;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<Token> _scratch = [];
    private readonly List<Token> _keywords = [];

    [GlobalSetup]
    public void Setup()
    {
        _messages = SyntheticChat.Messages;
        var dictionary = WordDictionary.LoadDefault();
        _extractor = new KeywordExtractor(new ChineseSegmenter(dictionary), StopWords.Default);
        _baseline = new ForwardMaximumMatching(ForwardMaximumMatching.DefaultWords());
        // Warm the counts so that the measured runs count known keys without allocating, as a running tenant does.
        SegmentAndCount();
        MaximumMatching();
    }

    [Benchmark(Baseline = true)]
    public int MaximumMatching()
    {
        ResetCounts();
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var m in _messages)
        {
            _baseline!.Count(m, lookup);
        }

        return _counts.Count;
    }

    [Benchmark]
    public int SegmentAndCount()
    {
        ResetCounts();
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[256];
        var extractor = _extractor!;
        foreach (var m in _messages)
        {
            _keywords.Clear();
            extractor.Extract(m, _scratch, _keywords);
            foreach (var token in _keywords)
            {
                if (token.Length > buffer.Length)
                {
                    continue;
                }

                var key = buffer[..extractor.Key(m, token, buffer)];
                if (lookup.TryGetValue(key, out var n))
                {
                    lookup[key] = n + 1;
                }
                else
                {
                    lookup[key] = 1;
                }
            }
        }

        return _counts.Count;
    }

    // Zero the counts but keep the keys (both methods share them): counting a known key allocates nothing.
    private void ResetCounts()
    {
        foreach (var key in _counts.Keys)
        {
            CollectionsMarshal.GetValueRefOrNullRef(_counts, key) = 0;
        }
    }

    /// <summary>Adds the MB/s column.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    /// <summary>The corpus's UTF-8 megabytes (10^6 bytes) over the mean time of one invocation.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => nameof(ThroughputColumn);

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => string.Create(CultureInfo.InvariantCulture,
            $"UTF-8 megabytes of the synthetic corpus ({SyntheticChat.Utf8Bytes:N0} bytes, {SyntheticChat.Messages.Length:N0} messages) per second of mean time");

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            ArgumentNullException.ThrowIfNull(summary);
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (SyntheticChat.Utf8Bytes / (mean.Value / 1e9) / 1e6).ToString("F1", CultureInfo.InvariantCulture) : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public override string ToString() => ColumnName;
    }
}

/// <summary>
/// Synthetic customer-service chat in Chinese, generated from templates (no dataset file): greetings, questions about
/// orders, delivery, refunds and products, complaints and thanks, with product names, order numbers and the odd Latin
/// word. About 4,000 messages, 300 KB of UTF-8.
/// </summary>
internal static class SyntheticChat
{
    private static readonly string[] Openers = ["你好", "您好，", "在吗？", "亲，", "请问一下，", "客服你好，", "麻烦问下，", "", "", "喂，"];
    private static readonly string[] Products = ["小米手机", "华为平板", "蓝牙耳机", "充电宝", "空气净化器", "扫地机器人", "羽绒服", "运动鞋", "保温杯", "电动牙刷", "iPhone15", "MacBook", "洗衣液", "婴儿奶粉", "智能手表"];
    private static readonly string[] Questions =
    [
        "我的订单{0}什么时候发货？", "{1}到现在还没有收到，物流信息一直不更新", "这个{1}有没有优惠券可以用", "我想申请退款，{1}质量有问题",
        "{1}的电池续航怎么样，能用多久", "快递员态度很差，包裹被放在门口就走了", "能不能帮我修改一下收货地址，改成北京市朝阳区",
        "{1}屏幕有划痕，要求换货", "发票可以开公司抬头吗？税号我稍后发给你", "为什么退款三天了还没到账", "{1}和描述的不一样，颜色差别很大",
        "会员积分怎么兑换，积分快要过期了", "你们的售后服务电话是多少", "{1}充不进电，是不是充电器的问题", "双十一活动的价格还能保价吗",
        "我昨天下单的{1}，能不能加急发顺丰", "收到的{1}包装破损，里面的东西也坏了", "请问{1}支持七天无理由退货吗",
    ];

    private static readonly string[] Closers = ["谢谢", "麻烦尽快处理", "急用！！", "好的", "不然我要投诉了", "", "辛苦了😊", "等你回复", "太失望了", "非常满意，下次还来"];

    private static readonly Lazy<string[]> Generated = new(() => Generate(4_000, seed: 1));

    /// <summary>The messages.</summary>
    public static string[] Messages => Generated.Value;

    /// <summary>The messages' UTF-8 bytes.</summary>
    public static long Utf8Bytes => Messages.Sum(m => (long)Encoding.UTF8.GetByteCount(m));

    private static string[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var messages = new string[count];
        for (var i = 0; i < count; i++)
        {
            var order = random.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);
            var product = Products[random.Next(Products.Length)];
            var builder = new StringBuilder(Openers[random.Next(Openers.Length)]);
            var sentences = random.Next(1, 4);
            for (var s = 0; s < sentences; s++)
            {
                builder.Append(string.Format(CultureInfo.InvariantCulture, Questions[random.Next(Questions.Length)], order, product)).Append('，');
            }

            messages[i] = builder.Append(Closers[random.Next(Closers.Length)]).ToString();
        }

        return messages;
    }
}

/// <summary>
/// The baseline segmenter: forward maximum matching over a set of folded dictionary words, trying the longest
/// candidate first at each position (up to <see cref="MaxWordLength"/> characters), one character when none matches;
/// Latin and digit runs are one token. Counts the words of two or more characters.
/// </summary>
internal sealed class ForwardMaximumMatching(HashSet<string> words)
{
    /// <summary>The longest word tried.</summary>
    public const int MaxWordLength = 8;

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>jieba's words, folded, read from Kefu.Analytics's resource.</summary>
    public static HashSet<string> DefaultWords()
    {
        using var resource = typeof(WordDictionary).Assembly.GetManifestResourceStream("Kefu.Analytics.Text.Dictionary.jieba-dict.txt.gz")
            ?? throw new InvalidOperationException("The dictionary resource is missing.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress), Encoding.UTF8);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            words.Add(TextFold.Fold(space < 0 ? line : line[..space]));
        }

        return words;
    }

    public void Count(string text, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> counts)
    {
        Span<char> folded = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        TextFold.Fold(text, folded);
        var i = 0;
        while (i < folded.Length)
        {
            var c = folded[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                var end = i + 1;
                while (end < folded.Length && char.IsAsciiLetterOrDigit(folded[end]))
                {
                    end++;
                }

                Add(folded[i..end], counts);
                i = end;
                continue;
            }

            if (c is < '\u4E00' or > '\u9FFF')
            {
                i++;
                continue;
            }

            var length = Math.Min(MaxWordLength, folded.Length - i);
            while (length > 1 && !_lookup.Contains(folded.Slice(i, length)))
            {
                length--;
            }

            if (length > 1)
            {
                Add(folded.Slice(i, length), counts);
            }

            i += length;
        }
    }

    private static void Add(ReadOnlySpan<char> word, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> counts)
    {
        if (word.Length >= 2)
        {
            counts[word] = counts.TryGetValue(word, out var n) ? n + 1 : 1;
        }
    }
}
