using Kefu;
using Kefu.Analysis;
using Kefu.Bots;
using Kefu.Engine;
using Kefu.Moderation;
using Kefu.Routing;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Kefu's registration builder: engines and adapters hang their <c>AddX</c>/<c>UseX</c> methods off it.</summary>
public interface IKefuBuilder
{
    /// <summary>The service collection Kefu is registered in.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Registers Kefu.</summary>
public static class KefuServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Kefu engine (<see cref="IKefu"/> and its facets) with Core's defaults: the in-memory store and
    /// transport, first-available-agent routing, no robot, no message filter, no text analysis. Options are validated
    /// when the host starts, or when the engine is first resolved; a bad option fails with its name and allowed range.
    /// </summary>
    public static IKefuBuilder AddKefu(this IServiceCollection services, Action<KefuOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<KefuOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KefuOptions>, KefuOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKefuIdGenerator>(sp => new SnowflakeIdGenerator(sp.GetRequiredService<IOptions<KefuOptions>>().Value.NodeId));
        services.TryAddSingleton<IRoutingPolicy, FirstAvailableAgentRoutingPolicy>();
        services.TryAddSingleton<IBotResponder, NoBotResponder>();
        services.TryAddSingleton<IMessageFilter, AllowAllMessageFilter>();
        services.TryAddSingleton<ITextAnalyzer, NoTextAnalyzer>();
        services.TryAddSingleton<IKefuTransport, InProcessTransport>();

        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<KefuOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("Kefu") ?? NullLogger.Instance;
            var outbox = sp.GetRequiredService<IOutboxStore>();
            var transport = sp.GetRequiredService<IKefuTransport>();
            return new KefuEngine(new EngineServices
            {
                Options = o,
                Time = time,
                Ids = sp.GetRequiredService<IKefuIdGenerator>(),
                CommitStore = sp.GetRequiredService<ITenantCommitStore>(),
                Directory = sp.GetRequiredService<IDirectoryStore>(),
                Conversations = sp.GetRequiredService<IConversationStore>(),
                Outbox = outbox,
                Transport = transport,
                Dispatcher = new OutboxDispatcher(sp.GetServices<IEventSink>(), outbox, time, o.EventSinkRetryDelay, logger, transportNeedsOutbox: transport is not InProcessTransport),
                Routing = sp.GetRequiredService<IRoutingPolicy>(),
                Bots = sp.GetRequiredService<IBotResponder>(),
                Filter = sp.GetRequiredService<IMessageFilter>(),
                Analyzer = sp.GetRequiredService<ITextAnalyzer>(),
                Logger = logger,
                Cluster = sp.GetService<Kefu.Cluster.ShardOwnership>(),
            });
        });
        services.TryAddSingleton<IKefu>(sp => sp.GetRequiredService<KefuEngine>());
        services.TryAddSingleton<IKefuOrganisation>(sp => sp.GetRequiredService<KefuEngine>());
        services.TryAddSingleton<IKefuDirectory>(sp => sp.GetRequiredService<KefuEngine>());
        services.TryAddSingleton<IKefuConversations>(sp => sp.GetRequiredService<KefuEngine>());
        services.TryAddSingleton<IKefuHistory>(sp => sp.GetRequiredService<KefuEngine>());
        AddRetention(services);

        var builder = new KefuBuilder(services);
        builder.UseInMemory(replace: false);
        return builder;
    }

    private static void AddRetention(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new RetentionService(
            sp.GetRequiredService<IOptions<KefuOptions>>(),
            sp.GetRequiredService<IDirectoryStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("Kefu.Retention") ?? NullLogger.Instance,
            sp.GetService<IRetentionStore>()));
        services.TryAddSingleton<IKefuRetention>(sp => sp.GetRequiredService<RetentionService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RetentionService>(sp => sp.GetRequiredService<RetentionService>()));
    }

    /// <summary>Stores everything in memory (the default): for tests and trying Kefu out; nothing survives the process.</summary>
    public static IKefuBuilder UseInMemory(this IKefuBuilder builder) => builder.UseInMemory(replace: true);

    private static IKefuBuilder UseInMemory(this IKefuBuilder builder, bool replace)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (replace)
        {
            builder.Services.RemoveAll<InMemoryKefuStore>();
            return builder.UseStore(static sp => sp.GetRequiredService<InMemoryKefuStore>(), registerStore: static services => services.TryAddSingleton<InMemoryKefuStore>());
        }

        builder.Services.TryAddSingleton<InMemoryKefuStore>();
        AddStoreInterfaces(builder.Services, static sp => sp.GetRequiredService<InMemoryKefuStore>(), replace: false);
        return builder;
    }

    /// <summary>
    /// Stores everything in <typeparamref name="TStore"/>, one object implementing every store interface, in place of
    /// the store registered before (the in-memory one by default). For storage adapters: <c>UseSqlite</c> and
    /// <c>UsePostgreSql</c> are built on it.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="store">Resolves the store; called once per interface, so it should return one singleton.</param>
    /// <param name="registerStore">Registers <typeparamref name="TStore"/> itself, optional.</param>
    public static IKefuBuilder UseStore<TStore>(this IKefuBuilder builder, Func<IServiceProvider, TStore> store, Action<IServiceCollection>? registerStore = null)
        where TStore : class, ITenantCommitStore, IDirectoryStore, IConversationStore, IOutboxStore, IConfigurationDocumentStore, IAggregateStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        registerStore?.Invoke(builder.Services);
        AddStoreInterfaces(builder.Services, store, replace: true);
        return builder;
    }

    private static void AddStoreInterfaces<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> store, bool replace)
        where TStore : class, ITenantCommitStore, IDirectoryStore, IConversationStore, IOutboxStore, IConfigurationDocumentStore, IAggregateStore
    {
        if (replace)
        {
            services.RemoveAll<ITenantCommitStore>();
            services.RemoveAll<IDirectoryStore>();
            services.RemoveAll<IConversationStore>();
            services.RemoveAll<IOutboxStore>();
            services.RemoveAll<IConfigurationDocumentStore>();
            services.RemoveAll<IAggregateStore>();
            services.RemoveAll<IRetentionStore>();
        }

        services.TryAddSingleton<ITenantCommitStore>(store);
        services.TryAddSingleton<IDirectoryStore>(store);
        services.TryAddSingleton<IConversationStore>(store);
        services.TryAddSingleton<IOutboxStore>(store);
        services.TryAddSingleton<IConfigurationDocumentStore>(store);
        services.TryAddSingleton<IAggregateStore>(store);
        if (typeof(TStore).IsAssignableTo(typeof(IRetentionStore)))
        {
            services.TryAddSingleton<IRetentionStore>(sp => (IRetentionStore)store(sp));
        }

        // The shard lease table goes with the store when it has one (in-memory, PostgreSQL), so a cluster's leases and
        // its fenced commits live in the same place; a store without one leaves UseCluster unusable, with a clear error.
        if (replace)
        {
            services.RemoveAll<Kefu.Cluster.IShardLeaseStore>();
        }

        if (typeof(Kefu.Cluster.IShardLeaseStore).IsAssignableFrom(typeof(TStore)))
        {
            services.TryAddSingleton(sp => (Kefu.Cluster.IShardLeaseStore)store(sp));
        }
    }

    /// <summary>Replaces the routing policy (the routing seam).</summary>
    public static IKefuBuilder UseRoutingPolicy<TPolicy>(this IKefuBuilder builder) where TPolicy : class, IRoutingPolicy
        => builder.Replace<IRoutingPolicy, TPolicy>();

    /// <summary>Replaces the robot responder (the bot seam).</summary>
    public static IKefuBuilder UseBotResponder<TResponder>(this IKefuBuilder builder) where TResponder : class, IBotResponder
        => builder.Replace<IBotResponder, TResponder>();

    /// <summary>Replaces the message filter (the sensitive-word seam).</summary>
    public static IKefuBuilder UseMessageFilter<TFilter>(this IKefuBuilder builder) where TFilter : class, IMessageFilter
        => builder.Replace<IMessageFilter, TFilter>();

    /// <summary>
    /// Turns on the sensitive-word filter (M1–M6): <see cref="SensitiveWordFilter"/> becomes the message filter, and
    /// <see cref="ISensitiveWords"/> administers each tenant's lists, allow-list and mode (off until a tenant sets one).
    /// </summary>
    public static IKefuBuilder UseSensitiveWords(this IKefuBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<SensitiveWordFilter>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageFilter>(sp => sp.GetRequiredService<SensitiveWordFilter>()));
        builder.Services.TryAddSingleton<ISensitiveWords>(sp => sp.GetRequiredService<SensitiveWordFilter>());
        return builder;
    }

    /// <summary>Replaces the text analyser (the text-analysis seam).</summary>
    public static IKefuBuilder UseTextAnalyzer<TAnalyzer>(this IKefuBuilder builder) where TAnalyzer : class, ITextAnalyzer
        => builder.Replace<ITextAnalyzer, TAnalyzer>();

    /// <summary>Adds a sink that receives every committed event, in commit order per tenant, with retries.</summary>
    public static IKefuBuilder AddEventSink<TSink>(this IKefuBuilder builder) where TSink : class, IEventSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, TSink>());
        return builder;
    }

    private static IKefuBuilder Replace<TService, TImplementation>(this IKefuBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return builder;
    }

    private sealed class KefuBuilder(IServiceCollection services) : IKefuBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class KefuOptionsValidator : IValidateOptions<KefuOptions>
    {
        public ValidateOptionsResult Validate(string? name, KefuOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (KefuValidationException ex)
            {
                return ValidateOptionsResult.Fail($"KefuOptions.{ex.Field}: {ex.Message}");
            }
        }
    }
}
