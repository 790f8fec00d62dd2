using Kefu.Analytics.Text;
using Kefu.Analytics.Voice;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics;

internal static partial class AnalyticsRegistration
{
    /// <summary>
    /// Registers the voice of the customer: <see cref="IVoiceOfCustomer"/>, the sink that keeps its daily aggregates,
    /// the tenants' vocabularies, the shared text resources and validated <see cref="VoiceOptions"/>.
    /// </summary>
    public static void AddVoice(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<VoiceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VoiceOptions>, VoiceOptionsValidator>());
        services.TryAddSingleton<TextResources>();
        services.TryAddSingleton<VoiceVocabularies>();
        services.TryAddSingleton<IVoiceOfCustomer, VoiceOfCustomer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, VoiceSink>());
    }
}
