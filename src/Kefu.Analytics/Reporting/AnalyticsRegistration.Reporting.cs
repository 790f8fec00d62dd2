using Kefu.Analytics.Reporting;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Analytics;

internal static partial class AnalyticsRegistration
{
    /// <summary>Registers reporting: <see cref="IReports"/>, <see cref="IServiceStatistics"/> and the sink that keeps its aggregates from the engine's events.</summary>
    internal static void AddReporting(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IReports, Reports>();
        services.TryAddSingleton<IServiceStatistics, ServiceStatistics>();
        services.TryAddSingleton<QualityScores>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, ReportingSink>());
        Reporting.Calls.CallStatisticsRegistration.Add(services);
    }
}
