using Kefu.Analytics.Voice;
using Kefu.Events;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Voice;

[Collection(VoiceCollection.Name)]
public sealed class VoiceOfCustomerTests(SharedText text)
{
    [Fact]
    public async Task HotKeywords_CountMessagesThatMentionAWord_WithTheirAverageSentiment()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        await v.VisitorAsync(c, "物流太差了，物流真慢");
        await v.VisitorAsync(c, "物流很好，包装也好");
        await v.AgentSaysAsync(c, "您的物流单号已经发给您");
        await v.DeliveredAsync();

        var all = await v.KeywordAsync("物流");
        Assert.NotNull(all);
        Assert.Equal(3, all.Frequency);
        Assert.Equal((-0.8 + 0.6 + 0) / 3, all.Sentiment, 5);
        Assert.Equal(3 * Math.Abs(all.Sentiment), all.Composite, 5);

        var visitors = await v.KeywordAsync("物流", VoiceScope.Visitor);
        Assert.NotNull(visitors);
        Assert.Equal(2, visitors.Frequency);
        Assert.Equal((-0.8 + 0.6) / 2, visitors.Sentiment, 5);
        Assert.NotNull(await v.KeywordAsync("包装"));
        Assert.Null(await v.KeywordAsync("了"));
    }

    [Fact]
    public async Task HotKeywords_SortByFrequencySentimentAndComposite()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        foreach (var t in new[] { "退款太差", "退款太差", "退款", "退款", "退款", "包装好", "包装好", "发票" })
        {
            await v.VisitorAsync(c, t);
        }

        await v.DeliveredAsync();
        KeywordQuery Query(KeywordSort sort, bool descending = true) => new() { From = v.Today, To = v.Today, SortBy = sort, Descending = descending };

        var byFrequency = await v.Voice.GetKeywordsAsync(v.TenantId, Query(KeywordSort.Frequency));
        Assert.Equal(["退款", "包装", "发票"], byFrequency.Select(k => k.Word));
        var bySentiment = await v.Voice.GetKeywordsAsync(v.TenantId, Query(KeywordSort.Sentiment));
        Assert.Equal(["包装", "发票", "退款"], bySentiment.Select(k => k.Word));
        var mostNegative = await v.Voice.GetKeywordsAsync(v.TenantId, Query(KeywordSort.Sentiment, descending: false));
        Assert.Equal("退款", mostNegative[0].Word);
        var composite = await v.Voice.GetKeywordsAsync(v.TenantId, Query(KeywordSort.Composite));
        // 包装: 2 × 0.6 = 1.2; 退款: 5 × 0.32 = 1.6; 发票: 0.
        Assert.Equal(["退款", "包装", "发票"], composite.Select(k => k.Word));
        var top1 = await v.Voice.GetKeywordsAsync(v.TenantId, Query(KeywordSort.Composite) with { Limit = 1 });
        Assert.Single(top1);
    }

    [Fact]
    public async Task SentimentTrend_GivesEachDaysSharesForVisitorsAndForAllMessages_Over16DaysByDefault()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        await v.VisitorAsync(c, "太差了");
        await v.VisitorAsync(c, "很好");
        await v.VisitorAsync(c, "在吗");
        await v.AgentSaysAsync(c, "好的，马上处理");
        await v.DeliveredAsync();
        var firstDay = v.Today;
        await v.NextDayAsync();
        var c2 = await v.OpenAsync();
        await v.VisitorAsync(c2, "差评");
        await v.DeliveredAsync();

        var visitors = await v.Voice.GetSentimentTrendAsync(v.TenantId, VoiceScope.Visitor);
        Assert.Equal(16, visitors.Count);
        Assert.Equal(v.Today, visitors[^1].Day);
        Assert.Equal(v.Today.AddDays(-15), visitors[0].Day);
        var day1 = visitors.Single(d => d.Day == firstDay);
        Assert.Equal((1, 1, 1), (day1.Positive, day1.Neutral, day1.Negative));
        Assert.Equal(1.0 / 3, day1.NegativeShare, 6);
        Assert.Equal((0, 0, 1), (visitors[^1].Positive, visitors[^1].Neutral, visitors[^1].Negative));
        Assert.Equal(0, visitors[0].Total);
        Assert.Equal(0, visitors[0].PositiveShare);

        var all = await v.Voice.GetSentimentTrendAsync(v.TenantId, VoiceScope.All, firstDay, days: 1);
        Assert.Equal((2, 1, 1), (all[0].Positive, all[0].Neutral, all[0].Negative));
        Assert.Equal(0.5, all[0].PositiveShare, 6);
    }

    [Fact]
    public async Task Sink_CountsARedeliveredEventOnce()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        await v.VisitorAsync(c, "退款太差");
        await v.DeliveredAsync();
        var recorded = v.H.Events.Events.Where(e => e.PayloadCase == KefuEvent.PayloadOneofCase.Message).ToList();
        Assert.NotEmpty(recorded);

        var sink = v.H.Services.GetServices<IEventSink>().OfType<VoiceSink>().Single();
        await sink.HandleAsync(v.TenantId, recorded, CancellationToken.None);
        await sink.HandleAsync(v.TenantId, recorded, CancellationToken.None);

        Assert.Equal(1, (await v.KeywordAsync("退款"))!.Frequency);
    }

    [Fact]
    public async Task StopWords_TakeEffectFromTheNextDay_AndRemovalResumesCountingTheDayAfter()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        await v.VisitorAsync(c, "快递到哪了");
        await v.DeliveredAsync();
        var day1 = v.Today;

        var vocabulary = await v.Voice.AddStopWordsAsync(v.TenantId, ["快递"]);
        Assert.Equal(day1.AddDays(1), Assert.Single(vocabulary.ListedStopWords()).EffectiveFrom);
        await v.VisitorAsync(c, "快递还没到");
        await v.DeliveredAsync();
        // Today it still counts and shows.
        Assert.Equal(2, (await v.KeywordAsync("快递"))!.Frequency);

        await v.NextDayAsync();
        var c2 = await v.OpenAsync();
        await v.VisitorAsync(c2, "快递丢了");
        await v.DeliveredAsync();
        // From tomorrow it is hidden, and tomorrow's messages do not count it.
        Assert.Null(await v.KeywordAsync("快递"));
        var detail = await v.Voice.GetKeywordDetailAsync(v.TenantId, "快递", VoiceScope.All, day1, v.Today);
        Assert.Equal([2L, 0L], detail.Days.Select(d => d.Frequency));

        await v.Voice.RemoveStopWordsAsync(v.TenantId, ["快递"]);
        await v.VisitorAsync(c2, "快递找到了吗");
        await v.DeliveredAsync();
        Assert.Null(await v.KeywordAsync("快递"));
        await v.NextDayAsync();
        var c3 = await v.OpenAsync();
        await v.VisitorAsync(c3, "快递收到了");
        await v.DeliveredAsync();
        Assert.Equal(3, (await v.KeywordAsync("快递"))!.Frequency);
        Assert.Empty((await v.Voice.GetVocabularyAsync(v.TenantId)).ListedStopWords());
    }

    [Fact]
    public async Task FocusWords_AreKeptWholeAndAlwaysCounted_AndCanBeListedAlone()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        await v.Voice.SetFocusWordsAsync(v.TenantId, ["小米粒", "Ｙ２"]);
        var c = await v.OpenAsync();
        await v.VisitorAsync(c, "小米粒充电宝怎么充不进电");
        await v.VisitorAsync(c, "y2型号有货吗");
        await v.DeliveredAsync();

        var focus = await v.Voice.GetKeywordsAsync(v.TenantId, new KeywordQuery { From = v.Today, To = v.Today, FocusOnly = true });
        Assert.Equal(["y2", "小米粒"], focus.Select(k => k.Word).Order(StringComparer.Ordinal));
        Assert.All(focus, k => Assert.True(k.IsFocusWord));
        Assert.NotNull(await v.KeywordAsync("型号"));
        Assert.Equal(["小米粒", "y2"], (await v.Voice.GetVocabularyAsync(v.TenantId)).FocusWords);
    }

    [Fact]
    public void MentionDimensions_SortByMessageId_WhateverTheConversationOrSender()
    {
        // Appended in id (time) order, a day's mentions fill the store's index from its end instead of all over it.
        var earlier = VoiceSeries.Mention('v', -1, conversationId: 900_000_000_000_000_000, messageId: 99_999_999_999_999);
        var later = VoiceSeries.Mention('g', 1, conversationId: 1, messageId: 1_573_000_000_000_000_000);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);

        Assert.True(VoiceSeries.TryParseMention(later, out var sender, out var label, out var conversationId, out var messageId));
        Assert.Equal(('g', 1, 1L, 1_573_000_000_000_000_000L), (sender, label, conversationId, messageId));
        Assert.False(VoiceSeries.TryParseMention("vv:1:2:3", out _, out _, out _, out _));
        Assert.False(VoiceSeries.TryParseMention("1:2:3", out _, out _, out _, out _));
    }

    [Fact]
    public async Task KeywordMessages_StillReadMentionsRecordedInTheEarlierLayout()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        var recent = await v.VisitorAsync(c, "退款太差了");
        await v.DeliveredAsync();

        // A mention a previous version wrote: sender:label:conversation:message.
        var bucket = new DateTimeOffset(v.Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var store = v.H.Services.GetRequiredService<Kefu.Storage.IAggregateStore>();
        await store.ApplyAsync(v.TenantId, "earlier-layout", 1, [new(VoiceSeries.Mentions("退款"), $"v:1:{c.Id}:{recent - 1}", Kefu.Storage.BucketGranularity.Day, bucket, 1, 0.6, 0.6)]);

        var page = await v.Voice.GetKeywordMessagesAsync(v.TenantId, new KeywordMessageQuery { Word = "退款", From = v.Today, To = v.Today });
        Assert.Equal([recent, recent - 1], page.Items.Select(m => m.MessageId));
        Assert.All(page.Items, m => Assert.Equal(c.Id, m.ConversationId));
        Assert.Equal([-1, 1], page.Items.Select(m => m.Sentiment.Label));
        Assert.Equal("退款太差了", page.Items[0].Text);
    }

    [Fact]
    public async Task KeywordDetail_GivesDailyTrends_AndItsMessagesFilterableBySentiment()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        var bad = await v.VisitorAsync(c, "退款太差了");
        await v.DeliveredAsync();
        var day1 = v.Today;
        await v.NextDayAsync();
        var c2 = await v.OpenAsync();
        var good = await v.VisitorAsync(c2, "退款很好很快");
        var plain = await v.AgentSaysAsync(c2, "退款已经提交");
        await v.DeliveredAsync();

        var detail = await v.Voice.GetKeywordDetailAsync(v.TenantId, "退款", VoiceScope.All, day1, v.Today);
        Assert.Equal("退款", detail.Word);
        Assert.Equal([1L, 2L], detail.Days.Select(d => d.Frequency));
        Assert.Equal(-0.8, detail.Days[0].Sentiment, 5);
        Assert.Equal(0.3, detail.Days[1].Sentiment, 5);
        var visitorsOnly = await v.Voice.GetKeywordDetailAsync(v.TenantId, "退款", VoiceScope.Visitor, day1, v.Today);
        Assert.Equal([1L, 1L], visitorsOnly.Days.Select(d => d.Frequency));

        var page = await v.Voice.GetKeywordMessagesAsync(v.TenantId, new KeywordMessageQuery { Word = "退款", From = day1, To = v.Today });
        Assert.Equal(3, page.Total);
        Assert.Equal([plain, good, bad], page.Items.Select(m => m.MessageId));
        Assert.Equal([c2.Id, c2.Id, c.Id], page.Items.Select(m => m.ConversationId));
        Assert.Equal("退款太差了", page.Items[2].Text);
        Assert.Equal(ParticipantKind.Agent, page.Items[0].Sender);

        var negative = await v.Voice.GetKeywordMessagesAsync(v.TenantId, new KeywordMessageQuery { Word = "退款", From = day1, To = v.Today, Sentiment = -1 });
        Assert.Equal(bad, Assert.Single(negative.Items).MessageId);
        Assert.Equal(-1, negative.Items[0].Sentiment.Label);
        var second = await v.Voice.GetKeywordMessagesAsync(v.TenantId, new KeywordMessageQuery { Word = "退款", From = day1, To = v.Today, Offset = 1, Limit = 1 });
        Assert.Equal(good, Assert.Single(second.Items).MessageId);
        Assert.Equal(3, second.Total);
    }

    [Fact]
    public async Task Queries_RefuseBadInput_NamingTheFieldAndRange()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var tooLong = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await v.Voice.GetKeywordsAsync(v.TenantId, new KeywordQuery { From = v.Today.AddDays(-90), To = v.Today }));
        Assert.Equal("To", tooLong.Field);
        Assert.Contains("90 days", tooLong.Message, StringComparison.Ordinal);
        var backwards = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await v.Voice.GetKeywordsAsync(v.TenantId, new KeywordQuery { From = v.Today, To = v.Today.AddDays(-1) }));
        Assert.Equal("To", backwards.Field);
        var limit = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await v.Voice.GetKeywordsAsync(v.TenantId, new KeywordQuery { From = v.Today, To = v.Today, Limit = 0 }));
        Assert.Equal("Limit", limit.Field);
        Assert.Contains("1–500", limit.Message, StringComparison.Ordinal);
        var days = await Assert.ThrowsAsync<KefuValidationException>(async () => await v.Voice.GetSentimentTrendAsync(v.TenantId, VoiceScope.All, days: 0));
        Assert.Equal("days", days.Field);
        var word = await Assert.ThrowsAsync<KefuValidationException>(async () => await v.Voice.AddStopWordsAsync(v.TenantId, ["ok", "  "]));
        Assert.Equal("StopWords", word.Field);
        Assert.Empty((await v.Voice.GetVocabularyAsync(v.TenantId)).StopWordChanges);
        var sentiment = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await v.Voice.GetKeywordMessagesAsync(v.TenantId, new KeywordMessageQuery { Word = "退款", From = v.Today, To = v.Today, Sentiment = 2 }));
        Assert.Equal("Sentiment", sentiment.Field);
    }

    [Fact]
    public async Task Options_OutOfRange_FailAtStartNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddKefu().AddAnalytics(a => a.ConfigureVoice(o => o.MaxRangeDays = 0));
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<VoiceOptions>>().Value);
        Assert.Contains("MaxRangeDays", error.Message, StringComparison.Ordinal);
        Assert.Contains("1–366", error.Message, StringComparison.Ordinal);
    }
}

