using Kefu.Analysis;
using Kefu.Analytics.Sentiment;
using Kefu.Events;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Tests.Sentiment;

public sealed class SentimentModelsTests
{
    private const long Tenant = 42;

    private readonly FakeDocumentStore _store = new();
    private readonly LexiconSentimentAnalyzer _lexicon = new();
    private readonly SentimentModelRegistry _registry = new();
    private readonly SentimentModels _models;
    private readonly SentimentTextAnalyzer _analyzer;

    public SentimentModelsTests()
    {
        _models = Create(_registry);
        _analyzer = new SentimentTextAnalyzer(_lexicon, _registry, _models);
    }

    [Fact]
    public async Task TrainAsync_WhenValid_StoresModelAndSummarises()
    {
        var samples = SentimentTestData.Samples();
        using var csv = SentimentTestData.Stream(SentimentTestData.Csv(samples), bom: true);

        var summary = await _models.TrainAsync(Tenant, csv);

        Assert.Equal(samples.Count, summary.Rows);
        Assert.Equal(72, summary.PositiveRows);
        Assert.Equal(72, summary.NegativeRows);
        Assert.InRange(summary.CrossValidatedAccuracy, 0.8, 1.0);
        Assert.True(summary.ModelBytes > 0);
        var stored = await _store.GetAsync(Tenant, "analytics.sentiment", "model");
        Assert.NotNull(stored);
        var info = await _models.GetAsync(Tenant);
        Assert.NotNull(info);
        Assert.Equal(summary, info.Training);
        Assert.Null(await _models.GetAsync(Tenant + 1));
    }

