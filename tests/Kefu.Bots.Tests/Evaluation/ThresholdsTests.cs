using Kefu.Bots.Evaluation;

namespace Kefu.Bots.Tests.Evaluation;

public class ThresholdsTests
{
    [Fact]
    public void BestOutOfScope_PicksTheMidpointMaximisingMeanOfInScopeAccuracyAndOosRecall()
    {
        OosSample[] samples =
        [
            new(0.9, IsOos: false, Rejected: false, Right: true),
            new(0.8, IsOos: false, Rejected: false, Right: true),
            new(0.7, IsOos: false, Rejected: false, Right: true),
            new(0.3, IsOos: false, Rejected: false, Right: false),
            new(0.2, IsOos: true, Rejected: false, Right: false),
            new(0.4, IsOos: true, Rejected: false, Right: false),
            new(0.85, IsOos: true, Rejected: true, Right: true), // the out-of-scope rule won: rejected at any threshold
        ];

        var best = Thresholds.BestOutOfScope(samples);

        Assert.Equal(0.55, best.Threshold, 1e-12);
        Assert.Equal((0.875, 0.75, 1.0), (best.Score, best.InScopeAccuracy, best.OosRecall));
    }

    [Fact]
    public void BestOutOfScope_WhenNoThresholdHelps_KeepsZero()
    {
        OosSample[] samples = [new(0.2, IsOos: false, Rejected: false, Right: true), new(0.9, IsOos: true, Rejected: true, Right: true)];

        Assert.Equal(new OosThreshold(0, 1, 1, 1), Thresholds.BestOutOfScope(samples));
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