[Collection(VoiceCollection.Name)]
public sealed class VoiceTopicsTests(SharedText text)
{
    private static readonly string[][] Themes =
    [
        ["物流", "快递", "发货", "配送"],
        ["退款", "退货", "售后", "发票"],
        ["质量", "做工", "材质", "屏幕"],
    ];

    [Fact]
    public async Task Topics_GroupWordsSaidTogether_WithSharesAndRankings()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var c = await v.OpenAsync();
        var random = new Random(3);
        for (var i = 0; i < 90; i++)
        {
            var theme = Themes[i % 3];
            var words = theme.OrderBy(_ => random.Next()).Take(3).ToArray();
            var sentiment = i % 3 == 1 ? "太差" : i % 3 == 0 ? "很好" : "";
            await v.VisitorAsync(c, $"{words[0]}，{words[1]}和{words[2]}{sentiment}");
        }

        await v.DeliveredAsync();
        var result = await v.Voice.GetTopicsAsync(v.TenantId, new TopicQuery { From = v.Today, To = v.Today, TopicCount = 3 });

        Assert.Equal(90, result.Messages);
        Assert.Equal(3, result.Topics.Count);
        Assert.Equal(1.0, result.Topics.Sum(t => t.Topic.Share), 6);
        foreach (var theme in Themes)
        {
            var topic = result.Topics.Single(t => t.Topic.Keywords.Any(k => k.Keyword == theme[0]));
            Assert.All(theme, w => Assert.Contains(topic.Topic.Keywords, k => k.Keyword == w));
            Assert.True(topic.TopByFrequency.Count <= 15);
            Assert.All(topic.TopByFrequency, k => Assert.Contains(k.Keyword, theme));
        }

