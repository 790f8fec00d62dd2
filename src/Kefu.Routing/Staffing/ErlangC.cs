using System.Globalization;

namespace Kefu.Routing.Staffing;

/// <summary>
/// Erlang C staffing (R14): the M/M/c queue of a contact centre, where visitors arrive at random (Poisson) at a steady
/// rate, each agent serves one at a time for an exponentially distributed handle time, and nobody leaves the queue.
/// It answers how likely a visitor is to wait, how long on average, what share is answered within a target, and how
/// many agents a service-level target needs.
/// <para>
/// The probability of waiting is computed from the Erlang B recurrence
/// B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), then C = c·B / (c − A(1 − B)): no factorials or powers, so it is exact
/// to double precision for every allowed number of agents (1–100,000) and any load.
/// </para>
/// <para>
/// Every method checks its arguments and throws <see cref="ArgumentOutOfRangeException"/> naming the parameter and its
/// allowed range: agents 1–100,000; loads and arrival rates finite and ≥ 0; handle times &gt; 0; waiting targets ≥ 0;
/// service-level targets strictly between 0 and 1; occupancy caps in (0, 1].
/// </para>
/// </summary>
public static class ErlangC
{
    /// <summary>The fewest agents the methods accept.</summary>
    public const int MinAgents = 1;

    /// <summary>The most agents the methods accept.</summary>
    public const int MaxAgents = 100_000;

    /// <summary>
    /// The offered load A in Erlangs: arrivals per hour × average handle time in hours, the number of agents that
    /// would be busy all the time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The arrival rate is negative or not finite, or the handle time is not positive.</exception>
    public static double OfferedLoad(double arrivalsPerHour, TimeSpan averageHandleTime)
    {
        RequireRate(arrivalsPerHour, nameof(arrivalsPerHour));
        RequireHandleTime(averageHandleTime, nameof(averageHandleTime));
        return arrivalsPerHour * averageHandleTime.TotalHours;
    }

    /// <summary>
    /// The probability that an arriving visitor has to wait (Erlang C) with <paramref name="agents"/> agents and an
    /// offered load of <paramref name="offeredLoadErlangs"/>. 1 when the agents cannot keep up (agents ≤ load): the
    /// queue then grows without end.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Agents outside 1–100,000, or a load that is negative or not finite.</exception>
    public static double ProbabilityOfWaiting(int agents, double offeredLoadErlangs)
    {
        RequireAgents(agents, nameof(agents));
        RequireLoad(offeredLoadErlangs, nameof(offeredLoadErlangs));
        return WaitProbability(agents, offeredLoadErlangs);
    }

    /// <summary>
    /// The average time a visitor waits before an agent answers (ASA), counting those answered at once: C / (cμ − λ).
    /// <see cref="TimeSpan.MaxValue"/> when the agents cannot keep up (agents ≤ load), or when the wait is too long for a
    /// <see cref="TimeSpan"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Agents outside 1–100,000, an arrival rate that is negative or not finite, or a handle time that is not positive.</exception>
    public static TimeSpan AverageSpeedOfAnswer(int agents, double arrivalsPerHour, TimeSpan averageHandleTime)
    {
        RequireAgents(agents, nameof(agents));
        var load = OfferedLoad(arrivalsPerHour, averageHandleTime);
        return AverageWait(agents, load, WaitProbability(agents, load), averageHandleTime);
    }

    /// <summary>
    /// The share of visitors answered within <paramref name="answerWithin"/> (waiting no longer than it, those answered
    /// at once included): 1 − C·e^(−(cμ − λ)t). 0 when the agents cannot keep up (agents ≤ load).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Agents outside 1–100,000, an arrival rate that is negative or not finite, a handle time that is not positive, or a negative <paramref name="answerWithin"/>.</exception>
    public static double ServiceLevel(int agents, double arrivalsPerHour, TimeSpan averageHandleTime, TimeSpan answerWithin)
    {
        RequireAgents(agents, nameof(agents));
        var load = OfferedLoad(arrivalsPerHour, averageHandleTime);
        RequireWait(answerWithin, nameof(answerWithin));
        return Level(agents, load, WaitProbability(agents, load), averageHandleTime, answerWithin);
    }

