using Kefu.Bots.Assist;
using Kefu.Bots.Matching;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kefu.Bots;

internal static partial class BotsRegistration
{
    /// <summary>
    /// Registers agent assist (B5): <see cref="IAgentAssist"/>, the sink that mines closed conversations, and their
    /// validated <see cref="AgentAssistOptions"/>. Needs the bot catalog (<c>IBotCatalog</c>) registered by the knowledge part.
    /// </summary>
    public static void AddAssist(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentAssistOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentAssistOptions>, AgentAssistOptionsValidator>());
        services.TryAddSingleton(sp => new AssistState(
            sp.GetRequiredService<IConfigurationDocumentStore>(),
            sp.GetRequiredService<IQuestionMatcher>(),
            sp.GetRequiredService<IOptions<AgentAssistOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("Kefu.Bots.Assist") ?? NullLogger.Instance));
        services.TryAddSingleton<IAgentAssist, AgentAssist>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, AssistMiningSink>());
    }
}