        Assert.Equal(12, result.TopByFrequency.Count);
        Assert.Contains(result.MostNegative[0].Keyword, Themes[1]);
        Assert.Contains(result.MostPositive[0].Keyword, Themes[0]);
    }

    [Fact]
    public async Task Topics_RefuseAThemeCountOutOfRange()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var error = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await v.Voice.GetTopicsAsync(v.TenantId, new TopicQuery { From = v.Today, To = v.Today, TopicCount = 1 }));
        Assert.Equal("TopicCount", error.Field);
        Assert.Contains("2–50", error.Message, StringComparison.Ordinal);
    }
}

[Collection(VoiceCollection.Name)]
public sealed class VoiceNewWordsTests(SharedText text)
{
    private static readonly string[] Before = ["我买了", "请问", "昨天收到", "朋友推荐", "你们家", "新出", "这个", "上次那款", "有没有", "想要"];
    private static readonly string[] After = ["怎么充不进电", "什么时候发货", "可以退吗", "有优惠吗", "坏了", "颜色好看", "太贵了", "还有货吗"];
    private static readonly string[] Other = ["你好，在吗", "快递什么时候到", "我要退款", "发票怎么开", "地址填错了能改吗", "质量很好，谢谢", "客服态度不错", "尺码偏大吗",
        "可以便宜点吗", "什么时候有活动", "包装破损了", "物流太慢了", "颜色和图片不一样", "能开专票吗", "电池不耐用"];

