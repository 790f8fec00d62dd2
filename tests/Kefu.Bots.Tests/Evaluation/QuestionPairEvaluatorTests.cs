using Kefu.Bots.Evaluation;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Evaluation;

public class QuestionPairEvaluatorTests
{
    // Word Jaccard (WordOverlapMatcher): 0.8, 2/3 and 0.5 for the matches; 0, 1/7 and 0.5 for the others.
    private static readonly QuestionPair[] Pairs =
    [
        new("alpha beta gamma delta", "alpha beta gamma delta epsilon", IsMatch: true),
        new("red green", "red green blue", IsMatch: true),
        new("one two three", "one two four", IsMatch: true),
        new("cat dog bird fish", "cat cow pig hen", IsMatch: false),
        new("sun moon", "rain snow", IsMatch: false),
        new("north south east", "north south west", IsMatch: false),
    ];

    [Fact]
    public void Evaluate_WithoutTuningPairs_ReportsTheBestThresholdOnThePairsAndTheAuc()
    {
        var report = QuestionPairEvaluator.Evaluate(Pairs, new WordOverlapMatcher());

        // Best: between 1/7 and 0.5, wrong only on the 0.5 non-match.
        Assert.Equal((1.0 / 7 + 0.5) / 2, report.BestThreshold, 1e-12);
        Assert.Equal(5.0 / 6, report.BestAccuracy, 1e-12);
        Assert.Equal((report.BestThreshold, report.BestAccuracy), (report.Threshold, report.Accuracy));
        // Of 9 (match, non-match) pairs the match scores higher in 8 and ties in 1.
        Assert.Equal(8.5 / 9, report.Auc, 1e-12);
        Assert.Null(report.TunedThreshold);
        Assert.Null(report.TunedAccuracy);
        Assert.Equal((6, 0.5, 12), (report.Count, report.PositiveRate, report.TextCount));
    }

    [Fact]
    public void Evaluate_WithTuningPairs_MeasuresTheirThresholdOnTheEvaluatedPairs()
    {
        // Tuning pairs: a match at 0.75 and a non-match at 2/3, so the threshold goes between them, above all but one evaluated match.
        QuestionPair[] tune = [new("a1 b1 c1", "a1 b1 c1 d1", IsMatch: true), new("x1 y1", "x1 y1 z1", IsMatch: false)];

        var report = QuestionPairEvaluator.Evaluate(Pairs, new WordOverlapMatcher(), tune);

        Assert.Equal((2.0 / 3 + 0.75) / 2, report.TunedThreshold!.Value, 1e-12);
        Assert.Equal(4.0 / 6, report.TunedAccuracy!.Value, 1e-12);
        Assert.Equal((report.TunedThreshold, report.TunedAccuracy), (report.Threshold, report.Accuracy));
        Assert.Equal(5.0 / 6, report.BestAccuracy, 1e-12);
        Assert.Equal(2, report.TuneCount);
    }

    [Fact]
    public void Evaluate_WithTheDefaultMatcher_SeparatesRewordingsFromUnrelatedQuestions()
    {
        QuestionPair[] pairs =
        [
            new("How do I reset my password?", "how do i reset my password", IsMatch: true),
            new("怎么申请退款？", "怎么申请退款", IsMatch: true),
            new("How do I reset my password?", "怎么申请退款", IsMatch: false),
            new("where is my parcel", "快递到哪里了", IsMatch: false),
        ];

        var report = QuestionPairEvaluator.Evaluate(pairs, new NgramQuestionMatcher());

        Assert.Equal(1.0, report.Auc);
        Assert.Equal(1.0, report.Accuracy);
    }

    [Fact]
    public void Evaluate_WithNoPairs_Throws()
        => Assert.Throws<ArgumentException>(() => QuestionPairEvaluator.Evaluate([], new WordOverlapMatcher()));
}