    [Fact]
    public async Task TrainAsync_WhenLabelInvalid_NamesLineAndFieldAndStoresNothing()
    {
        var csv = SentimentTestData.Csv(SentimentTestData.Samples()).Replace("\n0,", "\nmaybe,", StringComparison.Ordinal);
        using var stream = SentimentTestData.Stream(csv);

        var error = await Assert.ThrowsAsync<KefuValidationException>(() => _models.TrainAsync(Tenant, stream));

        Assert.Equal("label", error.Field);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("maybe", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task TrainAsync_WhenTextColumnMissing_RejectsHeader()
    {
        using var stream = SentimentTestData.Stream("label,comment\n1,好\n0,差\n");

        var error = await Assert.ThrowsAsync<KefuValidationException>(() => _models.TrainAsync(Tenant, stream));

        Assert.Equal("header", error.Field);
        Assert.Contains("text", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task TrainAsync_WhenTooFewRowsOfAClass_RejectsWithCounts()
    {
        var samples = SentimentTestData.Samples().Where(s => s.Positive).Concat(SentimentTestData.Samples().Where(s => !s.Positive).Take(5));
        using var stream = SentimentTestData.Stream(SentimentTestData.Csv(samples));

        var error = await Assert.ThrowsAsync<KefuValidationException>(() => _models.TrainAsync(Tenant, stream));

        Assert.Equal("rows", error.Field);
        Assert.Contains("5 negative", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task TrainAsync_WhenTextEmpty_NamesTheLine()
    {
        using var stream = SentimentTestData.Stream("label,text\n1,很好\n0,\"\"\n");

        var error = await Assert.ThrowsAsync<KefuValidationException>(() => _models.TrainAsync(Tenant, stream));

        Assert.Equal("text", error.Field);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenQuotedFields_KeepsCommasLineBreaksAndQuotes()
    {
        using var stream = SentimentTestData.Stream("text,label,category\r\n\"好,很好\",1,a\r\n\"第一行\n第二行 \"\"引号\"\"\",0,b\r\n\r\n");

        var result = SentimentCsv.Read(stream, 100);

        Assert.Equal(2, result.Samples.Count);
        Assert.Equal(new SentimentSample("好,很好", true), result.Samples[0]);
        Assert.Equal(new SentimentSample("第一行\n第二行 \"引号\"", false), result.Samples[1]);
    }

    [Fact]
    public void Read_WhenMinusOneUsed_ZeroIsNeutralAndSkipped()
    {
        using var stream = SentimentTestData.Stream("label,text\n1,好\n-1,差\n0,一般\npositive,棒\nneg,烂\n");

        var result = SentimentCsv.Read(stream, 100);

        Assert.Equal(1, result.SkippedNeutral);
        Assert.Equal([true, false, true, false], result.Samples.Select(s => s.Positive));
    }

    [Fact]
    public void Read_WhenRowTooShort_NamesLineAndField()
    {
        using var stream = SentimentTestData.Stream("label,text\n1,好\n0\n");

        var error = Assert.Throws<KefuValidationException>(() => SentimentCsv.Read(stream, 100));

        Assert.Equal("text", error.Field);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_AfterTrain_UsesModel_AfterDelete_UsesLexicon()
    {
        const string Text = "屏幕坏了，我要投诉";
        var contrary = SentimentTestData.Samples().Select(s => s with { Positive = !s.Positive });
        Assert.True(_analyzer.Analyze(Tenant, ParticipantKind.Visitor, Text)!.Value.Score < 0);

        using (var stream = SentimentTestData.Stream(SentimentTestData.Csv(contrary)))
        {
            await _models.TrainAsync(Tenant, stream);
        }

        Assert.True(_analyzer.Analyze(Tenant, ParticipantKind.Visitor, Text)!.Value.Score > 0);
        Assert.True(_analyzer.Analyze(Tenant + 1, ParticipantKind.Visitor, Text)!.Value.Score < 0);

        Assert.True(await _models.DeleteAsync(Tenant));

        Assert.Equal(_lexicon.Analyze(Text), _analyzer.Analyze(Tenant, ParticipantKind.Agent, Text));
        Assert.Null(await _models.GetAsync(Tenant));
        Assert.False(await _models.DeleteAsync(Tenant));
    }

    [Fact]
    public async Task LoadTenantAsync_WhenModelStored_LoadsItForANewAnalyzer()
    {
        const string Text = "屏幕坏了，我要投诉";
        using (var stream = SentimentTestData.Stream(SentimentTestData.Csv(SentimentTestData.Samples().Select(s => s with { Positive = !s.Positive }))))
        {
            await _models.TrainAsync(Tenant, stream);
        }

        var registry = new SentimentModelRegistry();
        ITextAnalyzer restarted = new SentimentTextAnalyzer(_lexicon, registry, Create(registry));
        Assert.True(restarted.Analyze(Tenant, ParticipantKind.Visitor, Text)!.Value.Score < 0);

        await restarted.LoadTenantAsync(Tenant, CancellationToken.None);

        Assert.Equal(_analyzer.Analyze(Tenant, ParticipantKind.Visitor, Text), restarted.Analyze(Tenant, ParticipantKind.Visitor, Text));
        Assert.True(restarted.Analyze(Tenant, ParticipantKind.Visitor, Text)!.Value.Score > 0);
    }

    [Fact]
    public async Task TrainAsync_WhenTrainedAgain_ReplacesTheModel()
    {
        using (var first = SentimentTestData.Stream(SentimentTestData.Csv(SentimentTestData.Samples())))
        {
            await _models.TrainAsync(Tenant, first);
        }

        using (var second = SentimentTestData.Stream(SentimentTestData.Csv(SentimentTestData.Samples().Skip(4))))
        {
            var summary = await _models.TrainAsync(Tenant, second);
            Assert.Equal(140, summary.Rows);
        }

        var stored = await _store.GetAsync(Tenant, "analytics.sentiment", "model");
        Assert.Equal(2, stored!.Version);
        Assert.Equal(140, (await _models.GetAsync(Tenant))!.Training.Rows);
    }

    [Fact]
    public async Task LoadTenantAsync_WhenStoredModelCorrupt_FallsBackToLexicon()
    {
        await _store.PutAsync(Tenant, "analytics.sentiment", "model",
            """{"format":1,"trainedAt":"2026-01-01T00:00:00Z","training":{"rows":1},"model":"AAAA"}""", 0, DateTimeOffset.UnixEpoch);

        await _analyzer.LoadTenantAsync(Tenant, CancellationToken.None);

        Assert.Null(_registry.Get(Tenant));
        Assert.Equal(_lexicon.Analyze("太慢了"), _analyzer.Analyze(Tenant, ParticipantKind.Visitor, "太慢了"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Analyze_WhenBlank_ReturnsNull(string text)
    {
        Assert.True(_analyzer.IsEnabled);
        Assert.Null(_analyzer.Analyze(Tenant, ParticipantKind.Visitor, text));
    }

    private SentimentModels Create(SentimentModelRegistry registry)
        => new(_store, _lexicon, registry, Options.Create(new SentimentOptions()), TimeProvider.System);
}
