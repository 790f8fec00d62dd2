namespace Kefu.Routing;

/// <summary>
/// An assignment strategy (R8): orders the eligible agents of a skill group, best first. The engine keeps each
/// group's eligible agents in a heap ordered by <see cref="Compare"/>, so a decision costs O(log n), not a scan.
/// </summary>
/// <remarks>
/// <see cref="Compare"/> may read only what Core announces through <see cref="IRoutingPolicy.AgentChanged"/>: presence,
/// load and capacity, <see cref="IRoutingAgent.IdleSince"/>, <see cref="IRoutingAgent.LastAssignedSequence"/> and the
/// offer counters. It must be a consistent order; ties are broken by agent id by the engine.
/// </remarks>
public interface IAssignmentStrategy
{
    /// <summary>The name groups choose the strategy by (<see cref="GroupRouting.Strategy"/>), e.g. <c>least-loaded</c>.</summary>
    string Name { get; }

    /// <summary>Negative when <paramref name="x"/> should be chosen before <paramref name="y"/>, positive after, 0 for a tie.</summary>
    int Compare(IRoutingAgent x, IRoutingAgent y, MediaKind media);

    /// <summary>The agent's score as explanations show it (what the strategy ranks by).</summary>
    double Score(IRoutingAgent agent, MediaKind media, DateTimeOffset now);
}

/// <summary>Least loaded (R8): the smallest share of capacity in use; ties go to the agent idle longest.</summary>
public sealed class LeastLoadedStrategy : IAssignmentStrategy
{
    /// <summary>The strategy's name.</summary>
    public const string StrategyName = "least-loaded";

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Compare(IRoutingAgent x, IRoutingAgent y, MediaKind media)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);

        // active/capacity compared without division: x.active * y.capacity against y.active * x.capacity.
        var load = ((long)x.ActiveOf(media) * y.CapacityOf(media)).CompareTo((long)y.ActiveOf(media) * x.CapacityOf(media));
        return load != 0 ? load : x.IdleSince.CompareTo(y.IdleSince);
    }

    /// <inheritdoc />
    public double Score(IRoutingAgent agent, MediaKind media, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.CapacityOf(media) == 0 ? 1 : (double)agent.ActiveOf(media) / agent.CapacityOf(media);
    }
}

/// <summary>Round robin (R8): members take turns; the one given a conversation longest ago goes next.</summary>
public sealed class RoundRobinStrategy : IAssignmentStrategy
{
    /// <summary>The strategy's name.</summary>
    public const string StrategyName = "round-robin";

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Compare(IRoutingAgent x, IRoutingAgent y, MediaKind media)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return x.LastAssignedSequence.CompareTo(y.LastAssignedSequence);
    }

    /// <inheritdoc />
    public double Score(IRoutingAgent agent, MediaKind media, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.LastAssignedSequence;
    }
}

/// <summary>Longest idle (R8, the video default, E86): the agent free the longest since their last conversation or coming online.</summary>
public sealed class LongestIdleStrategy : IAssignmentStrategy
{
    /// <summary>The strategy's name.</summary>
    public const string StrategyName = "longest-idle";

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Compare(IRoutingAgent x, IRoutingAgent y, MediaKind media)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var idle = x.IdleSince.CompareTo(y.IdleSince);
        return idle != 0 ? idle : x.ActiveOf(media).CompareTo(y.ActiveOf(media));
    }

    /// <inheritdoc />
    public double Score(IRoutingAgent agent, MediaKind media, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return (now - agent.IdleSince).TotalSeconds;
    }
}

/// <summary>
/// Best pick-up rate (R8, 接起率): the agent who accepts the largest share of offers, smoothed as
/// (accepted + 1) / (offered + 2) so newcomers start at one half; ties go to the least loaded, then the longest idle.
/// </summary>
public sealed class BestPickUpRateStrategy : IAssignmentStrategy
{
    /// <summary>The strategy's name.</summary>
    public const string StrategyName = "best-pick-up-rate";

    private static readonly LeastLoadedStrategy Tie = new();

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Compare(IRoutingAgent x, IRoutingAgent y, MediaKind media)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);

        // Higher rate first: (ax+1)/(ox+2) > (ay+1)/(oy+2)  ⇔  (ax+1)(oy+2) > (ay+1)(ox+2).
        var left = (long)(x.OffersAccepted + 1) * (y.OffersReceived + 2);
        var right = (long)(y.OffersAccepted + 1) * (x.OffersReceived + 2);
        var rate = right.CompareTo(left);
        return rate != 0 ? rate : Tie.Compare(x, y, media);
    }

    /// <inheritdoc />
    public double Score(IRoutingAgent agent, MediaKind media, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return (agent.OffersAccepted + 1.0) / (agent.OffersReceived + 2.0);
    }
}
