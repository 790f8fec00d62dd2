using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing.Engine;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Routing;

/// <summary>Options of the routing engine: the default strategy of each media (R8).</summary>
public sealed class RoutingOptions
{
    /// <summary>The strategy of chat groups that do not choose one. <value>Default <c>least-loaded</c>.</value></summary>
    public string DefaultChatStrategy { get; set; } = LeastLoadedStrategy.StrategyName;

    /// <summary>The strategy of voice (call-centre) groups that do not choose one. <value>Default <c>longest-idle</c>.</value></summary>
    public string DefaultVoiceStrategy { get; set; } = LongestIdleStrategy.StrategyName;

    /// <summary>The strategy of video groups that do not choose one (E86: longest idle). <value>Default <c>longest-idle</c>.</value></summary>
    public string DefaultVideoStrategy { get; set; } = LongestIdleStrategy.StrategyName;
}

/// <summary>Administers a tenant's routing configuration (R1–R5, R8): read it, replace it, read the navigation menu.</summary>
public interface IRoutingRules
{
    /// <summary>The tenant's routing configuration (the defaults until one is saved).</summary>
    ValueTask<RoutingConfiguration> GetAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates and saves the configuration; it applies to the next routing decision. A refused configuration (the
    /// error names the field and what is allowed) leaves the saved one in force.
    /// </summary>
    ValueTask<RoutingConfiguration> SaveAsync(long tenantId, RoutingConfiguration configuration, CancellationToken cancellationToken = default);

    /// <summary>The consultation-navigation menu to show a visitor before human service, or null when it is off (R3).</summary>
    ValueTask<NavigationSettings?> GetNavigationAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="at"/> is within the tenant's work hours (R5).</summary>
    ValueTask<bool> IsWorkTimeAsync(long tenantId, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// Kefu.Routing's routing policy: rules by channel, association, entry and consultation navigation with work hours,
/// overflow and robot modes, and per-group strategies over indexed candidate heaps. Register it with
/// <c>services.AddKefu().AddRouting()</c>.
/// </summary>
public sealed class RuleBasedRoutingPolicy : IRoutingPolicy, IRoutingRules
{
    /// <summary>The configuration document that holds a tenant's routing configuration.</summary>
    public const string DocumentKind = "routing";

    /// <summary>The configuration document's key.</summary>
    public const string DocumentKey = "configuration";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly IConfigurationDocumentStore _documents;
    private readonly IDirectoryStore _directory;
    private readonly TimeProvider _time;
    private readonly StrategyRegistry _strategies;
    private readonly CompiledRouting _defaults;
    private readonly ConcurrentDictionary<long, TenantRoutingHolder> _tenants = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _writers = new();

    /// <summary>Creates the policy.</summary>
    public RuleBasedRoutingPolicy(IConfigurationDocumentStore documents, IDirectoryStore directory, TimeProvider time,
        IEnumerable<IAssignmentStrategy> strategies, IOptions<RoutingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(options);
        _documents = documents;
        _directory = directory;
        _time = time;
        _strategies = new StrategyRegistry(strategies, options.Value);
        _defaults = new CompiledRouting(new RoutingConfiguration(), _strategies);
    }

    // ---- The routing seam

    /// <inheritdoc />
    public RoutingDecision Route(in RoutingRequest request, IRoutingView view) => RouterOf(view).Route(request);

    /// <inheritdoc />
    public IQueuedConversation? SelectForAgent(IRoutingAgent agent, MediaKind media, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return RouterOf(view).SelectForAgent(agent, media);
    }

    /// <inheritdoc />
    public RoutingOutcome DrainOutcome(IQueuedConversation waiting, MediaKind media, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        return RouterOf(view).RingsFirst(waiting.GroupId, media) ? RoutingOutcome.Offer : RoutingOutcome.Assign;
    }

    /// <inheritdoc />
    public void AgentChanged(IRoutingAgent agent, IRoutingView view, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(agent);
        RouterOf(view).AgentChanged(agent, removed);
    }

    /// <inheritdoc />
    public async ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        var document = await _documents.GetAsync(tenantId, DocumentKind, DocumentKey, cancellationToken).ConfigureAwait(false);
        var compiled = document is null ? _defaults : new CompiledRouting(Deserialize(document.Content), _strategies);
        Holder(tenantId).Current = compiled;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> RulesUsingGroup(long tenantId, long groupId) =>
        _tenants.TryGetValue(tenantId, out var holder) ? holder.Current.RulesUsingGroup(groupId) : [];

    private TenantRouter RouterOf(IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.PolicyState is TenantRouter router)
        {
            return router;
        }

        router = new TenantRouter(Holder(view.TenantId), view);
        view.PolicyState = router;
        return router;
    }

    private TenantRoutingHolder Holder(long tenantId) => _tenants.GetOrAdd(tenantId, _ => new TenantRoutingHolder(_defaults));

    // ---- Administration

    /// <inheritdoc />
    public async ValueTask<RoutingConfiguration> GetAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var document = await _documents.GetAsync(tenantId, DocumentKind, DocumentKey, cancellationToken).ConfigureAwait(false);
        return document is null ? new RoutingConfiguration() : Deserialize(document.Content);
    }

    /// <inheritdoc />
    public async ValueTask<RoutingConfiguration> SaveAsync(long tenantId, RoutingConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        RoutingConfigurationValidator.Validate(configuration, _strategies);
        var snapshot = await _directory.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Tenant", tenantId);
        var groups = snapshot.Directory.OfType<SkillGroup>().Select(g => g.Id).ToHashSet();
        var agents = snapshot.Directory.OfType<Agent>().Select(a => a.Id).ToHashSet();
        var associations = snapshot.Directory.OfType<Association>().Select(a => a.Id).ToHashSet();
        RoutingConfigurationValidator.ValidateReferences(configuration, groups, agents, associations);
        var compiled = new CompiledRouting(configuration, _strategies);
        var gate = _writers.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await _documents.GetAsync(tenantId, DocumentKind, DocumentKey, cancellationToken).ConfigureAwait(false);
            await _documents.PutAsync(tenantId, DocumentKind, DocumentKey, JsonSerializer.Serialize(configuration, Json),
                current?.Version ?? 0, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Holder(tenantId).Current = compiled;
            return configuration;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<NavigationSettings?> GetNavigationAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var configuration = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var navigation = configuration.Navigation;
        return navigation.Enabled && navigation.Options.Any(o => o.Enabled)
            ? navigation with { Options = [.. navigation.Options.Where(o => o.Enabled)] }
            : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsWorkTimeAsync(long tenantId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (_tenants.TryGetValue(tenantId, out var holder))
        {
            return holder.Current.IsWorkTime(at);
        }

        var configuration = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return new CompiledRouting(configuration, _strategies).IsWorkTime(at);
    }

    private async ValueTask RequireTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (await _directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }
    }

    private static RoutingConfiguration Deserialize(string content) =>
        JsonSerializer.Deserialize<RoutingConfiguration>(content, Json) ?? new RoutingConfiguration();
}
