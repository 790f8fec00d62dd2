namespace Kefu.Bots.Evaluation;

/// <summary>One held-out training row of the out-of-scope cross-validation.</summary>
/// <param name="Confidence">The best rule's confidence (0 when nothing matched).</param>
/// <param name="IsOos">Whether the row is out of scope.</param>
/// <param name="Rejected">Whether it is rejected at any threshold: nothing matched, or the best rule is the out-of-scope rule.</param>
/// <param name="Right">Whether the best rule is the row's category.</param>
internal readonly record struct OosSample(double Confidence, bool IsOos, bool Rejected, bool Right);

/// <summary>A threshold and what it gives: in-scope accuracy and out-of-scope recall, and in-scope accuracy at threshold 0 for comparison.</summary>
internal readonly record struct OosThreshold(double Threshold, double InScopeAccuracy, double OosRecall, double InScopeAccuracyAtZero);

/// <summary>Threshold searches and ranking figures of the evaluators.</summary>
internal static class Thresholds
{
    /// <summary>
    /// The confidence threshold rejecting the most out-of-scope rows (an out-of-scope row is right when rejected) while
    /// in-scope accuracy (an in-scope row is right when not rejected and its best rule is its category) stays at least
    /// its value at threshold 0 minus <paramref name="maxInScopeLoss"/>; a row is rejected when
    /// <see cref="OosSample.Rejected"/> or its confidence is below the threshold. Answering in-scope questions is what a
    /// robot is for, so the loss it may take is bounded rather than traded one for one against recall. Candidates are 0
    /// and the midpoints between consecutive distinct confidences; ties go to the lowest.
    /// </summary>
    /// <exception cref="ArgumentException">The samples lack in-scope or out-of-scope rows.</exception>
    public static OosThreshold BestOutOfScope(IReadOnlyList<OosSample> samples, double maxInScopeLoss)
    {
        var inScope = samples.Count(s => !s.IsOos);
        var oos = samples.Count - inScope;
        if (inScope == 0 || oos == 0)
        {
            throw new ArgumentException("The threshold needs both in-scope and out-of-scope rows.", nameof(samples));
        }

        var sorted = samples.OrderBy(s => s.Confidence).ToArray();
        var right = samples.Count(s => !s.IsOos && !s.Rejected && s.Right);
        var rejected = samples.Count(s => s.IsOos && s.Rejected);
        var atZero = (double)right / inScope;

        // Compared in rows, not ratios, so that a loss of exactly the allowance is allowed whatever the rounding.
        var leastRight = (int)Math.Ceiling((atZero - maxInScopeLoss) * inScope - 1e-9);
        OosThreshold Make(double threshold) => new(threshold, (double)right / inScope, (double)rejected / oos, atZero);
        var best = Make(0);
        var i = 0;
        while (i < sorted.Length)
        {
            // Move the threshold past every row with this confidence: they are now rejected.
            var confidence = sorted[i].Confidence;
            for (; i < sorted.Length && sorted[i].Confidence == confidence; i++)
            {
                var s = sorted[i];
                if (s.Rejected)
                {
                    continue;
                }

                if (s.IsOos)
                {
                    rejected++;
                }
                else if (s.Right)
                {
                    right--;
                }
            }

            if (right < leastRight)
            {
                break;
            }

            if (i < sorted.Length && (double)rejected / oos > best.OosRecall)
            {
                best = Make((confidence + sorted[i].Confidence) / 2);
            }
        }

        return best;
    }

    /// <summary>
    /// The threshold on <paramref name="scores"/> (a pair predicted a match when its score is at or above it) with the
    /// best accuracy, and that accuracy. Candidates are 0, the midpoints between consecutive distinct scores and just
    /// above the highest; ties go to the lowest.
    /// </summary>
    public static (double Threshold, double Accuracy) BestAccuracy(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var n = scores.Count;
        if (n == 0)
        {
            return (0, double.NaN);
        }

        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var right = labels.Count(l => l); // at threshold 0 every pair is predicted a match
        var bestThreshold = 0.0;
        var bestRight = right;
        var k = 0;
        while (k < n)
        {
            var score = scores[order[k]];
            for (; k < n && scores[order[k]] == score; k++)
            {
                right += labels[order[k]] ? -1 : 1;
            }

            if (right > bestRight)
            {
                bestRight = right;
                bestThreshold = k < n ? (score + scores[order[k]]) / 2 : Math.BitIncrement(score);
            }
        }

        return (bestThreshold, (double)bestRight / n);
    }

    /// <summary>The accuracy of predicting a match when the score is at or above <paramref name="threshold"/>.</summary>
    public static double Accuracy(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold)
    {
        var right = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            if (scores[i] >= threshold == labels[i])
            {
                right++;
            }
        }

        return scores.Count == 0 ? double.NaN : (double)right / scores.Count;
    }

    /// <summary>
    /// The area under the ROC curve: the chance that a random positive scores above a random negative, ties counting
    /// half (Mann–Whitney with mid-ranks). NaN without positives or negatives.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var n = scores.Count;
        var positives = labels.Count(l => l);
        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        double positiveRanks = 0;
        var k = 0;
        while (k < n)
        {
            var start = k;
            var score = scores[order[k]];
            while (k < n && scores[order[k]] == score)
            {
                k++;
            }

            var midRank = (start + 1 + k) / 2.0;
            for (var j = start; j < k; j++)
            {
                if (labels[order[j]])
                {
                    positiveRanks += midRank;
                }
            }
        }

        return (positiveRanks - (positives * (positives + 1.0) / 2)) / ((double)positives * negatives);
    }

    /// <summary>The nearest-rank percentile (<paramref name="fraction"/> in (0, 1]) of ascending <paramref name="sorted"/>.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double fraction)
        => sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
