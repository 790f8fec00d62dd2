using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Kefu.Bots.Assist;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Assist;

/// <summary>The feedback ranking's invariants: monotone in each kind of feedback, bounded, and in (0, 1).</summary>
public class RankingTests
{
    private static readonly IQuestionIndex Index = new NgramQuestionMatcher().Build(
    [
        new LabelledQuestion("退款多久到账", 1), new LabelledQuestion("退款怎么还没到", 1), new LabelledQuestion("运费怎么算", 2),
        new LabelledQuestion("怎么开发票", 3), new LabelledQuestion("退款还没收到", 1),
    ]);

    private static readonly string[] Questions = ["退款多久到账", "退款怎么还没到", "运费怎么算", "怎么开发票", "退款还没收到", ""];

    private static readonly Gen<QuestionFeedback> Asked =
        from q in Gen.Elements(Questions.Where(q => q.Length > 0).ToArray())
        from picks in Gen.Choose(0, 20)
        from edits in Gen.Choose(0, 20)
        from ignores in Gen.Choose(0, 20)
        select new QuestionFeedback(QuestionText.Normalize(q), picks, edits, ignores, DateTimeOffset.UnixEpoch);

    private static readonly Gen<(double Score, FeedbackStats Stats, string Question, AssistAction More)> Cases =
        from score in Gen.Choose(0, 1000).Select(i => i / 1000.0)
        from picks in Gen.Choose(0, 50)
        from edits in Gen.Choose(0, 50)
        from ignores in Gen.Choose(0, 50)
        from asked in Asked.ListOf().Select(l => l.DistinctBy(q => q.Question).ToImmutableArray())
        from question in Gen.Elements(Questions)
        from more in Gen.Elements(AssistAction.Picked, AssistAction.Edited, AssistAction.Ignored)
        select (score, new FeedbackStats("pair:1", picks, edits, ignores, DateTimeOffset.UnixEpoch, asked, 1), QuestionText.Normalize(question), more);

    private static double Odds(double p) => p / (1 - p);

    [Fact]
    public void Score_OneMoreFeedback_MovesTheScoreItsWayOnly_AndFeedbackIsBounded()
    {
        var property = Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var (score, stats, question, more) = c;
            var now = AssistRanking.Score(score, stats, question, Index);
            var added = stats with
            {
                Picks = stats.Picks + (more == AssistAction.Picked ? 1 : 0),
                Edits = stats.Edits + (more == AssistAction.Edited ? 1 : 0),
                Ignores = stats.Ignores + (more == AssistAction.Ignored ? 1 : 0),
                Questions = question.Length == 0 ? stats.Questions : AssistState.Count(stats.Questions, question, more, DateTimeOffset.UnixEpoch),
            };
            var next = AssistRanking.Score(score, added, question, Index);
            var plain = AssistRanking.Score(score, null, question, Index);
            const double tolerance = 1e-12;
            var monotone = more == AssistAction.Ignored ? next <= now + tolerance : next >= now - tolerance;
            var ratio = Odds(now) / Odds(plain);
            return monotone && now is > 0 and < 1 && ratio <= 32 + 1e-9 && ratio >= (1 / 32.0) - 1e-9
                && AssistRanking.Score(Math.Min(1, score + 0.01), stats, question, Index) >= now - tolerance;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void Score_WithoutFeedback_IsTheBaseScoreKeptOffZeroAndOne()
    {
        Assert.Equal(0.6, AssistRanking.Score(0.6, null, "x", Index), 12);
        Assert.Equal(0.99, AssistRanking.Score(1, null, "x", Index), 12);
        Assert.Equal(0.01, AssistRanking.Score(0, null, "x", Index), 12);
    }

    [Fact]
    public void LocalFeedback_CountsOnlyForSimilarQuestions_AndSameQuestionsAddUp()
    {
        var refund = QuestionText.Normalize("退款怎么还没到");
        var at = DateTimeOffset.UnixEpoch;
        var stats = FeedbackStats.Empty("pair:1") with { Questions = AssistState.Count([], refund, AssistAction.Picked, at) };
        Assert.Equal(2 * Math.Log(2), AssistRanking.LocalBoost(stats, refund, Index), 12);
        Assert.True(AssistRanking.LocalBoost(stats, QuestionText.Normalize("退款还没收到"), Index) > 0);
        Assert.Equal(0, AssistRanking.LocalBoost(stats, QuestionText.Normalize("运费怎么算"), Index));

        var twice = stats with { Questions = AssistState.Count(stats.Questions, refund, AssistAction.Picked, at) };
        Assert.Equal((2, 0, 0), (twice.Questions.Single().Picks, twice.Questions.Single().Edits, twice.Questions.Single().Ignores));
        Assert.Equal(2 * Math.Log(3), AssistRanking.LocalBoost(twice, refund, Index), 12);
    }

    [Fact]
    public void FeedbackQuestions_PastTheBound_TheOldestGoes()
    {
        var questions = ImmutableArray<QuestionFeedback>.Empty;
        for (var i = 0; i <= AssistState.FeedbackQuestions; i++)
        {
            questions = AssistState.Count(questions, $"问题{i}", AssistAction.Ignored, DateTimeOffset.UnixEpoch.AddMinutes(i));
        }

        Assert.Equal(AssistState.FeedbackQuestions, questions.Length);
        Assert.DoesNotContain(questions, q => q.Question == "问题0");
    }

    [Fact]
    public void SuggestionKeys_RoundTrip_AndRefuseAnythingElse()
    {
        Assert.True(SuggestionKey.TryParse("rule:12", out var rule));
        Assert.Equal((AssistSource.Rule, 12L), (rule.Source, rule.Id));
        Assert.Equal("rule:12", rule.ToString());
        Assert.True(SuggestionKey.TryParse("pair:9007199254740991", out var pair));
        Assert.Equal("pair:9007199254740991", pair.ToString());
        foreach (var bad in new[] { null, "", "rule", "rule:", "rule:0", "rule:+1", "rule: 1", "pair:-1", "pair:1.5", "Pair:1", "rule:99999999999999999999" })
        {
            Assert.False(SuggestionKey.TryParse(bad, out _), bad);
        }
    }

    [Fact]
    public void AnswerIds_AreStableAndPositive() =>
        Assert.Equal(AnswerIds.Of("退款已经提交"), AnswerIds.Of(QuestionText.Normalize("退款已经提交！")));
}
