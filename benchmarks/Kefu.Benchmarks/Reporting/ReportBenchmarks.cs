using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Kefu.Testing;

namespace Kefu.Benchmarks.Reporting;

/// <summary>One raw closed conversation as a brute-force report scans it: 48 bytes, held in one struct array.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RawConversation
{
    public int CreatedMinute;
    public int PickedUpMinute; // -1: never picked up
    public float QueueWait; // seconds; -1: never queued
    public float Duration;
    public float FirstResponse; // -1: no agent message
    public float ResponseSum;
    public float ResponseMax;
    public int Visitor;
    public short ResponseCount;
    public short Agent;
    public byte Channel;
    public byte Association;
    public byte Type;
    public byte Validity;
    public byte Tag; // 0: none
    public byte Messages;
    public bool Abandoned;
}

/// <summary>
/// P1's goal: a 90-day custom report with 10 metrics × 2 dimensions over the aggregates of 10 million conversations,
/// through the real <see cref="Reports"/> on the real in-memory store, against a brute-force scan of the 10 million
/// raw conversations (<see cref="RawConversation"/>, 480 MB in one array) computing the same numbers. The aggregates
/// are the day cells the sink would write for the two dimension sets queried (folded from the same raw conversations
/// in the set-up, checked equal to the scan's answer), not the other 20 sets, hour cells and distinct-visitor cells:
/// the store indexes cells by series and width, so a query reads only its own series' day cells whatever else is
/// stored. Cardinalities: 200 agents, 5 channel kinds, 20 associations, 2 types, 3 validity values, 50 tags.
/// Metrics: conversations_created, queue_count, queue_wait_avg, queue_wait_max, conversations, messages,
/// duration_avg, duration_max, first_response_avg, response_avg (6 base series).
/// </summary>
[MemoryDiagnoser]
public class ReportQueryBenchmarks
{
    public const int Conversations = 10_000_000;
    public const int Days = 90;

    private static readonly string[] ChannelNames = [.. new[] { ChannelKind.Web, ChannelKind.Wechat, ChannelKind.App, ChannelKind.H5, ChannelKind.MiniProgram }.Select(k => k.ToString())];
    private static readonly string[] ValidityNames = [ConversationFacts.Valid, ConversationFacts.NoVisitorMessage, ConversationFacts.NoAgentReply];

    private static readonly string[] Metrics =
    [
        "conversations_created", "queue_count", "queue_wait_avg", "queue_wait_max", "conversations",
        "messages", "duration_avg", "duration_max", "first_response_avg", "response_avg",
    ];

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private RawConversation[] _raw = [];
    private Reports? _reports;
    private ReportQuery? _query;

    /// <summary>The two dimensions: low cardinality (5 × 3 rows) or agents by channel (200 × 5 rows).</summary>
    [Params("ChannelKind+Validity", "Agent+ChannelKind")]
    public string Dimensions { get; set; } = "ChannelKind+Validity";

    private (ReportDimension First, ReportDimension Second) Pair => Dimensions == "Agent+ChannelKind"
        ? (ReportDimension.Agent, ReportDimension.ChannelKind)
        : (ReportDimension.ChannelKind, ReportDimension.Validity);

