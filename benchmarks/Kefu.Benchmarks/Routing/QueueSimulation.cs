using Kefu.Engine;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Routing.Staffing;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Benchmarks.Routing;

/// <summary>
/// The engine under test: Kefu's DI registration on the in-memory store and transport, with a
/// <see cref="FakeTimeProvider"/> as its clock (as <see cref="KefuTestHarness"/> builds it).
/// </summary>
internal sealed class SimulatedEngine(ServiceProvider services, FakeTimeProvider clock) : IAsyncDisposable
{
    public FakeTimeProvider Clock { get; } = clock;

    /// <summary>The engine's services, for the analytics behind it (reports, the outbox).</summary>
    public IServiceProvider Services => services;

    public IKefu Kefu { get; } = services.GetRequiredService<IKefu>();

    public IKefuTransport Transport { get; } = services.GetRequiredService<IKefuTransport>();

    /// <summary>The routing policy the engine resolved, for the report.</summary>
    public string RoutingPolicy { get; } = services.GetRequiredService<IRoutingPolicy>().GetType().Name;

    /// <summary>Returns once every command sent before the call (timer ticks included) is committed.</summary>
    public ValueTask FlushAsync() => ((KefuEngine)Kefu).FlushAllAsync();

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

/// <summary>
/// Drives the real engine through an M/M/c queue in fake time: Poisson arrivals open conversations, each assigned
/// conversation is ended by its agent an exponential handle time after assignment, and (with a patience) a visitor
/// still queued at arrival + patience ends it. One tenant, agents with MaxConcurrentChats = 1, optional skill groups.
/// <para>
/// Everything is measured from the tenant's committed events (created, queued, assigned with its queue_wait_ms,
/// offered, closed), read from an <see cref="IKefuTransport"/> subscription. The worker publishes a batch's events
/// before it acknowledges the commands in it, so after each awaited call every event it caused (a queued conversation
/// assigned because an end freed its agent, in the same batch) is already in the subscription.
/// </para>
/// <para>
/// Time moves only forward, in event order: before acting at time t, every engine timer due earlier is fired at its
/// own due time and flushed (as <see cref="KefuTestHarness.AdvanceAsync"/> does), then the clock is set to t. Every
/// time is a whole millisecond, as event times are, so the waits in the events are exact.
/// </para>
/// </summary>
internal sealed class QueueSimulation
{
    /// <summary>How many consecutive batches (by arrival time) each run's counted arrivals are cut into.</summary>
    public const int BatchesPerRun = 20;

    private const int ProgressEvery = 4096;

    private readonly SimulatedEngine _engine;
    private readonly SimulationSettings _settings;
    private readonly Random _random;
    private readonly Dictionary<long, Visit> _open = [];
    private readonly PriorityQueue<Step, (long At, long Sequence)> _schedule = new();
    private readonly long _warmUpEnd;
    private readonly long _arrivalsEnd;
    private readonly double _meanGapMs;
    private readonly double _meanHandleMs;
    private readonly double? _meanPatienceMs;
    private readonly long _answerWithinMs;
    private long[] _groupIds = [];
    private long _tenantId;
    private DateTimeOffset _start;
    private long _startUnixMs;
    private long _sequence;

    // Measured.
    private readonly Tally[] _batches = new Tally[BatchesPerRun];
    private double _busyAgentMs;
    private long _engineCalls;
    private long _timersFired;
    private long _offers;
    private long _otherCloses;
    private long _countedUnresolved;
    private int _busy;
    private long _busySince;

    private QueueSimulation(SimulatedEngine engine, SimulationSettings settings)
    {
        _engine = engine;
        _settings = settings;
        _random = new Random(settings.Seed);
        _warmUpEnd = WholeMilliseconds(settings.WarmUp.TotalMilliseconds);
        _arrivalsEnd = WholeMilliseconds(settings.Duration.TotalMilliseconds);
        _meanGapMs = 3_600_000.0 / settings.ArrivalsPerHour;
        _meanHandleMs = settings.HandleTime.TotalMilliseconds;
        _meanPatienceMs = settings.Patience?.TotalMilliseconds;
        _answerWithinMs = WholeMilliseconds(SimulationSettings.AnswerWithin.TotalMilliseconds);
    }

