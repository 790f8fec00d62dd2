using Kefu.Bots.Knowledge;
using Kefu.Bots.Optimization;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kefu.Bots;

internal static partial class BotsRegistration
{
    /// <summary>
    /// Registers the robot that answers visitors (<see cref="KnowledgeBotResponder"/>, replacing Core's
    /// <see cref="NoBotResponder"/>), the log of unmatched questions and Q&amp;A optimisation (<see cref="IBotOptimization"/>).
    /// </summary>
    public static void AddConversation(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BotOptimizationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotOptimizationOptions>, BotOptimizationOptionsValidator>());
        services.TryAddSingleton(sp => new UnmatchedQuestionLog(
            sp.GetRequiredService<IConfigurationDocumentStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<BotOptimizationOptions>>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new KnowledgeBotResponder(
            sp.GetRequiredService<IBotCatalog>(),
            sp.GetRequiredService<UnmatchedQuestionLog>(),
            sp.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IBotResponder>(sp => sp.GetRequiredService<KnowledgeBotResponder>()));
        services.TryAddSingleton<IBotOptimization>(sp => new BotOptimization(
            sp.GetRequiredService<IBotCatalog>(),
            sp.GetRequiredService<UnmatchedQuestionLog>(),
            sp.GetRequiredService<IKnowledgeBase>(),
            sp.GetRequiredService<IDirectoryStore>(),
            sp.GetRequiredService<IOptions<BotOptimizationOptions>>()));
    }
}
