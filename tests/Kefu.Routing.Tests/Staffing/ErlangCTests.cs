using Kefu.Routing.Staffing;

namespace Kefu.Routing.Tests.Staffing;

/// <summary>Erlang C (R14): published values, the direct-sum formula, monotonicity, staffing, large c and validation.</summary>
public class ErlangCTests
{
    private static readonly TimeSpan Aht = TimeSpan.FromSeconds(240);

    /// <summary>The textbook formula with powers and factorials, summed in doubles: fine for small c.</summary>
    private static double DirectSum(int c, double a)
    {
        double sum = 0;
        double term = 1; // A^k / k!
        for (var k = 0; k < c; k++)
        {
            sum += term;
            term *= a / (k + 1);
        }

        var top = term * c / (c - a); // A^c / c! · c / (c − A)
        return top / (sum + top);
    }

    [Fact]
    public void ProbabilityOfWaiting_TwoAgentsOneErlang_IsOneThird()
    {
        Assert.Equal(1.0 / 3.0, ErlangC.ProbabilityOfWaiting(2, 1.0), 12);
    }

    [Theory]
    [InlineData(10, 8.0, 0.4092)]
    [InlineData(1, 0.5, 0.5)] // M/M/1: the probability of waiting is the utilisation
    [InlineData(11, 10.0, 0.6821)] // the callcentrehelper.com worked example: 100 calls per half hour, 3 minutes each
    public void ProbabilityOfWaiting_MatchesPublishedValues(int agents, double load, double expected)
    {
        Assert.Equal(expected, ErlangC.ProbabilityOfWaiting(agents, load), 4);
    }

    [Theory]
    [InlineData(1, 0.3)]
    [InlineData(3, 2.5)]
    [InlineData(7, 1.0)]
    [InlineData(12, 11.9)]
    [InlineData(25, 20.0)]
    [InlineData(40, 39.5)]
    [InlineData(60, 30.0)]
    public void ProbabilityOfWaiting_EqualsTheDirectSumFormula_ForSmallC(int agents, double load)
    {
        Assert.Equal(DirectSum(agents, load), ErlangC.ProbabilityOfWaiting(agents, load), 12);
    }

    [Theory]
    [InlineData(5, 5.0)]
    [InlineData(5, 7.5)]
    [InlineData(1, 1.0)]
    public void ProbabilityOfWaiting_WhenAgentsDoNotExceedTheLoad_IsOne(int agents, double load)
    {
        Assert.Equal(1.0, ErlangC.ProbabilityOfWaiting(agents, load));
    }

    [Fact]
    public void ProbabilityOfWaiting_WithNoLoad_IsZero()
    {
        Assert.Equal(0.0, ErlangC.ProbabilityOfWaiting(3, 0.0));
    }

    [Fact]
    public void ProbabilityOfWaiting_FallsWithMoreAgents_AndRisesWithMoreLoad()
    {
        var previous = 1.0;
        for (var agents = 9; agents <= 40; agents++)
        {
            var wait = ErlangC.ProbabilityOfWaiting(agents, 8.5);
            Assert.True(wait < previous, $"P(wait) with {agents} agents ({wait}) is not below {previous}.");
            previous = wait;
        }

        previous = 0.0;
        for (var load = 0.5; load < 20; load += 0.5)
        {
            var wait = ErlangC.ProbabilityOfWaiting(20, load);
            Assert.True(wait > previous, $"P(wait) at {load} Erlangs ({wait}) is not above {previous}.");
            previous = wait;
        }
    }

    [Fact]
    public void AverageSpeedOfAnswer_IsCTimesHandleTimeOverSpareAgents()
    {
        // 360 an hour × 240 s = 24 Erlangs; ASA = C · AHT / (c − A).
        var c = ErlangC.ProbabilityOfWaiting(28, 24);
        var asa = ErlangC.AverageSpeedOfAnswer(28, 360, Aht);
        Assert.Equal(c * 240 / 4, asa.TotalSeconds, 6);
        Assert.True(asa < ErlangC.AverageSpeedOfAnswer(27, 360, Aht));
    }

    [Fact]
    public void AverageSpeedOfAnswer_TwoAgentsOneErlang_IsAThirdOfTheHandleTime()
    {
        // C = 1/3, c − A = 1: ASA = AHT / 3.
        Assert.Equal(80, ErlangC.AverageSpeedOfAnswer(2, 15, Aht).TotalSeconds, 6);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(20)]
    public void AverageSpeedOfAnswer_WhenUnstable_IsMaxValue(int agents)
    {
        Assert.Equal(TimeSpan.MaxValue, ErlangC.AverageSpeedOfAnswer(agents, 360, Aht));
    }

