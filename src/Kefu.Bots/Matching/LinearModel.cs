namespace Kefu.Bots.Matching;

/// <summary>
/// One-vs-rest linear support vector machines (L2-regularised, squared hinge loss) trained by dual coordinate descent
/// (Hsieh et al. 2008, the method of LIBLINEAR), with a bias feature. Weights are stored feature-major so a query
/// walks its few features once and adds into every rule's score.
/// </summary>
internal sealed class LinearModel
{
    private readonly float[] _weights;
    private readonly float[] _bias;
    private readonly int _rules;

    private LinearModel(float[] weights, float[] bias, int rules)
    {
        _weights = weights;
        _bias = bias;
        _rules = rules;
    }

    public static LinearModel Train(SparseVector[] docs, int[] labels, int rules, int features, NgramMatcherOptions options, CancellationToken cancellationToken)
    {
        var weights = new float[(long)features * rules];
        var bias = new float[rules];
        var n = docs.Length;
        var diag = 0.5 / options.Cost;
        var qd = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sq = 1; // the bias feature
            foreach (var w in docs[i].Weights)
            {
                sq += w * w;
            }

            qd[i] = sq + diag;
        }

        Parallel.For(0, rules, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, r =>
        {
            var w = new double[features];
            double b = 0;
            var alpha = new double[n];
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }

            var random = new Random(r + 1);
            for (var epoch = 0; epoch < options.MaxEpochs; epoch++)
            {
                random.Shuffle(order);
                double maxViolation = 0;
                foreach (var i in order)
                {
                    var y = labels[i] == r ? 1.0 : -1.0;
                    var doc = docs[i];
                    var dot = b;
                    for (var k = 0; k < doc.Ids.Length; k++)
                    {
                        dot += w[doc.Ids[k]] * doc.Weights[k];
                    }

                    var g = (y * dot) - 1 + (diag * alpha[i]);
                    var pg = alpha[i] == 0 ? Math.Min(g, 0) : g;
                    if (Math.Abs(pg) > maxViolation)
                    {
                        maxViolation = Math.Abs(pg);
                    }

                    if (Math.Abs(pg) < 1e-12)
                    {
                        continue;
                    }

                    var old = alpha[i];
                    alpha[i] = Math.Max(old - (g / qd[i]), 0);
                    var step = (alpha[i] - old) * y;
                    if (step != 0)
                    {
                        for (var k = 0; k < doc.Ids.Length; k++)
                        {
                            w[doc.Ids[k]] += step * doc.Weights[k];
                        }

                        b += step;
                    }
                }

                if (maxViolation < 0.1)
                {
                    break;
                }
            }

            for (var f = 0; f < features; f++)
            {
                weights[((long)f * rules) + r] = (float)w[f];
            }

            bias[r] = (float)b;
        });

        return new LinearModel(weights, bias, rules);
    }

    /// <summary>Writes each rule's decision value for the query into <paramref name="scores"/> (one entry a rule).</summary>
    public void Decide(SparseVector query, double[] scores)
    {
        for (var r = 0; r < _rules; r++)
        {
            scores[r] = _bias[r];
        }

        var span = _weights.AsSpan();
        for (var k = 0; k < query.Ids.Length; k++)
        {
            var row = span.Slice(query.Ids[k] * _rules, _rules);
            var x = query.Weights[k];
            for (var r = 0; r < _rules; r++)
            {
                scores[r] += row[r] * x;
            }
        }
    }
}
