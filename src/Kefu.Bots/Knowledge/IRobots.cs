namespace Kefu.Bots;

/// <summary>
/// Administers a tenant's robots (B1, B2): their settings, auto replies, hand-off settings and menus. Every change is
/// validated first (a refusal is a <see cref="KefuValidationException"/> naming the field, such as
/// <c>Replies.Welcome.Text</c> or <c>Menus[2].Items[0].Text</c>, and the allowed range) and leaves the stored robots
/// unchanged; it applies to the robot's next answer.
/// </summary>
public interface IRobots
{
    /// <summary>
    /// Creates a robot from <paramref name="draft"/> (its <see cref="Robot.Id"/> and <see cref="Robot.Version"/> are
    /// ignored) and returns it with its new id and version 1.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant does not exist.</exception>
    /// <exception cref="KefuValidationException">A field is out of range; a menu item names a rule (a new robot has none); the hand-off group does not exist.</exception>
    ValueTask<Robot> CreateAsync(long tenantId, Robot draft, CancellationToken cancellationToken = default);

    /// <summary>A robot.</summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    ValueTask<Robot> GetAsync(long tenantId, long robotId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's robots, by id.</summary>
    /// <exception cref="KefuNotFoundException">The tenant does not exist.</exception>
    ValueTask<IReadOnlyList<Robot>> ListAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the robot <paramref name="robot"/> names by its id. <see cref="Robot.Version"/> must be the version
    /// read; returns the robot with its new version.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    /// <exception cref="KefuValidationException">A field is out of range, or a menu item names a rule the robot does not have.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the robot changed since it was read.</exception>
    ValueTask<Robot> UpdateAsync(long tenantId, Robot robot, CancellationToken cancellationToken = default);

    /// <summary>Deletes a robot and all its knowledge rules.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="robotId">The robot.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the robot changed since it was read.</exception>
    ValueTask DeleteAsync(long tenantId, long robotId, long expectedVersion, CancellationToken cancellationToken = default);
}
