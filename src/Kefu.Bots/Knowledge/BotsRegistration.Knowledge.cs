using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Bots;

internal static partial class BotsRegistration
{
    /// <summary>Registers the Knowledge services: the catalog of robots and rules, <see cref="IRobots"/> and <see cref="IKnowledgeBase"/>.</summary>
    public static void AddKnowledge(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Logging is optional in Kefu: a host without it gets a silent logger.
        services.TryAddSingleton(sp => new BotCatalog(
            sp.GetRequiredService<IConfigurationDocumentStore>(),
            sp.GetRequiredService<IQuestionMatcher>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<BotCatalog>() ?? NullLogger<BotCatalog>.Instance));
        services.TryAddSingleton<IBotCatalog>(sp => sp.GetRequiredService<BotCatalog>());
        services.TryAddSingleton<IRobots, RobotAdministration>();
        services.TryAddSingleton<IKnowledgeBase, KnowledgeBase>();
    }
}
