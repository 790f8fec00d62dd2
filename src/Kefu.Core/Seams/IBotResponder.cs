using Kefu.Model;

namespace Kefu.Bots;

/// <summary>What a robot says and does in answer to a visitor.</summary>
/// <param name="Replies">Texts the robot sends, in order.</param>
/// <param name="HandOffToHuman">True when the visitor should go to a human agent.</param>
/// <param name="TargetGroupId">The skill group for the hand-off, null to let routing decide (E17 8.5.5).</param>
public sealed record BotTurn(IReadOnlyList<string> Replies, bool HandOffToHuman = false, long? TargetGroupId = null)
{
    /// <summary>A turn that says nothing and keeps the conversation with the robot.</summary>
    public static BotTurn Silent { get; } = new([]);

    /// <summary>
    /// Messages that are more than text (menus, images, files), sent after <see cref="Replies"/>, in order. Each is
    /// validated like a message an agent sends.
    /// </summary>
    public IReadOnlyList<MessageContent> Attachments { get; init; } = [];
}

/// <summary>
/// What a robot remembers of one conversation while it serves it: Core keeps it with the conversation from the
/// robot's welcome until the conversation leaves the robot, and hands it to every call of the responder. It lives in
/// memory only: a restart starts the robot's memory afresh.
/// </summary>
public sealed class BotSession
{
    /// <summary>The responder's own state; Core never looks at it.</summary>
    public object? State { get; set; }
}

/// <summary>A visitor's message to a robot.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RobotId">The robot serving the conversation.</param>
/// <param name="Conversation">The conversation.</param>
/// <param name="Text">The visitor's text; empty for <see cref="IBotResponder.TimedOut"/>.</param>
/// <param name="Session">The robot's memory of this conversation.</param>
public readonly record struct BotInput(long TenantId, long RobotId, Conversation Conversation, string Text, BotSession Session);

/// <summary>
/// The bot seam: robots answer visitors of conversations routed to them. Called inside the tenant's worker; must be
/// fast and must not block. Kefu.Bots implements it; Core's default is <see cref="NoBotResponder"/>.
/// </summary>
public interface IBotResponder
{
    /// <summary>
    /// Loads what the responder needs to answer a tenant's visitors (robots, knowledge indexes): called when the
    /// tenant's worker loads, before any turn.
    /// </summary>
    ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The robot's first words when it takes a conversation (its welcome).</summary>
    BotTurn Start(long tenantId, long robotId, Conversation conversation);

    /// <summary>The robot's answer to a visitor message.</summary>
    BotTurn Respond(in BotInput input);

    /// <summary>
    /// How long the robot waits for the visitor after its last words before <see cref="TimedOut"/> is called (the
    /// time-out reply of E17 8.2); null for never. Read each time the robot has spoken, so a change applies from the
    /// next turn.
    /// </summary>
    TimeSpan? IdleTimeout(long tenantId, long robotId) => null;

    /// <summary>The robot's turn when the visitor has been silent for <see cref="IdleTimeout"/>: once per silence.</summary>
    BotTurn TimedOut(in BotInput input) => BotTurn.Silent;
}

/// <summary>Core's default: no robot. Conversations routed to a robot go straight to a human.</summary>
public sealed class NoBotResponder : IBotResponder
{
    private static readonly BotTurn HandOff = new([], HandOffToHuman: true);

    /// <inheritdoc />
    public BotTurn Start(long tenantId, long robotId, Conversation conversation) => HandOff;

    /// <inheritdoc />
    public BotTurn Respond(in BotInput input) => HandOff;
}
