using System.Globalization;
using Kefu.Events;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// The brute-force recomputation of every computed metric from a tenant's raw events, conversation by conversation,
/// with no aggregates: what <see cref="IReports.RunAsync"/> must answer. The property test and the benchmarks'
/// <c>report-check</c> verb compare the reports with it. It follows the catalogue's definitions from the events alone
/// (creation, queueing, pick-up, messages, close, rating, visitor tags); the one input it cannot derive from events is
/// the quality-inspection score, which the caller hands over per conversation (the first score each one got).
/// </summary>
internal sealed class ReportOracle
{
    private readonly List<Record> _records;

    private ReportOracle(List<Record> records) => _records = records;

    /// <summary>Conversations closed in the events.</summary>
    public int ClosedConversations => _records.Count;

    /// <summary>
    /// Replays <paramref name="events"/> (one tenant's, in commit order). <paramref name="qualityScores"/> gives the
    /// first quality score of a conversation by its id, when quality inspection ran.
    /// </summary>
    public static ReportOracle From(IEnumerable<KefuEvent> events, IReadOnlyDictionary<long, double>? qualityScores = null)
    {
        ArgumentNullException.ThrowIfNull(events);
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
                    c = new Record { Id = e.ConversationId, Visitor = created.VisitorId, Channel = created.ChannelKind.ToString(), Association = created.AssociationId, Proactive = created.InvitingAgentId != 0, Created = at };
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
                    c.Score = rating.LevelCount <= 1 ? 5 : 1 + (4.0 * (Math.Clamp(rating.Level, 1, rating.LevelCount) - 1) / (rating.LevelCount - 1));
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

        var closed = order.Where(c => c.Closed).ToList();
        if (qualityScores is not null)
        {
            foreach (var c in closed)
            {
                if (c.PickedUp is not null && qualityScores.TryGetValue(c.Id, out var score))
                {
                    c.Quality = score;
                }
            }
        }

        return new ReportOracle(closed);

        static void Leave(Record c, DateTimeOffset at)
        {
            if (c.QueueJoin is { } joined)
            {
                c.QueueWaitMs += (long)(at - joined).TotalMilliseconds;
                c.QueueJoin = null;
            }
        }
    }

