namespace Kefu.Routing.Engine;

/// <summary>What the router keeps per agent: its nodes in the candidate heaps and the groups they were made for.</summary>
internal sealed class RoutedAgent(IRoutingAgent agent)
{
    public IRoutingAgent Agent { get; } = agent;
    public List<HeapNode> Nodes { get; } = [];
    public long[] Groups = [];
}

/// <summary>
/// One tenant's routing state, kept in <see cref="IRoutingView.PolicyState"/> and used only on the tenant's worker:
/// a candidate heap per (skill group, media) and one for the whole tenant per media, kept current by
/// <see cref="IRoutingPolicy.AgentChanged"/>, so decisions never scan the agents.
/// </summary>
internal sealed class TenantRouter
{
    private const string ReasonBest = "the strategy's best eligible agent";
    private const string ReasonQueued = "nobody eligible can take one more now: queued";
    private const string ReasonAgentBusy = "the named agent cannot take one more now: queued for them";
    private const string ReasonAgent = "the named agent";
    private const string ReasonRobot = "a robot serves";
    private const string RuleTransfer = "transfer to the group";
    private const string RuleRequeue = "routed again";
    private const string RuleHandOffGroup = "the robot's transfer-to-human group";
    private const string RuleEntryGroup = "entry button's skill group";
    private const string RuleDefault = "default rule";
    private const string RuleRobotOnly = "robot-only mode";
    private const string ReasonRobotOnly = "the robot keeps the conversation: robot-only mode allows no human service";
    private const string RuleRobotFirst = "robot-first mode";
    private const string RuleHumanFirst = "human-first mode";
    private const string ReasonHumanFirst = "visitors are waiting in the queue, so a robot takes the new visitor";

    private readonly TenantRoutingHolder _holder;
    private readonly IRoutingView _view;
    private readonly Dictionary<long, RoutedAgent> _agents = [];
    private readonly Dictionary<(long GroupId, MediaKind Media), CandidateHeap> _heaps = [];

    /// <summary>The heap id of the tenant-wide pool.</summary>
    private const long AnyPool = 0;

    /// <summary>The heap id of the pool of agents in no skill group.</summary>
    private const long UngroupedPool = -1;
    private CompiledRouting _config;

    /// <summary>Creates the router; Core announces every agent it loads (<see cref="IRoutingPolicy.AgentChanged"/>), which fills the heaps.</summary>
    public TenantRouter(TenantRoutingHolder holder, IRoutingView view)
    {
        _holder = holder;
        _view = view;
        _config = holder.Current;
    }

    /// <summary>The configuration in force; a newer one saved since the last call re-ranks the heaps with their strategies.</summary>
    private CompiledRouting Config
    {
        get
        {
            var current = _holder.Current;
            if (!ReferenceEquals(current, _config))
            {
                _config = current;
                foreach (var ((groupId, media), heap) in _heaps)
                {
                    heap.SetStrategy(current.StrategyOf(groupId, media));
                }
            }

            return _config;
        }
    }

    public CandidateHeap HeapOf(long groupId, MediaKind media)
    {
        if (!_heaps.TryGetValue((groupId, media), out var heap))
        {
            heap = new CandidateHeap(media, Config.StrategyOf(groupId, media));
            _heaps[(groupId, media)] = heap;
        }

        return heap;
    }

    // ---- Keeping the heaps current

