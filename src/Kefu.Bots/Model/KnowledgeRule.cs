namespace Kefu.Bots;

/// <summary>What kind of answer a knowledge rule gives (E17 8.3).</summary>
public enum AnswerKind
{
    /// <summary>Text.</summary>
    Text,

    /// <summary>One of the robot's menus.</summary>
    Menu,

    /// <summary>An image or a file.</summary>
    Media,
}

/// <summary>A knowledge rule's answer.</summary>
/// <param name="Kind">Text, menu or media.</param>
/// <param name="Text">The text (for a menu or media optional words said before it), up to 5000 characters; required for text.</param>
/// <param name="MenuId">The robot's menu, for <see cref="AnswerKind.Menu"/>.</param>
/// <param name="Media">The attachment, for <see cref="AnswerKind.Media"/>.</param>
public sealed record KnowledgeAnswer(AnswerKind Kind, string? Text, long? MenuId = null, Kefu.Model.MediaAttachment? Media = null)
{
    /// <summary>A text answer.</summary>
    public static KnowledgeAnswer FromText(string text) => new(AnswerKind.Text, text);
}

/// <summary>A knowledge rule (B3): several ways of asking one question, and its answer.</summary>
public sealed record KnowledgeRule
{
    /// <summary>The rule's id, unique within the tenant; 0 on a draft, given on add.</summary>
    public long Id { get; init; }

    /// <summary>The robot the rule belongs to.</summary>
    public long RobotId { get; init; }

    /// <summary>The question and its variants, 1–200, each 1–500 characters; the first is the rule's title.</summary>
    public required IReadOnlyList<string> Questions { get; init; }

    /// <summary>The answer.</summary>
    public required KnowledgeAnswer Answer { get; init; }

    /// <summary>
    /// Keyword rules: the rule answers a question that contains every word of one entry (words of an entry
    /// separated by <c>+</c>, for example <c>退款+多久</c>), up to 50 entries.
    /// </summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>A category for the administrator's lists, optional, up to 100 characters.</summary>
    public string? Category { get; init; }

    /// <summary>Whether the rule answers; a disabled rule stays in the list but is not matched.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The stored version, for optimistic concurrency; 0 on a draft.</summary>
    public long Version { get; init; }

    /// <summary>The first question: the rule's title.</summary>
    public string Title => Questions.Count > 0 ? Questions[0] : string.Empty;
}
