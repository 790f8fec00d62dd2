using Kefu.Analytics.Reporting;
using Kefu.Benchmarks.Routing;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Benchmarks.Reporting;

/// <summary>What <see cref="ReportSimulation"/> simulates.</summary>
internal sealed record ReportSimulationSettings
{
    public required int Tenants { get; init; }
    public required int AgentsPerTenant { get; init; }
    public required int Days { get; init; }
    public required int Seed { get; init; }

    /// <summary>Mean Poisson arrivals per hour per tenant over a day; the hour of day shapes it (night low, office hours high).</summary>
    public required double ArrivalsPerHour { get; init; }
}

/// <summary>
/// Drives the real engine (<c>AddKefu().AddRouting().AddAnalytics()</c>, in-memory store, fake clock, as
/// <see cref="QueueSimulation.BuildEngine"/> builds it) through a month of customer service in several tenants, and
/// records every committed event per tenant. Per tenant: agents with three chats each in three skill groups, working
/// in shifts sized to the hour's demand (the rest Busy, so every agent serves some days); visitors arriving by a
/// Poisson process shaped by the hour of day, on four channel kinds, with or without one of four associations and a
/// skill group; a quarter of arrivals are returning visitors; new visitors get visitor tags; visitor and agent
/// messages with exponential delays; some visitors never write, some agents never reply; queued visitors abandon
/// after an exponential patience; agents invite idle visitors (proactive conversations); ratings before and after the
/// close; ends by agent or visitor, and idle conversations closed by the engine's inactivity timer. Time moves only
/// forward: engine timers fire at their own due time, as in <see cref="QueueSimulation"/>.
/// </summary>
internal sealed class ReportSimulation
{
    private static readonly ChannelKind[] Channels = [ChannelKind.Web, ChannelKind.Wechat, ChannelKind.App, ChannelKind.H5];

    /// <summary>The relative demand of each UTC hour of day (mean 1).</summary>
    private static readonly double[] HourProfile = Normalise([0.15, 0.1, 0.1, 0.1, 0.15, 0.25, 0.5, 0.9, 1.4, 1.8, 1.9, 1.8, 1.4, 1.5, 1.8, 1.9, 1.7, 1.4, 1.2, 1.1, 1.0, 0.8, 0.5, 0.3]);

    private const int Capacity = 3;
    private const double MeanHandleSeconds = 330;

    private readonly SimulatedEngine _engine;
    private readonly ReportSimulationSettings _settings;
    private readonly Random _random;
    private readonly PriorityQueue<Step, (long At, long Sequence)> _schedule = new();
    private readonly Dictionary<long, Visit> _open = [];
    private readonly TenantRun[] _tenants;
    private DateTimeOffset _start;
    private long _startMs;
    private long _sequence;
    private long _end;

    private ReportSimulation(SimulatedEngine engine, ReportSimulationSettings settings)
    {
        _engine = engine;
        _settings = settings;
        _random = new Random(settings.Seed);
        _tenants = new TenantRun[settings.Tenants];
    }

    /// <summary>Per tenant: its id, its events in commit order, the first quality score of each conversation.</summary>
    public sealed class TenantRun
    {
        public long TenantId { get; init; }
        public List<KefuEvent> Events { get; } = [];
        public long[] Agents { get; set; } = [];
        public long[] Groups { get; set; } = [];
        public long[] Associations { get; set; } = [];
        public long[] Tags { get; set; } = [];
        public List<long> IdleVisitors { get; } = [];
        public int OnlineFrom { get; set; }
        public int OnlineCount { get; set; }
        public int RatingLevels { get; set; } = 5;
    }

    /// <summary>What the run produced.</summary>
    public sealed record Result(IReadOnlyList<TenantRun> Tenants, DateTimeOffset Start, DateTimeOffset End, long Conversations, long EngineCalls, long Refused, long Events);

    public long Conversations { get; private set; }

    public long EngineCalls { get; private set; }

    public long Refused { get; private set; }

    /// <summary>Builds the engine for the check: Core, routing and analytics on the in-memory store, with <paramref name="scores"/> tapping the quality scores.</summary>
    public static SimulatedEngine BuildEngine(QualityScoreTap scores) => QueueSimulation.BuildEngine(kefu =>
    {
        kefu.AddRouting();
        kefu.AddAnalytics();
        kefu.Services.RemoveAll<IAggregateStore>();
        kefu.Services.AddSingleton<IAggregateStore>(sp => scores.Wrap(sp.GetRequiredService<InMemoryKefuStore>()));
    });