    public void AgentChanged(IRoutingAgent agent, bool removed)
    {
        var id = agent.Agent.Id;
        if (removed)
        {
            if (_agents.Remove(id, out var gone))
            {
                foreach (var node in gone.Nodes)
                {
                    node.Heap.Remove(node);
                }
            }

            return;
        }

        if (!_agents.TryGetValue(id, out var routed))
        {
            routed = new RoutedAgent(agent);
            _agents[id] = routed;
            AddNodes(routed, AnyPool);
            AddNodes(routed, UngroupedPool);
        }

        if (!SameGroups(routed.Groups, agent.Groups))
        {
            Regroup(routed, agent);
        }

        var nodes = routed.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Heap.Update(nodes[i]);
        }
    }

    private static bool SameGroups(long[] known, IReadOnlyCollection<long> now)
    {
        if (known.Length != now.Count)
        {
            return false;
        }

        if (now is HashSet<long> set)
        {
            foreach (var g in known)
            {
                if (!set.Contains(g))
                {
                    return false;
                }
            }

            return true;
        }

        return known.All(now.Contains);
    }

    private void Regroup(RoutedAgent routed, IRoutingAgent agent)
    {
        var groups = agent.Groups.ToArray();
        var wasUngrouped = routed.Nodes.Any(n => n.GroupId == UngroupedPool);
        foreach (var node in routed.Nodes.Where(n => (n.GroupId > 0 && Array.IndexOf(groups, n.GroupId) < 0) || (n.GroupId == UngroupedPool && groups.Length > 0)).ToList())
        {
            node.Heap.Remove(node);
            routed.Nodes.Remove(node);
        }

        foreach (var g in groups.Where(g => Array.IndexOf(routed.Groups, g) < 0))
        {
            AddNodes(routed, g);
        }

        if (groups.Length == 0 && !wasUngrouped)
        {
            AddNodes(routed, UngroupedPool);
        }

        routed.Groups = groups;
    }

    private void AddNodes(RoutedAgent routed, long groupId)
    {
        foreach (var media in MediaKinds.All)
        {
            routed.Nodes.Add(new HeapNode(routed.Agent, HeapOf(groupId, media), groupId));
        }
    }

    // ---- Choosing a conversation for a freed agent (the drain)

    public IQueuedConversation? SelectForAgent(IRoutingAgent agent, MediaKind media)
    {
        var id = agent.Agent.Id;
        IQueuedConversation? best = Oldest(_view.QueueOf(QueueKey.Agent(id, media)), id);
        best = Older(best, Oldest(_view.QueueOf(QueueKey.Any(media)), id));
        if (_agents.TryGetValue(id, out var routed))
        {
            foreach (var g in routed.Groups)
            {
                best = Older(best, Oldest(_view.QueueOf(QueueKey.Group(g, media)), id));
            }

            if (routed.Groups.Length == 0)
            {
                best = Older(best, Oldest(_view.QueueOf(QueueKey.Ungrouped(media)), id));
            }
        }

        return best;
    }

    private static IQueuedConversation? Oldest(IRoutingQueue queue, long agentId)
    {
        for (var waiting = queue.Oldest; waiting is not null; waiting = waiting.Next)
        {
            if (waiting.ExcludedAgentId != agentId)
            {
                return waiting;
            }
        }

        return null;
    }

    private static IQueuedConversation? Older(IQueuedConversation? a, IQueuedConversation? b) =>
        a is null ? b : b is null ? a : (b.Order < a.Order ? b : a);

    // ---- Routing a conversation

    public RoutingDecision Route(in RoutingRequest request)
    {
        var config = Config;
        var mode = config.Configuration.RobotMode;
        switch (request.Reason)
        {
            case RoutingReason.HandOff:
                if (mode == RobotMode.RobotOnly)
                {
                    return RoutingDecision.StayWithBot(new RoutingExplanation(RuleRobotOnly, ReasonRobotOnly));
                }

                if (request.TargetGroupId is { } robotGroup && _view.FindGroup(robotGroup) is not null)
                {
                    return ToGroup(robotGroup, RuleHandOffGroup, request);
                }

                return Human(config, request, skipRobots: true);

            case RoutingReason.New:
                switch (mode)
                {
                    case not RobotMode.ByRules when request.Media != MediaKind.Chat:
                        // Robots chat: calls and video always go to humans.
                        return Human(config, request, skipRobots: true);
                    case RobotMode.RobotOnly or RobotMode.RobotFirst when RobotFor(config, request, out var robotId, out var rule):
                        return RoutingDecision.ToBot(robotId, new RoutingExplanation(rule ?? (mode == RobotMode.RobotOnly ? RuleRobotOnly : RuleRobotFirst), ReasonRobot));
                    case RobotMode.HumanFirst when _view.QueuedCountOf(MediaKind.Chat) > 0 && RobotFor(config, request, out var robotId, out _):
                        return RoutingDecision.ToBot(robotId, new RoutingExplanation(RuleHumanFirst, ReasonHumanFirst));
                    case RobotMode.ByRules:
                        return Human(config, request, skipRobots: false);
                    default:
                        return Human(config, request, skipRobots: true);
                }

            default:
                // Transfers, requeues and declined or missed offers go back to the group they were for.
                if (request.TargetGroupId is { } group && _view.FindGroup(group) is not null)
                {
                    return ToGroup(group, request.Reason == RoutingReason.Transfer ? RuleTransfer : RuleRequeue, request);
                }

                return ToAny(RuleRequeue, request);
        }
    }

    /// <summary>The robot for a robot mode: the first matching rule's robot, else the default robot.</summary>
    private bool RobotFor(CompiledRouting config, in RoutingRequest request, out long robotId, out string? rule)
    {
        var work = config.IsWorkTime(_view.Now);
        foreach (var kind in config.KindOrder)
        {
            var found = FirstRobotRule(config.RulesFor(kind, request), work);
            if (found is null && kind == RuleKind.Entry && request.EntryGroupId is { } entryGroup)
            {
                found = FirstRobotRule(config.EntryGroupRules(entryGroup), work);
            }

            if (found is not null)
            {
                robotId = found.TargetAt(work)!.Id;
                rule = found.DisplayName;
                return true;
            }
        }

        rule = null;
        robotId = config.Configuration.DefaultRobotId ?? 0;
        return config.Configuration.DefaultRobotId is not null;
    }

    private static CompiledRule? FirstRobotRule(ReadOnlySpan<CompiledRule> rules, bool work)
    {
        foreach (var r in rules)
        {
            if (r.TargetAt(work) is { Kind: TargetKind.Robot })
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>
    /// Human service, or the rules' robot when <paramref name="skipRobots"/> is false: the chosen navigation option's
    /// rules first, then each rule kind in the tenant's priority order (first match wins), then the default rule. With
    /// <paramref name="skipRobots"/>, rules that target a robot are passed over, so a robot's hand-off lands on the next
    /// lower rule's group (E17 8.5.5); a group rule never falls back to a robot.
    /// </summary>
    private RoutingDecision Human(CompiledRouting config, in RoutingRequest request, bool skipRobots)
    {
        var work = config.IsWorkTime(_view.Now);
        if (config.NavigationShown && request.NavigationOption is { } option)
        {
            foreach (var r in config.NavigationRules(option))
            {
                if (r.TargetAt(work) is { } target && !(skipRobots && target.Kind == TargetKind.Robot) && Usable(target))
                {
                    return ToTarget(target, r, request);
                }
            }
        }

        foreach (var kind in config.KindOrder)
        {
            foreach (var r in config.RulesFor(kind, request))
            {
                if (r.TargetAt(work) is { } target && !(skipRobots && target.Kind == TargetKind.Robot) && Usable(target))
                {
                    return ToTarget(target, r, request);
                }
            }

            if (kind == RuleKind.Entry && request.EntryGroupId is { } entryGroup)
            {
                foreach (var r in config.EntryGroupRules(entryGroup))
                {
                    if (r.TargetAt(work) is { } target && !(skipRobots && target.Kind == TargetKind.Robot) && Usable(target))
                    {
                        return ToTarget(target, r, request);
                    }
                }

                if (_view.FindGroup(entryGroup) is not null)
                {
                    return ToGroup(entryGroup, RuleEntryGroup, request);
                }
            }
        }

        if (config.Configuration.DefaultTarget is { } fallback && !(skipRobots && fallback.Kind == TargetKind.Robot) && Usable(fallback))
        {
            return fallback.Kind switch
            {
                TargetKind.Robot => RoutingDecision.ToBot(fallback.Id, new RoutingExplanation(RuleDefault, ReasonRobot)),
                TargetKind.Group => ToGroup(fallback.Id, RuleDefault, request),
                _ => ToAgent(fallback.Id, RuleDefault, request),
            };
        }

        return ToAny(RuleDefault, request);
    }

    /// <summary>Whether a target still exists (a group or agent deleted since the rule was saved is passed over).</summary>
    private bool Usable(RoutingTarget target) => target.Kind switch
    {
        TargetKind.Group => _view.FindGroup(target.Id) is not null,
        TargetKind.Agent => _view.FindAgent(target.Id) is not null,
        _ => true,
    };

    private RoutingDecision ToTarget(RoutingTarget target, CompiledRule rule, in RoutingRequest request)
    {
        if (target.Kind == TargetKind.Robot)
        {
            return RoutingDecision.ToBot(target.Id, new RoutingExplanation(rule.DisplayName, ReasonRobot));
        }

        if (rule.Rule.Overflow is { } overflow && QueueLength(target, request.Media) > overflow.Threshold && Usable(overflow.Target)
            && overflow.Target.Kind != TargetKind.Robot)
        {
            return overflow.Target.Kind == TargetKind.Group
                ? ToGroup(overflow.Target.Id, rule.OverflowName, request)
                : ToAgent(overflow.Target.Id, rule.OverflowName, request);
        }

        return target.Kind == TargetKind.Group ? ToGroup(target.Id, rule.DisplayName, request) : ToAgent(target.Id, rule.DisplayName, request);
    }

    private int QueueLength(RoutingTarget target, MediaKind media) => target.Kind switch
    {
        TargetKind.Group => _view.QueueOf(QueueKey.Group(target.Id, media)).Count,
        TargetKind.Agent => _view.QueueOf(QueueKey.Agent(target.Id, media)).Count,
        _ => 0,
    };

    private RoutingDecision ToGroup(long groupId, string rule, in RoutingRequest request) =>
        FromHeap(HeapOf(groupId, request.Media), groupId, rule, request);

    /// <summary>The default pool: the agents in no skill group (E17 8.5.4), or every agent.</summary>
    private RoutingDecision ToAny(string rule, in RoutingRequest request) =>
        _config.Configuration.DefaultPool == DefaultPool.AnyAgent
            ? FromHeap(HeapOf(AnyPool, request.Media), null, rule, request)
            : FromHeap(HeapOf(UngroupedPool, request.Media), null, rule, request, ungrouped: true);

    private RoutingDecision FromHeap(CandidateHeap heap, long? groupId, string rule, in RoutingRequest request, bool ungrouped = false)
    {
        var excluded = request.ExcludedAgentId;
        var best = heap.Best(excluded);
        var eligible = heap.Count - (excluded is { } x && _agents.TryGetValue(x, out var ex) && InHeap(ex, heap) ? 1 : 0);
        if (best is null)
        {
            var queued = new RoutingExplanation(rule, ReasonQueued, heap.Strategy.Name, 0);
            return ungrouped ? RoutingDecision.QueueForUngrouped(queued) : RoutingDecision.QueueFor(groupId, queued);
        }

        Span<RoutingCandidate> top = stackalloc RoutingCandidate[RoutingExplanation.MaxCandidates];
        var n = heap.TopCandidates(excluded, top, _view.Now);
        var explanation = new RoutingExplanation(rule, ReasonBest, heap.Strategy.Name, eligible, top[..n]);
        return RingsFirst(groupId, request.Media)
            ? RoutingDecision.OfferTo(best.AgentId, groupId, explanation)
            : RoutingDecision.AssignTo(best.AgentId, groupId, explanation);
    }

    private static bool InHeap(RoutedAgent agent, CandidateHeap heap)
    {
        foreach (var node in agent.Nodes)
        {
            if (ReferenceEquals(node.Heap, heap))
            {
                return node.Index >= 0;
            }
        }

        return false;
    }

    private RoutingDecision ToAgent(long agentId, string rule, in RoutingRequest request)
    {
        var agent = _view.FindAgent(agentId);
        if (agent is null || agentId == request.ExcludedAgentId || !agent.CanTakeAutomatically(request.Media))
        {
            return RoutingDecision.QueueForAgent(agentId, new RoutingExplanation(rule, ReasonAgentBusy));
        }

        Span<RoutingCandidate> one = [new RoutingCandidate(agentId, 0)];
        var explanation = new RoutingExplanation(rule, ReasonAgent, null, 1, one);
        return RingsFirst(null, request.Media)
            ? RoutingDecision.OfferTo(agentId, null, explanation)
            : RoutingDecision.AssignTo(agentId, null, explanation);
    }

    /// <summary>Calls ring (voice and video); chats ring when their group requires acceptance.</summary>
    public bool RingsFirst(long? groupId, MediaKind media) =>
        media != MediaKind.Chat || (groupId is { } g && Config.RequiresAcceptance(g));
}
