using System.Diagnostics;
using System.Globalization;
using Kefu.Analytics.Reporting;
using Kefu.Benchmarks.Verbs;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Benchmarks.Reporting;

/// <summary>
/// <c>report-check</c>: generates weeks of customer service by driving the real engine (<see cref="ReportSimulation"/>),
/// waits until the outbox has handed every event to the analytics sinks, then compares every computed metric of the
/// catalogue, by every dimension set reports accept (the total, each dimension, each pair), by day and over the whole
/// period, as <see cref="IReports.RunAsync"/> answers it from the aggregates, with <see cref="ReportOracle"/>'s
/// brute-force recomputation from the raw events. Last line: <c>mismatches=N metrics=N cells=N</c>.
/// </summary>
internal sealed class ReportCheckVerb(TextWriter output, TextWriter error) : IVerb
{
    /// <summary>
    /// The default mean arrivals per hour per tenant: 60 (1,440 conversations a day, busiest hours about 115/h). With a
    /// mean handle time of about 5.5 minutes and three chats per agent, a shift of 3–10 agents serves a tenant at about
    /// 70 % occupancy, rotating through all its agents; busy hours queue now and then. Chosen so that
    /// <c>--tenants 5 --agents 200 --days 30</c> (about 216,000 conversations) runs in minutes on a 2-core machine.
    /// </summary>
    public const double DefaultArrivalsPerHour = 60;

    private static readonly Flag[] Flags =
    [
        Flag.Int("tenants", "tenants, simulated together on one engine", 1, 100) with { IsRequired = true },
        Flag.Int("agents", "agents per tenant (three chats each, three skill groups, in hourly shifts)", 1, 10_000) with { IsRequired = true },
        Flag.Int("days", "simulated days of arrivals, from a UTC midnight", 1, 90) with { IsRequired = true },
        Flag.Int("seed", "the seed of the random draws; default 1", int.MinValue, int.MaxValue),
        Flag.Double("arrivals-per-hour", string.Create(CultureInfo.InvariantCulture, $"mean arrivals per hour per tenant, shaped by the hour of day; default {DefaultArrivalsPerHour}"), 0, 1_000_000, minExclusive: true),
    ];

    private static readonly ReportGranularity[] Granularities = [ReportGranularity.Day, ReportGranularity.None];

    public string Name => "report-check";

    public string Summary => "Drives the engine through weeks of conversations and checks every report metric × dimension set against a brute-force recomputation from the events.";

    public string Usage => FlagParser.Describe(Flags) + """

        Compares every computed metric by the total, each dimension and each pair of dimensions, per day and over the
        whole period, per tenant. Exit 0 when nothing differs, 1 otherwise.
        Last line: mismatches=N metrics=N cells=N
        """;

