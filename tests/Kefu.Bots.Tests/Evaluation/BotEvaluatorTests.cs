using Kefu.Bots.Evaluation;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Evaluation;

public class BotEvaluatorTests
{
    private static readonly LabelledText[] SeparableTrain =
    [
        new("I want a refund for my order", "refund"),
        new("how do I get my money back", "refund"),
        new("please refund the payment", "refund"),
        new("can I get a refund", "refund"),
        new("where is my parcel", "delivery"),
        new("when will my package arrive", "delivery"),
        new("track my delivery", "delivery"),
        new("the parcel has not arrived yet", "delivery"),
        new("I forgot my password", "password"),
        new("reset my password", "password"),
        new("how to change the login password", "password"),
        new("cannot log in, password wrong", "password"),
    ];

    private static readonly LabelledText[] SeparableTest =
    [
        new("refund my order please", "refund"),
        new("I want my money back, refund", "refund"),
        new("has my parcel arrived", "delivery"),
        new("track the package delivery", "delivery"),
        new("password reset please", "password"),
        new("change my password", "password"),
    ];

    [Theory]
    [MemberData(nameof(Matchers))]
    public void Evaluate_OnASeparableSet_ReportsPerfectFigures(IQuestionMatcher matcher)
    {
        var report = BotEvaluator.Evaluate(SeparableTrain, SeparableTest, matcher);

        Assert.Equal(1.0, report.Accuracy);
        Assert.Equal(1.0, report.Top3);
        Assert.Empty(report.Confusions);
        Assert.All(report.Categories, c => Assert.Equal((2, 0, null), (c.TestCount, c.Errors, c.MostOftenPredicted)));
        Assert.Equal((3, 12, 6, 0), (report.RuleCount, report.TrainCount, report.Count, report.UnknownCategoryCount));
        Assert.Equal(matcher.Name, report.Matcher);
        Assert.Null(report.OutOfScope);
        Assert.True(report.P99Latency >= report.MedianLatency && report.MedianLatency > TimeSpan.Zero);
    }

    public static TheoryData<IQuestionMatcher> Matchers() => new(new NgramQuestionMatcher(), new WordOverlapMatcher());

    [Fact]
    public void Evaluate_WhenOneCategoryIsAskedInAnothersWords_ReportsTheConfusion()
    {
        // Two of the three "lost" test rows are "stolen" training questions (the exact stage answers them with "stolen").
        LabelledText[] train =
        [
            new("I lost my card", "lost"), new("my card is missing", "lost"), new("cannot find my card", "lost"),
            new("my card was stolen", "stolen"), new("someone stole my card", "stolen"), new("card theft", "stolen"),
        ];
        LabelledText[] test =
        [
            new("My card was stolen!", "lost"), new("someone stole my card", "lost"), new("I lost my card", "lost"),
            new("card theft", "stolen"),
        ];

        var report = BotEvaluator.Evaluate(train, test, new WordOverlapMatcher());

        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal(new Confusion("lost", "stolen", 2), Assert.Single(report.Confusions));
        Assert.Equal(new CategoryErrors("lost", 3, 2, "stolen"), report.Categories[0]);
        Assert.Equal(new CategoryErrors("stolen", 1, 0, null), report.Categories[1]);
    }

    [Fact]
    public void Evaluate_WhenNothingMatchesOrTheCategoryIsUnknown_CountsErrors()
    {
        LabelledText[] test = [new("zzz qqq", "refund"), new("where is my parcel", "complaint")];

        var report = BotEvaluator.Evaluate(SeparableTrain, test, new WordOverlapMatcher());

        Assert.Equal(0.0, report.Accuracy);
        Assert.Equal(1, report.UnknownCategoryCount);
        Assert.Contains(new Confusion("refund", BotEvaluator.NoMatch, 1), report.Confusions);
        Assert.Contains(new Confusion("complaint", "delivery", 1), report.Confusions);
    }

