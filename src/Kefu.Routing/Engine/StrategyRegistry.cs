namespace Kefu.Routing.Engine;

/// <summary>The assignment strategies registered with the routing engine, by name, and the default for each media.</summary>
internal sealed class StrategyRegistry
{
    private readonly Dictionary<string, IAssignmentStrategy> _byName;
    private readonly IAssignmentStrategy[] _defaults = new IAssignmentStrategy[3];

    public StrategyRegistry(IEnumerable<IAssignmentStrategy> strategies, RoutingOptions options)
    {
        _byName = new Dictionary<string, IAssignmentStrategy>(StringComparer.Ordinal);
        foreach (var strategy in strategies)
        {
            _byName[strategy.Name] = strategy;
        }

        _defaults[(int)MediaKind.Chat] = Require(options.DefaultChatStrategy, nameof(RoutingOptions.DefaultChatStrategy));
        _defaults[(int)MediaKind.Voice] = Require(options.DefaultVoiceStrategy, nameof(RoutingOptions.DefaultVoiceStrategy));
        _defaults[(int)MediaKind.Video] = Require(options.DefaultVideoStrategy, nameof(RoutingOptions.DefaultVideoStrategy));
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public bool Contains(string name) => _byName.ContainsKey(name);

    public IAssignmentStrategy Get(string name) => _byName[name];

    public IAssignmentStrategy DefaultFor(MediaKind media) => _defaults[(int)media];

    private IAssignmentStrategy Require(string name, string field) =>
        _byName.TryGetValue(name, out var strategy)
            ? strategy
            : throw new KefuValidationException("RoutingOptions." + field, $"one of the registered strategies: {string.Join(", ", _byName.Keys)}", $"'{name}' is not registered");
}

/// <summary>A tenant's compiled configuration, swapped atomically when the tenant saves a new one.</summary>
internal sealed class TenantRoutingHolder(CompiledRouting current)
{
    private CompiledRouting _current = current;

    public CompiledRouting Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