    [GlobalSetup]
    public void Setup()
    {
        _raw = Generate(Conversations, seed: 1);
        var store = new InMemoryKefuStore();
        _reports = new Reports(store, store, new FakeTimeProvider(Start));
        var (first, second) = Pair;
        _query = new ReportQuery { From = Start, To = Start.AddDays(Days), Metrics = Metrics, Dimensions = [first, second], Granularity = ReportGranularity.None };
        Load(store, _raw, first, second);

        // The two answers must agree, or the comparison means nothing.
        var scanned = BruteForce();
        var reported = Report();
        var rows = reported.Rows.ToDictionary(r => string.Join("|", r.DimensionValues), r => r.Values);
        var cardinality = Cardinality(second);
        foreach (var group in Enumerable.Range(0, scanned.Length / Metrics.Length))
        {
            var key = Value(first, group / cardinality) + "|" + Value(second, group % cardinality);
            for (var m = 0; m < Metrics.Length; m++)
            {
                var expected = scanned[(group * Metrics.Length) + m];
                var actual = rows.TryGetValue(key, out var values) ? values[m] : null;
                if (!ReportOracle.Same(double.IsNaN(expected) ? null : expected, actual) && !(actual is null && expected == 0))
                {
                    throw new InvalidOperationException($"{Metrics[m]} of {key}: the scan says {expected}, the report {actual}.");
                }
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _raw = [];

    /// <summary>The brute-force baseline: one pass over the raw conversations, grouping by the two dimensions.</summary>
    [Benchmark(Baseline = true)]
    public double[] BruteForce()
    {
        var (first, second) = Pair;
        var cardinality = Cardinality(second);
        var groups = Cardinality(first) * cardinality;
        var created = new long[groups];
        var queued = new long[groups];
        var queueSum = new double[groups];
        var queueMax = new double[groups];
        var picked = new long[groups];
        var messages = new double[groups];
        var durationSum = new double[groups];
        var durationMax = new double[groups];
        var firstCount = new long[groups];
        var firstSum = new double[groups];
        var responseCount = new long[groups];
        var responseSum = new double[groups];
        const int End = Days * 1440;
        foreach (ref readonly var c in _raw.AsSpan())
        {
            var g = (Key(first, c) * cardinality) + Key(second, c);
            if (c.CreatedMinute is >= 0 and < End)
            {
                created[g]++;
                if (c.QueueWait >= 0)
                {
                    queued[g]++;
                    queueSum[g] += c.QueueWait;
                    queueMax[g] = Math.Max(queueMax[g], c.QueueWait);
                }
            }

            if (c.PickedUpMinute is >= 0 and < End)
            {
                picked[g]++;
                messages[g] += c.Messages;
                durationSum[g] += c.Duration;
                durationMax[g] = Math.Max(durationMax[g], c.Duration);
                if (c.FirstResponse >= 0)
                {
                    firstCount[g]++;
                    firstSum[g] += c.FirstResponse;
                }

                responseCount[g] += c.ResponseCount;
                responseSum[g] += c.ResponseSum;
            }
        }

        var result = new double[groups * Metrics.Length];
        for (var g = 0; g < groups; g++)
        {
            var row = result.AsSpan(g * Metrics.Length);
            row[0] = created[g];
            row[1] = queued[g];
            row[2] = queued[g] == 0 ? double.NaN : queueSum[g] / queued[g];
            row[3] = queued[g] == 0 ? double.NaN : queueMax[g];
            row[4] = picked[g];
            row[5] = messages[g];
            row[6] = picked[g] == 0 ? double.NaN : durationSum[g] / picked[g];
            row[7] = picked[g] == 0 ? double.NaN : durationMax[g];
            row[8] = firstCount[g] == 0 ? double.NaN : firstSum[g] / firstCount[g];
            row[9] = responseCount[g] == 0 ? double.NaN : responseSum[g] / responseCount[g];
        }

        return result;
    }

    /// <summary>The same report through <see cref="IReports.RunAsync"/> over the aggregates.</summary>
    [Benchmark]
    public ReportResult Report() => _reports!.RunAsync(1, _query!).AsTask().GetAwaiter().GetResult();

    private static int Cardinality(ReportDimension d) => d switch
    {
        ReportDimension.Agent => 200,
        ReportDimension.ChannelKind => ChannelNames.Length,
        _ => ValidityNames.Length,
    };

    private static int Key(ReportDimension d, in RawConversation c) => d switch
    {
        ReportDimension.Agent => c.Agent,
        ReportDimension.ChannelKind => c.Channel,
        _ => c.Validity,
    };

    private static string Value(ReportDimension d, int key) => d switch
    {
        ReportDimension.Agent => (1000 + key).ToString(CultureInfo.InvariantCulture),
        ReportDimension.ChannelKind => ChannelNames[key],
        _ => ValidityNames[key],
    };

    /// <summary>10 million conversations over 90 days with realistic shapes: exponential waits and durations, some not picked up.</summary>
    internal static RawConversation[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var raw = new RawConversation[count];
        for (var i = 0; i < raw.Length; i++)
        {
            var created = random.Next(Days * 1440);
            var queuedFor = random.NextDouble() < 0.3 ? (float)Math.Round(-60 * Math.Log(1 - random.NextDouble()), 3) : -1f;
            var abandoned = queuedFor >= 0 && random.NextDouble() < 0.15;
            var visitorWrites = random.NextDouble() >= 0.08;
            var agentWrites = !abandoned && random.NextDouble() >= 0.07;
            var responses = (short)(agentWrites && visitorWrites ? 1 + random.Next(6) : 0);
            var responseMax = 0f;
            var responseSum = 0f;
            for (var r = 0; r < responses; r++)
            {
                var t = (float)Math.Round(-25 * Math.Log(1 - random.NextDouble()), 3);
                responseSum += t;
                responseMax = Math.Max(responseMax, t);
            }

            raw[i] = new RawConversation
            {
                CreatedMinute = created,
                PickedUpMinute = abandoned ? -1 : created + (int)(Math.Max(0, queuedFor) / 60),
                QueueWait = queuedFor,
                Duration = abandoned ? 0 : (float)Math.Round(-330 * Math.Log(1 - random.NextDouble()), 3),
                FirstResponse = agentWrites ? (float)Math.Round(-20 * Math.Log(1 - random.NextDouble()), 3) : -1,
                ResponseCount = responses,
                ResponseSum = responseSum,
                ResponseMax = responseMax,
                Visitor = random.Next(3_000_000),
                Agent = (short)random.Next(200),
                Channel = (byte)random.Next(ChannelNames.Length),
                Association = (byte)random.Next(21),
                Type = (byte)(random.NextDouble() < 0.05 ? 1 : 0),
                Validity = (byte)(!visitorWrites ? 1 : !agentWrites ? 2 : 0),
                Tag = (byte)(random.NextDouble() < 0.4 ? 1 + random.Next(50) : 0),
                Messages = (byte)((visitorWrites ? 1 + responses : 0) + (agentWrites ? 1 + responses : 0)),
                Abandoned = abandoned,
            };
        }

        return raw;
    }

    /// <summary>Folds the raw conversations into the day cells the sink writes for the series of the query's metrics and the dimension set, and applies them.</summary>
    private static void Load(InMemoryKefuStore store, RawConversation[] raw, ReportDimension first, ReportDimension second)
    {
        var mask = ReportingSeries.Mask([first, second]);
        string[] bases = [ReportingSeries.Created, ReportingSeries.Queue, ReportingSeries.Conversations, ReportingSeries.Duration, ReportingSeries.FirstResponse, ReportingSeries.Response];
        var cardinality = Cardinality(second);
        var groups = Cardinality(first) * cardinality;
        var cells = new (long Count, double Sum, double Max)[bases.Length, groups, Days + 1];
        foreach (ref readonly var c in raw.AsSpan())
        {
            var g = (Key(first, c) * cardinality) + Key(second, c);
            var day = c.CreatedMinute / 1440;
            Fold(ref cells[0, g, day], 1, 0, 0);
            if (c.QueueWait >= 0)
            {
                Fold(ref cells[1, g, day], 1, c.QueueWait, c.QueueWait);
            }

            if (c.PickedUpMinute >= 0)
            {
                var up = Math.Min(Days, c.PickedUpMinute / 1440);
                Fold(ref cells[2, g, up], 1, c.Messages, c.Messages);
                Fold(ref cells[3, g, up], 1, c.Duration, c.Duration);
                if (c.FirstResponse >= 0)
                {
                    Fold(ref cells[4, g, up], 1, c.FirstResponse, c.FirstResponse);
                }

                if (c.ResponseCount > 0)
                {
                    Fold(ref cells[5, g, up], c.ResponseCount, c.ResponseSum, c.ResponseMax);
                }
            }
        }

        var deltas = new List<AggregateDelta>();
        long eventId = 0;
        for (var s = 0; s < bases.Length; s++)
        {
            var series = ReportingSeries.Name(bases[s], mask);
            for (var g = 0; g < groups; g++)
            {
                var dimension = Value(first, g / cardinality) + ReportingSeries.ValueSeparator + Value(second, g % cardinality);
                for (var d = 0; d <= Days; d++)
                {
                    var (count, sum, max) = cells[s, g, d];
                    if (count > 0)
                    {
                        deltas.Add(new AggregateDelta(series, dimension, BucketGranularity.Day, Start.AddDays(d), count, sum, max));
                    }
                }
            }

            store.ApplyAsync(1, ReportingSeries.Consumer, ++eventId, deltas).AsTask().GetAwaiter().GetResult();
            deltas.Clear();
        }

        static void Fold(ref (long Count, double Sum, double Max) cell, long count, double sum, double max)
        {
            cell.Max = cell.Count == 0 ? max : Math.Max(cell.Max, max);
            cell.Count += count;
            cell.Sum += sum;
        }
    }
}

/// <summary>
/// Ingest on one core: the deltas the reporting sink computes for closed conversations
/// (<see cref="ReportingSink.CloseDeltas"/> over <see cref="ConversationFacts.Cells"/>, as its close handler calls them,
/// the store reads left out: the facts are in memory), added into an aggregate accumulator keyed as the store keys its
/// cells. One operation is one closed conversation (about 350 deltas with one visitor tag). Every other event of a
/// conversation (created, queued, assigned, messages: about 15 per conversation in <c>report-check</c>) costs the sink
/// one switch on its payload kind, so events/s ≈ closes/s × events per conversation.
/// </summary>
[MemoryDiagnoser]
public class ReportIngestBenchmarks
{
    public const int Closes = 4096;

    private readonly List<AggregateDelta> _deltas = new(1024);
    private (ConversationFacts Facts, ReportingSink.CloseObservation Observation)[] _closes = [];
    private Dictionary<(string Series, string Dimension, BucketGranularity Width, DateTimeOffset Bucket), (long Count, double Sum, double Max)> _cells = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _closes = new (ConversationFacts, ReportingSink.CloseObservation)[Closes];
        for (var i = 0; i < Closes; i++)
        {
            var created = start.AddSeconds(random.Next(90 * 86_400));
            var pickedUp = random.NextDouble() < 0.9 ? created.AddSeconds(random.Next(120)) : (DateTimeOffset?)null;
            var tagCount = random.NextDouble() < 0.6 ? 0 : random.NextDouble() < 0.8 ? 1 : 2;
            string[] tags = tagCount == 0 ? [ReportingSeries.None] : [.. Enumerable.Range(0, tagCount).Select(t => (5000 + random.Next(50) + (t * 50)).ToString(CultureInfo.InvariantCulture))];
            var facts = new ConversationFacts
            {
                Values =
                [
                    [pickedUp is null ? ReportingSeries.None : (1000 + random.Next(200)).ToString(CultureInfo.InvariantCulture)],
                    tags,
                    [((ChannelKind)(1 + random.Next(5))).ToString()],
                    [random.Next(21) is var a and > 0 ? (2000 + a).ToString(CultureInfo.InvariantCulture) : ReportingSeries.None],
                    [random.NextDouble() < 0.05 ? ConversationFacts.Proactive : ConversationFacts.Inbound],
                    [ConversationFacts.Valid],
                ],
                VisitorId = random.Next(3_000_000),
                CreatedAt = created,
                PickedUpAt = pickedUp,
            };
            var observation = new ReportingSink.CloseObservation
            {
                Queued = random.NextDouble() < 0.3,
                QueueWaitSeconds = random.Next(120),
                Abandoned = pickedUp is null,
                Messages = 2 + random.Next(10),
                DurationSeconds = random.Next(900),
                FirstResponseSeconds = random.Next(60),
                ResponseCount = 1 + random.Next(5),
                ResponseSumSeconds = random.Next(200),
                ResponseMaxSeconds = random.Next(60),
            };
            _closes[i] = (facts, observation);
        }
    }

    [IterationSetup]
    public void Reset() => _cells = new(1 << 20);

    /// <summary>Computes the deltas of <see cref="Closes"/> closed conversations and adds them into the accumulator.</summary>
    [Benchmark(OperationsPerInvoke = Closes)]
    public int Ingest()
    {
        var cells = _cells;
        foreach (var (facts, observation) in _closes)
        {
            _deltas.Clear();
            ReportingSink.CloseDeltas(_deltas, facts, facts.Cells(), observation);
            foreach (var d in _deltas)
            {
                ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(cells, (d.Series, d.Dimension, d.Granularity, d.BucketStart), out var exists);
                cell = exists ? (cell.Count + d.Count, cell.Sum + d.Sum, Math.Max(cell.Max, d.Max)) : (d.Count, d.Sum, d.Max);
            }
        }

        return cells.Count;
    }
}