    [Fact]
    public void Evaluate_WithAnOutOfScopeLabel_ChoosesAThresholdOnTheTrainingRowsThatRejectsOutOfScopeQuestions()
    {
        // In scope: three topic words and one filler; same category ≥ 3/5 alike, other categories ≤ 1/7. Out of scope:
        // two words of its own and one filler no other out-of-scope row has, so its best rule is an in-scope one at
        // 1/6: wrong at threshold 0, rejected at a threshold chosen between 1/6 and 3/5.
        string[] fillers = ["please", "now", "today", "again", "quickly", "kindly", "soon", "thanks", "hello", "sir", "madam", "urgently"];
        string[][] topics = [["refund", "money", "back"], ["parcel", "delivery", "late"], ["password", "login", "reset"]];
        var train = new List<LabelledText>();
        for (var t = 0; t < topics.Length; t++)
        {
            for (var f = 0; f < fillers.Length; f++)
            {
                train.Add(new LabelledText(string.Join(' ', [.. topics[t], fillers[f]]), $"topic{t}"));
            }
        }

        for (var o = 0; o < 8; o++)
        {
            train.Add(new LabelledText($"alpha{o} beta{o} {fillers[o]}", "oos"));
        }

        LabelledText[] test =
        [
            new("back money refund", "topic0"), new("late delivery parcel", "topic1"), new("reset login password", "topic2"),
            new("gamma1 delta1 hello", "oos"), new("gamma2 delta2 sir", "oos"), new("gamma3 delta3 urgently", "oos"),
        ];

        var report = BotEvaluator.Evaluate(train, test, new WordOverlapMatcher(), new BotEvaluationOptions { OosLabel = "oos", Folds = 4, Seed = 7 });

        var oos = Assert.IsType<OutOfScopeReport>(report.OutOfScope);
        Assert.InRange(oos.Threshold, 1.0 / 6 + 1e-9, 3.0 / 5);
        Assert.Equal((1.0, 1.0, 1.0), (oos.CrossValidationInScopeAccuracyAtZero, oos.CrossValidationInScopeAccuracy, oos.CrossValidationOosRecall));
        Assert.Equal(0.005, oos.MaxInScopeLoss);
        Assert.Equal([0, 0.01, 0.02, 0.05, 0.1], oos.OtherLosses.Select(p => p.MaxInScopeLoss));
        Assert.Equal((3, 3), (oos.InScopeCount, oos.OosCount));
        Assert.Equal((1.0, 1.0, 1.0), (oos.InScopeAccuracy, oos.InScopeTop3, oos.OosRecall));
        Assert.Equal((1.0, 0.0, 0.5), (oos.InScopeAccuracyAtZero, oos.OosRecallAtZero, oos.AccuracyAtZero));
        Assert.Equal(1.0, report.Accuracy);
        Assert.Equal(4, report.RuleCount);
    }

    [Fact]
    public void Evaluate_WithAnOutOfScopeLabelNoTrainingRowHas_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BotEvaluator.Evaluate(SeparableTrain, SeparableTest, new WordOverlapMatcher(), new BotEvaluationOptions { OosLabel = "oos" }));

        Assert.Contains("'oos'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    public void Evaluate_WithFoldsOutOfRange_Throws(int folds)
    {
        var error = Assert.Throws<KefuValidationException>(() =>
            BotEvaluator.Evaluate(SeparableTrain, SeparableTest, new WordOverlapMatcher(), new BotEvaluationOptions { Folds = folds }));

        Assert.Equal(nameof(BotEvaluationOptions.Folds), error.Field);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Evaluate_WithMaxInScopeLossOutOfRange_Throws(double loss)
    {
        var error = Assert.Throws<KefuValidationException>(() =>
            BotEvaluator.Evaluate(SeparableTrain, SeparableTest, new WordOverlapMatcher(), new BotEvaluationOptions { MaxInScopeLoss = loss }));

        Assert.Equal(nameof(BotEvaluationOptions.MaxInScopeLoss), error.Field);
    }

    [Fact]
    public void Evaluate_IsDeterministic_ForTheSameSeed()
    {
        var train = SeparableTrain.Concat([new LabelledText("tell me a joke", "oos"), new LabelledText("what is the weather", "oos"), new LabelledText("play some music", "oos")]).ToArray();
        var options = new BotEvaluationOptions { OosLabel = "oos", Folds = 3, Seed = 3 };

        var first = BotEvaluator.Evaluate(train, SeparableTest, new WordOverlapMatcher(), options);
        var second = BotEvaluator.Evaluate(train, SeparableTest, new WordOverlapMatcher(), options);

        Assert.Equal(first.OutOfScope!.Threshold, second.OutOfScope!.Threshold);
    }
}
