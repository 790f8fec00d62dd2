using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Tests.Topics;

public class KeywordRankingTests
{
    private static readonly KeywordStatistics Statistics = KeywordStatistics.CreateBuilder()
        .AddKeyword("快递", 10, 9, 5).AddKeyword("退款", 8, 8, -6).AddKeyword("客服", 8, 7, 0)
        .AddKeyword("质量", 3, 3, 3).AddKeyword("罕见", 1, 1, -1)
        .Build();

    [Fact]
    public void TopByFrequency_OrdersByFrequencyThenKeyword_WithSentiment()
    {
        var top = KeywordRanking.TopByFrequency(Statistics, 3);

        Assert.Equal(["快递", "客服", "退款"], top.Select(s => s.Keyword));
        Assert.Equal([10L, 8, 8], top.Select(s => s.Frequency));
        Assert.Equal(0.5, top[0].Sentiment, 12);
        Assert.Equal(-0.75, top[2].Sentiment, 12);
        Assert.Equal(5, KeywordRanking.TopByFrequency(Statistics).Count);
    }

    [Fact]
    public void TopBySentiment_RanksByAverageSentiment_InBothDirections()
    {
        Assert.Equal(["质量", "快递", "客服", "退款", "罕见"], KeywordRanking.TopBySentiment(Statistics).Select(s => s.Keyword));
        Assert.Equal(["罕见", "退款"], KeywordRanking.TopBySentiment(Statistics, 2, mostNegative: true).Select(s => s.Keyword));
        Assert.Equal(["退款", "客服"], KeywordRanking.TopBySentiment(Statistics, 2, mostNegative: true, minFrequency: 2).Select(s => s.Keyword));
    }

    [Fact]
    public void Rankings_OfATheme_OnlyHoldItsKeywords()
    {
        var statistics = SyntheticCorpus.Statistics();
        var model = TopicModeler.Fit(statistics, new TopicOptions { TopicCount = 3, MinKeywordFrequency = 1 });
        var refund = model.Topics[model.TopicOf("退款")];

        var byFrequency = KeywordRanking.TopByFrequency(refund, statistics, 5);
        var bySentiment = KeywordRanking.TopBySentiment(refund, statistics);

        Assert.Equal(5, byFrequency.Count);
        Assert.All(byFrequency, s => Assert.Equal(refund.Id, model.TopicOf(s.Keyword)));
        Assert.True(byFrequency.Zip(byFrequency.Skip(1)).All(p => p.First.Frequency >= p.Second.Frequency));
        Assert.Equal(refund.Keywords.Count, bySentiment.Count);
        Assert.All(bySentiment.Where(s => SyntheticCorpus.Refund.Contains(s.Keyword)), s => Assert.Equal(-0.8, s.Sentiment, 9));
    }
}
