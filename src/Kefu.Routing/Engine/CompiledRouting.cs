using Kefu.Events;

namespace Kefu.Routing.Engine;

/// <summary>A rule ready for matching: its target per period and its name as explanations show it.</summary>
internal sealed class CompiledRule(RoutingRule rule, string displayName)
{
    public RoutingRule Rule { get; } = rule;
    public string DisplayName { get; } = displayName;
    public string OverflowName { get; } = displayName + " (overflow)";

    public RoutingTarget? TargetAt(bool workTime) => Rule.AllDay ?? (workTime ? Rule.WorkHours : Rule.OffHours);
}

/// <summary>
/// A tenant's routing configuration compiled for the worker: rules indexed by what they match, work hours as tick
/// ranges, strategies resolved. Immutable; a save compiles a new one and swaps it in.
/// </summary>
internal sealed class CompiledRouting
{
    private static readonly CompiledRule[] None = [];
    private readonly Dictionary<ChannelKind, CompiledRule[]> _byChannel;
    private readonly Dictionary<long, CompiledRule[]> _byAssociation;
    private readonly Dictionary<string, CompiledRule[]> _byEntry;
    private readonly Dictionary<long, CompiledRule[]> _byEntryGroup;
    private readonly Dictionary<string, CompiledRule[]> _byNavigation;
    private readonly Dictionary<long, GroupRouting> _groups;
    private readonly Dictionary<long, IAssignmentStrategy> _groupStrategies = [];
    private readonly long[][] _periods = new long[7][];
    private readonly HashSet<DateOnly> _holidays;
    private readonly TimeZoneInfo _zone;

    public CompiledRouting(RoutingConfiguration configuration, StrategyRegistry strategies)
    {
        Configuration = configuration;
        Strategies = strategies;
        KindOrder = [.. configuration.KindOrder];
        var rules = configuration.Rules.Where(r => r.Enabled).Select(r => new CompiledRule(r, DisplayName(r))).ToArray();
        _byChannel = Index(rules.Where(r => r.Rule.Kind == RuleKind.Channel), r => r.Rule.Channel!.Value);
        _byAssociation = Index(rules.Where(r => r.Rule.Kind == RuleKind.Association), r => r.Rule.AssociationId!.Value);
        _byEntry = Index(rules.Where(r => r.Rule.Kind == RuleKind.Entry && r.Rule.Entry is not null), r => r.Rule.Entry!);
        _byEntryGroup = Index(rules.Where(r => r.Rule.Kind == RuleKind.Entry && r.Rule.Entry is null), r => r.Rule.EntryGroupId!.Value);
        _byNavigation = Index(rules.Where(r => r.Rule.IsNavigation), r => r.Rule.NavigationOption!);
        _groups = configuration.Groups.ToDictionary(g => g.GroupId);
        foreach (var g in configuration.Groups.Where(g => g.Strategy is not null))
        {
            _groupStrategies[g.GroupId] = strategies.Get(g.Strategy!);
        }

        _zone = TimeZoneInfo.FindSystemTimeZoneById(configuration.WorkHours.TimeZone);
        for (var d = 0; d < 7; d++)
        {
            _periods[d] = configuration.WorkHours.Week.TryGetValue((DayOfWeek)d, out var periods)
                ? [.. periods.SelectMany(p => new[] { p.Start.Ticks, p.End.Ticks })]
                : [];
        }

        _holidays = [.. configuration.WorkHours.Holidays];
        NavigationShown = configuration.Navigation.Enabled && configuration.Navigation.Options.Any(o => o.Enabled);
    }

    public RoutingConfiguration Configuration { get; }
    public StrategyRegistry Strategies { get; }
    public bool NavigationShown { get; }

    /// <summary>The rule kinds in priority order, as an array: walking it allocates nothing.</summary>
    public RuleKind[] KindOrder { get; }

    /// <summary>Whether <paramref name="now"/> falls in the work hours (R5): a work period of its weekday, not a holiday.</summary>
    public bool IsWorkTime(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        if (_holidays.Count > 0 && _holidays.Contains(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }

        var periods = _periods[(int)local.DayOfWeek];
        var time = local.TimeOfDay.Ticks;
        for (var i = 0; i < periods.Length; i += 2)
        {
            if (time >= periods[i] && time < periods[i + 1])
            {
                return true;
            }
        }

        return false;
    }

    public ReadOnlySpan<CompiledRule> RulesFor(RuleKind kind, in RoutingRequest request) => kind switch
    {
        RuleKind.Channel => _byChannel.GetValueOrDefault(request.ChannelKind, None),
        RuleKind.Association => request.AssociationId is { } a ? _byAssociation.GetValueOrDefault(a, None) : None,
        _ => request.Entry is { } e ? _byEntry.GetValueOrDefault(e, None) : None,
    };

    public ReadOnlySpan<CompiledRule> EntryGroupRules(long groupId) => _byEntryGroup.GetValueOrDefault(groupId, None);

    public ReadOnlySpan<CompiledRule> NavigationRules(string option) => _byNavigation.GetValueOrDefault(option, None);

    public bool RequiresAcceptance(long groupId) => _groups.TryGetValue(groupId, out var g) && g.RequireAcceptance;

    /// <summary>The strategy of a group (or of the tenant-wide pool when <paramref name="groupId"/> is 0) for a media.</summary>
    public IAssignmentStrategy StrategyOf(long groupId, MediaKind media) =>
        groupId > 0 && _groupStrategies.TryGetValue(groupId, out var chosen) ? chosen : Strategies.DefaultFor(media);

    /// <summary>Names of the rules that send conversations to, or overflow into, the group (C5).</summary>
    public IReadOnlyList<string> RulesUsingGroup(long groupId)
    {
        var names = new List<string>();
        foreach (var rule in Configuration.Rules)
        {
            if (Uses(rule.AllDay) || Uses(rule.WorkHours) || Uses(rule.OffHours) || Uses(rule.Overflow?.Target) || rule.EntryGroupId == groupId)
            {
                names.Add(rule.Name);
            }
        }

        if (Uses(Configuration.DefaultTarget))
        {
            names.Add("default rule");
        }

        if (_groups.ContainsKey(groupId))
        {
            names.Add("the group's strategy setting");
        }

        return names;

        bool Uses(RoutingTarget? target) => target is { Kind: TargetKind.Group } t && t.Id == groupId;
    }

    private static string DisplayName(RoutingRule rule) => rule.IsNavigation
        ? $"navigation rule '{rule.Name}'"
        : $"{rule.Kind!.Value.ToString().ToLowerInvariant()} rule '{rule.Name}'";

    private static Dictionary<TKey, CompiledRule[]> Index<TKey>(IEnumerable<CompiledRule> rules, Func<CompiledRule, TKey> key) where TKey : notnull =>
        rules.GroupBy(key).ToDictionary(g => g.Key, g => g.ToArray());
}
