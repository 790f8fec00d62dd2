using Kefu.Analytics.Quality;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics;

internal static partial class AnalyticsRegistration
{
    /// <summary>
    /// Registers quality inspection (A6): <see cref="IQualityInspection"/>, the sink that inspects conversations when they
    /// close or are rated after the close, and the validated <see cref="QualityInspectionOptions"/>. Needs the stores and
    /// the <see cref="TimeProvider"/> that <c>AddKefu()</c> registers.
    /// </summary>
    internal static void AddQuality(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<QualityInspectionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QualityInspectionOptions>, QualityInspectionOptionsValidator>());
        services.TryAddSingleton<QualityInspection>();
        services.TryAddSingleton<IQualityInspection>(sp => sp.GetRequiredService<QualityInspection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, QualityInspectionSink>());
    }
}