    /// <summary>
    /// The share of the agents' time spent serving visitors: A / c, capped at 1 (agents that cannot keep up are busy
    /// all the time).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Agents outside 1–100,000, an arrival rate that is negative or not finite, or a handle time that is not positive.</exception>
    public static double Occupancy(int agents, double arrivalsPerHour, TimeSpan averageHandleTime)
    {
        RequireAgents(agents, nameof(agents));
        return Math.Min(1.0, OfferedLoad(arrivalsPerHour, averageHandleTime) / agents);
    }

    /// <summary>
    /// The fewest agents that answer at least <paramref name="serviceLevelTarget"/> of the visitors within
    /// <paramref name="answerWithin"/> while each agent is busy at most <paramref name="maxOccupancy"/> of the time.
    /// With no arrivals, 1.
    /// </summary>
    /// <param name="arrivalsPerHour">Visitors arriving per hour; finite and ≥ 0.</param>
    /// <param name="averageHandleTime">The average handle time; &gt; 0.</param>
    /// <param name="serviceLevelTarget">The share to answer in time, strictly between 0 and 1 (0.8 for 80 %).</param>
    /// <param name="answerWithin">The waiting target (20 seconds in "80/20"); ≥ 0.</param>
    /// <param name="maxOccupancy">The highest allowed occupancy, in (0, 1]. Default 1: no cap.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An argument is outside its range, or the load needs more than 100,000 agents (reported against <paramref name="arrivalsPerHour"/>).
    /// </exception>
    public static int AgentsNeeded(double arrivalsPerHour, TimeSpan averageHandleTime, double serviceLevelTarget, TimeSpan answerWithin, double maxOccupancy = 1.0)
    {
        var load = OfferedLoad(arrivalsPerHour, averageHandleTime);
        if (!(serviceLevelTarget > 0 && serviceLevelTarget < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(serviceLevelTarget), serviceLevelTarget,
                "The service-level target must be strictly between 0 and 1 (0.8 for 80 %).");
        }

        RequireWait(answerWithin, nameof(answerWithin));
        if (!(maxOccupancy > 0 && maxOccupancy <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxOccupancy), maxOccupancy,
                "The maximum occupancy must be greater than 0 and at most 1 (0.85 for 85 %).");
        }

        // B(n) is carried forward, so the search costs one recurrence step per candidate: O(answer), not O(answer²).
        var erlangB = 1.0;
        for (var agents = 1; agents <= MaxAgents; agents++)
        {
            erlangB = load * erlangB / (agents + (load * erlangB));
            if (agents <= load || load / agents > maxOccupancy)
            {
                continue;
            }

            var level = Level(agents, load, FromErlangB(agents, load, erlangB), averageHandleTime, answerWithin);
            if (level >= serviceLevelTarget)
            {
                return agents;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(arrivalsPerHour), arrivalsPerHour, string.Create(CultureInfo.InvariantCulture,
            $"An offered load of {load:0.##} Erlangs needs more than {MaxAgents:N0} agents to meet the target; at most {MaxAgents:N0} are supported."));
    }

    /// <summary>Every Erlang C figure for one staffing level at once (one recurrence instead of one per figure).</summary>
    /// <param name="agents">Agents serving, 1–100,000.</param>
    /// <param name="arrivalsPerHour">Visitors arriving per hour; finite and ≥ 0.</param>
    /// <param name="averageHandleTime">The average handle time; &gt; 0.</param>
    /// <param name="answerWithin">The waiting target of the service level; ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static StaffingEstimate Estimate(int agents, double arrivalsPerHour, TimeSpan averageHandleTime, TimeSpan answerWithin)
    {
        RequireAgents(agents, nameof(agents));
        var load = OfferedLoad(arrivalsPerHour, averageHandleTime);
        RequireWait(answerWithin, nameof(answerWithin));
        var wait = WaitProbability(agents, load);
        return new StaffingEstimate(
            agents,
            load,
            wait,
            AverageWait(agents, load, wait, averageHandleTime),
            answerWithin,
            Level(agents, load, wait, averageHandleTime, answerWithin),
            Math.Min(1.0, load / agents));
    }

