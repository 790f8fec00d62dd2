using Kefu.Analysis;
using Kefu.Analytics.Sentiment;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Tests.Sentiment;

public sealed class SentimentRegistrationTests
{
    [Fact]
    public void AddSentiment_ReplacesCoresTextAnalyzer()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITextAnalyzer, NoTextAnalyzer>();
        services.AddSingleton<IConfigurationDocumentStore>(new FakeDocumentStore());

        AnalyticsRegistration.AddSentiment(services);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<SentimentTextAnalyzer>(provider.GetRequiredService<ITextAnalyzer>());
        Assert.IsType<SentimentModels>(provider.GetRequiredService<ISentimentModels>());
        Assert.Same(provider.GetRequiredService<LexiconSentimentAnalyzer>(), provider.GetRequiredService<ISentimentAnalyzer>());
    }

    [Theory]
    [InlineData(nameof(SentimentOptions.LexiconNeutralThreshold), "0–0.9")]
    [InlineData(nameof(SentimentOptions.ClassifierNeutralBand), "0–0.9")]
    [InlineData(nameof(SentimentOptions.HashBits), "12–24")]
    [InlineData(nameof(SentimentOptions.MinRowsPerClass), "2–100000")]
    public void Validate_WhenOutOfRange_NamesFieldAndRange(string field, string range)
    {
        var options = new SentimentOptions();
        switch (field)
        {
            case nameof(SentimentOptions.LexiconNeutralThreshold): options.LexiconNeutralThreshold = 1.5; break;
            case nameof(SentimentOptions.ClassifierNeutralBand): options.ClassifierNeutralBand = -0.1; break;
            case nameof(SentimentOptions.HashBits): options.HashBits = 30; break;
            default: options.MinRowsPerClass = 1; break;
        }

        var result = new SentimentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"SentimentOptions.{field}", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(range, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenDefaults_Succeeds()
        => Assert.True(new SentimentOptionsValidator().Validate(null, new SentimentOptions()).Succeeded);

    [Fact]
    public void Options_WhenInvalidInContainer_ThrowOnResolve()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfigurationDocumentStore>(new FakeDocumentStore());
        AnalyticsRegistration.AddSentiment(services);
        services.Configure<SentimentOptions>(o => o.Folds = 1);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SentimentOptions>>().Value);

        Assert.Contains("Folds", error.Message, StringComparison.Ordinal);
    }
}
