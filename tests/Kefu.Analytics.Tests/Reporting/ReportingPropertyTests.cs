using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analytics.Tests.Reporting;

/// <summary>
/// Random conversation scripts (arrivals on three channels with and without an association, returning visitors,
/// visitor and agent messages, ends by agents and visitors, abandonments, presence changes that queue and requeue,
/// ratings before and after the close, proactive invitations, visitor tags, time passing across hours and days) run
/// through the real engine; every computed metric under random dimensions and granularities must equal a brute-force
/// recomputation from the recorded events, before and after the sink is handed every event again.
/// </summary>
public sealed class ReportingPropertyTests
{
    public readonly record struct Op(int Kind, int A, int B);

    private static readonly Gen<Op[]> Operations =
        (from kind in Gen.Choose(0, 20)
         from a in Gen.Choose(0, 999)
         from b in Gen.Choose(0, 999)
         select new Op(kind, a, b)).ListOf().Select(ops => ops.Take(80).ToArray());

    private static readonly ChannelKind[] Channels = [ChannelKind.Web, ChannelKind.Wechat, ChannelKind.App];

    [Fact]
    public async Task Reports_OfRandomScripts_EqualABruteForceRecomputation()
    {
        var property = Prop.ForAll(Operations.ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), (Func<Op[], int, Task<bool>>)RunAsync);
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithEndSize(80), property));
    }

    private static async Task<bool> RunAsync(Op[] ops, int seed)
    {
        await using var r = await ReportingHarness.StartAsync();
        var t = r.TenantId;
        var kefu = r.H.Kefu;
        var agents = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            agents.Add((await r.AgentAsync($"A{i}", capacity: 1 + (i / 2), online: i != 2)).Id);
        }

        var channel = await kefu.Directory.AddChannelAsync(t, ChannelKind.App, "App", "app_code");
        var association = await kefu.Directory.AddAssociationAsync(t, channel.Id, "Main app");
        long[] tags = [(await kefu.Directory.AddTagAsync(t, TagScope.Visitor, "VIP")).Id, (await kefu.Directory.AddTagAsync(t, TagScope.Visitor, "新客")).Id];
        var visitors = new List<long>();
        var conversations = new List<Conversation>();
        var start = r.Now;
        AgentStatus[] statuses = [AgentStatus.Online, AgentStatus.Offline, AgentStatus.Busy, AgentStatus.Online];

        foreach (var op in ops)
        {
            await r.H.AdvanceAsync(TimeSpan.FromSeconds(op.B % 7));
            var open = await kefu.Conversations.ListOpenAsync(t);
            try
            {
                switch (op.Kind)
                {
                    case 0 or 1 or 13 or 14:
                        long? visitor = op.B % 3 == 0 && visitors.Count > 0 ? visitors[op.A % visitors.Count] : null;
                        var c = await r.OpenAsync(Channels[op.A % 3], visitor, op.A % 2 == 0 ? association.Id : null);
                        conversations.Add(c);
                        if (!visitors.Contains(c.VisitorId))
                        {
                            visitors.Add(c.VisitorId);
                        }

                        break;
                    case 2 or 3 or 17 or 18 when open.Count > 0:
                        var inService = open.Where(x => x.State == ConversationState.InService).ToList();
                        await r.VisitorSaysAsync(op.B % 4 != 0 && inService.Count > 0 ? inService[op.A % inService.Count] : open[op.A % open.Count]);
                        break;
                    case 4 or 5 or 19 or 20:
                        var served = open.Where(x => x.State == ConversationState.InService).ToList();
                        if (served.Count > 0)
                        {
                            var s = served[op.A % served.Count];
                            await r.AgentSaysAsync(s, s.AgentId ?? 0);
                        }

                        break;
                    case 6 or 15:
                        var ending = open.Where(x => x.State == ConversationState.InService).ToList();
                        if (ending.Count > 0)
                        {
                            var s = ending[op.A % ending.Count];
                            await kefu.Conversations.EndAsync(t, s.Id, Participant.Agent(s.AgentId ?? 0));
                        }

                        break;
                    case 7 or 16 when open.Count > 0:
                        var leaving = open[op.A % open.Count];
                        await kefu.Conversations.EndAsync(t, leaving.Id, Participant.Visitor(leaving.VisitorId));
                        break;
                    case 8:
                        await kefu.Conversations.SetStatusAsync(t, agents[op.A % agents.Count], statuses[op.B % statuses.Length]);
                        break;
                    case 9 when conversations.Count > 0:
                        var rated = conversations[op.A % conversations.Count];
                        await kefu.Conversations.RateAsync(t, rated.Id, rated.VisitorId, new RatingInput(1 + (op.B % 5)));
                        break;
                    case 10:
                        await r.H.AdvanceAsync(op.A % 10 == 0 ? TimeSpan.FromHours(op.B % 30) : TimeSpan.FromSeconds(op.B));
                        break;
                    case 11 when visitors.Count > 0:
                        // Tags are read when the sink records a close: deliver first so a change never overtakes one.
                        await r.DeliveredAsync();
                        var who = visitors[op.A % visitors.Count];
                        var tag = tags[op.B % 2];
                        if (op.B % 3 == 0)
                        {
                            await kefu.Conversations.RemoveVisitorTagAsync(t, who, tag);
                        }
                        else
                        {
                            await kefu.Conversations.AddVisitorTagAsync(t, who, tag);
                        }

                        break;
                    case 12 when visitors.Count > 0:
                        conversations.Add(await kefu.Conversations.InviteVisitorAsync(t, agents[op.A % agents.Count], visitors[op.B % visitors.Count]));
                        break;
                    default:
                        break;
                }
            }
            catch (KefuException)
            {
                // Not allowed in this state (already rated, at capacity, offline, visitor already in a conversation …): the script goes on.
            }
        }

        await r.DeliveredAsync();
        var oracle = Oracle.From(r.H.Events.Events);
        var random = new Random(seed);
        var computed = MetricCatalog.All.Where(m => m.IsComputed).Select(m => m.Id).ToArray();
        var day = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        for (var round = 0; round < 6; round++)
        {
            if (round == 3)
            {
                await r.ReplayAsync();
            }

            var dimensions = Enum.GetValues<ReportDimension>().OrderBy(_ => random.Next()).Take(random.Next(3)).ToArray();
            var granularity = (ReportGranularity)random.Next(5);
            var from = random.Next(2) == 0 ? day : start.AddHours(random.Next(-2, 6));
            from = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
            var to = from.AddDays(1 + random.Next(4));
            var offset = TimeSpan.FromHours(random.Next(3) == 0 ? random.Next(-12, 15) : 0);
            foreach (var metrics in computed.Chunk(ReportQuery.MaxMetrics))
            {
                var query = new ReportQuery { From = from, To = to, Metrics = metrics, Dimensions = dimensions, Granularity = granularity, UtcOffset = offset };
                var actual = await r.Reports.RunAsync(t, query);
                var expected = oracle.Run(query);
                Compare(expected, actual, query);
            }
        }

        return true;
    }

    private static void Compare(Dictionary<string, double?[]> expected, ReportResult actual, ReportQuery query)
    {
        var rows = actual.Rows.ToDictionary(Oracle.Key, x => x.Values.ToArray());
        foreach (var key in expected.Keys.Union(rows.Keys))
        {
            var e = expected.GetValueOrDefault(key) ?? Oracle.Empty(query.Metrics);
            var a = rows.GetValueOrDefault(key) ?? Oracle.Empty(query.Metrics);
            for (var i = 0; i < query.Metrics.Count; i++)
            {
                var same = e[i] is null ? a[i] is null : a[i] is { } v && Math.Abs(v - e[i]!.Value) <= 1e-6 * Math.Max(1, Math.Abs(v));
                Assert.True(same, $"{query.Metrics[i]} at {key} by [{string.Join(",", query.Dimensions)}] {query.Granularity} {query.From:O}–{query.To:O}: expected {e[i]}, reported {a[i]}");
            }
        }
    }

    /// <summary>Everything recomputed from the raw events, conversation by conversation.</summary>
    private sealed class Oracle
    {
        private sealed class Record
        {
            public long Visitor;
            public ChannelKind Channel;
            public long Association;
            public bool Proactive;
            public DateTimeOffset Created;
            public bool Queued;
            public long QueueWaitMs;
            public DateTimeOffset? QueueJoin;
            public DateTimeOffset? PickedUp;
            public DateTimeOffset? FirstAgentMessage;
            public int VisitorMessages;
            public int AgentMessages;
            public DateTimeOffset? Pending;
            public readonly List<long> Responses = [];
            public bool Closed;
            public DateTimeOffset ClosedAt;
            public long Agent;
            public bool Abandoned;
            public long[] TagsAtClose = [];
            public double? Score;
            public long[] TagsForRating = [];
        }

        private readonly List<Record> _records;

        private Oracle(List<Record> records) => _records = records;


        public static Oracle From(IReadOnlyList<KefuEvent> events)
        {
            var byId = new Dictionary<long, Record>();
            var order = new List<Record>();
            var tags = new Dictionary<long, SortedSet<long>>();
            long[] TagsOf(long visitor) => tags.TryGetValue(visitor, out var set) ? [.. set] : [];
            foreach (var e in events)
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs);
                byId.TryGetValue(e.ConversationId, out var c);
                switch (e.PayloadCase)
                {
                    case KefuEvent.PayloadOneofCase.SessionCreated:
                        var created = e.SessionCreated;
                        c = new Record { Visitor = created.VisitorId, Channel = created.ChannelKind, Association = created.AssociationId, Proactive = created.InvitingAgentId != 0, Created = at };
                        byId[e.ConversationId] = c;
                        order.Add(c);
                        break;
                    case KefuEvent.PayloadOneofCase.SessionQueued when c is not null:
                        c.Queued = true;
                        Leave(c, at);
                        c.QueueJoin = at;
                        break;
                    case KefuEvent.PayloadOneofCase.SessionAssigned when c is not null:
                        Leave(c, at);
                        c.PickedUp ??= at;
                        break;
                    case KefuEvent.PayloadOneofCase.Message when c is not null:
                        if (e.Message.SenderKind == ParticipantKind.Visitor)
                        {
                            c.VisitorMessages++;
                            c.Pending ??= at;
                        }
                        else if (e.Message.SenderKind == ParticipantKind.Agent)
                        {
                            c.AgentMessages++;
                            c.FirstAgentMessage ??= at;
                            if (c.Pending is { } p && c.PickedUp is { } up)
                            {
                                var from = p > up ? p : up;
                                if (at >= from)
                                {
                                    c.Responses.Add((long)(at - from).TotalMilliseconds);
                                }
                            }

                            c.Pending = null;
                        }

                        break;
                    case KefuEvent.PayloadOneofCase.SessionClosed when c is not null:
                        Leave(c, at);
                        c.Closed = true;
                        c.ClosedAt = at;
                        c.Agent = e.SessionClosed.AgentId;
                        c.Abandoned = e.SessionClosed.Reason == CloseReason.QueueAbandoned;
                        c.TagsAtClose = TagsOf(c.Visitor);
                        if (c.Score is not null)
                        {
                            c.TagsForRating = c.TagsAtClose;
                        }

                        break;
                    case KefuEvent.PayloadOneofCase.RatingSubmitted when c is not null:
                        var rating = e.RatingSubmitted;
                        c.Score = 1 + (4.0 * (rating.Level - 1) / (rating.LevelCount - 1));
                        c.TagsForRating = TagsOf(c.Visitor);
                        break;
                    case KefuEvent.PayloadOneofCase.VisitorTagAdded:
                        if (!tags.TryGetValue(e.VisitorTagAdded.VisitorId, out var added))
                        {
                            added = [];
                            tags[e.VisitorTagAdded.VisitorId] = added;
                        }

                        added.Add(e.VisitorTagAdded.TagId);
                        break;
                    case KefuEvent.PayloadOneofCase.VisitorTagRemoved:
                        if (tags.TryGetValue(e.VisitorTagRemoved.VisitorId, out var removed))
                        {
                            removed.Remove(e.VisitorTagRemoved.TagId);
                        }

                        break;
                    default:
                        break;
                }
            }

            return new Oracle(order.Where(c => c.Closed).ToList());

            static void Leave(Record c, DateTimeOffset at)
            {
                if (c.QueueJoin is { } joined)
                {
                    c.QueueWaitMs += (long)(at - joined).TotalMilliseconds;
                    c.QueueJoin = null;
                }
            }
        }

        public static string Key(ReportRow row) => string.Join("|", row.DimensionValues) + "@" + row.BucketStart?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

        public static double?[] Empty(IReadOnlyList<string> metrics) =>
            [.. metrics.Select(m => MetricCatalog.Find(m)!.Aggregation is MetricAggregation.Count or MetricAggregation.Sum or MetricAggregation.DistinctCount ? 0 : (double?)null)];

        private static string Id(long id) => id == 0 ? "none" : id.ToString(CultureInfo.InvariantCulture);

        private static string[] Values(Record c, ReportDimension d, bool forRating)
        {
            var tags = forRating ? c.TagsForRating : c.TagsAtClose;
            return d switch
            {
                ReportDimension.Agent => [Id(c.Agent)],
                ReportDimension.VisitorTag => tags.Length == 0 ? ["none"] : [.. tags.Select(Id)],
                ReportDimension.ChannelKind => [c.Channel.ToString()],
                ReportDimension.Association => [Id(c.Association)],
                ReportDimension.ConversationType => [c.Proactive ? "proactive" : "inbound"],
                _ => [c.VisitorMessages == 0 ? "no_visitor_message" : c.AgentMessages == 0 ? "no_agent_reply" : "valid"],
            };
        }

        private static IEnumerable<string[]> Combinations(Record c, IReadOnlyList<ReportDimension> dimensions, bool forRating) => dimensions.Count switch
        {
            0 => [[]],
            1 => Values(c, dimensions[0], forRating).Select(v => new[] { v }),
            _ => from v in Values(c, dimensions[0], forRating) from w in Values(c, dimensions[1], forRating) select new[] { v, w },
        };

        private static DateTimeOffset? Bucket(DateTimeOffset at, ReportGranularity granularity, TimeSpan offset)
        {
            var local = at.ToOffset(offset);
            var day = new DateTimeOffset(local.Date, offset);
            return granularity switch
            {
                ReportGranularity.None => null,
                ReportGranularity.Hour => day.AddHours(local.Hour),
                ReportGranularity.Day => day,
                ReportGranularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
                _ => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, offset),
            };
        }

        /// <summary>Per row key, the values of the query's metrics.</summary>
        public Dictionary<string, double?[]> Run(ReportQuery query)
        {
            var groups = new Dictionary<string, List<(Record C, bool Rating, bool ByCreation)>>();
            void Add(Record c, DateTimeOffset at, bool rating, bool byCreation)
            {
                if (at < query.From || at >= query.To)
                {
                    return;
                }

                foreach (var values in Combinations(c, query.Dimensions, rating))
                {
                    var key = string.Join("|", values) + "@" + Bucket(at, query.Granularity, query.UtcOffset)?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                    if (!groups.TryGetValue(key, out var list))
                    {
                        list = [];
                        groups[key] = list;
                    }

                    list.Add((c, rating, byCreation));
                }
            }

            foreach (var c in _records)
            {
                Add(c, c.Created, false, true);
                if (c.PickedUp is { } up)
                {
                    Add(c, up, false, false);
                    if (c.Score is not null)
                    {
                        Add(c, up, true, false);
                    }
                }
            }

            var result = new Dictionary<string, double?[]>();
            foreach (var (key, list) in groups)
            {
                var created = list.Where(x => x.ByCreation).Select(x => x.C).ToList();
                var picked = list.Where(x => !x.ByCreation && !x.Rating).Select(x => x.C).ToList();
                var rated = list.Where(x => x.Rating).Select(x => x.C.Score!.Value).ToList();
                var queued = created.Where(c => c.Queued).Select(c => c.QueueWaitMs / 1000.0).ToList();
                var durations = picked.Select(c => (c.ClosedAt - c.PickedUp!.Value).TotalSeconds).ToList();
                var firsts = picked.Where(c => c.FirstAgentMessage >= c.PickedUp).Select(c => (c.FirstAgentMessage!.Value - c.PickedUp!.Value).TotalSeconds).ToList();
                var responses = picked.SelectMany(c => c.Responses).Select(ms => ms / 1000.0).ToList();
                var messages = picked.Select(c => (double)(c.VisitorMessages + c.AgentMessages)).ToList();
                static double? Avg(List<double> xs) => xs.Count == 0 ? null : xs.Sum() / xs.Count;
                static double? Max(List<double> xs) => xs.Count == 0 ? null : xs.Max();
                result[key] = [.. query.Metrics.Select(m => m switch
                {
                    "queue_wait_avg" => Avg(queued),
                    "queue_wait_max" => Max(queued),
                    "queue_count" => queued.Count,
                    "unique_visitors" => created.Select(c => c.Visitor).Distinct().Count(),
                    "quality_score_avg" => null,
                    "satisfaction_avg" => Avg(rated),
                    "conversations" => picked.Count,
                    "messages" => messages.Sum(),
                    "duration_avg" => Avg(durations),
                    "duration_max" => Max(durations),
                    "first_response_avg" => Avg(firsts),
                    "first_response_max" => Max(firsts),
                    "response_avg" => Avg(responses),
                    "response_max" => Max(responses),
                    "messages_per_conversation_avg" => Avg(messages),
                    "messages_per_conversation_max" => Max(messages),
                    "positive_rating_share" => rated.Count == 0 ? null : (double)rated.Count(s => s >= 4) / rated.Count,
                    "queue_abandoned" => created.Count(c => c.Abandoned),
                    "conversations_created" => created.Count,
                    "conversations_not_accepted" => created.Count(c => c.PickedUp is null),
                    "visitors_served" => picked.Select(c => c.Visitor).Distinct().Count(),
                    _ => throw new InvalidOperationException(m),
                })];
            }

            return result;
        }
    }
}
