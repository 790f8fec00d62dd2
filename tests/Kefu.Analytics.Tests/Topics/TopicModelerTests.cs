using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Tests.Topics;

public class TopicModelerTests
{
    private static readonly TopicOptions ThreeThemes = new() { TopicCount = 3, MinKeywordFrequency = 1, Seed = 7 };

    [Fact]
    public void Fit_OnThreeObviousThemes_PutsEachThemesWordsTogether()
    {
        var model = TopicModeler.Fit(SyntheticCorpus.Statistics(), ThreeThemes);

        Assert.Equal(3, model.Topics.Count);
        var found = new HashSet<int>();
        foreach (var words in SyntheticCorpus.Themes)
        {
            var topics = words.Select(model.TopicOf).Distinct().ToList();
            var topic = Assert.Single(topics);
            Assert.InRange(topic, 0, 2);
            found.Add(topic);
        }

        Assert.Equal(3, found.Count);
        foreach (var topic in model.Topics)
        {
            var lead = topic.Keywords.First(k => !SyntheticCorpus.Shared.Contains(k.Keyword)).Keyword;
            var themeWords = SyntheticCorpus.Themes.Single(t => t.Contains(lead));
            Assert.All(topic.Keywords.Where(k => !SyntheticCorpus.Shared.Contains(k.Keyword)), k => Assert.Contains(k.Keyword, themeWords));
            Assert.Equal($"{topic.Keywords[0].Keyword}/{topic.Keywords[1].Keyword}", topic.Name);
        }
    }

    [Fact]
    public void Fit_SharesAreKeywordFrequencyOverTotal_AndSumToOne()
    {
        var statistics = SyntheticCorpus.Statistics();
        var model = TopicModeler.Fit(statistics, ThreeThemes);

        Assert.Equal(1.0, model.Topics.Sum(t => t.Share), 9);
        var total = model.Topics.Sum(t => t.Frequency);
        foreach (var topic in model.Topics)
        {
            Assert.Equal(topic.Keywords.Sum(k => k.Frequency), topic.Frequency);
            Assert.Equal(statistics.Keywords.Where(e => model.TopicOf(e.Key) == topic.Id).Sum(e => e.Value.Frequency), topic.Frequency);
            Assert.Equal((double)topic.Frequency / total, topic.Share, 12);
        }

        Assert.Equal(Enumerable.Range(0, 3), model.Topics.Select(t => t.Id));
        Assert.True(model.Topics.Zip(model.Topics.Skip(1)).All(p => p.First.Share >= p.Second.Share), "themes are ordered by share");
    }

    [Fact]
    public void Fit_KeywordsCarryTheirStatistics()
    {
        var statistics = SyntheticCorpus.Statistics();
        var model = TopicModeler.Fit(statistics, ThreeThemes);

        var refund = model.Topics[model.TopicOf("退款")].Keywords.Single(k => k.Keyword == "退款");
        Assert.Equal(statistics.Keywords["退款"].Frequency, refund.Frequency);
        Assert.Equal(-0.8, refund.Sentiment, 9);
        Assert.InRange(refund.Affinity, 0.5, 1.0);
    }

    [Fact]
    public void Assign_VotesForTheThemeOfTheMessagesKeywords()
    {
        var model = TopicModeler.Fit(SyntheticCorpus.Statistics(), ThreeThemes);
        var delivery = model.TopicOf("快递");
        var refund = model.TopicOf("退款");

        Assert.Equal(delivery, model.Assign(["快递", "物流", "不错"]));
        Assert.Equal(refund, model.Assign(["退款", "审核", "原路", "快递"]));
        Assert.Equal(-1, model.Assign(["从未见过", "另一个词"]));
        Assert.Equal(-1, model.Assign([]));

        // Every generated message goes back to the theme it was written about.
        var messages = SyntheticCorpus.Messages(300, seed: 99);
        var themeOf = SyntheticCorpus.Themes.Select(words => model.TopicOf(words[0])).ToArray();
        Assert.All(messages, m => Assert.Equal(themeOf[m.Theme], model.Assign(m.Keywords)));
    }