    public static async Task<Result> RunAsync(SimulatedEngine engine, ReportSimulationSettings settings, Action<string>? progress)
    {
        var simulation = new ReportSimulation(engine, settings);
        await simulation.SetUpAsync();
        return await simulation.RunAsync(progress);
    }

    private async Task SetUpAsync()
    {
        var kefu = _engine.Kefu;
        var data = new TestData();
        for (var t = 0; t < _tenants.Length; t++)
        {
            var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = $"report-check {t + 1}" });
            var run = new TenantRun { TenantId = tenant.Id };
            _tenants[t] = run;
            var id = tenant.Id;
            var settings = await kefu.Directory.GetSettingsAsync(id);
            run.RatingLevels = settings.Rating.Levels;
            await kefu.Organisation.SetTenantLimitsAsync(id, settings.Limits with { MaxAgents = Math.Max(settings.Limits.MaxAgents, _settings.AgentsPerTenant) });
            await kefu.Directory.UpdateConversationSettingsAsync(id, settings.Conversations with { InactiveSessionAutoClose = true, InactiveTimeout = TimeSpan.FromMinutes(15) });

            var agents = new long[_settings.AgentsPerTenant];
            for (var first = 0; first < agents.Length; first += 256)
            {
                var pending = new List<Task<Agent>>();
                for (var i = first; i < Math.Min(first + 256, agents.Length); i++)
                {
                    pending.Add(kefu.Directory.AddAgentAsync(id, data.Agent(maxConcurrentChats: Capacity)).AsTask());
                }

                var added = await Task.WhenAll(pending);
                added.Select(a => a.Id).ToArray().CopyTo(agents, first);
            }

            run.Agents = agents;
            var groups = Math.Min(3, agents.Length);
            run.Groups = new long[groups];
            for (var g = 0; g < groups; g++)
            {
                run.Groups[g] = (await kefu.Directory.AddSkillGroupAsync(id, $"Group {g + 1}")).Id;
                await kefu.Directory.ChangeSkillGroupMembersAsync(id, run.Groups[g], agents.Where((_, i) => i % groups == g).ToArray(), []);
            }

            var associations = new List<long>();
            foreach (var kind in new[] { ChannelKind.App, ChannelKind.Wechat })
            {
                var channel = await kefu.Directory.AddChannelAsync(id, kind, kind.ToString(), $"code_{kind}");
                associations.Add((await kefu.Directory.AddAssociationAsync(id, channel.Id, $"{kind} main")).Id);
                associations.Add((await kefu.Directory.AddAssociationAsync(id, channel.Id, $"{kind} shop")).Id);
            }

