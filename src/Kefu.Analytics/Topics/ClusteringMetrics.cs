namespace Kefu.Analytics.Topics;

/// <summary>Agreement between a clustering and reference labels.</summary>
public static class ClusteringMetrics
{
    /// <summary>
    /// The normalised mutual information of two labellings of the same items: I(U; V) / ((H(U) + H(V)) / 2), the
    /// arithmetic-mean normalisation scikit-learn uses by default; 1 when both put every item in one group, 0 when
    /// only one of them does. Natural logarithms (the ratio does not depend on the base).
    /// </summary>
    /// <exception cref="ArgumentException">The labellings have different lengths.</exception>
    public static double NormalizedMutualInformation<TClass, TCluster>(IReadOnlyList<TClass> classes, IReadOnlyList<TCluster> clusters)
        where TClass : notnull
        where TCluster : notnull
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(clusters);
        if (classes.Count != clusters.Count)
        {
            throw new ArgumentException($"The labellings must have the same length: {classes.Count} classes, {clusters.Count} clusters.", nameof(clusters));
        }

        var n = classes.Count;
        var joint = new Dictionary<(TClass, TCluster), int>();
        var classCounts = new Dictionary<TClass, int>();
        var clusterCounts = new Dictionary<TCluster, int>();
        for (var i = 0; i < n; i++)
        {
            var key = (classes[i], clusters[i]);
            joint[key] = joint.GetValueOrDefault(key) + 1;
            classCounts[classes[i]] = classCounts.GetValueOrDefault(classes[i]) + 1;
            clusterCounts[clusters[i]] = clusterCounts.GetValueOrDefault(clusters[i]) + 1;
        }

        if (classCounts.Count == clusterCounts.Count && classCounts.Count <= 1)
        {
            return 1;
        }

        var hClasses = Entropy(classCounts.Values, n);
        var hClusters = Entropy(clusterCounts.Values, n);
        var mutual = 0.0;
        foreach (var ((c, z), count) in joint)
        {
            mutual += (double)count / n * Math.Log((double)count * n / ((double)classCounts[c] * clusterCounts[z]));
        }

        var mean = (hClasses + hClusters) / 2;
        return mean <= 0 ? 0 : Math.Clamp(mutual / mean, 0, 1);
    }

    private static double Entropy(IEnumerable<int> counts, int n)
    {
        var h = 0.0;
        foreach (var count in counts)
        {
            var p = (double)count / n;
            h -= p * Math.Log(p);
        }

        return h;
    }
}