    [Fact]
    public void ServiceLevel_IsOneMinusCTimesTheTail()
    {
        var c = ErlangC.ProbabilityOfWaiting(28, 24);
        var expected = 1 - (c * Math.Exp(-(28 - 24) * 20.0 / 240));
        Assert.Equal(expected, ErlangC.ServiceLevel(28, 360, Aht, TimeSpan.FromSeconds(20)), 12);
        Assert.Equal(1 - c, ErlangC.ServiceLevel(28, 360, Aht, TimeSpan.Zero), 12);
        Assert.Equal(0.0, ErlangC.ServiceLevel(24, 360, Aht, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void ServiceLevel_RisesWithAgentsAndWithTheTarget()
    {
        var previous = 0.0;
        for (var agents = 25; agents <= 40; agents++)
        {
            var level = ErlangC.ServiceLevel(agents, 360, Aht, TimeSpan.FromSeconds(20));
            Assert.True(level > previous);
            previous = level;
        }

        Assert.True(ErlangC.ServiceLevel(26, 360, Aht, TimeSpan.FromSeconds(60)) > ErlangC.ServiceLevel(26, 360, Aht, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Occupancy_IsLoadOverAgents_CappedAtOne()
    {
        Assert.Equal(24.0 / 28, ErlangC.Occupancy(28, 360, Aht), 12);
        Assert.Equal(1.0, ErlangC.Occupancy(20, 360, Aht));
        Assert.Equal(0.0, ErlangC.Occupancy(5, 0, Aht));
    }

    [Fact]
    public void AgentsNeeded_TextbookCase_Is29()
    {
        // 360 visitors an hour, 240 s handle time (24 Erlangs), 80 % answered within 20 s. 28 agents answer 76.1 %
        // within 20 s (their ASA is 19.99 s, which is where the often-quoted "28" comes from); 29 answer 84.0 %.
        Assert.Equal(29, ErlangC.AgentsNeeded(360, Aht, 0.8, TimeSpan.FromSeconds(20)));
        Assert.Equal(0.7613, ErlangC.ServiceLevel(28, 360, Aht, TimeSpan.FromSeconds(20)), 4);
        Assert.Equal(0.8403, ErlangC.ServiceLevel(29, 360, Aht, TimeSpan.FromSeconds(20)), 4);
        Assert.Equal(19.99, ErlangC.AverageSpeedOfAnswer(28, 360, Aht).TotalSeconds, 2);
    }

    [Fact]
    public void AgentsNeeded_IsTheSmallestCountMeetingTheTarget()
    {
        var agents = ErlangC.AgentsNeeded(360, Aht, 0.8, TimeSpan.FromSeconds(20));
        Assert.True(ErlangC.ServiceLevel(agents, 360, Aht, TimeSpan.FromSeconds(20)) >= 0.8);
        Assert.True(ErlangC.ServiceLevel(agents - 1, 360, Aht, TimeSpan.FromSeconds(20)) < 0.8);
    }

    [Fact]
    public void AgentsNeeded_HonoursTheOccupancyCap()
    {
        // 24 Erlangs at most 75 % busy needs 32 agents, more than the service level alone asks.
        Assert.Equal(32, ErlangC.AgentsNeeded(360, Aht, 0.8, TimeSpan.FromSeconds(20), maxOccupancy: 0.75));
    }

    [Fact]
    public void AgentsNeeded_WithNoArrivals_IsOne()
    {
        Assert.Equal(1, ErlangC.AgentsNeeded(0, Aht, 0.8, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void AgentsNeeded_WhenMoreThanTheMaximumWouldBeNeeded_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.AgentsNeeded(3_600_000, TimeSpan.FromSeconds(100), 0.8, TimeSpan.FromSeconds(20)));
        Assert.Equal("arrivalsPerHour", ex.ParamName);
        Assert.Contains("100,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeC_TenThousandAgents_IsFiniteAndConsistent()
    {
        var wait = ErlangC.ProbabilityOfWaiting(10_000, 9_900);
        Assert.True(double.IsFinite(wait));
        Assert.InRange(wait, 0.0, 1.0);
        Assert.True(wait > 0.01 && wait < 0.99, $"P(wait) {wait} at 99 % occupancy of 10,000 agents is implausible.");
        Assert.True(ErlangC.ProbabilityOfWaiting(10_000, 9_000) < 1e-20);
        Assert.Equal(1.0, ErlangC.ProbabilityOfWaiting(10_000, 10_000));
        Assert.True(ErlangC.ProbabilityOfWaiting(100_000, 99_500) is > 0 and < 1);

        var estimate = ErlangC.Estimate(10_000, 9_900 * 36.0, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(20));
        Assert.Equal(wait, estimate.ProbabilityOfWaiting, 9);
        Assert.True(estimate.AverageSpeedOfAnswer > TimeSpan.Zero && estimate.AverageSpeedOfAnswer < TimeSpan.FromSeconds(100));
    }

    [Fact]
    public void Estimate_AgreesWithTheSingleFigureMethods()
    {
        var within = TimeSpan.FromSeconds(20);
        var estimate = ErlangC.Estimate(28, 360, Aht, within);
        Assert.Equal(28, estimate.Agents);
        Assert.Equal(24.0, estimate.OfferedLoadErlangs, 12);
        Assert.Equal(ErlangC.ProbabilityOfWaiting(28, 24), estimate.ProbabilityOfWaiting, 12);
        Assert.Equal(ErlangC.AverageSpeedOfAnswer(28, 360, Aht), estimate.AverageSpeedOfAnswer);
        Assert.Equal(ErlangC.ServiceLevel(28, 360, Aht, within), estimate.ServiceLevel, 12);
        Assert.Equal(ErlangC.Occupancy(28, 360, Aht), estimate.Occupancy, 12);
        Assert.Equal(within, estimate.AnswerWithin);
        Assert.True(estimate.IsStable);
        Assert.False(ErlangC.Estimate(24, 360, Aht, within).IsStable);
    }

    [Fact]
    public void OfferedLoad_IsArrivalsTimesHandleTime()
    {
        Assert.Equal(24.0, ErlangC.OfferedLoad(360, Aht), 12);
    }

    public static TheoryData<string, Action> InvalidArguments => new()
    {
        { "agents", () => ErlangC.ProbabilityOfWaiting(0, 1) },
        { "agents", () => ErlangC.ProbabilityOfWaiting(100_001, 1) },
        { "agents", () => ErlangC.ProbabilityOfWaiting(-3, 1) },
        { "offeredLoadErlangs", () => ErlangC.ProbabilityOfWaiting(5, -0.1) },
        { "offeredLoadErlangs", () => ErlangC.ProbabilityOfWaiting(5, double.NaN) },
        { "offeredLoadErlangs", () => ErlangC.ProbabilityOfWaiting(5, double.PositiveInfinity) },
        { "agents", () => ErlangC.AverageSpeedOfAnswer(0, 10, Aht) },
        { "arrivalsPerHour", () => ErlangC.AverageSpeedOfAnswer(5, -1, Aht) },
        { "arrivalsPerHour", () => ErlangC.AverageSpeedOfAnswer(5, double.NaN, Aht) },
        { "averageHandleTime", () => ErlangC.AverageSpeedOfAnswer(5, 10, TimeSpan.Zero) },
        { "averageHandleTime", () => ErlangC.AverageSpeedOfAnswer(5, 10, TimeSpan.FromSeconds(-1)) },
        { "answerWithin", () => ErlangC.ServiceLevel(5, 10, Aht, TimeSpan.FromSeconds(-1)) },
        { "arrivalsPerHour", () => ErlangC.ServiceLevel(5, double.PositiveInfinity, Aht, TimeSpan.Zero) },
        { "agents", () => ErlangC.Occupancy(100_001, 10, Aht) },
        { "averageHandleTime", () => ErlangC.Occupancy(5, 10, TimeSpan.Zero) },
        { "serviceLevelTarget", () => ErlangC.AgentsNeeded(10, Aht, 0, TimeSpan.FromSeconds(20)) },
        { "serviceLevelTarget", () => ErlangC.AgentsNeeded(10, Aht, 1, TimeSpan.FromSeconds(20)) },
        { "serviceLevelTarget", () => ErlangC.AgentsNeeded(10, Aht, double.NaN, TimeSpan.FromSeconds(20)) },
        { "maxOccupancy", () => ErlangC.AgentsNeeded(10, Aht, 0.8, TimeSpan.FromSeconds(20), 0) },
        { "maxOccupancy", () => ErlangC.AgentsNeeded(10, Aht, 0.8, TimeSpan.FromSeconds(20), 1.01) },
        { "answerWithin", () => ErlangC.AgentsNeeded(10, Aht, 0.8, TimeSpan.FromSeconds(-20)) },
        { "arrivalsPerHour", () => ErlangC.AgentsNeeded(-10, Aht, 0.8, TimeSpan.FromSeconds(20)) },
        { "answerWithin", () => ErlangC.Estimate(5, 10, Aht, TimeSpan.MinValue) },
        { "arrivalsPerHour", () => ErlangC.OfferedLoad(-0.5, Aht) },
    };

    [Theory]
    [MemberData(nameof(InvalidArguments))]
    public void InvalidArgument_ThrowsArgumentOutOfRange_NamingTheParameterAndRange(string parameter, Action call)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(call);
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(parameter, ex.Message, StringComparison.Ordinal);
        Assert.Matches(@"must be|from \d", ex.Message);
    }
}