            run.Associations = [.. associations];
            run.Tags = [(await kefu.Directory.AddTagAsync(id, TagScope.Visitor, "VIP")).Id, (await kefu.Directory.AddTagAsync(id, TagScope.Visitor, "新客")).Id,
                (await kefu.Directory.AddTagAsync(id, TagScope.Visitor, "投诉")).Id, (await kefu.Directory.AddTagAsync(id, TagScope.Visitor, "企业")).Id];
        }

        await _engine.FlushAsync();

        // Start at the next UTC midnight so that day 1 is a whole day.
        var now = _engine.Clock.GetUtcNow();
        var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        await AdvanceClockAsync(midnight, null);
        _start = midnight;
        _startMs = midnight.ToUnixTimeMilliseconds();
    }

    private async Task<Result> RunAsync(Action<string>? progress)
    {
        using var subscription = _engine.Transport.Subscribe(new Transport.EventFilter());
        var events = subscription.Events;
        var byTenant = _tenants.ToDictionary(t => t.TenantId);
        _end = (long)_settings.Days * 86_400_000;
        for (var t = 0; t < _tenants.Length; t++)
        {
            Schedule(NextArrival(0), StepKind.Arrive, t, 0);
        }

        for (var hour = 0L; hour < _settings.Days * 24; hour++)
        {
            Schedule(hour * 3_600_000, StepKind.Roster, -1, 0);
        }

        var day = -1;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (_schedule.TryDequeue(out var step, out var due))
        {
            await AdvanceToAsync(due.At, events, byTenant);
            await ActAsync(step, due.At);
            Drain(events, byTenant);
            var today = (int)(due.At / 86_400_000);
            if (today != day && today < _settings.Days)
            {
                day = today;
                progress?.Invoke($"day {day + 1}/{_settings.Days}: {Conversations:N0} conversations, {EngineCalls:N0} engine calls, {watch.Elapsed.TotalSeconds:F0} s");
            }

            if (_schedule.Count == 0 && _open.Count > 0)
            {
                // Nothing left to do but conversations stay open (an agent's reply the engine refused): their visitors leave.
                foreach (var visit in _open.Values)
                {
                    Schedule(Math.Max(due.At, _end) + 1000, StepKind.VisitorEnds, visit.Tenant, visit.ConversationId);
                }
            }
        }

        await SettleAsync();
        Drain(events, byTenant);
        var end = _engine.Clock.GetUtcNow();
        return new Result(_tenants, _start, end, Conversations, EngineCalls, Refused, _tenants.Sum(t => (long)t.Events.Count));
    }

    private long Now => _engine.Clock.GetUtcNow().ToUnixTimeMilliseconds() - _startMs;

    private long NextArrival(long from)
    {
        // Thinning of a Poisson process whose rate follows the hour profile.
        var peak = HourProfile.Max() * _settings.ArrivalsPerHour / 3_600_000.0;
        var at = (double)from;
        while (true)
        {
            at += -Math.Log(1 - _random.NextDouble()) / peak;
            var hour = (int)(at / 3_600_000 % 24);
            if (_random.NextDouble() * HourProfile.Max() <= HourProfile[hour])
            {
                return (long)Math.Round(at);
            }
        }
    }

    private async ValueTask ActAsync(Step step, long at)
    {
        var kefu = _engine.Kefu.Conversations;
        if (step.Kind == StepKind.Roster)
        {
            await RosterAsync(at);
            return;
        }

        var run = _tenants[step.Tenant];
        var t = run.TenantId;
        if (step.Kind == StepKind.Arrive)
        {
            if (at < _end)
            {
                await ArriveAsync(run);
                Schedule(NextArrival(at), StepKind.Arrive, step.Tenant, 0);
            }

            return;
        }

        _open.TryGetValue(step.ConversationId, out var visit);
        try
        {
            switch (step.Kind)
            {
                case StepKind.VisitorSays when visit is { State: not VisitState.Closed }:
                    await kefu.SendAsync(t, visit.ConversationId, Participant.Visitor(visit.VisitorId), MessageContent.FromText("你好，我的订单还没有到"));
                    EngineCalls++;
                    visit.VisitorWrote = true;
                    if (visit.State == VisitState.InService && visit.Script.AgentReplies && !visit.AgentTurnPending)
                    {
                        visit.AgentTurnPending = true;
                        Schedule(at + Exponential(25_000), StepKind.AgentSays, step.Tenant, visit.ConversationId);
                    }

                    break;
                case StepKind.AgentSays when visit is { State: VisitState.InService }:
                    visit.AgentTurnPending = false;
                    await kefu.SendAsync(t, visit.ConversationId, Participant.Agent(visit.AgentId), MessageContent.FromText("您好，我来帮您查一下"));
                    EngineCalls++;
                    if (--visit.Script.Rounds > 0 && visit.Script.VisitorWrites)
                    {
                        Schedule(at + Exponential(40_000), StepKind.VisitorSays, step.Tenant, visit.ConversationId);
                    }
                    else
                    {
                        Schedule(at + Exponential(60_000), StepKind.End, step.Tenant, visit.ConversationId);
                    }

                    break;
                case StepKind.End when visit is { State: VisitState.InService }:
                    if (visit.Script.Rating == RatingTime.BeforeClose)
                    {
                        await RateAsync(run, visit);
                    }

                    await kefu.EndAsync(t, visit.ConversationId, visit.Script.VisitorEnds ? Participant.Visitor(visit.VisitorId) : Participant.Agent(visit.AgentId));
                    EngineCalls++;
                    break;
                case StepKind.Abandon when visit is { State: VisitState.Queued }:
                case StepKind.VisitorEnds when visit is { State: not VisitState.Closed }:
                    await kefu.EndAsync(t, visit.ConversationId, Participant.Visitor(visit.VisitorId));
                    EngineCalls++;
                    break;
                case StepKind.Accept when visit is { State: VisitState.Offered }:
                    await kefu.AnswerOfferAsync(t, visit.ConversationId, visit.AgentId, accept: true);
                    EngineCalls++;
                    break;
                case StepKind.RateLate when visit is { State: VisitState.Closed }:
                    await RateAsync(run, visit);
                    _open.Remove(visit.ConversationId);
                    break;
                default:
                    break;
            }
        }
        catch (KefuException)
        {
            Refused++; // not allowed in the state the engine has (offered elsewhere, closed by a timer on the way …)
        }
    }

    private async ValueTask RateAsync(TenantRun run, Visit visit)
    {
        var level = 1 + Math.Min(run.RatingLevels - 1, (int)(run.RatingLevels * Math.Pow(_random.NextDouble(), 0.5)));
        await _engine.Kefu.Conversations.RateAsync(run.TenantId, visit.ConversationId, visit.VisitorId, new RatingInput(level));
        EngineCalls++;
    }

    private async ValueTask ArriveAsync(TenantRun run)
    {
        var kefu = _engine.Kefu.Conversations;
        long? returning = null;
        if (run.IdleVisitors.Count > 0 && _random.NextDouble() < 0.25)
        {
            var i = _random.Next(run.IdleVisitors.Count);
            returning = run.IdleVisitors[i];
            run.IdleVisitors[i] = run.IdleVisitors[^1];
            run.IdleVisitors.RemoveAt(run.IdleVisitors.Count - 1);
        }

        try
        {
            Conversation conversation;
            if (returning is { } v && _random.NextDouble() < 0.2 && run.OnlineCount > 0)
            {
                // An agent on shift invites a returning visitor (C19): a proactive conversation.
                var agent = run.Agents[(run.OnlineFrom + _random.Next(run.OnlineCount)) % run.Agents.Length];
                conversation = await kefu.InviteVisitorAsync(run.TenantId, agent, v);
            }
            else
            {
                var request = new ConversationRequest
                {
                    VisitorId = returning,
                    ChannelKind = Channels[_random.Next(Channels.Length)],
                    AssociationId = _random.NextDouble() < 0.6 ? run.Associations[_random.Next(run.Associations.Length)] : null,
                    GroupId = _random.NextDouble() < 0.7 ? run.Groups[_random.Next(run.Groups.Length)] : null,
                };
                conversation = await kefu.OpenAsync(run.TenantId, request);
            }

            EngineCalls++;
            Conversations++;
            if (returning is null && _random.NextDouble() < 0.35)
            {
                // Tags change only while the visitor's first conversation is open: every close is recorded with the tags it closed with.
                var first = _random.Next(run.Tags.Length);
                await kefu.AddVisitorTagAsync(run.TenantId, conversation.VisitorId, run.Tags[first]);
                if (_random.NextDouble() < 0.3)
                {
                    await kefu.AddVisitorTagAsync(run.TenantId, conversation.VisitorId, run.Tags[(first + 1 + _random.Next(run.Tags.Length - 1)) % run.Tags.Length]);
                }
            }
        }
        catch (KefuException)
        {
            Refused++;
            if (returning is { } back)
            {
                run.IdleVisitors.Add(back);
            }
        }
    }

    /// <summary>Each hour, per tenant, the shift: enough agents for the hour's demand at about 50 % occupancy (at least two per skill group) go Online, the others Busy.</summary>
    private async ValueTask RosterAsync(long at)
    {
        var hour = (int)(at / 3_600_000 % 24);
        var offered = _settings.ArrivalsPerHour * HourProfile[hour] * MeanHandleSeconds / 3600.0;
        foreach (var run in _tenants)
        {
            var wanted = Math.Clamp((int)Math.Ceiling(offered / Capacity / 0.5), Math.Min(2 * run.Groups.Length, run.Agents.Length), run.Agents.Length);
            var from = (int)(((at / 3_600_000) * 7) % run.Agents.Length);
            var online = new HashSet<int>(Enumerable.Range(0, wanted).Select(i => (from + i) % run.Agents.Length));
            var previous = new HashSet<int>(Enumerable.Range(0, run.OnlineCount).Select(i => (run.OnlineFrom + i) % run.Agents.Length));
            foreach (var i in previous.Except(online))
            {
                await SetStatusAsync(run, i, AgentStatus.Busy);
            }

            foreach (var i in online.Except(previous))
            {
                await SetStatusAsync(run, i, AgentStatus.Online);
            }

            run.OnlineFrom = from;
            run.OnlineCount = wanted;
        }
    }

    private async ValueTask SetStatusAsync(TenantRun run, int agent, AgentStatus status)
    {
        try
        {
            await _engine.Kefu.Conversations.SetStatusAsync(run.TenantId, run.Agents[agent], status);
            EngineCalls++;
        }
        catch (KefuException)
        {
            Refused++;
        }
    }

    private void Drain(System.Threading.Channels.ChannelReader<KefuEvent> events, Dictionary<long, TenantRun> byTenant)
    {
        while (events.TryRead(out var e))
        {
            if (!byTenant.TryGetValue(e.TenantId, out var run))
            {
                continue;
            }

            run.Events.Add(e);
            OnEvent(run, e);
        }
    }

    private void OnEvent(TenantRun run, KefuEvent e)
    {
        var at = e.OccurredAtMs - _startMs;
        var tenant = Array.IndexOf(_tenants, run);
        switch (e.PayloadCase)
        {
            case KefuEvent.PayloadOneofCase.SessionCreated:
                var script = NewScript(e.SessionCreated.InvitingAgentId != 0);
                var visit = new Visit(e.ConversationId, tenant, e.SessionCreated.VisitorId, script);
                _open[e.ConversationId] = visit;
                if (script.VisitorWrites)
                {
                    Schedule(at + 1000 + _random.Next(15_000), StepKind.VisitorSays, tenant, e.ConversationId);
                }

                break;
            case KefuEvent.PayloadOneofCase.SessionQueued when _open.TryGetValue(e.ConversationId, out var v):
                v.State = VisitState.Queued;
                if (!v.PatienceDrawn)
                {
                    v.PatienceDrawn = true;
                    Schedule(at + Exponential(180_000), StepKind.Abandon, tenant, e.ConversationId);
                }

                break;
            case KefuEvent.PayloadOneofCase.SessionOffered when _open.TryGetValue(e.ConversationId, out var v):
                v.State = VisitState.Offered;
                v.AgentId = e.SessionOffered.AgentId;
                Schedule(at + _random.Next(5_000), StepKind.Accept, tenant, e.ConversationId);
                break;
            case KefuEvent.PayloadOneofCase.SessionAssigned when _open.TryGetValue(e.ConversationId, out var v):
                v.State = VisitState.InService;
                v.AgentId = e.SessionAssigned.AgentId;
                if (!v.Started)
                {
                    v.Started = true;
                    if (!v.Script.AgentReplies)
                    {
                        Schedule(at + Exponential(120_000), StepKind.End, tenant, e.ConversationId);
                    }
                    else if (v.VisitorWrote || !v.Script.VisitorWrites || v.Script.AgentSpeaksFirst)
                    {
                        // Otherwise the visitor's first message calls for the agent's turn.
                        v.AgentTurnPending = true;
                        Schedule(at + Exponential(20_000), StepKind.AgentSays, tenant, e.ConversationId);
                    }
                }

                break;
            case KefuEvent.PayloadOneofCase.SessionClosed when _open.TryGetValue(e.ConversationId, out var v):
                v.State = VisitState.Closed;
                run.IdleVisitors.Add(v.VisitorId);
                if (v.Script.Rating == RatingTime.AfterClose && e.SessionClosed.AssignedAtMs > 0)
                {
                    Schedule(at + Exponential(60_000), StepKind.RateLate, tenant, e.ConversationId);
                }
                else
                {
                    _open.Remove(e.ConversationId);
                }

                break;
            default:
                break;
        }
    }

    private Script NewScript(bool proactive)
    {
        var r = _random.NextDouble();
        return new Script
        {
            VisitorWrites = _random.NextDouble() >= (proactive ? 0.4 : 0.08),
            AgentReplies = _random.NextDouble() >= 0.07,
            AgentSpeaksFirst = proactive,
            Rounds = 1 + _random.Next(5),
            VisitorEnds = _random.NextDouble() < 0.3,
            Rating = r < 0.25 ? RatingTime.BeforeClose : r < 0.4 ? RatingTime.AfterClose : RatingTime.None,
        };
    }

    /// <summary>Fires every engine timer due up to <paramref name="at"/> at its own time, then sets the clock (as <see cref="QueueSimulation"/> does, see there why it settles twice).</summary>
    private async ValueTask AdvanceToAsync(long at, System.Threading.Channels.ChannelReader<KefuEvent> events, Dictionary<long, TenantRun> byTenant) =>
        await AdvanceClockAsync(_start.AddTicks(at * TimeSpan.TicksPerMillisecond), () => Drain(events, byTenant));

    private async ValueTask AdvanceClockAsync(DateTimeOffset target, Action? drain)
    {
        if (target <= _engine.Clock.GetUtcNow())
        {
            return;
        }

        await SettleAsync();
        while (_engine.Clock.NextTimerDue is { } timerDue && timerDue <= target)
        {
            _engine.Clock.SetUtcNow(timerDue);
            await SettleAsync();
            await SettleAsync();
            drain?.Invoke();
        }

        _engine.Clock.SetUtcNow(target);
    }

    private async ValueTask SettleAsync()
    {
        await _engine.FlushAsync();
        EngineCalls++;
    }

    private void Schedule(long at, StepKind kind, int tenant, long conversationId) =>
        _schedule.Enqueue(new Step(kind, tenant, conversationId), (Math.Max(at, Now), ++_sequence));

    private long Exponential(double mean) => (long)Math.Round(-mean * Math.Log(1 - _random.NextDouble()));

    private static double[] Normalise(double[] profile)
    {
        var mean = profile.Average();
        return [.. profile.Select(p => p / mean)];
    }

    private enum StepKind
    {
        Arrive,
        Roster,
        VisitorSays,
        AgentSays,
        End,
        Abandon,
        VisitorEnds,
        Accept,
        RateLate,
    }

    private readonly record struct Step(StepKind Kind, int Tenant, long ConversationId);

    private enum VisitState
    {
        Created,
        Queued,
        Offered,
        InService,
        Closed,
    }

    private enum RatingTime
    {
        None,
        BeforeClose,
        AfterClose,
    }

    private sealed class Script
    {
        public bool VisitorWrites { get; init; }
        public bool AgentReplies { get; init; }
        public bool AgentSpeaksFirst { get; init; }
        public int Rounds { get; set; }
        public bool VisitorEnds { get; init; }
        public RatingTime Rating { get; init; }
    }

    private sealed class Visit(long conversationId, int tenant, long visitorId, Script script)
    {
        public long ConversationId { get; } = conversationId;
        public int Tenant { get; } = tenant;
        public long VisitorId { get; } = visitorId;
        public Script Script { get; } = script;
        public VisitState State { get; set; } = VisitState.Created;
        public long AgentId { get; set; }
        public bool PatienceDrawn { get; set; }
        public bool Started { get; set; }
        public bool VisitorWrote { get; set; }
        public bool AgentTurnPending { get; set; }
    }
}

