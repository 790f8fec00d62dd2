using System.Diagnostics.CodeAnalysis;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// The robots and knowledge rules of each loaded tenant, in memory, with each robot's current
/// <see cref="KnowledgeIndex"/>. Reads never block and never touch the store: they serve the responder inside the
/// tenant's worker. Writes go through <c>IRobots</c> and <c>IKnowledgeBase</c>, which persist first and
/// then update the catalog; a rule change schedules a rebuild of the robot's index off the message path, and the new
/// index is swapped in whole when it is ready.
/// </summary>
internal interface IBotCatalog
{
    /// <summary>Loads a tenant's robots and rules and builds their indexes (once; later calls return at once).</summary>
    ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>A loaded robot.</summary>
    bool TryGetRobot(long tenantId, long robotId, [NotNullWhen(true)] out Robot? robot);

    /// <summary>The loaded robots of a tenant, by id.</summary>
    IReadOnlyList<Robot> RobotsOf(long tenantId);

    /// <summary>A loaded rule of any robot of the tenant.</summary>
    bool TryGetRule(long tenantId, long ruleId, [NotNullWhen(true)] out KnowledgeRule? rule);

    /// <summary>A robot's rules, by id.</summary>
    IReadOnlyList<KnowledgeRule> RulesOf(long tenantId, long robotId);

    /// <summary>The robot's current index (<see cref="KnowledgeIndex.Empty"/> when it has none yet).</summary>
    KnowledgeIndex IndexOf(long tenantId, long robotId);

    /// <summary>Completes when every rebuild scheduled so far for the robot has been swapped in.</summary>
    Task WhenIndexedAsync(long tenantId, long robotId, CancellationToken cancellationToken = default);
}
