using Kefu.Model;
using Kefu.Routing;
using Kefu.Storage;
using Kefu.Transport;

namespace Kefu.Analytics.Reporting.Calls;

/// <summary>
/// Answers <see cref="ICallStatistics"/> from the half-hour cells <see cref="CallStatisticsSink"/> keeps: one store
/// query per series over the period, cells filtered by their dimensions and summed. Open presence intervals (an agent
/// signed in now) are added from the sink's live state, clipped to the period and to now.
/// </summary>
internal sealed class CallStatistics : ICallStatistics
{
    private static readonly string[] SlotSeries =
    [
        CallSeries.Requests, CallSeries.Connected, CallSeries.Response, CallSeries.Abandoned, CallSeries.Talk,
        CallSeries.AnsweredWithin10, CallSeries.AnsweredAfter10, CallSeries.AbandonedWithin10, CallSeries.AbandonedAfter10,
    ];

    private static readonly string[] AgentSeries =
    [
        CallSeries.Connected, CallSeries.Response, CallSeries.Talk, CallSeries.CustomerEnded, CallSeries.AgentEnded,
        CallSeries.Offers, CallSeries.Proactive, CallSeries.AfterCallWork,
    ];

    private readonly IAggregateStore _aggregates;
    private readonly IDirectoryStore _directory;
    private readonly TimeProvider _time;
    private readonly CallStatisticsSink? _sink;

    public CallStatistics(IAggregateStore aggregates, IDirectoryStore directory, TimeProvider time, IEnumerable<IEventSink> sinks)
    {
        _aggregates = aggregates;
        _directory = directory;
        _time = time;
        _sink = sinks.OfType<CallStatisticsSink>().FirstOrDefault();
    }

    public async ValueTask<IReadOnlyList<CallSlotRow>> GetSlotsAsync(long tenantId, CallSlotQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (first, last) = Validate(query);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - query.UtcOffset;
        var to = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - query.UtcOffset;
        var slotMinutes = 24 * 60 / query.Slots;
        var sums = new Stat[SlotSeries.Length, query.Slots];
        for (var s = 0; s < SlotSeries.Length; s++)
        {
            var cells = await _aggregates.QueryAsync(tenantId, CallSeries.Name(query.Media, SlotSeries[s]), CallSeries.Width, from, to, cancellationToken).ConfigureAwait(false);
            foreach (var cell in cells)
            {
                if (!CallSeries.TryParse(cell.Dimension, out _, out var d) || !d.Matches(query.ChannelId, query.AssociationId, query.ConversationType, query.GroupId))
                {
                    continue;
                }

                var local = cell.BucketStart.UtcDateTime + query.UtcOffset;
                var slot = (int)(local.TimeOfDay.TotalMinutes / slotMinutes);
                sums[s, slot] = sums[s, slot].Add(cell);
            }
        }

        var rows = new List<CallSlotRow>(query.Slots);
        for (var slot = 0; slot < query.Slots; slot++)
        {
            Stat Get(string what) => sums[Array.IndexOf(SlotSeries, what), slot];
            var requests = Get(CallSeries.Requests).Count;
            var connected = Get(CallSeries.Connected);
            var response = Get(CallSeries.Response);
            var abandoned = Get(CallSeries.Abandoned);
            var talk = Get(CallSeries.Talk);
            rows.Add(new CallSlotRow(
                slot,
                TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(slot * slotMinutes)),
                requests,
                connected.Count,
                Ratio(connected.Count, requests),
                abandoned.Count,
                Ratio(abandoned.Count, requests),
                connected.Average,
                connected.Max,
                response.Average,
                response.Max,
                abandoned.Average,
                abandoned.Max,
                talk.Average,
                talk.Sum,
                Get(CallSeries.AnsweredWithin10).Count,
                Get(CallSeries.AnsweredAfter10).Count,
                Get(CallSeries.AbandonedWithin10).Count,
                Get(CallSeries.AbandonedAfter10).Count));
        }