    private static double WaitProbability(int agents, double load)
    {
        if (agents <= load)
        {
            return 1.0;
        }

        var erlangB = 1.0;
        for (var n = 1; n <= agents; n++)
        {
            erlangB = load * erlangB / (n + (load * erlangB));
        }

        return FromErlangB(agents, load, erlangB);
    }

    private static double FromErlangB(int agents, double load, double erlangB) =>
        Math.Clamp(agents * erlangB / (agents - (load * (1 - erlangB))), 0.0, 1.0);

    private static TimeSpan AverageWait(int agents, double load, double waitProbability, TimeSpan averageHandleTime)
    {
        if (agents <= load)
        {
            return TimeSpan.MaxValue;
        }

        // C / (cμ − λ) with μ = 1 / AHT and λ = A·μ is C·AHT / (c − A).
        var ticks = waitProbability * averageHandleTime.Ticks / (agents - load);
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    private static double Level(int agents, double load, double waitProbability, TimeSpan averageHandleTime, TimeSpan answerWithin)
    {
        if (agents <= load)
        {
            return 0.0;
        }

        // (cμ − λ)·t = (c − A)·t / AHT.
        var exponent = -(agents - load) * (answerWithin.Ticks / (double)averageHandleTime.Ticks);
        return Math.Clamp(1 - (waitProbability * Math.Exp(exponent)), 0.0, 1.0);
    }

    private static void RequireAgents(int agents, string name)
    {
        if (agents is < MinAgents or > MaxAgents)
        {
            throw new ArgumentOutOfRangeException(name, agents, $"The number of agents must be from {MinAgents} to {MaxAgents:N0}.");
        }
    }

    private static void RequireLoad(double load, string name)
    {
        if (!double.IsFinite(load) || load < 0)
        {
            throw new ArgumentOutOfRangeException(name, load, "The offered load must be a finite number of Erlangs ≥ 0.");
        }
    }

    private static void RequireRate(double rate, string name)
    {
        if (!double.IsFinite(rate) || rate < 0)
        {
            throw new ArgumentOutOfRangeException(name, rate, "The arrival rate must be a finite number of arrivals per hour ≥ 0.");
        }
    }

    private static void RequireHandleTime(TimeSpan handleTime, string name)
    {
        if (handleTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, handleTime, "The average handle time must be greater than 0.");
        }
    }

    private static void RequireWait(TimeSpan wait, string name)
    {
        if (wait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, wait, "The waiting target must be 0 or more.");
        }
    }
}

/// <summary>The Erlang C figures of one staffing level (<see cref="ErlangC.Estimate"/>).</summary>
/// <param name="Agents">Agents serving.</param>
/// <param name="OfferedLoadErlangs">The offered load A in Erlangs (arrivals per hour × handle time in hours).</param>
/// <param name="ProbabilityOfWaiting">The share of visitors who wait (Erlang C); 1 when the agents cannot keep up.</param>
/// <param name="AverageSpeedOfAnswer">The average wait over all visitors; <see cref="TimeSpan.MaxValue"/> when the agents cannot keep up.</param>
/// <param name="AnswerWithin">The waiting target <see cref="ServiceLevel"/> refers to.</param>
/// <param name="ServiceLevel">The share of visitors answered within <see cref="AnswerWithin"/>.</param>
/// <param name="Occupancy">The share of agent time spent serving, A / c capped at 1.</param>
public sealed record StaffingEstimate(
    int Agents,
    double OfferedLoadErlangs,
    double ProbabilityOfWaiting,
    TimeSpan AverageSpeedOfAnswer,
    TimeSpan AnswerWithin,
    double ServiceLevel,
    double Occupancy)
{
    /// <summary>Whether the agents keep up with the load (agents &gt; load); otherwise the queue grows without end.</summary>
    public bool IsStable => Agents > OfferedLoadErlangs;
}
