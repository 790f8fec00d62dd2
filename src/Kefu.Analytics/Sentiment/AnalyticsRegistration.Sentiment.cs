using Kefu.Analysis;
using Kefu.Analytics.Sentiment;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics;

internal static partial class AnalyticsRegistration
{
    /// <summary>
    /// Registers sentiment analysis: <see cref="SentimentOptions"/> (validated at start), the lexicon analyser, the
    /// tenants' models (<see cref="ISentimentModels"/>), and <see cref="SentimentTextAnalyzer"/> replacing Core's
    /// <see cref="NoTextAnalyzer"/>.
    /// </summary>
    internal static void AddSentiment(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SentimentOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SentimentOptions>, SentimentOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new LexiconSentimentAnalyzer(sp.GetRequiredService<IOptions<SentimentOptions>>().Value));
        services.TryAddSingleton<ISentimentAnalyzer>(sp => sp.GetRequiredService<LexiconSentimentAnalyzer>());
        services.TryAddSingleton<SentimentModelRegistry>();
        services.TryAddSingleton(sp => new SentimentModels(
            sp.GetRequiredService<IConfigurationDocumentStore>(),
            sp.GetRequiredService<LexiconSentimentAnalyzer>(),
            sp.GetRequiredService<SentimentModelRegistry>(),
            sp.GetRequiredService<IOptions<SentimentOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISentimentModels>(sp => sp.GetRequiredService<SentimentModels>());
        services.TryAddSingleton(sp => new SentimentTextAnalyzer(
            sp.GetRequiredService<LexiconSentimentAnalyzer>(),
            sp.GetRequiredService<SentimentModelRegistry>(),
            sp.GetRequiredService<SentimentModels>()));
        services.Replace(ServiceDescriptor.Singleton<ITextAnalyzer>(sp => sp.GetRequiredService<SentimentTextAnalyzer>()));
    }
}
