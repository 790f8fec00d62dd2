using Kefu.Analytics;
using Kefu.Analytics.Quality;
using Kefu.Analytics.Sentiment;
using Kefu.Analytics.Voice;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the text analytics.</summary>
public sealed class AnalyticsBuilder
{
    internal AnalyticsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Changes the voice of the customer's settings (<see cref="VoiceOptions"/>); they are validated at start.</summary>
    public AnalyticsBuilder ConfigureVoice(Action<VoiceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VoiceOptions>, VoiceOptionsValidator>());
        return this;
    }

    /// <summary>Changes the sentiment analysers' settings (<see cref="SentimentOptions"/>); they are validated at start.</summary>
    public AnalyticsBuilder ConfigureSentiment(Action<SentimentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SentimentOptions>, SentimentOptionsValidator>());
        return this;
    }

    /// <summary>Changes quality inspection's settings (<see cref="QualityInspectionOptions"/>); they are validated at start.</summary>
    public AnalyticsBuilder ConfigureQuality(Action<QualityInspectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QualityInspectionOptions>, QualityInspectionOptionsValidator>());
        return this;
    }
}

/// <summary>Registers Kefu.Analytics.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// Adds Kefu's text analytics (A1–A6): sentiment on every visitor and agent message (replacing Core's "no
    /// analysis"), the voice of the customer (<c>IVoiceOfCustomer</c>: sentiment trends, hot keywords, topics, keyword
    /// detail, the tenant's vocabulary) fed by the engine's events, custom reports and service statistics
    /// (<c>IReports</c>, <c>IServiceStatistics</c>) kept from the same events with their CSV and xlsx exports
    /// (<c>IReportExports</c>), and quality inspection of conversations.
    /// </summary>
    public static IKefuBuilder AddAnalytics(this IKefuBuilder builder, Action<AnalyticsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AnalyticsRegistration.AddSentiment(services);
        AnalyticsRegistration.AddVoice(services);
        AnalyticsRegistration.AddQuality(services);
        AnalyticsRegistration.AddReporting(services);
        AnalyticsRegistration.AddExports(services);
        configure?.Invoke(new AnalyticsBuilder(services));
        return builder;
    }
}
