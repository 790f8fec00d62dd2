using System.Globalization;
using Kefu.Benchmarks.Verbs;
using Kefu.Routing.Staffing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Benchmarks.Routing;

/// <summary>
/// <c>simulate</c>: runs the real engine (in-memory store, fake clock) through an M/M/c queue of visitors and agents
/// and prints what it measured from the engine's events next to Erlang C: probability of waiting, average speed of
/// answer, service level at 20 s, abandonment, occupancy. Last line:
/// <c>pwait=0.XXXX erlang_c=0.XXXX asa=X.XX erlang_asa=X.XX n=NNNN</c>.
/// </summary>
internal sealed class SimulateVerb(TextWriter output, TextWriter error) : IVerb
{
    private static readonly Flag[] Flags =
    [
        Flag.Int("agents", "agents, each serving one visitor at a time (MaxConcurrentChats = 1)", 1, 10_000) with { IsRequired = true },
        Flag.Double("arrivals-per-hour", "Poisson arrivals per hour", 0, 10_000_000, minExclusive: true) with { IsRequired = true },
        Flag.Double("handle-seconds", "the mean of the exponential handle time, from assignment to the agent ending the conversation", 0, 86_400, minExclusive: true) with { IsRequired = true },
        Flag.Double("hours", "simulated hours of arrivals, warm-up included", 0, 1_000_000, minExclusive: true) with { IsRequired = true },
        Flag.Int("seed", "the seed of the random draws; default 1", int.MinValue, int.MaxValue),
        Flag.Double("patience-seconds", "the mean of the exponential patience: a visitor still queued that long after arriving leaves (abandons); default none (nobody leaves)", 0, 86_400, minExclusive: true),
        Flag.Int("groups", "skill groups: agents split evenly, each arrival asks for one at random; default 1 (no groups); at most --agents", 1, 10_000),
        Flag.Double("warmup-hours", "hours at the start whose arrivals are not counted; default 1 hour or 50 handle times, whichever is longer, but at most a tenth of --hours; less than --hours", 0, 1_000_000),
        Flag.Int("replications", "independent runs, each on a new engine with the next seed and its own warm-up, pooled: more arrivals in bounded memory; default 1", 1, 10_000),
    ];

    public string Name => "simulate";

    public string Summary => "Drives the engine through an M/M/c queue in fake time and compares what it measures with Erlang C.";

    public string Usage => string.Join('\n', Flags.Select(f => f.UsageLine)) + """

        The ± columns are 95 % confidence intervals from batch means (20 batches per run).
        Last line: pwait=0.XXXX erlang_c=0.XXXX asa=X.XX erlang_asa=X.XX n=NNNN
        """;

