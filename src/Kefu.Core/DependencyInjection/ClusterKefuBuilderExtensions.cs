using Kefu;
using Kefu.Cluster;
using Kefu.Engine;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs Kefu as one node of several sharing a store.</summary>
public static class ClusterKefuBuilderExtensions
{
    /// <summary>
    /// Makes this engine one node of a cluster: tenants hash into shards, the node takes leases on shards from the
    /// store's lease table (<see cref="IShardLeaseStore"/>: PostgreSQL, or the in-memory store within one process),
    /// renews them, takes over expired ones, and runs a tenant's worker only while it holds the tenant's shard; every
    /// commit is fenced by the lease. <see cref="IKefu"/> forwards commands for other nodes' shards through the
    /// registered <see cref="IKefuCommandForwarder"/> (a cluster transport such as <c>UseRabbitMq</c>). Leases are
    /// taken when the host starts (a hosted service) and released when it stops. Options are validated at start.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="configure">Sets the node name, shard count and lease timings; optional.</param>
    public static IKefuBuilder UseCluster(this IKefuBuilder builder, Action<KefuClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<KefuClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KefuClusterOptions>, ClusterOptionsValidator>());
        services.TryAddSingleton<CommandCatalog>();
        services.TryAddSingleton(static sp => new ShardOwnership(
            sp.GetService<IShardLeaseStore>() ?? throw new InvalidOperationException(
                "UseCluster needs a store with a shard lease table (IShardLeaseStore): UsePostgreSql, or the in-memory store for nodes in one process."),
            sp.GetRequiredService<IOptions<KefuClusterOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            Logger(sp)));
        services.TryAddSingleton<IKefuClusterNode>(static sp => sp.GetRequiredService<ShardOwnership>());
        services.TryAddSingleton(static sp => new ClusterKefu(
            sp.GetRequiredService<KefuEngine>(),
            sp.GetRequiredService<ShardOwnership>(),
            sp.GetService<IKefuCommandForwarder>(),
            sp.GetRequiredService<CommandCatalog>(),
            sp.GetRequiredService<IOptions<KefuClusterOptions>>().Value,
            sp.GetRequiredService<IKefuIdGenerator>(),
            sp.GetRequiredService<TimeProvider>(),
            Logger(sp)));
        services.TryAddSingleton(static sp => new KefuCommandHandler(
            sp.GetRequiredService<KefuEngine>(), sp.GetRequiredService<CommandCatalog>(), sp.GetRequiredService<TimeProvider>(), Logger(sp)));
        services.Replace(ServiceDescriptor.Singleton<IKefu>(static sp => sp.GetRequiredService<ClusterKefu>()));
        services.Replace(ServiceDescriptor.Singleton<IKefuOrganisation>(static sp => sp.GetRequiredService<ClusterKefu>().Organisation));
        services.Replace(ServiceDescriptor.Singleton<IKefuDirectory>(static sp => sp.GetRequiredService<ClusterKefu>().Directory));
        services.Replace(ServiceDescriptor.Singleton<IKefuConversations>(static sp => sp.GetRequiredService<ClusterKefu>().Conversations));
        services.Replace(ServiceDescriptor.Singleton<IKefuHistory>(static sp => sp.GetRequiredService<ClusterKefu>().History));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ClusterMembership>());
        return builder;
    }

    private static ILogger Logger(IServiceProvider sp) => sp.GetService<ILoggerFactory>()?.CreateLogger("Kefu.Cluster") ?? NullLogger.Instance;

    private sealed class ClusterOptionsValidator : IValidateOptions<KefuClusterOptions>
    {
        public ValidateOptionsResult Validate(string? name, KefuClusterOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (KefuValidationException ex)
            {
                return ValidateOptionsResult.Fail($"KefuClusterOptions.{ex.Field}: {ex.Message}");
            }
        }
    }
}

/// <summary>Takes this node's first shard leases when the host starts (after the engine exists) and releases them when it stops.</summary>
internal sealed class ClusterMembership(ShardOwnership ownership, KefuEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(engine); // resolved first, so it hears about the first shards taken
        return ownership.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => ownership.StopAsync(cancellationToken);
}