    /// <summary>
    /// Builds the engine under test: <c>services.AddKefu(...)</c> on the in-memory store with a
    /// <see cref="FakeTimeProvider"/> registered as the <see cref="TimeProvider"/>, then <paramref name="configure"/>
    /// for extra registrations (a routing engine); with none, Core's default routing policy routes.
    /// </summary>
    public static SimulatedEngine BuildEngine(Action<IKefuBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        var kefu = services.AddKefu(o => o.PasswordHashIterations = 1_000);
        configure(kefu);
        return new SimulatedEngine(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), clock);
    }

    /// <summary>
    /// Sets up a tenant on <paramref name="engine"/> and runs the simulation. Arrivals stop at the end of the duration;
    /// the run goes on until every counted visitor has been answered or has left, so every counted wait is known.
    /// <paramref name="progress"/> gets the share of the duration simulated, now and then.
    /// </summary>
    public static async Task<SimulationResult> RunAsync(SimulatedEngine engine, SimulationSettings settings, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(settings);
        var simulation = new QueueSimulation(engine, settings);
        await simulation.SetUpAsync();
        return await simulation.RunAsync(progress);
    }

    private async Task SetUpAsync()
    {
        var kefu = _engine.Kefu;
        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "simulate" });
        _tenantId = tenant.Id;
        var settings = await kefu.Directory.GetSettingsAsync(_tenantId);
        await kefu.Organisation.SetTenantLimitsAsync(_tenantId, settings.Limits with { MaxAgents = Math.Max(settings.Limits.MaxAgents, _settings.Agents) });
        await kefu.Directory.UpdateCannedPhrasesAsync(_tenantId, settings.Phrases with
        {
            Welcome = settings.Phrases.Welcome with { Enabled = false },
            End = settings.Phrases.End with { Enabled = false },
        });

        var data = new TestData();
        var agentIds = new long[_settings.Agents];
        const int Pipeline = 256;
        for (var first = 0; first < agentIds.Length; first += Pipeline)
        {
            var pending = new List<Task<Agent>>(Pipeline);
            for (var i = first; i < Math.Min(first + Pipeline, agentIds.Length); i++)
            {
                pending.Add(kefu.Directory.AddAgentAsync(_tenantId, data.Agent(maxConcurrentChats: 1)).AsTask());
            }

            var added = await Task.WhenAll(pending);
            for (var i = 0; i < added.Length; i++)
            {
                agentIds[first + i] = added[i].Id;
            }
        }

        if (_settings.Groups > 1)
        {
            _groupIds = new long[_settings.Groups];
            for (var g = 0; g < _groupIds.Length; g++)
            {
                _groupIds[g] = (await kefu.Directory.AddSkillGroupAsync(_tenantId, $"Group {g + 1}")).Id;
                var members = agentIds.Where((_, i) => i % _groupIds.Length == g).ToArray();
                await kefu.Directory.ChangeSkillGroupMembersAsync(_tenantId, _groupIds[g], members, []);
            }
        }

        for (var first = 0; first < agentIds.Length; first += Pipeline)
        {
            var pending = new List<Task<AgentPresence>>(Pipeline);
            for (var i = first; i < Math.Min(first + Pipeline, agentIds.Length); i++)
            {
                pending.Add(kefu.Conversations.SetStatusAsync(_tenantId, agentIds[i], AgentStatus.Online).AsTask());
            }

            await Task.WhenAll(pending);
        }

        await _engine.FlushAsync();
        _start = _engine.Clock.GetUtcNow();
        _startUnixMs = _start.ToUnixTimeMilliseconds();
    }

    private async Task<SimulationResult> RunAsync(Action<double>? progress)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var subscription = _engine.Transport.Subscribe(new EventFilter { TenantId = _tenantId });
        var events = subscription.Events;
        var nextArrivalExact = Exponential(_meanGapMs);
        var nextArrival = WholeMilliseconds(nextArrivalExact);
        long steps = 0;
        while (true)
        {
            var arrivalDue = nextArrival < _arrivalsEnd;
            var stepDue = _schedule.TryPeek(out var step, out var due);
            if (!arrivalDue && _countedUnresolved == 0 && (!stepDue || due.At >= _arrivalsEnd))
            {
                break;
            }

            if (!arrivalDue && !stepDue)
            {
                throw new InvalidOperationException($"{_countedUnresolved} counted visitors still wait, but no agent is serving anyone: the engine did not assign them.");
            }

            if (stepDue && (!arrivalDue || due.At <= nextArrival))
            {
                _schedule.Dequeue();
                if (!_open.ContainsKey(step.ConversationId))
                {
                    continue; // closed since: a patience or an end that no longer applies
                }

                await AdvanceToAsync(due.At, events);
                await ActAsync(step);
            }
            else
            {
                await AdvanceToAsync(nextArrival, events);
                await ArriveAsync();
                nextArrivalExact += Exponential(_meanGapMs);
                nextArrival = WholeMilliseconds(nextArrivalExact);
            }

            Drain(events);
            if (++steps % ProgressEvery == 0)
            {
                progress?.Invoke(Math.Min(1.0, Now / (double)_arrivalsEnd));
            }
        }

        AccumulateBusy(_arrivalsEnd);
        progress?.Invoke(1.0);
        var elapsed = watch.Elapsed;
        return new SimulationResult
        {
            Total = _batches.Aggregate(default(Tally), static (sum, b) => sum + b),
            Batches = _batches,
            BusyAgentMilliseconds = _busyAgentMs,
            AgentMilliseconds = (double)_settings.Agents * (_arrivalsEnd - _warmUpEnd),
            EngineCalls = _engineCalls,
            TimersFired = _timersFired,
            Offers = _offers,
            OtherCloses = _otherCloses,
            Elapsed = elapsed,
            LiveBytes = GC.GetTotalMemory(forceFullCollection: true),
        };
    }

    /// <summary>Milliseconds since the start of the simulation on the fake clock.</summary>
    private long Now => (long)(_engine.Clock.GetUtcNow() - _start).TotalMilliseconds;

    /// <summary>
    /// Fires every engine timer due up to <paramref name="at"/> at its own time, then sets the clock to it. The worker
    /// acknowledges a batch's commands before it re-arms its timer for the batch (TenantWorker completes the items,
    /// then calls AfterCommit), so the clock moves only after a flush posted once the last call returned: that flush
    /// runs in a later batch, and when it returns the timer is armed against the time the last batch ran at. Moving
    /// the clock earlier races with the re-arming: a timer fires late, or FakeTimeProvider throws on the worker
    /// thread, the worker stops and every later call waits for ever.
    /// </summary>
    private async ValueTask AdvanceToAsync(long at, System.Threading.Channels.ChannelReader<KefuEvent> events)
    {
        var target = _start.AddTicks(at * TimeSpan.TicksPerMillisecond);
        if (target == _engine.Clock.GetUtcNow())
        {
            return;
        }

        await SettleAsync();
        while (_engine.Clock.NextTimerDue is { } timerDue && timerDue <= target)
        {
            _engine.Clock.SetUtcNow(timerDue);
            await SettleAsync(); // the tick the timer posted is applied
            await SettleAsync(); // and its batch has re-armed the timer
            _timersFired++;
            Drain(events);
        }

        _engine.Clock.SetUtcNow(target);
    }

    private async ValueTask SettleAsync()
    {
        await _engine.FlushAsync();
        _engineCalls++;
    }

    private async ValueTask ArriveAsync()
    {
        var request = new ConversationRequest
        {
            ChannelKind = ChannelKind.Web,
            GroupId = _groupIds.Length == 0 ? null : _groupIds[_random.Next(_groupIds.Length)],
        };
        await _engine.Kefu.Conversations.OpenAsync(_tenantId, request);
        _engineCalls++;
    }

    private async ValueTask ActAsync(Step step)
    {
        if (!_open.TryGetValue(step.ConversationId, out var visit))
        {
            return; // closed by a timer on the way
        }

        var conversations = _engine.Kefu.Conversations;
        switch (step.Kind)
        {
            case StepKind.End when visit.State == VisitState.InService && visit.AgentId == step.AgentId:
                await conversations.EndAsync(_tenantId, step.ConversationId, Participant.Agent(step.AgentId));
                break;
            case StepKind.Abandon when visit.State == VisitState.Queued:
                await conversations.EndAsync(_tenantId, step.ConversationId, Participant.Visitor(visit.VisitorId));
                break;
            case StepKind.Accept when visit.State == VisitState.Offered && visit.AgentId == step.AgentId:
                await conversations.AnswerOfferAsync(_tenantId, step.ConversationId, step.AgentId, accept: true);
                break;
            default:
                return; // answered, ended or re-offered since it was scheduled
        }

        _engineCalls++;
    }

    private void Drain(System.Threading.Channels.ChannelReader<KefuEvent> events)
    {
        while (events.TryRead(out var e))
        {
            OnEvent(e);
        }
    }

    private void OnEvent(KefuEvent e)
    {
        var at = e.OccurredAtMs - _startUnixMs;
        switch (e.PayloadCase)
        {
            case KefuEvent.PayloadOneofCase.SessionCreated:
                var batch = at >= _warmUpEnd && at < _arrivalsEnd ? (int)((at - _warmUpEnd) * BatchesPerRun / (_arrivalsEnd - _warmUpEnd)) : -1;
                _open[e.ConversationId] = new Visit(e.SessionCreated.VisitorId, at, batch);
                if (batch >= 0)
                {
                    _batches[batch].Arrivals++;
                    _countedUnresolved++;
                }

                break;

            case KefuEvent.PayloadOneofCase.SessionQueued when _open.TryGetValue(e.ConversationId, out var visit):
                if (!visit.EverQueued && visit.Counted)
                {
                    _batches[visit.Batch].Waited++;
                }

                if (visit.State is VisitState.InService or VisitState.Offered)
                {
                    AccumulateBusy(at);
                    _busy--;
                }

                visit.EverQueued = true;
                visit.State = VisitState.Queued;
                visit.AgentId = 0;
                if (_meanPatienceMs is { } patience && !visit.PatienceDrawn)
                {
                    visit.PatienceDrawn = true;
                    Schedule(Math.Max(at, visit.ArrivedAt + WholeMilliseconds(Exponential(patience))), StepKind.Abandon, e.ConversationId, 0);
                }

                break;

            case KefuEvent.PayloadOneofCase.SessionOffered when _open.TryGetValue(e.ConversationId, out var visit):
                _offers++;
                if (visit.State is not (VisitState.InService or VisitState.Offered))
                {
                    AccumulateBusy(at);
                    _busy++;
                }

                visit.EverOffered = true;
                visit.State = VisitState.Offered;
                visit.AgentId = e.SessionOffered.AgentId;
                Schedule(at, StepKind.Accept, e.ConversationId, visit.AgentId);
                break;

            case KefuEvent.PayloadOneofCase.SessionAssigned when _open.TryGetValue(e.ConversationId, out var visit):
                OnAssigned(visit, e, at);
                break;

            case KefuEvent.PayloadOneofCase.SessionClosed when _open.Remove(e.ConversationId, out var visit):
                OnClosed(visit, e.SessionClosed.Reason, at);
                break;
        }
    }

    private void OnAssigned(Visit visit, KefuEvent e, long at)
    {
        var wait = at - visit.ArrivedAt;
        if (!visit.EverOffered && e.SessionAssigned.QueueWaitMs != wait)
        {
            throw new InvalidOperationException(
                $"Conversation {e.ConversationId} arrived at {visit.ArrivedAt} ms and was assigned at {at} ms, but its event says it waited {e.SessionAssigned.QueueWaitMs} ms.");
        }

        if (visit.Counted && !visit.Answered)
        {
            _countedUnresolved--;
            _batches[visit.Batch].Answered++;
            _batches[visit.Batch].TotalWaitMilliseconds += wait;
            if (wait <= _answerWithinMs)
            {
                _batches[visit.Batch].AnsweredInTime++;
            }
        }

        visit.Answered = true;
        if (visit.State is not (VisitState.InService or VisitState.Offered))
        {
            AccumulateBusy(at);
            _busy++;
        }

        visit.State = VisitState.InService;
        visit.AgentId = e.SessionAssigned.AgentId;
        Schedule(at + WholeMilliseconds(Exponential(_meanHandleMs)), StepKind.End, e.ConversationId, visit.AgentId);
    }

    private void OnClosed(Visit visit, CloseReason reason, long at)
    {
        if (visit.State is VisitState.InService or VisitState.Offered)
        {
            AccumulateBusy(at);
            _busy--;
        }

        if (visit.Counted && !visit.Answered)
        {
            _countedUnresolved--;
        }

        switch (reason)
        {
            case CloseReason.QueueAbandoned when visit.Counted:
                _batches[visit.Batch].Abandoned++;
                break;
            case CloseReason.QueueAbandoned or CloseReason.AgentEnded:
                break;
            default:
                _otherCloses++;
                break;
        }
    }

    /// <summary>Adds busy agent time since the last change, inside the window between the warm-up and the end of arrivals.</summary>
    private void AccumulateBusy(long at)
    {
        var from = Math.Max(_busySince, _warmUpEnd);
        var to = Math.Min(at, _arrivalsEnd);
        if (to > from)
        {
            _busyAgentMs += (double)_busy * (to - from);
        }

        _busySince = Math.Max(_busySince, at);
    }

    private void Schedule(long at, StepKind kind, long conversationId, long agentId) =>
        _schedule.Enqueue(new Step(kind, conversationId, agentId), (at, ++_sequence));

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    private static long WholeMilliseconds(double milliseconds) => (long)Math.Round(milliseconds, MidpointRounding.AwayFromZero);

    private enum StepKind
    {
        /// <summary>The agent ends the conversation: the handle time is over.</summary>
        End,
        /// <summary>The visitor ends the conversation while queued: the patience is over.</summary>
        Abandon,
        /// <summary>The agent accepts an offer, at once.</summary>
        Accept,
    }

    /// <summary>Something a participant does at a scheduled time, unless the conversation has moved on by then.</summary>
    private readonly record struct Step(StepKind Kind, long ConversationId, long AgentId);

    private enum VisitState
    {
        Created,
        Queued,
        Offered,
        InService,
    }

    /// <summary>An open conversation as the simulation tracks it from the events.</summary>
    private sealed class Visit(long visitorId, long arrivedAt, int batch)
    {
        public long VisitorId { get; } = visitorId;
        public long ArrivedAt { get; } = arrivedAt;

        /// <summary>The batch of a counted arrival; -1 for an arrival in the warm-up.</summary>
        public int Batch { get; } = batch;
        public bool Counted => Batch >= 0;
        public VisitState State { get; set; } = VisitState.Created;
        public long AgentId { get; set; }
        public bool EverQueued { get; set; }
        public bool EverOffered { get; set; }
        public bool PatienceDrawn { get; set; }
        public bool Answered { get; set; }
    }
}
