using System.Globalization;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Analytics.Reporting;

/// <summary>The statistics pages, over the reporting aggregates plus, for the daily figures, the open conversations.</summary>
internal sealed class ServiceStatistics : IServiceStatistics
{
    private const int TrendDays = 14;

    private readonly IReports _reports;
    private readonly IAggregateStore _aggregates;
    private readonly IConversationStore _conversations;
    private readonly IDirectoryStore _directory;
    private readonly TimeProvider _time;

    public ServiceStatistics(IReports reports, IAggregateStore aggregates, IConversationStore conversations, IDirectoryStore directory, TimeProvider time)
    {
        _reports = reports;
        _aggregates = aggregates;
        _conversations = conversations;
        _directory = directory;
        _time = time;
    }

    public async ValueTask<TodayDashboard> GetTodayAsync(long tenantId, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        Reports.CheckOffset(utcOffset);
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(utcOffset).DateTime);
        var open = await _conversations.ListOpenConversationsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var trend = await DailyAsync(tenantId, today.AddDays(1 - TrendDays), today, utcOffset, open, cancellationToken).ConfigureAwait(false);
        return new TodayDashboard(
            now,
            open.Count(c => c.State == ConversationState.InService),
            open.Count(c => c.State == ConversationState.Queued),
            trend[^1],
            trend);
    }

    public async ValueTask<IReadOnlyList<DayFigures>> GetDailyAsync(long tenantId, DateOnly from, DateOnly to, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        Reports.CheckOffset(utcOffset);
        CheckDays(from, to);
        var open = await _conversations.ListOpenConversationsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await DailyAsync(tenantId, from, to, utcOffset, open, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<AgentWorkload>> GetWorkloadAsync(long tenantId, DateOnly from, DateOnly to, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        CheckDays(from, to);
        string[] metrics = ["conversations", "messages", "duration_avg", "duration_max", "messages_per_conversation_avg", "messages_per_conversation_max"];
        var report = await _reports.RunAsync(tenantId, Query(from, to, utcOffset, metrics, [ReportDimension.Agent]), cancellationToken).ConfigureAwait(false);
        var snapshot = await _directory.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var agents = snapshot?.Directory.OfType<Agent>().ToDictionary(a => a.Id) ?? [];
        var rows = new Dictionary<long, AgentWorkload>();
        foreach (var row in report.Rows)
        {
            if (!long.TryParse(row.DimensionValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out var agentId))
            {
                continue; // "none": picked up, then requeued and closed without an agent.
            }

            var v = row.Values;
            rows[agentId] = new AgentWorkload(agentId, agents.GetValueOrDefault(agentId) is { } a ? a.Nickname ?? a.Name : null,
                (long)(v[0] ?? 0), (long)(v[1] ?? 0), v[2] ?? 0, v[3] ?? 0, v[4] ?? 0, v[5] ?? 0);
        }

        foreach (var agent in agents.Values)
        {
            rows.TryAdd(agent.Id, new AgentWorkload(agent.Id, agent.Nickname ?? agent.Name, 0, 0, 0, 0, 0, 0));
        }

        return [.. rows.Values.OrderByDescending(w => w.Conversations).ThenByDescending(w => w.Messages).ThenBy(w => w.AgentId)];
    }

    public async ValueTask<VisitorStatistics> GetVisitorsByChannelAsync(long tenantId, DateOnly from, DateOnly to, long? associationId = null, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        CheckDays(from, to);
        var association = associationId is { } id ? ReportingSeries.Id(id) : null;
        ReportDimension[] byChannel = association is null ? [ReportDimension.ChannelKind] : [ReportDimension.ChannelKind, ReportDimension.Association];
        string[] metric = ["unique_visitors"];
        var table = await _reports.RunAsync(tenantId, Query(from, to, utcOffset, metric, byChannel), cancellationToken).ConfigureAwait(false);
        var daily = await _reports.RunAsync(tenantId, Query(from, to, utcOffset, metric, byChannel) with { Granularity = ReportGranularity.Day }, cancellationToken).ConfigureAwait(false);
        var total = await _reports.RunAsync(tenantId, Query(from, to, utcOffset, metric, association is null ? [] : [ReportDimension.Association]), cancellationToken).ConfigureAwait(false);

        bool Selected(ReportRow row) => association is null || row.DimensionValues[1] == association;
        var counts = table.Rows.Where(Selected)
            .Select(r => (Kind: Enum.Parse<ChannelKind>(r.DimensionValues[0]), Visitors: (long)(r.Values[0] ?? 0)))
            .Where(x => x.Visitors > 0)
            .ToList();
        var sum = counts.Sum(x => x.Visitors);
        var channels = counts
            .Select(x => new ChannelVisitors(x.Kind, x.Visitors, sum == 0 ? 0 : (double)x.Visitors / sum))
            .OrderByDescending(x => x.Visitors).ThenBy(x => x.ChannelKind)
            .ToList();
        var trend = daily.Rows.Where(Selected)
            .Select(r => new ChannelDay(DateOnly.FromDateTime(r.BucketStart!.Value.DateTime), Enum.Parse<ChannelKind>(r.DimensionValues[0]), (long)(r.Values[0] ?? 0)))
            .Where(x => x.Visitors > 0)
            .OrderBy(x => x.Day).ThenBy(x => x.ChannelKind)
            .ToList();
        var visitors = total.Rows.Where(r => association is null || r.DimensionValues[0] == association).Sum(r => (long)(r.Values[0] ?? 0));
        return new VisitorStatistics(visitors, channels, trend);
    }

    public async ValueTask<IReadOnlyList<TenantSummary>> GetTenantSummariesAsync(TenantSummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckDays(query.From, query.To);
        string[] metrics = ["conversations", "messages", "unique_visitors", "duration_avg", "first_response_avg", "response_avg", "satisfaction_avg"];
        var tenants = await _directory.ListTenantsAsync(cancellationToken).ConfigureAwait(false);
        var wanted = query.TenantIds?.ToHashSet();
        var result = new List<TenantSummary>();
        foreach (var tenant in tenants.OrderBy(t => t.Id))
        {
            if (wanted is not null && !wanted.Contains(tenant.Id))
            {
                continue;
            }

            var report = await _reports.RunAsync(tenant.Id, Query(query.From, query.To, TimeSpan.Zero, metrics, []), cancellationToken).ConfigureAwait(false);
            var v = report.Rows.Count == 1 ? report.Rows[0].Values : new double?[metrics.Length];
            var summary = new TenantSummary(tenant.Id, tenant.Name, (long)(v[0] ?? 0), (long)(v[1] ?? 0), (long)(v[2] ?? 0), v[3], v[4], v[5], v[6]);
            if (AtLeast(summary.DurationAverage, query.MinDurationAverage) && AtMost(summary.DurationAverage, query.MaxDurationAverage)
                && AtMost(summary.FirstResponseAverage, query.MaxFirstResponseAverage) && AtMost(summary.ResponseAverage, query.MaxResponseAverage)
                && AtLeast(summary.SatisfactionAverage, query.MinSatisfactionAverage))
            {
                result.Add(summary);
            }
        }

        return result;

        static bool AtLeast(double? value, double? min) => min is null || value >= min;
        static bool AtMost(double? value, double? max) => max is null || value <= max;
    }

    private static ReportQuery Query(DateOnly from, DateOnly to, TimeSpan offset, IReadOnlyList<string> metrics, IReadOnlyList<ReportDimension> dimensions) => new()
    {
        From = Midnight(from, offset),
        To = Midnight(to.AddDays(1), offset),
        Metrics = metrics,
        Dimensions = dimensions,
        UtcOffset = offset,
    };

    private static DateTimeOffset Midnight(DateOnly day, TimeSpan offset) => new(day.ToDateTime(TimeOnly.MinValue), offset);

    private static void CheckDays(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new KefuValidationException("to", "on or after from", $"was {to}, from {from}");
        }

        if (to.DayNumber - from.DayNumber + 1 > ReportQuery.MaxDays)
        {
            throw new KefuValidationException("to", $"at most {ReportQuery.MaxDays} days from from, both included", $"the period is {to.DayNumber - from.DayNumber + 1} days");
        }
    }

    private sealed class Day
    {
        public long Visits;
        public readonly HashSet<long> Visitors = [];
        public long Accepted;
        public readonly HashSet<long> VisitorsAccepted = [];
        public long NotAccepted;
        public long Abandoned;
        public readonly HashSet<string> Agents = new(StringComparer.Ordinal);
        public long FirstResponses;
        public double FirstResponseSeconds;
        public long Durations;
        public double DurationSeconds;
        public long Ratings;
        public long Positive;

        public DayFigures ToFigures(DateOnly day)
        {
            var agents = Agents.Count(a => a != ReportingSeries.None);
            return new DayFigures(day, Visits, Visitors.Count, Accepted, VisitorsAccepted.Count, NotAccepted, Abandoned, agents,
                agents == 0 ? null : (double)Accepted / agents,
                FirstResponses == 0 ? null : FirstResponseSeconds / FirstResponses,
                Durations == 0 ? null : DurationSeconds / Durations,
                Ratings == 0 ? null : (double)Positive / Ratings);
        }
    }

    private async ValueTask<IReadOnlyList<DayFigures>> DailyAsync(long tenantId, DateOnly from, DateOnly to, TimeSpan offset, IReadOnlyList<Conversation> open, CancellationToken cancellationToken)
    {
        var start = Midnight(from, offset);
        var end = Midnight(to.AddDays(1), offset);
        var width = BucketGranularity.Hour; // The reporting series keep hour cells only.
        var days = new Day[to.DayNumber - from.DayNumber + 1];
        for (var i = 0; i < days.Length; i++)
        {
            days[i] = new Day();
        }

        Day? DayOf(DateTimeOffset at)
        {
            var index = DateOnly.FromDateTime(at.ToOffset(offset).DateTime).DayNumber - from.DayNumber;
            return at >= start && at < end && index >= 0 && index < days.Length ? days[index] : null;
        }

        async ValueTask ReadAsync(string series, int mask, Action<Day, AggregateCell, string> add)
        {
            var cells = await _aggregates.QueryAsync(tenantId, ReportingSeries.Name(series, mask), width, start, end, cancellationToken).ConfigureAwait(false);
            foreach (var cell in cells)
            {
                if (DayOf(cell.BucketStart) is { } day)
                {
                    add(day, cell, cell.Dimension);
                }
            }
        }

        static long Visitor(string dimension) =>
            long.Parse(dimension.AsSpan(dimension.LastIndexOf(ReportingSeries.VisitorSeparator) + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        await ReadAsync(ReportingSeries.Created, 0, (d, c, _) => d.Visits += c.Count).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Visitors, 0, (d, _, v) => d.Visitors.Add(Visitor(v))).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Conversations, 0, (d, c, _) => d.Accepted += c.Count).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Served, 0, (d, _, v) => d.VisitorsAccepted.Add(Visitor(v))).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.NotAccepted, 0, (d, c, _) => d.NotAccepted += c.Count).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Abandoned, 0, (d, c, _) => d.Abandoned += c.Count).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Conversations, 1 << (int)ReportDimension.Agent, (d, _, v) => d.Agents.Add(v)).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.FirstResponse, 0, (d, c, _) => { d.FirstResponses += c.Count; d.FirstResponseSeconds += c.Sum; }).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Duration, 0, (d, c, _) => { d.Durations += c.Count; d.DurationSeconds += c.Sum; }).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Satisfaction, 0, (d, c, _) => d.Ratings += c.Count).ConfigureAwait(false);
        await ReadAsync(ReportingSeries.Positive, 0, (d, c, _) => d.Positive += c.Count).ConfigureAwait(false);

        // Open conversations are not in the aggregates yet: add what they already tell.
        foreach (var c in open)
        {
            if (DayOf(c.CreatedAt) is { } created)
            {
                created.Visits++;
                created.Visitors.Add(c.VisitorId);
            }

            if (c.AssignedAt is { } up && DayOf(up) is { } picked)
            {
                picked.Accepted++;
                picked.VisitorsAccepted.Add(c.VisitorId);
                picked.Agents.Add(c.AgentId is { } agent ? ReportingSeries.Id(agent) : ReportingSeries.None);
                if (c.FirstAgentMessageAt is { } first && first >= up)
                {
                    picked.FirstResponses++;
                    picked.FirstResponseSeconds += (first - up).TotalMilliseconds / 1000.0;
                }

                if (c.Rating is { } rating)
                {
                    picked.Ratings++;
                    picked.Positive += ReportingSeries.IsPositive(ReportingSeries.SatisfactionScore(rating.Level, rating.LevelCount)) ? 1 : 0;
                }
            }
        }

        return [.. days.Select((d, i) => d.ToFigures(from.AddDays(i)))];
    }
}