    public async Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return VerbTable.UsageError(this, problem, error);
        }

        var settings = new ReportSimulationSettings
        {
            Tenants = flags.GetInt("tenants", 1),
            AgentsPerTenant = flags.GetInt("agents", 1),
            Days = flags.GetInt("days", 1),
            Seed = flags.GetInt("seed", 1),
            ArrivalsPerHour = flags.GetDouble("arrivals-per-hour", DefaultArrivalsPerHour),
        };

        var c = CultureInfo.InvariantCulture;
        var watch = Stopwatch.StartNew();
        var tap = new QualityScoreTap();
        await using var engine = ReportSimulation.BuildEngine(tap);
        error.WriteLine(string.Create(c, $"report-check: {settings.Tenants} tenants × {settings.AgentsPerTenant} agents, {settings.Days} days, {settings.ArrivalsPerHour:0.##} arrivals/h per tenant, seed {settings.Seed}"));
        var run = await ReportSimulation.RunAsync(engine, settings, line => error.WriteLine("  " + line));
        var simulated = watch.Elapsed;
        error.WriteLine(string.Create(c, $"  simulated in {simulated.TotalSeconds:F0} s; waiting for the outbox to deliver to the sinks"));
        var services = engine.Services;
        var outbox = services.GetRequiredService<IOutboxStore>();
        foreach (var tenant in run.Tenants)
        {
            while ((await outbox.ReadPendingAsync(tenant.TenantId, 0, 1)).Count > 0)
            {
                if (watch.Elapsed - simulated > TimeSpan.FromMinutes(10))
                {
                    error.WriteLine("report-check: the outbox did not deliver within 10 minutes.");
                    return ExitCodes.Failure;
                }

                await Task.Delay(20);
            }
        }

        var delivered = watch.Elapsed;
        error.WriteLine(string.Create(c, $"  delivered in {(delivered - simulated).TotalSeconds:F0} s; comparing"));

        var reports = services.GetRequiredService<IReports>();
        var metrics = MetricCatalog.All.Where(m => m.IsComputed).Select(m => m.Id).ToArray();
        var from = new DateTimeOffset(run.Start.UtcDateTime.Date, TimeSpan.Zero);
        var to = from.AddDays(Math.Min(ReportQuery.MaxDays, settings.Days + 1));
        var perMetric = metrics.ToDictionary(m => m, _ => (Cells: 0L, Mismatches: 0L), StringComparer.Ordinal);
        long cells = 0, mismatches = 0, closed = 0;
        var shown = 0;
        var dimensionSets = DimensionSets();
        var totals = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var tenant in run.Tenants)
        {
            var oracle = ReportOracle.From(tenant.Events, tap.ScoresOf(tenant.TenantId));
            closed += oracle.ClosedConversations;
            foreach (var dimensions in dimensionSets)
            {
                foreach (var granularity in Granularities)
                {
                    var all = new ReportQuery { From = from, To = to, Metrics = metrics, Dimensions = dimensions, Granularity = granularity };
                    var expected = oracle.Run(all);
                    if (granularity == ReportGranularity.None && dimensions.Length <= 1)
                    {
                        foreach (var (key, values) in expected)
                        {
                            for (var i = 0; i < metrics.Length; i++)
                            {
                                var name = dimensions.Length == 0 ? metrics[i] : $"{metrics[i]}[{key.Split('@')[0]}]";
                                if (dimensions.Length == 0 || (dimensions[0] is ReportDimension.ConversationType or ReportDimension.Validity && metrics[i] == "conversations_created"))
                                {
                                    totals[name] = totals.GetValueOrDefault(name) + (values[i] ?? 0);
                                }
                            }
                        }
                    }

                    foreach (var chunk in metrics.Chunk(ReportQuery.MaxMetrics))
                    {
                        var query = all with { Metrics = chunk };
                        var actual = await reports.RunAsync(tenant.TenantId, query);
                        var compared = ReportOracle.Compare(expected, metrics, actual, query, (i, key, e, a) =>
                        {
                            mismatches++;
                            var (n, m) = perMetric[chunk[i]];
                            perMetric[chunk[i]] = (n, m + 1);
                            if (shown++ < 20)
                            {
                                error.WriteLine(string.Create(c, $"  MISMATCH tenant {tenant.TenantId} {chunk[i]} by [{string.Join(",", dimensions)}] {granularity} at {key}: expected {e}, reported {a}"));
                            }
                        });
                        cells += compared;
                        foreach (var id in chunk)
                        {
                            var (n, m) = perMetric[id];
                            perMetric[id] = (n + (compared / chunk.Length), m);
                        }
                    }
                }
            }

            error.WriteLine(string.Create(c, $"  tenant {tenant.TenantId}: {oracle.ClosedConversations:N0} closed conversations, {tenant.Events.Count:N0} events, compared ({watch.Elapsed.TotalSeconds:F0} s)"));
        }

        output.WriteLine(string.Create(c,
            $"report-check: {settings.Tenants} tenants × {settings.AgentsPerTenant} agents, {settings.Days} days, {settings.ArrivalsPerHour:0.##} arrivals/h per tenant (hour-of-day profile), seed {settings.Seed}"));
        output.WriteLine(string.Create(c,
            $"engine: Kefu.Core + Kefu.Routing + Kefu.Analytics, in-memory store, fake clock; {run.Conversations:N0} conversations opened, {closed:N0} closed, {run.Events:N0} events, {run.EngineCalls:N0} engine calls ({run.Refused:N0} refused by the engine)"));
        output.WriteLine(string.Create(c,
            $"period {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; {dimensionSets.Count} dimension sets × {Granularities.Length} granularities (day, whole period) per tenant; simulate {simulated.TotalSeconds:F0} s, deliver {(delivered - simulated).TotalSeconds:F0} s, compare {(watch.Elapsed - delivered).TotalSeconds:F0} s"));
        string Total(string name) => totals.GetValueOrDefault(name).ToString("N0", c);
        output.WriteLine(
            $"data (oracle, all tenants): created {Total("conversations_created")} (proactive {Total("conversations_created[proactive]")}), picked up {Total("conversations")}, queued {Total("queue_count")}, " +
            $"abandoned {Total("queue_abandoned")}, not accepted {Total("conversations_not_accepted")}, unique visitors (sum over tenants) {Total("unique_visitors")}, " +
            $"validity valid/no_visitor_message/no_agent_reply {Total("conversations_created[valid]")}/{Total("conversations_created[no_visitor_message]")}/{Total("conversations_created[no_agent_reply]")}");
        output.WriteLine();
        output.WriteLine("  metric                           cells compared   mismatches");
        foreach (var m in metrics)
        {
            var (n, bad) = perMetric[m];
            output.WriteLine(string.Create(c, $"  {m,-32} {n,14:N0}   {bad,10:N0}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"mismatches={mismatches} metrics={metrics.Length} cells={cells}"));
        return mismatches == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Every dimension set a report accepts: none, each dimension, each pair (in both orders once: the first lower).</summary>
    private static List<ReportDimension[]> DimensionSets()
    {
        var all = Enum.GetValues<ReportDimension>();
        var sets = new List<ReportDimension[]> { Array.Empty<ReportDimension>() };
        sets.AddRange(all.Select(d => new[] { d }));
        for (var i = 0; i < all.Length; i++)
        {
            for (var j = i + 1; j < all.Length; j++)
            {
                // Alternate the order so both orders of a pair are exercised across the pairs.
                sets.Add((i + j) % 2 == 0 ? [all[i], all[j]] : [all[j], all[i]]);
            }
        }

        return sets;
    }
}