/// <summary>
/// Wraps the aggregate store to hear the first quality score each conversation gives the reports (the one input of
/// the reports the oracle cannot recompute from events: it comes from the quality inspector). Reads the score off the
/// total delta of <see cref="QualityScores"/>' first accepted apply; everything is passed on unchanged.
/// </summary>
internal sealed class QualityScoreTap
{
    private readonly Dictionary<long, Dictionary<long, double>> _scores = [];
    private readonly Lock _gate = new();

    public IAggregateStore Wrap(IAggregateStore inner) => new Store(inner, this);

    public IReadOnlyDictionary<long, double> ScoresOf(long tenantId)
    {
        lock (_gate)
        {
            return _scores.TryGetValue(tenantId, out var scores) ? new Dictionary<long, double>(scores) : [];
        }
    }

    private sealed class Store(IAggregateStore inner, QualityScoreTap tap) : IAggregateStore, IAggregateTotalsStore
    {
        public async ValueTask<bool> ApplyAsync(long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken cancellationToken = default)
        {
            var applied = await inner.ApplyAsync(tenantId, consumer, eventId, deltas, cancellationToken).ConfigureAwait(false);
            if (applied && string.Equals(consumer, QualityScores.Consumer, StringComparison.Ordinal))
            {
                foreach (var d in deltas)
                {
                    if (d.Granularity == BucketGranularity.Hour && string.Equals(d.Series, ReportingSeries.Quality, StringComparison.Ordinal))
                    {
                        lock (tap._gate)
                        {
                            if (!tap._scores.TryGetValue(tenantId, out var scores))
                            {
                                scores = [];
                                tap._scores[tenantId] = scores;
                            }

                            scores[eventId] = d.Sum;
                        }

                        break;
                    }
                }
            }

            return applied;
        }

        public ValueTask<IReadOnlyList<AggregateCell>> QueryAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(tenantId, series, granularity, from, to, cancellationToken);

        // The engine's store folds periods: pass that on, so the check runs the reports' real read path.
        public ValueTask<IReadOnlyList<AggregateCell>> QueryTotalsAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            inner is IAggregateTotalsStore totals
                ? totals.QueryTotalsAsync(tenantId, series, granularity, from, to, cancellationToken)
                : throw new NotSupportedException("The wrapped store does not fold periods.");
    }
}
