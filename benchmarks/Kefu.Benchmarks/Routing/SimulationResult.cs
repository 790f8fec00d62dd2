namespace Kefu.Benchmarks.Routing;

/// <summary>Counts of counted arrivals (those after the warm-up) and what became of them.</summary>
internal record struct Tally
{
    /// <summary>Arrivals.</summary>
    public long Arrivals { get; set; }

    /// <summary>Arrivals that were queued rather than assigned at once.</summary>
    public long Waited { get; set; }

    /// <summary>Arrivals an agent answered.</summary>
    public long Answered { get; set; }

    /// <summary>Arrivals answered within <see cref="SimulationSettings.AnswerWithin"/>.</summary>
    public long AnsweredInTime { get; set; }

    /// <summary>Arrivals that left the queue (ended by the visitor while queued).</summary>
    public long Abandoned { get; set; }

    /// <summary>The queue waits of the answered arrivals, summed, in milliseconds.</summary>
    public long TotalWaitMilliseconds { get; set; }

    /// <summary>The share of arrivals that waited.</summary>
    public readonly double ProbabilityOfWaiting => Ratio(Waited, Arrivals);

    /// <summary>The average wait of the answered arrivals, in seconds (0 for those answered at once).</summary>
    public readonly double AverageSpeedOfAnswerSeconds => Answered == 0 ? 0 : TotalWaitMilliseconds / 1000.0 / Answered;

    /// <summary>The share of arrivals answered within <see cref="SimulationSettings.AnswerWithin"/>.</summary>
    public readonly double ServiceLevel => Ratio(AnsweredInTime, Arrivals);

    /// <summary>The share of arrivals that abandoned.</summary>
    public readonly double AbandonmentRate => Ratio(Abandoned, Arrivals);

    public static Tally operator +(Tally a, Tally b) => new()
    {
        Arrivals = a.Arrivals + b.Arrivals,
        Waited = a.Waited + b.Waited,
        Answered = a.Answered + b.Answered,
        AnsweredInTime = a.AnsweredInTime + b.AnsweredInTime,
        Abandoned = a.Abandoned + b.Abandoned,
        TotalWaitMilliseconds = a.TotalWaitMilliseconds + b.TotalWaitMilliseconds,
    };

    private static double Ratio(long part, long whole) => whole == 0 ? 0 : part / (double)whole;
}

/// <summary>
/// What one or more runs measured from the engine's events. <see cref="Batches"/> cut each run's counted arrivals
/// into <see cref="QueueSimulation.BatchesPerRun"/> consecutive batches by arrival time; the spread of the batch
/// means gives the confidence intervals (the batch-means method: waits of nearby arrivals are correlated, batches
/// much longer than the queue's relaxation time are nearly independent).
/// </summary>
internal sealed record SimulationResult
{
    /// <summary>Every counted arrival.</summary>
    public Tally Total { get; init; }

    /// <summary>The counted arrivals, batch by batch.</summary>
    public IReadOnlyList<Tally> Batches { get; init; } = [];

    /// <summary>Agent-milliseconds spent serving between the end of the warm-up and the end of the arrivals.</summary>
    public double BusyAgentMilliseconds { get; init; }

    /// <summary>Agent-milliseconds available in the same window.</summary>
    public double AgentMilliseconds { get; init; }

    /// <summary>Awaited engine calls: opens, ends, offer answers, and the flushes before each clock move and after each timer.</summary>
    public long EngineCalls { get; init; }

    /// <summary>Engine timers (queue reminders, offer time-outs) that came due and were acted on.</summary>
    public long TimersFired { get; init; }

    /// <summary>Conversations offered (ringing) instead of assigned; the simulated agents accept at once.</summary>
    public long Offers { get; init; }

    /// <summary>Conversations the engine closed for another reason than the agent or the visitor ending them.</summary>
    public long OtherCloses { get; init; }

    /// <summary>Wall-clock time of the runs, set-up excluded.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Managed memory in use at the end of a run, the engine still alive (the largest of the runs).</summary>
    public long LiveBytes { get; init; }

    /// <summary>Busy agent time over available agent time.</summary>
    public double Occupancy => AgentMilliseconds == 0 ? 0 : BusyAgentMilliseconds / AgentMilliseconds;

    /// <summary>Independent runs (replications) pooled: counts and times add up, batches are put together.</summary>
    public static SimulationResult Combine(IReadOnlyList<SimulationResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return new SimulationResult
        {
            Total = runs.Aggregate(default(Tally), (sum, r) => sum + r.Total),
            Batches = [.. runs.SelectMany(r => r.Batches)],
            BusyAgentMilliseconds = runs.Sum(r => r.BusyAgentMilliseconds),
            AgentMilliseconds = runs.Sum(r => r.AgentMilliseconds),
            EngineCalls = runs.Sum(r => r.EngineCalls),
            TimersFired = runs.Sum(r => r.TimersFired),
            Offers = runs.Sum(r => r.Offers),
            OtherCloses = runs.Sum(r => r.OtherCloses),
            Elapsed = TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
            LiveBytes = runs.Max(r => r.LiveBytes),
        };
    }

    /// <summary>
    /// The half-width of the 95 % confidence interval of a figure from the spread of its batch means (Student's t
    /// with one degree of freedom less than the batches); NaN with fewer than two batches.
    /// </summary>
    public double HalfWidth(Func<Tally, double> figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var values = Batches.Where(b => b.Arrivals > 0).Select(figure).ToArray();
        if (values.Length < 2)
        {
            return double.NaN;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return StudentT975(values.Length - 1) * Math.Sqrt(variance / values.Length);
    }

    // The quantile at the smallest degrees of freedom of each range, so the interval errs on the wide side.
    private static double StudentT975(int degreesOfFreedom) => degreesOfFreedom switch
    {
        1 => 12.706,
        2 => 4.303,
        3 => 3.182,
        4 => 2.776,
        5 => 2.571,
        <= 7 => 2.447,
        <= 10 => 2.306,
        <= 15 => 2.201,
        <= 20 => 2.120,
        <= 30 => 2.080,
        <= 60 => 2.042,
        <= 120 => 2.000,
        _ => 1.980,
    };
}