        return rows;
    }

    public async ValueTask<IReadOnlyList<CallAgentWorkload>> GetAgentWorkloadAsync(long tenantId, CallWorkloadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Validate(query);
        var snapshot = await _directory.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var agents = snapshot?.Directory.OfType<Agent>().ToDictionary(a => a.Id) ?? [];
        var members = query.GroupId is { } groupId
            ? snapshot?.Directory.OfType<SkillGroup>().FirstOrDefault(g => g.Id == groupId)?.MemberIds.ToHashSet() ?? []
            : null;

        var stats = new Dictionary<long, Stat[]>();
        Stat[] Of(long agentId)
        {
            if (!stats.TryGetValue(agentId, out var s))
            {
                s = new Stat[AgentSeries.Length + 2];
                stats[agentId] = s;
            }

            return s;
        }

        for (var s = 0; s < AgentSeries.Length; s++)
        {
            var cells = await _aggregates.QueryAsync(tenantId, CallSeries.Name(query.Media, AgentSeries[s]), CallSeries.Width, query.From, query.To, cancellationToken).ConfigureAwait(false);
            foreach (var cell in cells)
            {
                if (!CallSeries.TryParse(cell.Dimension, out var agentId, out var d) || agentId == 0
                    || (query.AgentId is { } only && only != agentId)
                    || !d.Matches(query.ChannelId, query.AssociationId, query.ConversationType, query.GroupId))
                {
                    continue;
                }

                var row = Of(agentId);
                row[s] = row[s].Add(cell);
            }
        }

        // Presence: the agent's own, whatever the call filters; with a group, for the rows the group gives.
        bool Wanted(long agentId) =>
            (query.AgentId is null || query.AgentId == agentId)
            && (members is null || members.Contains(agentId) || stats.ContainsKey(agentId));
        var login = AgentSeries.Length;
        var notReady = AgentSeries.Length + 1;
        string[] presenceSeries = [CallSeries.Login, CallSeries.NotReady];
        for (var p = 0; p < presenceSeries.Length; p++)
        {
            var cells = await _aggregates.QueryAsync(tenantId, CallSeries.Name(query.Media, presenceSeries[p]), CallSeries.Width, query.From, query.To, cancellationToken).ConfigureAwait(false);
            foreach (var cell in cells)
            {
                if (long.TryParse(cell.Dimension, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var agentId) && Wanted(agentId))
                {
                    var row = Of(agentId);
                    row[login + p] = row[login + p].Add(cell);
                }
            }
        }

        AddOpenIntervals(tenantId, query, Wanted, Of, login, notReady);

        var result = new List<CallAgentWorkload>(stats.Count);
        foreach (var (agentId, s) in stats.OrderBy(p => p.Key))
        {
            Stat Get(string what) => s[Array.IndexOf(AgentSeries, what)];
            var connected = Get(CallSeries.Connected);
            var response = Get(CallSeries.Response);
            var talk = Get(CallSeries.Talk);
            var acw = Get(CallSeries.AfterCallWork);
            var loginTime = s[login].Sum;
            var notReadyStat = s[notReady];
            result.Add(new CallAgentWorkload(
                agentId,
                agents.GetValueOrDefault(agentId) is { } a ? a.Nickname ?? a.Name : null,
                Get(CallSeries.CustomerEnded).Count,
                loginTime,
                talk.Sum,
                Divide(talk.Sum, connected.Count),
                connected.Sum,
                Divide(connected.Sum, connected.Count),
                response.Sum,
                Divide(response.Sum, response.Count),
                Get(CallSeries.Offers).Count,
                Get(CallSeries.Proactive).Count,
                connected.Count,
                Get(CallSeries.AgentEnded).Count,
                notReadyStat.Count,
                notReadyStat.Sum,
                Divide(notReadyStat.Sum, notReadyStat.Count),
                acw.Sum,
                Divide(acw.Sum, connected.Count),
                loginTime > 0 ? talk.Sum / loginTime : null));
        }

        return result;
    }

    /// <summary>Adds the presence intervals still open now (signed in, not ready) to the rows, clipped to the period.</summary>
    private void AddOpenIntervals(long tenantId, CallWorkloadQuery query, Func<long, bool> wanted, Func<long, Stat[]> of, int login, int notReady)
    {
        if (_sink is null)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var from = query.From.ToUnixTimeMilliseconds();
        var to = Math.Min(query.To.ToUnixTimeMilliseconds(), now);
        foreach (var (agentId, state) in _sink.Presence(tenantId, query.Media))
        {
            if (state.SinceMs < 0 || state.SinceMs >= to || state.Status == Kefu.Events.AgentStatus.Offline || !wanted(agentId))
            {
                continue;
            }

            var start = Math.Max(from, state.SinceMs);
            var seconds = to > start ? (to - start) / 1000.0 : 0;
            var row = of(agentId);
            row[login] = row[login].Add(0, seconds, 0);
            if (state.IsNotReady)
            {
                var counted = state.SinceMs >= from ? 1 : 0;
                row[notReady] = row[notReady].Add(counted, seconds, 0);
            }
        }
    }

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;

    private static double? Divide(double sum, long count) => count == 0 ? null : sum / count;

    private static (DateOnly First, DateOnly Last) Validate(CallSlotQuery query)
    {
        CheckMedia(query.Media);
        if (query.Slots is not (24 or 48))
        {
            throw new KefuValidationException(nameof(query.Slots), "24 or 48", $"was {query.Slots}");
        }

        CheckOffset(query.UtcOffset);
        if (query.Date is { } day)
        {
            if (query.From is not null || query.To is not null)
            {
                throw new KefuValidationException(nameof(query.Date), "set alone, or left empty when From and To are set");
            }

            return (day, day);
        }

        if (query.From is not { } from || query.To is not { } to)
        {
            throw new KefuValidationException(query.From is null ? nameof(query.From) : nameof(query.To), "set, or Date set instead");
        }

        if (to < from)
        {
            throw new KefuValidationException(nameof(query.To), "on or after From", $"was {to}, From {from}");
        }

        if (to.DayNumber - from.DayNumber + 1 > CallSlotQuery.MaxDays)
        {
            throw new KefuValidationException(nameof(query.To), $"at most {CallSlotQuery.MaxDays} days from From, both included", $"the period is {to.DayNumber - from.DayNumber + 1} days");
        }

        return (from, to);
    }

    private static void Validate(CallWorkloadQuery query)
    {
        CheckMedia(query.Media);
        if (query.From.ToUnixTimeMilliseconds() % CallSeries.SlotMilliseconds != 0)
        {
            throw new KefuValidationException(nameof(query.From), "a whole half-hour", $"was {query.From:O}");
        }

        if (query.To.ToUnixTimeMilliseconds() % CallSeries.SlotMilliseconds != 0)
        {
            throw new KefuValidationException(nameof(query.To), "a whole half-hour", $"was {query.To:O}");
        }

        if (query.To <= query.From)
        {
            throw new KefuValidationException(nameof(query.To), "later than From", $"was {query.To:O}, From {query.From:O}");
        }

        if (query.To - query.From > TimeSpan.FromDays(CallWorkloadQuery.MaxDays))
        {
            throw new KefuValidationException(nameof(query.To), $"at most {CallWorkloadQuery.MaxDays} days after From", $"the period is {(query.To - query.From).TotalDays:0.##} days");
        }
    }

    private static void CheckMedia(MediaKind media)
    {
        if (media is not (MediaKind.Voice or MediaKind.Video))
        {
            throw new KefuValidationException("Media", "Voice or Video", $"was {media}");
        }
    }

    private static void CheckOffset(TimeSpan offset)
    {
        if (offset.Ticks % TimeSpan.FromMinutes(30).Ticks != 0 || offset < TimeSpan.FromHours(-14) || offset > TimeSpan.FromHours(14))
        {
            throw new KefuValidationException("UtcOffset", "a whole number of half-hours between -14:00 and +14:00", $"was {offset}");
        }
    }

    /// <summary>Count, sum and max of a series over cells.</summary>
    private readonly record struct Stat(long Count, double Sum, double Max)
    {
        public Stat Add(AggregateCell cell) => Add(cell.Count, cell.Sum, cell.Max);

        public Stat Add(long count, double sum, double max) => new(Count + count, Sum + sum, Math.Max(Max, max));

        public double? Average => Count == 0 ? null : Sum / Count;
    }
}
