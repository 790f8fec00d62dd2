using Kefu.Routing.Staffing;

namespace Kefu.Benchmarks.Routing;

/// <summary>What <see cref="QueueSimulation"/> simulates: an M/M/c queue (M/M/c+M with a patience) per skill group.</summary>
internal sealed record SimulationSettings
{
    /// <summary>The waiting target of the measured service level.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(20);

    /// <summary>Agents, each serving one visitor at a time (MaxConcurrentChats = 1): the servers.</summary>
    public required int Agents { get; init; }

    /// <summary>Skill groups; agents are split evenly and each arrival asks for one at random. 1: no groups.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Poisson arrivals per hour.</summary>
    public required double ArrivalsPerHour { get; init; }

    /// <summary>The mean of the exponential handle time, counted from assignment.</summary>
    public required TimeSpan HandleTime { get; init; }

    /// <summary>The mean of the exponential patience (a visitor still queued at arrival + patience leaves), or null: nobody leaves.</summary>
    public TimeSpan? Patience { get; init; }

    /// <summary>How long visitors arrive, warm-up included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The start of <see cref="Duration"/> whose arrivals are not counted: the queue starts empty.</summary>
    public required TimeSpan WarmUp { get; init; }

    /// <summary>The seed of the one <see cref="Random"/> every draw comes from.</summary>
    public int Seed { get; init; }

    /// <summary>The offered load in Erlangs.</summary>
    public double OfferedLoad => ErlangC.OfferedLoad(ArrivalsPerHour, HandleTime);

    /// <summary>The agents of group <paramref name="group"/> (0-based): agent i joins group i mod <see cref="Groups"/>.</summary>
    public int AgentsIn(int group) => (Agents / Groups) + (group < Agents % Groups ? 1 : 0);
}