    public async Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return VerbTable.UsageError(this, problem, error);
        }

        var agents = flags.GetInt("agents", 0);
        var groups = flags.GetInt("groups", 1);
        var hours = flags.GetDouble("hours", 0);
        var handle = TimeSpan.FromSeconds(flags.GetDouble("handle-seconds", 0));
        if (groups > agents)
        {
            return VerbTable.UsageError(this, $"--groups must be from 1 to --agents ({agents}), not {groups}.", error);
        }

        var warmUpHours = flags.Has("warmup-hours")
            ? flags.GetDouble("warmup-hours", 0)
            : Math.Min(Math.Max(1.0, 50 * handle.TotalHours), hours / 10);
        if (warmUpHours >= hours)
        {
            return VerbTable.UsageError(this, string.Create(CultureInfo.InvariantCulture, $"--warmup-hours must be less than --hours ({hours}), not {warmUpHours}."), error);
        }

        var settings = new SimulationSettings
        {
            Agents = agents,
            Groups = groups,
            ArrivalsPerHour = flags.GetDouble("arrivals-per-hour", 0),
            HandleTime = handle,
            Patience = flags.Has("patience-seconds") ? TimeSpan.FromSeconds(flags.GetDouble("patience-seconds", 0)) : null,
            Duration = TimeSpan.FromHours(hours),
            WarmUp = TimeSpan.FromHours(warmUpHours),
            Seed = flags.GetInt("seed", 1),
        };

        var replications = flags.GetInt("replications", 1);
        var bar = Console.IsErrorRedirected ? null : new ProgressBar(error);
        var runs = new List<SimulationResult>(replications);
        var policy = string.Empty;
        for (var r = 0; r < replications; r++)
        {
            // The engine under test: Kefu.Core with Kefu.Routing (least loaded, the chat default).
            await using var engine = QueueSimulation.BuildEngine(static kefu => kefu.AddRouting());
            policy = engine.RoutingPolicy;
            var replication = r;
            Action<double>? progress = bar is null ? null : done => bar.Draw((replication + done) / replications);
            runs.Add(await QueueSimulation.RunAsync(engine, settings with { Seed = unchecked(settings.Seed + r) }, progress));
        }

        bar?.Clear();
        Report(settings, replications, policy, SimulationResult.Combine(runs), ErlangBaseline.Of(settings, replications));
        return ExitCodes.Success;
    }

    private void Report(SimulationSettings s, int replications, string policy, SimulationResult r, ErlangBaseline erlang)
    {
        var c = CultureInfo.InvariantCulture;
        var t = r.Total;
        output.WriteLine(string.Create(c,
            $"simulate: {s.Agents:N0} agents x 1 chat, {(s.Groups == 1 ? "no skill groups" : $"{s.Groups} skill groups")}, {s.ArrivalsPerHour:0.###} arrivals/h, mean handle {s.HandleTime.TotalSeconds:0.###} s: {s.OfferedLoad:0.00} Erlangs"));
        var runs = replications == 1 ? string.Empty : string.Create(c, $"; {replications} replications (seeds {s.Seed} to {unchecked(s.Seed + replications - 1)})");
        output.WriteLine(string.Create(c,
            $"          {s.Duration.TotalHours:0.###} h of arrivals, the first {s.WarmUp.TotalHours:0.###} h not counted; patience {(s.Patience is { } p ? $"{p.TotalSeconds:0.###} s mean" : "none")}; seed {s.Seed}{runs}"));
        output.WriteLine($"engine:   Kefu.Core, {policy}, in-memory store, FakeTimeProvider");
        output.WriteLine();
        output.WriteLine("                                   measured     ± 95 %     Erlang C");
        output.WriteLine(string.Create(c, $"  P(wait)                          {t.ProbabilityOfWaiting,8:F4}   {r.HalfWidth(static b => b.ProbabilityOfWaiting),8:F4}     {erlang.ProbabilityOfWaiting,8:F4}"));
        output.WriteLine(string.Create(c, $"  average speed of answer (s)      {t.AverageSpeedOfAnswerSeconds,8:F2}   {r.HalfWidth(static b => b.AverageSpeedOfAnswerSeconds),8:F2}     {Seconds(erlang.AverageSpeedOfAnswerSeconds),8}"));
        output.WriteLine(string.Create(c, $"  service level (answered in 20 s) {t.ServiceLevel,8:F4}   {r.HalfWidth(static b => b.ServiceLevel),8:F4}     {erlang.ServiceLevel,8:F4}"));
        output.WriteLine(string.Create(c, $"  abandonment rate                 {t.AbandonmentRate,8:F4}   {r.HalfWidth(static b => b.AbandonmentRate),8:F4}     {"-",8}"));
        output.WriteLine(string.Create(c, $"  occupancy                        {r.Occupancy,8:F4}   {"",8}     {erlang.Occupancy,8:F4}"));
        output.WriteLine(string.Create(c, $"  arrivals counted                 {t.Arrivals,8:N0}   {"",8}     {erlang.ExpectedArrivals,8:N0} expected"));
        output.WriteLine();
        if (s.Patience is not null)
        {
            output.WriteLine("Erlang C assumes nobody leaves the queue: with --patience-seconds the measured waits are shorter than it predicts.");
        }

        if (s.Groups > 1)
        {
            output.WriteLine("Erlang C per skill group with its share of the arrivals and agents, combined weighted by arrivals.");
        }

        if (r.Offers > 0)
        {
            output.WriteLine(string.Create(c, $"{r.Offers:N0} conversations were offered rather than assigned; the simulated agents accepted at once."));
        }

        if (r.OtherCloses > 0)
        {
            output.WriteLine(string.Create(c, $"{r.OtherCloses:N0} conversations were closed by the engine (not by their agent or visitor)."));
        }

        output.WriteLine(string.Create(c,
            $"{r.EngineCalls:N0} engine calls (flushes before each clock move and after each of {r.TimersFired:N0} timers included) in {r.Elapsed.TotalSeconds:F1} s: {r.EngineCalls / Math.Max(r.Elapsed.TotalSeconds, 1e-9):N0} calls/s; " +
            $"{r.LiveBytes / 1048576.0:N0} MiB live at the end of a run (the in-memory store keeps every conversation)"));
        output.WriteLine(string.Create(c,
            $"pwait={t.ProbabilityOfWaiting:F4} erlang_c={erlang.ProbabilityOfWaiting:F4} asa={t.AverageSpeedOfAnswerSeconds:F2} erlang_asa={Seconds(erlang.AverageSpeedOfAnswerSeconds)} n={t.Arrivals}"));
    }

    private static string Seconds(double seconds) => double.IsFinite(seconds) ? seconds.ToString("F2", CultureInfo.InvariantCulture) : "inf";

    /// <summary>
    /// Erlang C for the simulated set-up: per skill group, with the group's agents and its share of the arrivals,
    /// combined weighted by arrivals (all groups get the same share). Occupancy is weighted by agents.
    /// </summary>
    private sealed record ErlangBaseline(double ProbabilityOfWaiting, double AverageSpeedOfAnswerSeconds, double ServiceLevel, double Occupancy, double ExpectedArrivals)
    {
        public static ErlangBaseline Of(SimulationSettings s, int replications)
        {
            double wait = 0, answer = 0, level = 0, busy = 0;
            for (var g = 0; g < s.Groups; g++)
            {
                var agents = s.AgentsIn(g);
                var estimate = ErlangC.Estimate(agents, s.ArrivalsPerHour / s.Groups, s.HandleTime, SimulationSettings.AnswerWithin);
                wait += estimate.ProbabilityOfWaiting / s.Groups;
                answer += estimate.IsStable ? estimate.AverageSpeedOfAnswer.TotalSeconds / s.Groups : double.PositiveInfinity;
                level += estimate.ServiceLevel / s.Groups;
                busy += estimate.Occupancy * agents / s.Agents;
            }

            return new ErlangBaseline(wait, answer, level, busy, replications * s.ArrivalsPerHour * (s.Duration - s.WarmUp).TotalHours);
        }
    }

    /// <summary>A text bar on standard error, redrawn in place with a carriage return at most every 200 ms.</summary>
    private sealed class ProgressBar(TextWriter writer)
    {
        private const int Width = 40;
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan? _drawnAt;

        public void Draw(double done)
        {
            var now = _watch.Elapsed;
            if (done < 1 && _drawnAt is { } drawnAt && now - drawnAt < TimeSpan.FromMilliseconds(200))
            {
                return;
            }

            _drawnAt = now;
            var filled = (int)Math.Round(Math.Clamp(done, 0, 1) * Width);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('-', Width - filled)}] {done,4:P0} of the simulated time, {now.TotalSeconds:F0} s"));
            writer.Flush();
        }

        public void Clear()
        {
            writer.Write('\r' + new string(' ', Width + 48) + '\r');
            writer.Flush();
        }
    }
}
