using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Analytics.Reporting.Calls;

/// <summary>Registers the call and video statistics (P5, P6).</summary>
internal static class CallStatisticsRegistration
{
    /// <summary>Adds <see cref="ICallStatistics"/> and the sink that keeps its aggregates.</summary>
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ICallStatistics, CallStatistics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, CallStatisticsSink>());
    }
}
