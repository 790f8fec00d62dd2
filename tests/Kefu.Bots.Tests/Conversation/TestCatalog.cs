using System.Diagnostics.CodeAnalysis;
using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>An in-memory <see cref="IBotCatalog"/> for unit tests of the responder: robots and rules as given, indexes built at once.</summary>
internal sealed class TestCatalog(IQuestionMatcher? matcher = null) : IBotCatalog
{
    private readonly IQuestionMatcher _matcher = matcher ?? new NgramQuestionMatcher();

    private readonly Dictionary<long, Robot> _robots = [];
    private readonly Dictionary<long, KnowledgeRule> _rules = [];
    private readonly Dictionary<long, KnowledgeIndex> _indexes = [];
    private long _nextRuleId = 100;

    public const long TenantId = 1;

    public Robot Add(Robot robot)
    {
        _robots[robot.Id] = robot;
        Rebuild(robot.Id);
        return robot;
    }

    /// <summary>Adds rules to a robot, giving each the next id; returns them with their ids.</summary>
    public IReadOnlyList<KnowledgeRule> AddRules(long robotId, params KnowledgeRule[] rules)
    {
        var added = rules.Select(r => r with { Id = r.Id != 0 ? r.Id : ++_nextRuleId, RobotId = robotId, Version = 1 }).ToList();
        foreach (var rule in added)
        {
            _rules[rule.Id] = rule;
        }

        Rebuild(robotId);
        return added;
    }

    public ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public bool TryGetRobot(long tenantId, long robotId, [NotNullWhen(true)] out Robot? robot)
    {
        robot = null;
        return tenantId == TenantId && _robots.TryGetValue(robotId, out robot);
    }

    public IReadOnlyList<Robot> RobotsOf(long tenantId) => tenantId == TenantId ? [.. _robots.Values.OrderBy(r => r.Id)] : [];

    public bool TryGetRule(long tenantId, long ruleId, [NotNullWhen(true)] out KnowledgeRule? rule)
    {
        rule = null;
        return tenantId == TenantId && _rules.TryGetValue(ruleId, out rule);
    }

    public IReadOnlyList<KnowledgeRule> RulesOf(long tenantId, long robotId) =>
        tenantId == TenantId ? [.. _rules.Values.Where(r => r.RobotId == robotId).OrderBy(r => r.Id)] : [];

    public KnowledgeIndex IndexOf(long tenantId, long robotId) =>
        tenantId == TenantId && _indexes.TryGetValue(robotId, out var index) ? index : KnowledgeIndex.Empty;

    public Task WhenIndexedAsync(long tenantId, long robotId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private void Rebuild(long robotId) => _indexes[robotId] = KnowledgeIndex.Build(RulesOf(TenantId, robotId), _matcher);
}
