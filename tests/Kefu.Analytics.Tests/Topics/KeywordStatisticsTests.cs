using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Tests.Topics;

public class KeywordStatisticsTests
{
    [Fact]
    public void AddMessage_CountsFrequencyMessagesSentimentAndPairs()
    {
        var statistics = KeywordStatistics.CreateBuilder()
            .AddMessage(["快递", "慢", "快递"], sentiment: -0.5)
            .AddMessage(["快递", "客服"], sentiment: 1)
            .AddMessage([])
            .Build();

        Assert.Equal(3, statistics.MessageCount);
        Assert.Equal(new KeywordCounts(3, 2, -0.5 * 2 + 1), statistics.Keywords["快递"]);
        Assert.Equal(0, statistics.Keywords["快递"].Sentiment, 12);
        Assert.Equal(-0.5, statistics.Keywords["慢"].Sentiment, 12);
        Assert.Equal(2, statistics.Cooccurrences.Count);
        Assert.Equal(1, statistics.Cooccurrences[KeywordPair.Of("慢", "快递")]);
        Assert.Equal(1, statistics.Cooccurrences[KeywordPair.Of("客服", "快递")]);
    }

    [Fact]
    public void AddMessage_PairsOnlyTheTopEightDistinctKeywords()
    {
        string[] keywords = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k9", "k9"];

        var statistics = KeywordStatistics.CreateBuilder().AddMessage(keywords).Build();

        Assert.Equal(28, statistics.Cooccurrences.Count);
        Assert.Equal(10, statistics.Keywords.Count);
        Assert.Contains(KeywordPair.Of("k9", "k0"), statistics.Cooccurrences.Keys);
        Assert.DoesNotContain(statistics.Cooccurrences.Keys, p => p.First == "k7" || p.Second == "k7" || p.First == "k8" || p.Second == "k8");
        Assert.Equal(["k9", "k0", "k1", "k2", "k3", "k4", "k5", "k6"], KeywordStatisticsBuilder.PairKeywords(keywords));
    }

    [Fact]
    public void KeywordPair_IsOrderedAndRefusesEqualKeywords()
    {
        Assert.Equal(KeywordPair.Of("b", "a"), KeywordPair.Of("a", "b"));
        Assert.Equal("a", KeywordPair.Of("b", "a").First);
        Assert.Throws<ArgumentException>(() => KeywordPair.Of("a", "a"));
    }

    [Fact]
    public void Add_SumsDailyAggregates()
    {
        var day1 = KeywordStatistics.CreateBuilder().AddMessage(["快递", "物流"], 1).Build();
        var day2 = KeywordStatistics.CreateBuilder()
            .AddMessageCount(4).AddKeyword("快递", 5, 4, -2).AddKeyword("退款", 1, 1, 0).AddCooccurrence("物流", "快递", 3)
            .Build();

        var range = KeywordStatistics.CreateBuilder().Add(day1).Add(day2).Build();

        Assert.Equal(5, range.MessageCount);
        Assert.Equal(new KeywordCounts(6, 5, -1), range.Keywords["快递"]);
        Assert.Equal(4, range.Cooccurrences[KeywordPair.Of("快递", "物流")]);
        Assert.Equal(3, range.Keywords.Count);
    }

    [Fact]
    public void Builder_RefusesImpossibleCounts()
    {
        var builder = KeywordStatistics.CreateBuilder();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddKeyword("a", 1, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddKeyword("a", 2, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddKeyword("a", -1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddMessage(["a"], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddCooccurrence("a", "b", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddMessageCount(-1));
        Assert.Empty(builder.Build().Keywords);
    }

    [Fact]
    public void Build_IsASnapshot()
    {
        var builder = KeywordStatistics.CreateBuilder().AddMessage(["a", "b"]);
        var before = builder.Build();

        builder.AddMessage(["a", "c"]);

        Assert.Equal(1, before.Keywords["a"].Frequency);
        Assert.Equal(2, builder.Build().Keywords["a"].Frequency);
    }
}
