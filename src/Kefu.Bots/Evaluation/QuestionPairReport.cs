namespace Kefu.Bots.Evaluation;

/// <summary>What <see cref="QuestionPairEvaluator.Evaluate"/> measured: how well the statistical stage's similarity tells paraphrases apart.</summary>
public sealed record QuestionPairReport
{
    /// <summary>The statistical matcher's <see cref="Matching.IQuestionMatcher.Name"/>.</summary>
    public required string Matcher { get; init; }

    /// <summary>The pairs evaluated (n).</summary>
    public required int Count { get; init; }

    /// <summary>The share of the evaluated pairs labelled a match.</summary>
    public required double PositiveRate { get; init; }

    /// <summary>The distinct texts the index was built from (the evaluated pairs' and the tuning pairs').</summary>
    public required int TextCount { get; init; }

    /// <summary>The time to build the index.</summary>
    public required TimeSpan BuildTime { get; init; }

    /// <summary>The area under the ROC curve of the similarity on the evaluated pairs (NaN without both labels).</summary>
    public required double Auc { get; init; }

    /// <summary>The threshold with the best accuracy on the evaluated pairs themselves (an optimistic figure: tuned on what it measures).</summary>
    public required double BestThreshold { get; init; }

    /// <summary>The accuracy on the evaluated pairs at <see cref="BestThreshold"/>.</summary>
    public required double BestAccuracy { get; init; }

    /// <summary>The tuning pairs, 0 when none were given.</summary>
    public int TuneCount { get; init; }

    /// <summary>The threshold with the best accuracy on the tuning pairs, or null when none were given.</summary>
    public double? TunedThreshold { get; init; }

    /// <summary>The accuracy on the evaluated pairs at <see cref="TunedThreshold"/>, or null when no tuning pairs were given.</summary>
    public double? TunedAccuracy { get; init; }

    /// <summary>The threshold that counts: <see cref="TunedThreshold"/> when tuning pairs were given, else <see cref="BestThreshold"/>.</summary>
    public double Threshold => TunedThreshold ?? BestThreshold;

    /// <summary>The accuracy at <see cref="Threshold"/>.</summary>
    public double Accuracy => TunedAccuracy ?? BestAccuracy;
}
