using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;
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
/// are the hour cells the sink would write for the dimension set queried (folded from the same raw conversations in
/// the set-up, checked equal to the scan's answer: up to 2,200 hours × 1,000 combinations × 6 series = 13 million
/// cells for agent × channel), not the other 21 sets and the distinct-visitor cells: the store indexes cells by
/// series, so a query reads only its own series whatever else is stored. The report asks for the whole period
/// (<see cref="ReportGranularity.None"/>), which the store folds per combination from prefix sums and a range
/// maximum (<see cref="IAggregateTotalsStore"/>). Cardinalities: 200 agents, 5 channel kinds, 20 associations, 2
/// types, 3 validity values, 50 tags. Metrics: the 10 non-distinct P1 metrics conversations_created, queue_count,
/// queue_wait_avg, queue_wait_max, conversations, messages, duration_avg, duration_max, first_response_avg,
/// response_avg (6 base series); the distinct counts (unique visitors, visitors served) read one cell per visitor
/// and are not part of the goal's 10.
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

    /// <summary>Folds the raw conversations into the hour cells the sink writes for the series of the query's metrics and the dimension set, and applies them.</summary>
    private static void Load(InMemoryKefuStore store, RawConversation[] raw, ReportDimension first, ReportDimension second)
    {
        var mask = ReportingSeries.Mask([first, second]);
        string[] bases = [ReportingSeries.Created, ReportingSeries.Queue, ReportingSeries.Conversations, ReportingSeries.Duration, ReportingSeries.FirstResponse, ReportingSeries.Response];
        var cardinality = Cardinality(second);
        var groups = Cardinality(first) * cardinality;
        const int Hours = (Days + 2) * 24;
        var cells = new (long Count, double Sum, double Max)[bases.Length, groups, Hours];
        foreach (ref readonly var c in raw.AsSpan())
        {
            var g = (Key(first, c) * cardinality) + Key(second, c);
            var hour = c.CreatedMinute / 60;
            Fold(ref cells[0, g, hour], 1, 0, 0);
            if (c.QueueWait >= 0)
            {
                Fold(ref cells[1, g, hour], 1, c.QueueWait, c.QueueWait);
            }

            if (c.PickedUpMinute >= 0)
            {
                var up = Math.Min(Hours - 1, c.PickedUpMinute / 60);
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
                for (var h = 0; h < Hours; h++)
                {
                    var (count, sum, max) = cells[s, g, h];
                    if (count > 0)
                    {
                        deltas.Add(new AggregateDelta(series, dimension, BucketGranularity.Hour, Start.AddHours(h), count, sum, max));
                    }
                }

                store.ApplyAsync(1, ReportingSeries.Consumer, ++eventId, deltas).AsTask().GetAwaiter().GetResult();
                deltas.Clear();
            }
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
/// Ingest on one core, end to end through the sink: a realistic event stream (per conversation its creation, queueing
/// for some, assignment, every message, the close; about 20 events of which one is a close) handed to
/// <see cref="ReportingSink.HandleAsync"/> in batches of 64 events, the sink following each conversation's response
/// times from its message events, reading each closed conversation and its visitor from the real in-memory store and
/// applying the close's deltas (every base series × 22 dimension sets at hour width, plus the rating's when rated)
/// to the store's aggregates. A tenant of 200 agents with about 8,000 conversations a day: each iteration starts from a fresh store
/// holding the conversations, visitors and messages and the aggregates of the day before (fed through the sink in
/// the set-up, not timed), then times the next day's stream. One operation is one event: the reciprocal of the mean
/// time is events/s on one core.
/// Shape: 200 agents, 5 channels, 20 associations, 50 tags (40 % of visitors tagged, a fifth of those twice), 5 %
/// proactive, 10 % never picked up (queue position updates instead of messages), 30 % queued, 30 % rated, exactly 20
/// events per conversation (16–17 messages when picked up), conversations one after another in time order.
/// </summary>
[MemoryDiagnoser]
public class ReportIngestBenchmarks
{
    /// <summary>Conversations of the timed day: 200 agents × about 40 conversations each.</summary>
    public const int ConversationCount = 8192;
    public const int EventsPerConversation = 20;
    private const int Batch = 64;
    private const long Tenant = 1;

    private readonly List<Conversation> _conversations = [];
    private readonly List<Visitor> _visitors = [];
    private readonly List<KefuEvent> _messages = [];
    private KefuEvent[][] _warmUp = [];
    private KefuEvent[][] _batches = [];
    private ReportingSink? _sink;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stream = new List<KefuEvent>();
        long eventId = 1, sequence = 0, messageId = 1;
        KefuEvent Event(long conversation, DateTimeOffset at) => new() { EventId = eventId++, TenantId = Tenant, Sequence = ++sequence, OccurredAtMs = at.ToUnixTimeMilliseconds(), ConversationId = conversation };
        // A stream is in time order: conversations one after another over the 90 days.
        var starts = Enumerable.Range(0, 2 * ConversationCount).Select(_ => random.Next(2 * 86_400)).Order().ToArray();
        for (var i = 0; i < starts.Length; i++)
        {
            var id = 10_000 + i;
            var visitorId = 1_000_000 + random.Next(3_000_000);
            var created = start.AddSeconds(starts[i]);
            var queued = random.NextDouble() < 0.3;
            var wait = queued ? random.Next(1, 180) : 0;
            var picked = random.NextDouble() < 0.9;
            var up = created.AddSeconds(wait + random.Next(3));
            var agent = 1000 + random.Next(200);
            var tagCount = random.NextDouble() < 0.6 ? 0 : random.NextDouble() < 0.8 ? 1 : 2;
            _visitors.Add(new Visitor { Id = visitorId, Name = "v", TagIds = [.. Enumerable.Range(0, tagCount).Select(t => 5000L + random.Next(50) + (t * 50))] });
            stream.Add(Event(id, created).Also(e => e.SessionCreated = new ServiceSessionCreatedEvent()));
            if (queued)
            {
                stream.Add(Event(id, created).Also(e => e.SessionQueued = new ServiceSessionQueuedEvent()));
            }

            var at = up;
            int visitorMessages = 0, agentMessages = 0;
            KefuEvent? firstAgent = null;
            if (picked)
            {
                stream.Add(Event(id, up).Also(e => e.SessionAssigned = new ServiceSessionAssignedEvent()));
                var count = EventsPerConversation - 3 - (queued ? 1 : 0);
                for (var m = 0; m < count; m++)
                {
                    at = at.AddSeconds(1 + random.Next(40));
                    var fromVisitor = m % 2 == 0 || random.NextDouble() < 0.2;
                    var message = Event(id, at).Also(e => e.Message = new ServiceSessionMessageEvent
                    {
                        MessageId = messageId++,
                        SenderKind = fromVisitor ? ParticipantKind.Visitor : ParticipantKind.Agent,
                        SenderId = fromVisitor ? visitorId : agent,
                        Kind = MessageKind.Text,
                        Text = fromVisitor ? "where is my order?" : "let me check that for you",
                    });
                    firstAgent ??= fromVisitor ? null : message;
                    _ = fromVisitor ? visitorMessages++ : agentMessages++;
                    _messages.Add(message);
                    stream.Add(message);
                }
            }

            else
            {
                // Waiting until given up: queue position updates.
                for (var q = 0; q < EventsPerConversation - 2 - (queued ? 1 : 0); q++)
                {
                    at = at.AddSeconds(10);
                    stream.Add(Event(id, at).Also(e => e.QueuePosition = new QueuePositionEvent()));
                }
            }

            var closedAt = at.AddSeconds(5 + random.Next(60));
            var rated = picked && random.NextDouble() < 0.3;
            _conversations.Add(new Conversation
            {
                Id = id,
                TenantId = Tenant,
                VisitorId = visitorId,
                ChannelKind = (ChannelKind)(1 + random.Next(5)),
                AssociationId = random.Next(21) is var a and > 0 ? 2000 + a : null,
                State = ConversationState.Closed,
                AgentId = picked ? agent : null,
                InvitingAgentId = random.NextDouble() < 0.05 ? agent : null,
                CreatedAt = created,
                QueuedAt = queued ? created : null,
                AssignedAt = picked ? up : null,
                QueueWaitMilliseconds = wait * 1000L,
                MessageCount = visitorMessages + agentMessages,
                VisitorMessageCount = visitorMessages,
                AgentMessageCount = agentMessages,
                Rating = rated ? new Rating(1 + random.Next(5), 5, [], null, closedAt) : null,
            });
            stream.Add(Event(id, closedAt).Also(e => e.SessionClosed = new ServiceSessionClosedEvent
            {
                VisitorId = visitorId,
                AgentId = picked ? agent : 0,
                Reason = picked ? CloseReason.AgentEnded : CloseReason.QueueAbandoned,
                CreatedAtMs = created.ToUnixTimeMilliseconds(),
                AssignedAtMs = picked ? up.ToUnixTimeMilliseconds() : 0,
                FirstAgentMessageAtMs = firstAgent?.OccurredAtMs ?? 0,
                MessageCount = visitorMessages + agentMessages,
            }));

            if (i == ConversationCount - 1)
            {
                _warmUp = [.. stream.Chunk(Batch)];
                stream.Clear();
            }
        }

        if (stream.Count != ConversationCount * EventsPerConversation)
        {
            throw new InvalidOperationException($"The stream has {stream.Count} events, not {ConversationCount * EventsPerConversation}.");
        }

        _batches = [.. stream.Chunk(Batch)];
    }

    [IterationSetup]
    public void Reset()
    {
        var store = new InMemoryKefuStore();
        var commit = new TenantCommit(Tenant);
        commit.ConversationList.AddRange(_conversations);
        commit.VisitorList.AddRange(_visitors);
        commit.EventList.AddRange(_messages);
        store.CommitAsync(commit).AsTask().GetAwaiter().GetResult();
        _sink = new ReportingSink(store, store);
        Run(_sink, _warmUp);
    }

    /// <summary>The whole stream through the sink into the store's aggregates; one operation is one event (~20 per conversation).</summary>
    [Benchmark(OperationsPerInvoke = ConversationCount * EventsPerConversation)]
    public int Ingest() => Run(_sink!, _batches);

    private static int Run(ReportingSink sink, KefuEvent[][] batches)
    {
        foreach (var batch in batches)
        {
            var pending = sink.HandleAsync(Tenant, batch, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }

        return batches.Length;
    }
}

internal static class EventExtensions
{
    public static KefuEvent Also(this KefuEvent e, Action<KefuEvent> set)
    {
        set(e);
        return e;
    }
}
