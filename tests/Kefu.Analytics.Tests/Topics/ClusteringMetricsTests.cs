using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Tests.Topics;

public class ClusteringMetricsTests
{
    [Fact]
    public void NormalizedMutualInformation_MatchesAHandComputedValue()
    {
        // Classes a a b b, clusters 0 0 0 1 (n = 4):
        // H(classes) = ln 2 = 0.693147; H(clusters) = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.562335;
        // I = 2/4 ln(2·4/(2·3)) + 1/4 ln(1·4/(2·3)) + 1/4 ln(1·4/(2·1)) = 0.215762;
        // NMI = 0.215762 / ((0.693147 + 0.562335) / 2) = 0.343712 (scikit-learn gives 0.3437...).
        var nmi = ClusteringMetrics.NormalizedMutualInformation(["a", "a", "b", "b"], [0, 0, 0, 1]);

        Assert.Equal(0.343712, nmi, 5);
    }

    [Fact]
    public void NormalizedMutualInformation_IsOneForTheSamePartitionUnderAnyNames()
    {
        Assert.Equal(1.0, ClusteringMetrics.NormalizedMutualInformation(["x", "x", "y", "z"], [7, 7, -1, 3]), 12);
    }

    [Fact]
    public void NormalizedMutualInformation_IsZeroForIndependentPartitions()
    {
        Assert.Equal(0.0, ClusteringMetrics.NormalizedMutualInformation(["a", "a", "b", "b"], [0, 1, 0, 1]), 12);
        Assert.Equal(0.0, ClusteringMetrics.NormalizedMutualInformation(["a", "a", "b", "b"], [0, 0, 0, 0]), 12);
    }

    [Fact]
    public void NormalizedMutualInformation_RefusesLabellingsOfDifferentLengths()
    {
        Assert.Throws<ArgumentException>(() => ClusteringMetrics.NormalizedMutualInformation(["a"], [0, 1]));
    }
}
