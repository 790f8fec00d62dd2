using Kefu.Bots;
using Kefu.Bots.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the bot engine.</summary>
public sealed class BotsBuilder
{
    internal BotsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Replaces the statistical matcher (<see cref="NgramQuestionMatcher"/> by default) with <typeparamref name="TMatcher"/>.</summary>
    public BotsBuilder UseMatcher<TMatcher>() where TMatcher : class, IQuestionMatcher
    {
        Services.Replace(ServiceDescriptor.Singleton<IQuestionMatcher, TMatcher>());
        return this;
    }
}

/// <summary>Registers Kefu.Bots.</summary>
public static class BotsServiceCollectionExtensions
{
    /// <summary>
    /// Replaces Core's "no robot" with Kefu.Bots (B1–B7): robots with auto replies, hand-off and menus
    /// (<c>IRobots</c>), knowledge rules with import and export (<c>IKnowledgeBase</c>), the matching
    /// pipeline, agent assist (<c>IAgentAssist</c>) and Q&amp;A optimisation (<c>IBotOptimization</c>).
    /// </summary>
    public static IKefuBuilder AddBots(this IKefuBuilder builder, Action<BotsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<IQuestionMatcher, NgramQuestionMatcher>();
        BotsRegistration.AddKnowledge(services);
        BotsRegistration.AddConversation(services);
        BotsRegistration.AddAssist(services);
        configure?.Invoke(new BotsBuilder(services));
        return builder;
    }
}
