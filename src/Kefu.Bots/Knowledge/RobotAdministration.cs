using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// The default <see cref="IRobots"/>: validates, writes the robot's document, then updates the <see cref="BotCatalog"/>,
/// all under the tenant's write lock so the store and the catalog change in the same order.
/// </summary>
internal sealed class RobotAdministration(
    BotCatalog catalog, IConfigurationDocumentStore documents, IDirectoryStore directory, IKefuIdGenerator ids, TimeProvider time) : IRobots
{
    public async ValueTask<Robot> CreateAsync(long tenantId, Robot draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var robot = RobotValidator.Validate(draft);
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var groups = await GroupsAsync(tenantId, robot, cancellationToken).ConfigureAwait(false);
        RobotValidator.ValidateReferences(robot, groups.Contains, _ => false);
        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            robot = robot with { Id = ids.NextId(time.GetUtcNow()) };
            var document = await documents.PutAsync(tenantId, BotDocuments.RobotKind, BotDocuments.Key(robot.Id), BotDocuments.Serialize(robot), 0,
                time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            robot = robot with { Version = document.Version };
            catalog.PutRobot(tenantId, robot);
            return robot;
        }
    }

    public async ValueTask<Robot> GetAsync(long tenantId, long robotId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return catalog.TryGetRobot(tenantId, robotId, out var robot) ? robot : throw new KefuNotFoundException("Robot", robotId);
    }

    public async ValueTask<IReadOnlyList<Robot>> ListAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return catalog.RobotsOf(tenantId);
    }

    public async ValueTask<Robot> UpdateAsync(long tenantId, Robot robot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(robot);
        var validated = RobotValidator.Validate(robot);
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var groups = await GroupsAsync(tenantId, validated, cancellationToken).ConfigureAwait(false);
        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            var current = Current(tenantId, robot.Id, robot.Version);
            RobotValidator.ValidateReferences(validated, groups.Contains,
                id => catalog.TryGetRule(tenantId, id, out var rule) && rule.RobotId == current.Id);
            var document = await documents.PutAsync(tenantId, BotDocuments.RobotKind, BotDocuments.Key(current.Id), BotDocuments.Serialize(validated),
                current.Version, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            validated = validated with { Version = document.Version };
            catalog.PutRobot(tenantId, validated);
            return validated;
        }
    }

    public async ValueTask DeleteAsync(long tenantId, long robotId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            Current(tenantId, robotId, expectedVersion);
            var rules = catalog.RulesOf(tenantId, robotId);

            // The robot goes first: its version check is the point of no return, and rules left behind by a failure
            // below belong to no robot, so loading skips them.
            if (!await documents.DeleteAsync(tenantId, BotDocuments.RobotKind, BotDocuments.Key(robotId), expectedVersion, cancellationToken).ConfigureAwait(false))
            {
                catalog.RemoveRobot(tenantId, robotId);
                throw new KefuNotFoundException("Robot", robotId);
            }

            catalog.RemoveRobot(tenantId, robotId);
            foreach (var rule in rules)
            {
                await documents.DeleteAsync(tenantId, BotDocuments.RuleKind, BotDocuments.Key(rule.Id), rule.Version, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The robot as the catalog has it, checked against the version the caller read.</summary>
    private Robot Current(long tenantId, long robotId, long expectedVersion)
    {
        if (!catalog.TryGetRobot(tenantId, robotId, out var current))
        {
            throw new KefuNotFoundException("Robot", robotId);
        }

        return current.Version == expectedVersion
            ? current
            : throw new KefuException(KefuErrorKind.Concurrency, $"Robot {robotId} is at version {current.Version}, not {expectedVersion}: read it again.");
    }

    private async ValueTask LoadAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (await directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }

        await catalog.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<HashSet<long>> GroupsAsync(long tenantId, Robot robot, CancellationToken cancellationToken)
    {
        if (robot.HandOff.TargetGroupId is null)
        {
            return [];
        }

        var snapshot = await directory.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Tenant", tenantId);
        return [.. snapshot.Directory.OfType<SkillGroup>().Select(g => g.Id)];
    }
}
