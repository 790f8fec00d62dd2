using Kefu.Analytics.Sentiment;

namespace Kefu.Analytics.Tests.Sentiment;

public sealed class SentimentClassifierTests
{
    private static readonly LexiconSentimentAnalyzer Lexicon = new();

    private static readonly string[] Probes = ["耳机收到了，非常满意", "快递太慢了，很失望", "屏幕坏了，我要投诉", "电池很好用，谢谢客服", "请问什么时候发货"];

    [Fact]
    public void Train_WhenSyntheticSet_LearnsBothClasses()
    {
        var samples = SentimentTestData.Samples();

        var model = SentimentClassifier.Train(samples, Lexicon);

        var correct = samples.Count(s => model.Analyze(s.Text).Score >= 0 == s.Positive);
        Assert.True(correct >= samples.Count * 0.95, $"{correct} of {samples.Count} correct");
        Assert.InRange(model.CrossValidatedAccuracy, 0.8, 1.0);
        Assert.Equal(1, model.Analyze("耳机收到了，非常满意").Label);
        Assert.Equal(-1, model.Analyze("快递太慢了，很失望").Label);
    }

    [Fact]
    public void Train_WhenLabelsContradictTheLexicon_FollowsTheData()
    {
        // Texts the lexicon calls negative are labelled positive: the model must learn the tenant's own meaning.
        var samples = SentimentTestData.Samples().Select(s => s with { Positive = !s.Positive }).ToList();

        var model = SentimentClassifier.Train(samples, Lexicon);

        Assert.True(model.Analyze("屏幕坏了，我要投诉").Score > 0);
        Assert.True(model.Analyze("耳机收到了，非常满意").Score < 0);
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesIdenticalScores()
    {
        var model = SentimentClassifier.Train(SentimentTestData.Samples(), Lexicon);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var loaded = SentimentClassifier.Load(stream, Lexicon);

        foreach (var probe in Probes)
        {
            Assert.Equal(model.Analyze(probe), loaded.Analyze(probe));
            Assert.Equal(model.Probability(probe), loaded.Probability(probe));
        }
    }

    [Fact]
    public void Train_WhenSameSeed_IsDeterministic()
    {
        var first = Save(SentimentClassifier.Train(SentimentTestData.Samples(), Lexicon, new SentimentOptions { Seed = 7 }));
        var second = Save(SentimentClassifier.Train(SentimentTestData.Samples(), Lexicon, new SentimentOptions { Seed = 7 }));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Analyze_IsInRangeAndRespectsTheNeutralBand()
    {
        var samples = SentimentTestData.Samples();
        var wide = SentimentClassifier.Train(samples, Lexicon, new SentimentOptions { ClassifierNeutralBand = 0.9 });

        foreach (var probe in Probes)
        {
            var s = wide.Analyze(probe);
            Assert.InRange(s.Score, -1f, 1f);
            Assert.Equal(MathF.Abs(s.Score) < 0.9f ? 0 : Math.Sign(s.Score), s.Label);
        }
    }

    [Fact]
    public void Load_WhenNotAModel_ThrowsInvalidData()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8, 9]);

        Assert.Throws<InvalidDataException>(() => SentimentClassifier.Load(stream, Lexicon));
    }

    [Fact]
    public void Load_WhenTruncated_ThrowsInvalidData()
    {
        var bytes = Save(SentimentClassifier.Train(SentimentTestData.Samples(), Lexicon));
        using var stream = new MemoryStream(bytes[..(bytes.Length / 2)]);

        Assert.Throws<InvalidDataException>(() => SentimentClassifier.Load(stream, Lexicon));
    }

    [Fact]
    public void Train_WhenOneClassTooSmall_Throws()
    {
        var samples = SentimentTestData.Samples().Where(s => s.Positive).Append(new SentimentSample("太差了", false)).ToList();

        var error = Assert.Throws<ArgumentException>(() => SentimentClassifier.Train(samples, Lexicon));

        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Save(SentimentClassifier model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }
}
