using Kefu.Bots.Evaluation;

namespace Kefu.Bots.Tests.Evaluation;

public class ThresholdsTests
{
    /// <summary>Ten in-scope rows, all right, and six out-of-scope rows, one of them rejected by the out-of-scope rule.</summary>
    private static readonly OosSample[] Samples =
    [
        .. new[] { 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.35, 0.25 }.Select(c => new OosSample(c, IsOos: false, Rejected: false, Right: true)),
        .. new[] { 0.1, 0.2, 0.3, 0.5, 0.62 }.Select(c => new OosSample(c, IsOos: true, Rejected: false, Right: false)),
        new(0.9, IsOos: true, Rejected: true, Right: true), // the out-of-scope rule won: rejected at any threshold
    ];

    [Theory]
    [InlineData(0.0, 0.225, 1.0, 3.0 / 6)]
    [InlineData(0.1, 0.325, 0.9, 4.0 / 6)]
    [InlineData(0.15, 0.325, 0.9, 4.0 / 6)]
    [InlineData(0.2, 0.55, 0.8, 5.0 / 6)]
    public void BestOutOfScope_RejectsTheMostOutOfScopeRowsWithinTheAllowedInScopeLoss(double maxLoss, double threshold, double inScope, double recall)
    {
        var best = Thresholds.BestOutOfScope(Samples, maxLoss);

        Assert.Equal(threshold, best.Threshold, 1e-12);
        Assert.Equal(inScope, best.InScopeAccuracy, 1e-12);
        Assert.Equal(recall, best.OosRecall, 1e-12);
        Assert.Equal(1.0, best.InScopeAccuracyAtZero);
    }

    [Fact]
    public void BestOutOfScope_FavoursInScopeAccuracy_WhereTheMeanWithRecallWouldRejectMore()
    {
        // The mean of in-scope accuracy and recall is highest above 0.62 (0.7 and 1.0: 0.85); a one-point allowance stops at 0.325.
        var best = Thresholds.BestOutOfScope(Samples, 0.1);

        Assert.True(best.InScopeAccuracy >= best.InScopeAccuracyAtZero - 0.1);
        Assert.True(best.Threshold < 0.35);
    }

    [Fact]
    public void BestOutOfScope_CountsTheLossFromAccuracyAtZero_NotFromOne()
    {
        OosSample[] samples =
        [
            new(0.9, IsOos: false, Rejected: false, Right: true),
            new(0.5, IsOos: false, Rejected: false, Right: false),
            new(0.3, IsOos: true, Rejected: false, Right: false),
            new(0.7, IsOos: true, Rejected: false, Right: false),
        ];

        // Rejecting below 0.8 loses no right answer (the 0.5 row was wrong already), so with no loss allowed both out-of-scope rows go.
        var best = Thresholds.BestOutOfScope(samples, 0);

        Assert.Equal(new OosThreshold(0.8, 0.5, 1.0, 0.5), best);
    }

    [Fact]
    public void BestOutOfScope_WhenNoThresholdHelps_KeepsZero()
    {
        OosSample[] samples = [new(0.2, IsOos: false, Rejected: false, Right: true), new(0.9, IsOos: true, Rejected: true, Right: true)];

        Assert.Equal(new OosThreshold(0, 1, 1, 1), Thresholds.BestOutOfScope(samples, 0.01));
    }

    [Fact]
    public void RocAuc_CountsOrderedPairsAndTiesAsHalf()
    {
        Assert.Equal(0.75, Thresholds.RocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]));
        Assert.Equal(0.5, Thresholds.RocAuc([0.5, 0.5, 0.5], [true, false, true]));
        Assert.True(double.IsNaN(Thresholds.RocAuc([0.5], [true])));
    }

    [Fact]
    public void BestAccuracy_WhenEveryPairShouldBeRejected_GoesAboveTheHighestScore()
    {
        var (threshold, accuracy) = Thresholds.BestAccuracy([0.3, 0.6], [false, false]);

        Assert.True(threshold > 0.6);
        Assert.Equal(1.0, accuracy);
    }
}