    [Fact]
    public async Task NewWords_AreFoundInTheTenantsMessages_AndOnceAcceptedCountAsKeywords()
    {
        await using var v = await VoiceHarness.StartAsync(text);
        var random = new Random(5);
        for (var i = 0; i < 12; i++)
        {
            var c = await v.OpenAsync();
            for (var j = 0; j < 60; j++)
            {
                // A new product name in one message of twelve, among everyday questions.
                await v.VisitorAsync(c, j % 12 == 0 ? Before[random.Next(Before.Length)] + "鲸喜盒" + After[random.Next(After.Length)] : Other[random.Next(Other.Length)]);
            }
        }

        await v.DeliveredAsync();
        Assert.Null(await v.KeywordAsync("鲸喜盒"));

        var found = await v.Voice.DiscoverNewWordsAsync(v.TenantId, v.Today, v.Today);
        Assert.Contains(found, w => w.Word == "鲸喜盒");
        Assert.All(found, w => Assert.True(w.Frequency >= 5));

        await v.Voice.AddUserWordsAsync(v.TenantId, ["鲸喜盒"]);
        Assert.DoesNotContain(await v.Voice.DiscoverNewWordsAsync(v.TenantId, v.Today, v.Today), w => w.Word == "鲸喜盒");
        var c2 = await v.OpenAsync();
        await v.VisitorAsync(c2, "鲸喜盒什么时候补货");
        await v.DeliveredAsync();
        Assert.Equal(1, (await v.KeywordAsync("鲸喜盒"))!.Frequency);
    }
}
