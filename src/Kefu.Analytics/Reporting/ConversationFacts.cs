using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Analytics.Reporting;

/// <summary>What the reports record of one closed conversation: its dimension values and its timings.</summary>
internal sealed class ConversationFacts
{
    public const string Valid = "valid";
    public const string NoVisitorMessage = "no_visitor_message";
    public const string NoAgentReply = "no_agent_reply";
    public const string Inbound = "inbound";
    public const string Proactive = "proactive";

    /// <summary>The values of each dimension, in <see cref="ReportDimension"/> order; only the visitor tag may have several.</summary>
    public required string[][] Values { get; init; }

    public required long VisitorId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PickedUpAt { get; init; }

    private static readonly string[] NoTag = [ReportingSeries.None];

    /// <summary>The dimension values of a conversation, their strings from <paramref name="names"/> when given.</summary>
    public static string[][] Dimensions(Conversation c, long? agentId, Visitor? visitor, CellNames? names = null)
    {
        var tags = visitor is null || visitor.TagIds.Count == 0
            ? NoTag
            : visitor.TagIds.Count == 1
                ? [Id(names, visitor.TagIds[0])]
                : visitor.TagIds.Distinct().Order().Select(t => Id(names, t)).ToArray();
        var validity = c.VisitorMessageCount == 0 ? NoVisitorMessage : c.AgentMessageCount == 0 ? NoAgentReply : Valid;
        return
        [
            [agentId is { } a and not 0 ? Id(names, a) : ReportingSeries.None],
            tags,
            [names is null ? c.ChannelKind.ToString() : names.Channel(c.ChannelKind)],
            [c.AssociationId is { } s and not 0 ? Id(names, s) : ReportingSeries.None],
            [c.InvitingAgentId is { } i and not 0 ? Proactive : Inbound],
            [validity],
        ];

        static string Id(CellNames? names, long id) => names is null ? ReportingSeries.Id(id) : names.Id(id);
    }

    /// <summary>Response times in milliseconds: each agent message answering visitor messages, measured from the first of them (or the pick-up when later).</summary>
    public static List<long> ResponseTimes(IReadOnlyList<Message> messages, DateTimeOffset? pickedUpAt)
    {
        var times = new List<long>();
        DateTimeOffset? pending = null;
        foreach (var m in messages)
        {
            if (m.SenderKind == Events.ParticipantKind.Visitor)
            {
                pending ??= m.SentAt;
            }
            else if (m.SenderKind == Events.ParticipantKind.Agent)
            {
                if (pending is { } p && pickedUpAt is { } up)
                {
                    var start = p > up ? p : up;
                    if (m.SentAt >= start)
                    {
                        times.Add((long)(m.SentAt - start).TotalMilliseconds);
                    }
                }

                pending = null;
            }
        }

        return times;
    }

    /// <summary>
    /// Every (series set, dimension value) pair a conversation's observations go to: 22 sets, more with several tags;
    /// the joined values from <paramref name="names"/> when given.
    /// </summary>
    public List<(int Mask, string Value)> Cells(CellNames? names = null)
    {
        var cells = new List<(int, string)>(24);
        foreach (var mask in ReportingSeries.DimensionSets)
        {
            int first = -1, second = -1;
            for (var i = 0; i < ReportingSeries.DimensionCount; i++)
            {
                if ((mask & (1 << i)) == 0)
                {
                    continue;
                }

                if (first < 0)
                {
                    first = i;
                }
                else
                {
                    second = i;
                }
            }

            if (first < 0)
            {
                cells.Add((mask, string.Empty));
            }
            else if (second < 0)
            {
                foreach (var v in Values[first])
                {
                    cells.Add((mask, v));
                }
            }
            else
            {
                foreach (var v in Values[first])
                {
                    foreach (var w in Values[second])
                    {
                        cells.Add((mask, names is null ? string.Concat(v, ReportingSeries.ValueSeparator.ToString(), w) : names.Pair(v, w)));
                    }
                }
            }
        }

        return cells;
    }

    /// <summary>One observation of a base series (<see cref="ReportingSeries.BaseNames"/> index) at an hour bucket.</summary>
    public readonly record struct Observation(int Series, DateTimeOffset Hour, long Count, double Sum, double Max);

    /// <summary>
    /// Adds observations to every cell, cell by cell (each cell's dimension once for all its series); the
    /// distinct-count series (<see cref="ReportingSeries.IsDistinct(int)"/>) to the cell's visitor dimension.
    /// </summary>
    public static void AddAll(List<AggregateDelta> deltas, List<(int Mask, string Value)> cells, ReadOnlySpan<Observation> observations, long visitorId)
    {
        var visitor = ReportingSeries.VisitorSeparator + ReportingSeries.Id(visitorId);
        var distinct = false;
        foreach (var o in observations)
        {
            distinct |= ReportingSeries.IsDistinct(o.Series);
        }

        foreach (var (mask, value) in cells)
        {
            foreach (var o in observations)
            {
                if (!ReportingSeries.IsDistinct(o.Series))
                {
                    deltas.Add(new AggregateDelta(ReportingSeries.Name(o.Series, mask), value, BucketGranularity.Hour, o.Hour, o.Count, o.Sum, o.Max));
                }
            }

            if (distinct)
            {
                var dimension = string.Concat(value, visitor);
                foreach (var o in observations)
                {
                    if (ReportingSeries.IsDistinct(o.Series))
                    {
                        deltas.Add(new AggregateDelta(ReportingSeries.Name(o.Series, mask), dimension, BucketGranularity.Hour, o.Hour, o.Count, o.Sum, o.Max));
                    }
                }
            }
        }
    }

    /// <summary>Adds a rating's score (and its positive count when <paramref name="positive"/>) to every cell, cell by cell, at hour width.</summary>
    public static void AddRating(List<AggregateDelta> deltas, List<(int Mask, string Value)> cells, DateTimeOffset at, double score, bool positive)
    {
        var satisfaction = ReportingSeries.NamesOf(ReportingSeries.Satisfaction)!;
        var positives = ReportingSeries.NamesOf(ReportingSeries.Positive)!;
        var hour = ReportingSeries.Start(at, BucketGranularity.Hour);
        foreach (var (mask, value) in cells)
        {
            deltas.Add(new AggregateDelta(satisfaction[mask], value, BucketGranularity.Hour, hour, 1, score, score));
            if (positive)
            {
                deltas.Add(new AggregateDelta(positives[mask], value, BucketGranularity.Hour, hour, 1, 0, 0));
            }
        }
    }

    /// <summary>Adds one observation of a base series to every cell, at hour width.</summary>
    public static void Add(List<AggregateDelta> deltas, List<(int Mask, string Value)> cells, string baseSeries, DateTimeOffset at, long count, double sum, double max, long? distinctId = null)
    {
        // The names come from the precomputed table.
        var names = ReportingSeries.NamesOf(baseSeries);
        var visitor = distinctId is { } id ? ReportingSeries.VisitorSeparator + ReportingSeries.Id(id) : null;
        var hour = ReportingSeries.Start(at, BucketGranularity.Hour);
        foreach (var (mask, value) in cells)
        {
            var series = names is not null && (uint)mask < (uint)names.Length ? names[mask] : ReportingSeries.Name(baseSeries, mask);
            var dimension = visitor is null ? value : string.Concat(value, visitor);
            deltas.Add(new AggregateDelta(series, dimension, BucketGranularity.Hour, hour, count, sum, max));
        }
    }
}