    [Fact]
    public void Fit_SameSeed_GivesTheSameModel()
    {
        var statistics = SyntheticCorpus.Statistics(900, seed: 5);
        var options = new TopicOptions { TopicCount = 5, MinKeywordFrequency = 1, Seed = 123, Restarts = 3 };

        var first = TopicModeler.Fit(statistics, options);
        var second = TopicModeler.Fit(statistics, options);

        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal(5, first.Topics.Count);
    }

    [Fact]
    public void Fit_DifferentSeeds_StillRecoverTheObviousThemes()
    {
        var statistics = SyntheticCorpus.Statistics();
        foreach (var seed in new[] { 1, 2, 3, -17 })
        {
            var model = TopicModeler.Fit(statistics, new TopicOptions { TopicCount = 3, MinKeywordFrequency = 1, Seed = seed });
            var topics = SyntheticCorpus.Themes.Select(words => words.Select(model.TopicOf).Distinct().Single()).ToList();
            Assert.Equal(3, topics.Distinct().Count());
        }
    }

    [Fact]
    public void Fit_RespectsMaxKeywordsAndMinKeywordFrequency()
    {
        var builder = KeywordStatistics.CreateBuilder();
        foreach (var (_, keywords) in SyntheticCorpus.Messages(600))
        {
            builder.AddMessage(keywords);
        }

        builder.AddMessage(["罕见词", "快递"]);
        var statistics = builder.Build();

        var model = TopicModeler.Fit(statistics, new TopicOptions { TopicCount = 3, MinKeywordFrequency = 2, MaxKeywords = 12 });

        Assert.Equal(12, model.KeywordCount);
        Assert.Equal(-1, model.TopicOf("罕见词"));
        var clustered = model.Topics.SelectMany(t => t.Keywords).Select(k => k.Keyword).ToHashSet();
        var mostFrequent = statistics.Keywords.OrderByDescending(e => e.Value.Frequency).ThenBy(e => e.Key, StringComparer.Ordinal).Take(12).Select(e => e.Key);
        Assert.True(clustered.SetEquals(mostFrequent));
    }

    [Fact]
    public void Fit_EmptyStatistics_GivesNoThemes()
    {
        var model = TopicModeler.Fit(KeywordStatistics.Empty, new TopicOptions());

        Assert.Empty(model.Topics);
        Assert.Equal(0, model.KeywordCount);
        Assert.Equal(-1, model.Assign(["快递"]));
    }

    [Fact]
    public void Fit_FewerKeywordsThanThemes_GivesOneThemePerKeywordAtMost()
    {
        var statistics = KeywordStatistics.CreateBuilder()
            .AddMessage(["快递", "物流"]).AddMessage(["快递", "物流"]).AddMessage(["退款", "审核"]).AddMessage(["退款", "审核"])
            .Build();

        var model = TopicModeler.Fit(statistics, new TopicOptions { TopicCount = 10, MinKeywordFrequency = 1 });

        Assert.Equal(4, model.Topics.Count);
        Assert.Equal(4, model.Topics.Sum(t => t.Keywords.Count));
        Assert.Equal(1.0, model.Topics.Sum(t => t.Share), 9);
    }

    [Fact]
    public void Fit_KeywordWithoutCooccurrence_JoinsNoTheme()
    {
        var builder = KeywordStatistics.CreateBuilder();
        foreach (var (_, keywords) in SyntheticCorpus.Messages(300))
        {
            builder.AddMessage(keywords);
        }

        builder.AddMessage(["孤单"]).AddMessage(["孤单"]).AddMessage(["孤单"]);
        var model = TopicModeler.Fit(builder.Build(), ThreeThemes);

        Assert.Equal(-1, model.TopicOf("孤单"));
        Assert.Equal(-1, model.Assign(["孤单"]));
    }

    [Fact]
    public void Fit_InvalidOptions_Throws()
    {
        var error = Assert.Throws<KefuValidationException>(() => TopicModeler.Fit(KeywordStatistics.Empty, new TopicOptions { TopicCount = 1 }));

        Assert.Equal(nameof(TopicOptions.TopicCount), error.Field);
    }

    private static string Describe(TopicModel model)
        => string.Join('\n', model.Topics.Select(t =>
            $"{t.Id} {t.Name} {t.Share:R} {string.Join(',', t.Keywords.Select(k => $"{k.Keyword}:{k.Affinity:R}"))}"));
}
