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
}

/// <summary>A visitor's message to a robot.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RobotId">The robot serving the conversation.</param>
/// <param name="Conversation">The conversation.</param>
/// <param name="Text">The visitor's text.</param>
public readonly record struct BotInput(long TenantId, long RobotId, Conversation Conversation, string Text);

/// <summary>
/// The bot seam: robots answer visitors of conversations routed to them. Called inside the tenant's worker; must be
/// fast and must not block. Kefu.Bots implements it; Core's default is <see cref="NoBotResponder"/>.
/// </summary>
public interface IBotResponder
{
    /// <summary>The robot's first words when it takes a conversation (its welcome).</summary>
    BotTurn Start(long tenantId, long robotId, Conversation conversation);

    /// <summary>The robot's answer to a visitor message.</summary>
    BotTurn Respond(in BotInput input);
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
