using Kefu.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the routing engine.</summary>
public sealed class RoutingBuilder
{
    internal RoutingBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers an assignment strategy that groups may choose by its name.</summary>
    public RoutingBuilder AddStrategy<TStrategy>() where TStrategy : class, IAssignmentStrategy
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAssignmentStrategy, TStrategy>());
        return this;
    }

    /// <summary>Registers <typeparamref name="TStrategy"/> and makes it the default for chats (and for voice and video when <paramref name="allMedia"/>).</summary>
    public RoutingBuilder UseStrategy<TStrategy>(bool allMedia = false) where TStrategy : class, IAssignmentStrategy, new()
    {
        AddStrategy<TStrategy>();
        var name = new TStrategy().Name;
        Services.Configure<RoutingOptions>(o =>
        {
            o.DefaultChatStrategy = name;
            if (allMedia)
            {
                o.DefaultVoiceStrategy = name;
                o.DefaultVideoStrategy = name;
            }
        });
        return this;
    }
}

/// <summary>Registers Kefu.Routing.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces Core's first-available routing with Kefu.Routing (R1–R13): rules, work hours, navigation, robot modes,
    /// and the built-in strategies least loaded (the chat default), round robin, longest idle (the voice and video
    /// default) and best pick-up rate. <see cref="IRoutingRules"/> administers each tenant's configuration; <see cref="ICallCenter"/> reads recent calls and queue counts.
    /// </summary>
    public static IKefuBuilder AddRouting(this IKefuBuilder builder, Action<RoutingBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RoutingOptions>();
        var routing = new RoutingBuilder(services)
            .AddStrategy<LeastLoadedStrategy>()
            .AddStrategy<RoundRobinStrategy>()
            .AddStrategy<LongestIdleStrategy>()
            .AddStrategy<BestPickUpRateStrategy>();
        configure?.Invoke(routing);
        services.TryAddSingleton<RuleBasedRoutingPolicy>();
        services.Replace(ServiceDescriptor.Singleton<IRoutingPolicy>(sp => sp.GetRequiredService<RuleBasedRoutingPolicy>()));
        services.TryAddSingleton<IRoutingRules>(sp => sp.GetRequiredService<RuleBasedRoutingPolicy>());
        services.TryAddSingleton<ICallCenter, CallCenter>();
        return builder;
    }
}
