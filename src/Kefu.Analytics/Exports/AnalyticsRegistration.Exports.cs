using Kefu.Analytics.Exports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Analytics;

internal static partial class AnalyticsRegistration
{
    /// <summary>
    /// Registers exports (P7): <see cref="IReportExports"/>. Needs reporting (<see cref="AddReporting"/>) and the stores;
    /// the voice of the customer and quality inspection exports work when those are registered too.
    /// </summary>
    internal static void AddExports(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IReportExports, ReportExports>();
    }
}
