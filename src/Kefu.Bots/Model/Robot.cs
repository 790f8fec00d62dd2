namespace Kefu.Bots;

/// <summary>One of a tenant's robots (B1, E17 8.1): its settings, auto replies, hand-off settings and menus.</summary>
public sealed record Robot
{
    /// <summary>The robot's id, unique within the tenant; 0 on a draft, given on create.</summary>
    public long Id { get; init; }

    /// <summary>The robot's name, 1–50 characters.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the robot answers; a disabled robot hands every conversation to a human.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The avatar's address, optional.</summary>
    public string? AvatarUrl { get; init; }

    /// <summary>Auto replies (B2, E17 8.2).</summary>
    public RobotReplies Replies { get; init; } = new();

    /// <summary>Transfer-to-human settings (B2, E17 8.2, 8.4).</summary>
    public HandOffSettings HandOff { get; init; } = new();

    /// <summary>How answers are chosen (B4).</summary>
    public MatchSettings Matching { get; init; } = new();

    /// <summary>Custom menus (自定义菜单) an answer can show, up to 50.</summary>
    public IReadOnlyList<RobotMenu> Menus { get; init; } = [];

    /// <summary>The stored version, for optimistic concurrency; 0 on a draft.</summary>
    public long Version { get; init; }
}

/// <summary>An auto reply that can be switched off.</summary>
/// <param name="Enabled">Whether the robot says it.</param>
/// <param name="Text">What it says, 1–1000 characters.</param>
public sealed record AutoReply(bool Enabled, string Text);

/// <summary>A robot's auto replies (E17 8.2): welcome, default (fallback), repeated question and time-out.</summary>
public sealed record RobotReplies
{
    /// <summary>Said when the robot takes a conversation.</summary>
    public AutoReply Welcome { get; init; } = new(true, "您好，我是智能助手，请问有什么可以帮您？");

    /// <summary>The default reply, said when no rule answers the question.</summary>
    public AutoReply Fallback { get; init; } = new(true, "抱歉，我没有理解您的问题。您可以换个说法再问一次，或者输入“转人工”联系人工客服。");

    /// <summary>Said instead of the answer when the visitor asks the same question again <see cref="RepeatThreshold"/> times in a row.</summary>
    public AutoReply Repeated { get; init; } = new(true, "这个问题我刚刚已经回答过了。如果答案没有解决您的问题，可以输入“转人工”联系人工客服。");

    /// <summary>How many times in a row the same question counts as repeated: 2–10, default 2 (asked a second time).</summary>
    public int RepeatThreshold { get; init; } = 2;

    /// <summary>Said once when the visitor has been silent for <see cref="TimeoutAfter"/> after the robot's last words.</summary>
    public AutoReply Timeout { get; init; } = new(true, "您好，请问还有其他问题吗？如果没有，本次会话稍后将自动结束。");

    /// <summary>The visitor's silence before the time-out reply: 10 seconds to 1 hour, default 3 minutes.</summary>
    public TimeSpan TimeoutAfter { get; init; } = TimeSpan.FromMinutes(3);
}

/// <summary>When and where a robot hands a visitor to a human (转人工设置, E17 8.2 and 8.4).</summary>
public sealed record HandOffSettings
{
    /// <summary>Words that hand the visitor over when the message contains one (after folding), up to 50 of 1–20 characters.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = ["转人工", "人工客服", "找人工", "真人客服", "human agent", "talk to a human"];

    /// <summary>Hand over after this many questions in a row got the fallback reply: 0 never, 1–20, default 3.</summary>
    public int AfterConsecutiveMisses { get; init; } = 3;

    /// <summary>The skill group that receives the visitor (转人工指定技能组), null to let routing decide (E17 8.5.5).</summary>
    public long? TargetGroupId { get; init; }

    /// <summary>Said when handing over, 1–1000 characters.</summary>
    public string Text { get; init; } = "正在为您转接人工客服，请稍候。";
}

/// <summary>A robot's answer thresholds (B4).</summary>
public sealed record MatchSettings
{
    /// <summary>Answer directly at this confidence or above: 0.05–1, default 0.6.</summary>
    public double AnswerThreshold { get; init; } = 0.6;

    /// <summary>Offer "did you mean" choices between this and the answer threshold: 0.01 up to the answer threshold, default 0.3.</summary>
    public double SuggestThreshold { get; init; } = 0.3;

    /// <summary>How many "did you mean" choices at most: 1–3, default 3.</summary>
    public int MaxSuggestions { get; init; } = 3;

    /// <summary>The words before the choices, 1–200 characters.</summary>
    public string SuggestText { get; init; } = "您是不是想问：";
}

/// <summary>A custom menu (自定义菜单): a title and items, each item leading to a knowledge rule's answer or asking its text.</summary>
/// <param name="Id">The menu's id, unique within the robot, 1 or more.</param>
/// <param name="Title">The words shown above the items, 1–200 characters.</param>
/// <param name="Items">1–20 items.</param>
public sealed record RobotMenu(long Id, string Title, IReadOnlyList<RobotMenuItem> Items);

/// <summary>A menu item.</summary>
/// <param name="Text">The item as the visitor sees it, 1–100 characters; choosing it sends this text.</param>
/// <param name="RuleId">The knowledge rule answered when it is chosen; null to match the text as a question.</param>
public sealed record RobotMenuItem(string Text, long? RuleId = null);
