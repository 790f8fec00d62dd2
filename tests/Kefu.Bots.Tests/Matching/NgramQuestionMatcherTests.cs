using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Matching;

public class NgramQuestionMatcherTests
{
    private static readonly LabelledQuestion[] Questions =
    [
        new("where is my refund", 1), new("i want my money back", 1), new("refund for a cancelled order", 1),
        new("when will my card arrive", 2), new("my new card has not arrived", 2), new("card delivery time", 2),
        new("我的快递到哪里了", 3), new("物流信息怎么查", 3),
    ];

    [Fact]
    public void Extract_MarksCharacterNgramsWithinWordsApartFromWordsAndChineseNgrams()
    {
        List<ulong> english = [], chinese = [];
        FeatureExtractor.Extract("refund", english);
        FeatureExtractor.Extract("退款", chinese);

        // One word and its 2- to 5-grams with boundaries marked: 7 + 6 + 5 + 4.
        Assert.Single(english, f => !FeatureExtractor.IsCharBlock(f));
        Assert.Equal(22, english.Count(FeatureExtractor.IsCharBlock));
        Assert.DoesNotContain(chinese, FeatureExtractor.IsCharBlock);
    }

    [Theory]
    [InlineData("refund for my cancelled order")]
    [InlineData("card delivery")]
    public void Vectorize_GivesWordsAndCharacterNgramsHalfTheWeightEach(string text)
    {
        var index = (NgramIndex)new NgramQuestionMatcher().Build(Questions);

        var vector = index.Vectorize(text);

        var words = vector.Ids.Select((id, k) => index.IsCharFeature(id) ? 0 : (double)vector.Weights[k] * vector.Weights[k]).Sum();
        var chars = vector.Ids.Select((id, k) => index.IsCharFeature(id) ? (double)vector.Weights[k] * vector.Weights[k] : 0).Sum();
        Assert.Equal(0.5, words, 1e-5);
        Assert.Equal(0.5, chars, 1e-5);
    }

    [Fact]
    public void Vectorize_OfChineseAlone_IsOneBlockOfNormOne()
    {
        var index = (NgramIndex)new NgramQuestionMatcher().Build(Questions);

        var vector = index.Vectorize("快递到哪里");

        Assert.DoesNotContain(vector.Ids, index.IsCharFeature);
        Assert.Equal(1.0, vector.Weights.Sum(w => (double)w * w), 1e-5);
    }

    [Theory]
    [InlineData("refund my cancelled order please", 1L)]
    [InlineData("has my card arrived yet", 2L)]
    [InlineData("快递怎么查", 3L)]
    public void Match_PicksTheRuleOfTheNearestQuestions(string question, long rule)
    {
        var index = new NgramQuestionMatcher().Build(Questions);
        Span<RuleScore> results = stackalloc RuleScore[3];

        var count = index.Match(question, results);

        Assert.True(count > 0);
        Assert.Equal(rule, results[0].RuleId);
    }
}
