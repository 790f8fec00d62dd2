using Kefu.Events;

namespace Kefu.Moderation;

/// <summary>What the filter does to a message.</summary>
public enum MessageFilterAction
{
    /// <summary>Deliver unchanged.</summary>
    Allow,
    /// <summary>Withhold the message; the sender is told why (M1).</summary>
    Block,
    /// <summary>Deliver, and give the sending agent a reminder (M2).</summary>
    Remind,
    /// <summary>Deliver with the matches replaced (M3).</summary>
    Mask,
}

/// <summary>The filter's verdict on one message.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Text">The text to deliver for <see cref="MessageFilterAction.Mask"/>.</param>
/// <param name="Notice">What the sender is told (why it was blocked, or the reminder).</param>
/// <param name="Words">The listed words that matched.</param>
public readonly record struct MessageFilterResult(MessageFilterAction Action, string? Text = null, string? Notice = null, IReadOnlyList<string>? Words = null)
{
    /// <summary>Deliver unchanged.</summary>
    public static MessageFilterResult Allowed => default;
}

/// <summary>
/// The message-filter seam (sensitive words, M1–M6): inspects the text of every visitor and agent message inside
/// the tenant's worker before it is stored. Must be fast and must not block. Core's default is
/// <see cref="AllowAllMessageFilter"/>.
/// </summary>
public interface IMessageFilter
{
    /// <summary>Inspects a message's text.</summary>
    MessageFilterResult Inspect(long tenantId, ParticipantKind sender, string text);

    /// <summary>
    /// Called when a tenant's worker (re)loads, before it applies any command: a filter loads the tenant's lists
    /// here. The default does nothing.
    /// </summary>
    ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

/// <summary>Core's default: no filter, every message is delivered as sent.</summary>
public sealed class AllowAllMessageFilter : IMessageFilter
{
    /// <inheritdoc />
    public MessageFilterResult Inspect(long tenantId, ParticipantKind sender, string text) => MessageFilterResult.Allowed;
}
