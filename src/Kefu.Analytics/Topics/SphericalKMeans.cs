namespace Kefu.Analytics.Topics;

/// <summary>One clustering: each row's cluster, the unit-length centroids (k rows of the vectors' dimension) and the objective.</summary>
internal sealed record Clustering(int[] Labels, float[] Centroids, double Objective);

/// <summary>
/// Spherical k-means over unit-length sparse rows: a row goes to the centroid of highest cosine, a centroid is the
/// normalised weighted sum of its rows, the objective is the weighted sum of each row's cosine with its centroid.
/// k-means++ seeds on the distance 1 − cosine; the best of several restarts is kept.
/// </summary>
internal static class SphericalKMeans
{
    public static Clustering Run(SparseRows rows, double[] weights, int k, int restarts, int seed, int maxIterations)
    {
        var results = new Clustering[restarts];
        Parallel.For(0, restarts, r => results[r] = RunOnce(rows, weights, k, new Random(unchecked((seed * 1_000_003) + r)), maxIterations));
        var best = results[0];
        for (var r = 1; r < restarts; r++)
        {
            if (results[r].Objective > best.Objective)
            {
                best = results[r];
            }
        }

        return best;
    }

    internal static Clustering RunOnce(SparseRows rows, double[] weights, int k, Random random, int maxIterations)
    {
        var n = rows.Count;
        var d = rows.Dimension;
        var centroids = new float[k * d];
        var seeds = Seed(rows, weights, k, random);
        for (var z = 0; z < k; z++)
        {
            var columns = rows.Columns(seeds[z]);
            var values = rows.Values(seeds[z]);
            for (var i = 0; i < columns.Length; i++)
            {
                centroids[(z * d) + columns[i]] = values[i];
            }
        }

        var labels = new int[n];
        Array.Fill(labels, -1);
        var similarity = new double[n];
        var objective = 0.0;
        var sums = new double[k * d];
        var transposed = new float[k * d];
        var scores = new double[k];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var changed = false;
            objective = 0;
            Transpose(centroids, transposed, k, d);
            for (var i = 0; i < n; i++)
            {
                var (best, bestSimilarity) = Nearest(rows, i, transposed, k, scores);
                changed |= labels[i] != best;
                labels[i] = best;
                similarity[i] = bestSimilarity;
                objective += weights[i] * bestSimilarity;
            }

            if (!changed)
            {
                break;
            }

            FillEmptyClusters(labels, similarity, k);
            Array.Clear(sums);
            for (var i = 0; i < n; i++)
            {
                var offset = labels[i] * d;
                var columns = rows.Columns(i);
                var values = rows.Values(i);
                for (var c = 0; c < columns.Length; c++)
                {
                    sums[offset + columns[c]] += weights[i] * values[c];
                }
            }

            for (var z = 0; z < k; z++)
            {
                var norm = 0.0;
                for (var c = 0; c < d; c++)
                {
                    norm += sums[(z * d) + c] * sums[(z * d) + c];
                }

                var scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
                for (var c = 0; c < d; c++)
                {
                    centroids[(z * d) + c] = (float)(sums[(z * d) + c] * scale);
                }
            }
        }

        return new Clustering(labels, centroids, objective);
    }

    /// <summary>The centroid of highest cosine with row <paramref name="row"/>, centroids stored feature by feature (<paramref name="transposed"/>[feature * k + cluster]).</summary>
    private static (int Best, double Similarity) Nearest(SparseRows rows, int row, float[] transposed, int k, double[] scores)
    {
        Array.Clear(scores);
        var columns = rows.Columns(row);
        var values = rows.Values(row);
        for (var c = 0; c < columns.Length; c++)
        {
            var v = values[c];
            var offset = columns[c] * k;
            for (var z = 0; z < k; z++)
            {
                scores[z] += v * transposed[offset + z];
            }
        }

        var best = 0;
        for (var z = 1; z < k; z++)
        {
            if (scores[z] > scores[best])
            {
                best = z;
            }
        }

        return (best, scores[best]);
    }

    private static void Transpose(float[] centroids, float[] transposed, int k, int d)
    {
        for (var z = 0; z < k; z++)
        {
            for (var c = 0; c < d; c++)
            {
                transposed[(c * k) + z] = centroids[(z * d) + c];
            }
        }
    }

    /// <summary>k-means++: the first seed drawn by weight, each next one by weight times the squared distance to the nearest seed.</summary>
    private static int[] Seed(SparseRows rows, double[] weights, int k, Random random)
    {
        var n = rows.Count;
        var seeds = new int[k];
        var nearest = new double[n];
        Array.Fill(nearest, double.PositiveInfinity);
        var probability = (double[])weights.Clone();
        for (var z = 0; z < k; z++)
        {
            var chosen = Draw(probability, random);
            seeds[z] = chosen;
            for (var i = 0; i < n; i++)
            {
                var distance = Math.Max(0, 1 - rows.Dot(i, chosen));
                nearest[i] = Math.Min(nearest[i], distance);
                probability[i] = weights[i] * nearest[i] * nearest[i];
            }

            foreach (var s in seeds.AsSpan(0, z + 1))
            {
                probability[s] = 0;
            }
        }

        return seeds;
    }

    private static int Draw(double[] probability, Random random)
    {
        var total = probability.Sum();
        if (total <= 0)
        {
            // Every remaining row duplicates a seed: take the first unused one.
            return Array.FindIndex(probability, p => p >= 0) is var i and >= 0 ? i : 0;
        }

        var target = random.NextDouble() * total;
        for (var i = 0; i < probability.Length; i++)
        {
            target -= probability[i];
            if (target < 0 && probability[i] > 0)
            {
                return i;
            }
        }

        return Array.FindLastIndex(probability, p => p > 0);
    }

    /// <summary>An empty cluster takes the row that fits its own cluster worst (among clusters of more than one row).</summary>
    private static void FillEmptyClusters(int[] labels, double[] similarity, int k)
    {
        var size = new int[k];
        foreach (var label in labels)
        {
            size[label]++;
        }

        for (var z = 0; z < k; z++)
        {
            if (size[z] > 0)
            {
                continue;
            }

            var worst = -1;
            for (var i = 0; i < labels.Length; i++)
            {
                if (size[labels[i]] > 1 && (worst < 0 || similarity[i] < similarity[worst]))
                {
                    worst = i;
                }
            }

            if (worst < 0)
            {
                return;
            }

            size[labels[worst]]--;
            labels[worst] = z;
            similarity[worst] = 1;
            size[z]++;
        }
    }
}