    /// <summary>The key of a report row: its dimension values and its bucket, as <see cref="Run"/> keys its rows.</summary>
    public static string Key(ReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return string.Join("|", row.DimensionValues) + "@" + row.BucketStart?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>The values of a row without data: 0 for counts, sums and distinct counts, null for the rest.</summary>
    public static double?[] Empty(IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return [.. metrics.Select(m => MetricCatalog.Find(m)!.Aggregation is MetricAggregation.Count or MetricAggregation.Sum or MetricAggregation.DistinctCount ? 0 : (double?)null)];
    }

    /// <summary>Whether a reported value equals the expected one (both null, or within a relative 1e-6).</summary>
    public static bool Same(double? expected, double? actual) =>
        expected is null ? actual is null : actual is { } v && Math.Abs(v - expected.Value) <= 1e-6 * Math.Max(1, Math.Abs(v));

    /// <summary>
    /// Compares a report's rows with the oracle's (<see cref="Run"/> with the same query, or with more metrics:
    /// <paramref name="expectedMetrics"/> names the oracle's columns). Every metric of every row either side has is one
    /// compared cell; <paramref name="onMismatch"/> hears of each difference (metric index in the query, row key,
    /// expected, reported). Returns the cells compared.
    /// </summary>
    public static int Compare(Dictionary<string, double?[]> expected, IReadOnlyList<string> expectedMetrics, ReportResult actual, ReportQuery query, Action<int, string, double?, double?> onMismatch)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(expectedMetrics);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(onMismatch);
        var columns = query.Metrics.Select(m => IndexOf(expectedMetrics, m)).ToArray();
        var emptyExpected = Empty(expectedMetrics);
        var emptyActual = Empty(query.Metrics);
        var rows = new Dictionary<string, double?[]>(actual.Rows.Count);
        foreach (var row in actual.Rows)
        {
            rows.Add(Key(row), [.. row.Values]);
        }

        var cells = 0;
        foreach (var key in expected.Keys.Union(rows.Keys))
        {
            var e = expected.GetValueOrDefault(key) ?? emptyExpected;
            var a = rows.GetValueOrDefault(key) ?? emptyActual;
            for (var i = 0; i < query.Metrics.Count; i++)
            {
                cells++;
                if (!Same(e[columns[i]], a[i]))
                {
                    onMismatch(i, key, e[columns[i]], a[i]);
                }
            }
        }

        return cells;

        static int IndexOf(IReadOnlyList<string> metrics, string id)
        {
            for (var i = 0; i < metrics.Count; i++)
            {
                if (string.Equals(metrics[i], id, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            throw new ArgumentException($"The oracle did not compute '{id}'.", nameof(expectedMetrics));
        }
    }

    private static string Id(long id) => id == 0 ? ReportingSeries.None : id.ToString(CultureInfo.InvariantCulture);

    private static string[] Values(Record c, ReportDimension d, bool forRating)
    {
        var tags = forRating ? c.TagsForRating : c.TagsAtClose;
        return d switch
        {
            ReportDimension.Agent => [Id(c.Agent)],
            ReportDimension.VisitorTag => tags.Length == 0 ? [ReportingSeries.None] : [.. tags.Select(Id)],
            ReportDimension.ChannelKind => [c.Channel],
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

    /// <summary>
    /// Per row key (<see cref="Key"/>), the values of the query's metrics, which may be any number of computed
    /// metrics (the 10-metric limit of reports does not apply). The period is the query's as given: pass whole hours.
    /// </summary>
    public Dictionary<string, double?[]> Run(ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = new Dictionary<string, Group>();
        void Add(Record c, DateTimeOffset at, Role role)
        {
            if (at < query.From || at >= query.To)
            {
                return;
            }

            foreach (var values in Combinations(c, query.Dimensions, role == Role.Rating))
            {
                var key = string.Join("|", values) + "@" + Bucket(at, query.Granularity, query.UtcOffset)?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new Group();
                    groups[key] = group;
                }

                (role switch { Role.Created => group.Created, Role.PickedUp => group.Picked, _ => group.Rated }).Add(c);
            }
        }

        foreach (var c in _records)
        {
            Add(c, c.Created, Role.Created);
            if (c.PickedUp is { } up)
            {
                Add(c, up, Role.PickedUp);
                if (c.Score is not null)
                {
                    Add(c, up, Role.Rating);
                }
            }
        }

        var result = new Dictionary<string, double?[]>(groups.Count);
        foreach (var (key, group) in groups)
        {
            var created = group.Created;
            var picked = group.Picked;
            var rated = group.Rated.Select(c => c.Score!.Value).ToList();
            var queued = created.Where(c => c.Queued).Select(c => c.QueueWaitMs / 1000.0).ToList();
            var durations = picked.Select(c => (c.ClosedAt - c.PickedUp!.Value).TotalSeconds).ToList();
            var firsts = picked.Where(c => c.FirstAgentMessage >= c.PickedUp).Select(c => (c.FirstAgentMessage!.Value - c.PickedUp!.Value).TotalSeconds).ToList();
            var responses = picked.SelectMany(c => c.Responses).Select(ms => ms / 1000.0).ToList();
            var messages = picked.Select(c => (double)(c.VisitorMessages + c.AgentMessages)).ToList();
            var quality = picked.Where(c => c.Quality is not null).Select(c => c.Quality!.Value).ToList();
            static double? Avg(List<double> xs) => xs.Count == 0 ? null : xs.Sum() / xs.Count;
            static double? Max(List<double> xs) => xs.Count == 0 ? null : xs.Max();
            result[key] = [.. query.Metrics.Select(m => m switch
            {
                "queue_wait_avg" => Avg(queued),
                "queue_wait_max" => Max(queued),
                "queue_count" => queued.Count,
                "unique_visitors" => created.Select(c => c.Visitor).Distinct().Count(),
                "quality_score_avg" => Avg(quality),
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
                "positive_rating_share" => rated.Count == 0 ? null : (double)rated.Count(s => s >= 4 - 1e-9) / rated.Count,
                "queue_abandoned" => created.Count(c => c.Abandoned),
                "conversations_created" => created.Count,
                "conversations_not_accepted" => created.Count(c => c.PickedUp is null),
                "visitors_served" => picked.Select(c => c.Visitor).Distinct().Count(),
                _ => throw new InvalidOperationException($"The oracle does not compute '{m}'."),
            })];
        }

        return result;
    }

    private enum Role
    {
        Created,
        PickedUp,
        Rating,
    }

    private sealed class Group
    {
        public readonly List<Record> Created = [];
        public readonly List<Record> Picked = [];
        public readonly List<Record> Rated = [];
    }

    private sealed class Record
    {
        public long Id;
        public long Visitor;
        public string Channel = string.Empty;
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
        public double? Quality;
    }
}
