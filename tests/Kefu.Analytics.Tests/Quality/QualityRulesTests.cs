using Kefu.Analytics.Quality;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Tests.Quality;

/// <summary>Per-tenant rules: validation naming the field, persistence and optimistic concurrency.</summary>
public class QualityRulesTests
{
    [Theory]
    [InlineData("flag", "FlagBelowScore", "between 0 and 100")]
    [InlineData("version", "Version", "0 or more")]
    [InlineData("sentiment-percent", "NegativeSentiment.MinNegativePercent", "between 1 and 100")]
    [InlineData("sentiment-penalty", "NegativeSentiment.Penalty", "between 0 and 100")]
    [InlineData("weight", "EvaluationWords.PositiveWeight", "between 0 and 10")]
    [InlineData("negative-words", "EvaluationWords.NegativeWords", "at most 500 words")]
    [InlineData("rating", "Rating.MaxLowLevelPercent", "between 0 and 99")]
    [InlineData("rating-null", "Rating", "not null")]
    [InlineData("slow", "ReplyTiming.SlowReplySeconds", "between 5 and 3600")]
    [InlineData("gap", "ReplyTiming.MaxGapSeconds", "between 10 and 86400")]
    [InlineData("first", "FirstResponse.MaxSeconds", "between 1 and 3600")]
    [InlineData("banned-word", "BannedPhrases.Words[1]", "1–30 characters")]
    [InlineData("banned-null", "BannedPhrases.Words", "a list of at most 500 words")]
    [InlineData("complaints", "VisitorComplaints.MinOccurrences", "between 1 and 100")]
    public async Task SetRules_OutOfRange_NamesTheFieldAndRange_AndStoresNothing(string change, string field, string allowed)
    {
        await using var q = await QualityHarness.StartAsync();
        var rules = new QualityRules();
        rules = change switch
        {
            "flag" => rules with { FlagBelowScore = 101 },
            "version" => rules with { Version = -1 },
            "sentiment-percent" => rules with { NegativeSentiment = new() { MinNegativePercent = 0 } },
            "sentiment-penalty" => rules with { NegativeSentiment = new() { Penalty = 101 } },
            "weight" => rules with { EvaluationWords = new() { PositiveWeight = 10.5 } },
            "negative-words" => rules with { EvaluationWords = new() { NegativeWords = [.. Enumerable.Range(0, 501).Select(i => $"词{i}")] } },
            "rating" => rules with { Rating = new() { MaxLowLevelPercent = 100 } },
            "rating-null" => rules with { Rating = null! }, // a caller deserialising JSON can send null
            "slow" => rules with { ReplyTiming = new() { SlowReplySeconds = 4 } },
            "gap" => rules with { ReplyTiming = new() { MaxGapSeconds = 86_401 } },
            "first" => rules with { FirstResponse = new() { MaxSeconds = 0 } },
            "banned-word" => rules with { BannedPhrases = new() { Words = ["不知道", "   "] } },
            "banned-null" => rules with { BannedPhrases = new() { Words = null! } }, // as from JSON
            "complaints" => rules with { VisitorComplaints = new() { MinOccurrences = 0 } },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () => await q.Quality.SetRulesAsync(q.TenantId, rules));

        Assert.Equal(field, ex.Field);
        Assert.Contains(allowed, ex.Allowed, StringComparison.Ordinal);
        Assert.StartsWith(field, ex.Message, StringComparison.Ordinal);
        Assert.Equal(KefuErrorKind.Validation, ex.Kind);
        Assert.Equal(0, (await q.Quality.GetRulesAsync(q.TenantId)).Version);
        Assert.Null(await q.Documents.GetAsync(q.TenantId, "analytics.quality", "rules"));
    }

    [Fact]
    public async Task GetRules_NeverSaved_ReturnsTheDefaultsAtVersion0()
    {
        await using var q = await QualityHarness.StartAsync();

        var rules = await q.Quality.GetRulesAsync(q.TenantId);

        Assert.Equal(0, rules.Version);
        Assert.Equal(80, rules.FlagBelowScore);
        Assert.Equal(60, rules.FirstResponse.MaxSeconds);
        Assert.True(rules.BannedPhrases.AlwaysFlag);
        Assert.Contains("不归我管", rules.BannedPhrases.Words);
        Assert.Contains("12315", rules.EvaluationWords.NegativeWords);
    }

    [Fact]
    public async Task SetRules_RoundTrips_WithListsCleaned_AndVersionsChecked()
    {
        await using var q = await QualityHarness.StartAsync();
        var changed = new QualityRules
        {
            FlagBelowScore = 70,
            EvaluationWords = new() { NegativeWords = [" 投诉 ", "投訴", "差评"], PositiveWords = ["谢谢"], MinOccurrences = 3, PositiveWeight = 1.5, Penalty = 25 },
            ReplyTiming = new() { SlowReplySeconds = 90, MinReplyPercent = 0, Enabled = false },
            BannedPhrases = new() { Words = ["看不懂就别问"], AlwaysFlag = false },
        };

        var stored = await q.Quality.SetRulesAsync(q.TenantId, changed);

        Assert.Equal(1, stored.Version);
        Assert.Equal(["投诉", "差评"], stored.EvaluationWords.NegativeWords); // trimmed; 投訴 folds to 投诉 and goes
        var read = await q.Quality.GetRulesAsync(q.TenantId);
        Assert.Equal(1, read.Version);
        Assert.Equal(70, read.FlagBelowScore);
        Assert.Equal(["投诉", "差评"], read.EvaluationWords.NegativeWords);
        Assert.Equal(["谢谢"], read.EvaluationWords.PositiveWords);
        Assert.Equal(3, read.EvaluationWords.MinOccurrences);
        Assert.Equal(1.5, read.EvaluationWords.PositiveWeight);
        Assert.Equal(25, read.EvaluationWords.Penalty);
        Assert.False(read.ReplyTiming.Enabled);
        Assert.Equal(90, read.ReplyTiming.SlowReplySeconds);
        Assert.Equal(["看不懂就别问"], read.BannedPhrases.Words);
        Assert.False(read.BannedPhrases.AlwaysFlag);
        Assert.Equal(new RatingRule().MaxLowLevelPercent, read.Rating.MaxLowLevelPercent);

        var document = await q.Documents.GetAsync(q.TenantId, "analytics.quality", "rules");
        Assert.NotNull(document);
        Assert.Contains("看不懂就别问", document.Content, StringComparison.Ordinal); // readable, not escaped

        // A second writer that read version 0 is refused, and nothing changes.
        var stale = await Assert.ThrowsAsync<KefuException>(async () => await q.Quality.SetRulesAsync(q.TenantId, changed with { FlagBelowScore = 10 }));
        Assert.Equal(KefuErrorKind.Concurrency, stale.Kind);
        Assert.Equal(70, (await q.Quality.GetRulesAsync(q.TenantId)).FlagBelowScore);

        var next = await q.Quality.SetRulesAsync(q.TenantId, read with { FlagBelowScore = 60 });
        Assert.Equal(2, next.Version);
        Assert.Equal(60, (await q.Quality.GetRulesAsync(q.TenantId)).FlagBelowScore);
    }

    [Fact]
    public async Task Rules_OfAnUnknownTenant_AreNotFound()
    {
        await using var q = await QualityHarness.StartAsync();

        var get = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await q.Quality.GetRulesAsync(q.TenantId + 999));
        var set = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await q.Quality.SetRulesAsync(q.TenantId + 999, new QualityRules()));

        Assert.Equal("Tenant", get.Entity);
        Assert.Equal("Tenant", set.Entity);
    }

    [Theory]
    [InlineData(5, 93, "QualityInspectionOptions.MaxMessages")]
    [InlineData(2000, 0, "QualityInspectionOptions.MaxListDays")]
    public void Options_OutOfRange_FailValidationNamingTheField(int maxMessages, int maxListDays, string field)
    {
        var services = new ServiceCollection();
        AnalyticsRegistration.AddQuality(services);
        services.Configure<QualityInspectionOptions>(o =>
        {
            o.MaxMessages = maxMessages;
            o.MaxListDays = maxListDays;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QualityInspectionOptions>>().Value);

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }
}
