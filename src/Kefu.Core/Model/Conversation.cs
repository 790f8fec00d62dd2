using Kefu.Events;

namespace Kefu.Model;

/// <summary>Where a conversation is in its lifecycle (C8).</summary>
public enum ConversationState
{
    /// <summary>Created, not yet routed.</summary>
    Created,
    /// <summary>Served by a robot.</summary>
    Bot,
    /// <summary>Waiting in a queue for an agent.</summary>
    Queued,
    /// <summary>Offered to an agent who has not accepted yet (ringing).</summary>
    Offered,
    /// <summary>Served by an agent.</summary>
    InService,
    /// <summary>Ended.</summary>
    Closed,
}

/// <summary>A visitor's rating of a conversation (C13).</summary>
/// <param name="Level">1 (lowest) to <paramref name="LevelCount"/>.</param>
/// <param name="LevelCount">The rating mode when the rating was given: 2, 3 or 5.</param>
/// <param name="Tags">Tags picked from the level's tags.</param>
/// <param name="Comment">The visitor's comment, if enabled.</param>
/// <param name="At">When it was given.</param>
public sealed record Rating(int Level, int LevelCount, IReadOnlyList<string> Tags, string? Comment, DateTimeOffset At);

/// <summary>A conversation's wrap-up (会话整理, C14): saved as drafts, immutable once submitted.</summary>
public sealed record WrapUp
{
    /// <summary>The problem type (a wrap-up category).</summary>
    public long? ProblemTypeId { get; init; }
    /// <summary>Whether the problem was resolved (已解决/未解决).</summary>
    public bool? Resolved { get; init; }
    /// <summary>Problem detail.</summary>
    public string? Detail { get; init; }
    /// <summary>The reply given.</summary>
    public string? Reply { get; init; }
    /// <summary>Whether the wrap-up was submitted; then it cannot change.</summary>
    public bool Submitted { get; init; }
    /// <summary>Who saved it last.</summary>
    public long AgentId { get; init; }
    /// <summary>When it was saved last.</summary>
    public DateTimeOffset SavedAt { get; init; }
}

/// <summary>
/// A conversation (会话) as stored and returned to callers: an immutable snapshot. Every lifecycle transition is
/// timestamped (C8); reports measure these timestamps.
/// </summary>
public sealed record Conversation
{
    /// <summary>The conversation id, for example 323903781685448704.</summary>
    public required long Id { get; init; }
    /// <summary>The tenant.</summary>
    public required long TenantId { get; init; }
    /// <summary>The visitor.</summary>
    public required long VisitorId { get; init; }
    /// <summary>The channel kind the visitor came from.</summary>
    public ChannelKind ChannelKind { get; init; }
    /// <summary>The channel, if known.</summary>
    public long? ChannelId { get; init; }
    /// <summary>The association, if known.</summary>
    public long? AssociationId { get; init; }
    /// <summary>The entry (button or navigation option) the visitor used, if any.</summary>
    public string? Entry { get; init; }
    /// <summary>The skill group the visitor's entry is bound to (E17 8.5.3), if any.</summary>
    public long? EntryGroupId { get; init; }
    /// <summary>The consultation-navigation option the visitor chose before human service (R3), if any.</summary>
    public string? NavigationOption { get; init; }
    /// <summary>Lifecycle state.</summary>
    public ConversationState State { get; init; }
    /// <summary>The serving agent.</summary>
    public long? AgentId { get; init; }
    /// <summary>The skill group the conversation was routed to.</summary>
    public long? GroupId { get; init; }
    /// <summary>While queued: the named agent whose queue it waits in (a navigation rule chose that agent), else null.</summary>
    public long? QueuedForAgentId { get; init; }
    /// <summary>While queued: whose queue it waits in (the tenant's, a group's, a named agent's, the ungrouped agents'); null otherwise.</summary>
    public Kefu.Routing.QueueTargetKind? QueueKind { get; init; }
    /// <summary>An agent a transfer was requested to, who has not accepted yet (C11).</summary>
    public long? PendingTransferToAgentId { get; init; }
    /// <summary>The agent who started a proactive conversation (C19).</summary>
    public long? InvitingAgentId { get; init; }
    /// <summary>When the conversation was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it last joined a queue.</summary>
    public DateTimeOffset? QueuedAt { get; init; }
    /// <summary>When it was last offered to an agent.</summary>
    public DateTimeOffset? OfferedAt { get; init; }
    /// <summary>When an agent picked it up (接起).</summary>
    public DateTimeOffset? AssignedAt { get; init; }
    /// <summary>When the agent first replied after pick-up.</summary>
    public DateTimeOffset? FirstAgentMessageAt { get; init; }
    /// <summary>When the visitor last sent a message.</summary>
    public DateTimeOffset? LastVisitorMessageAt { get; init; }
    /// <summary>When an agent last sent a message.</summary>
    public DateTimeOffset? LastAgentMessageAt { get; init; }
    /// <summary>When it was closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>Why it was closed.</summary>
    public CloseReason CloseReason { get; init; }
    /// <summary>Total milliseconds spent in queues.</summary>
    public long QueueWaitMilliseconds { get; init; }
    /// <summary>Messages stored in the conversation, system notices included.</summary>
    public int MessageCount { get; init; }
    /// <summary>Messages sent by the visitor.</summary>
    public int VisitorMessageCount { get; init; }
    /// <summary>Messages sent by agents.</summary>
    public int AgentMessageCount { get; init; }
    /// <summary>Whether a rating invitation was sent.</summary>
    public bool RatingInvited { get; init; }
    /// <summary>The rating, once given.</summary>
    public Rating? Rating { get; init; }
    /// <summary>The wrap-up, once saved.</summary>
    public WrapUp? WrapUp { get; init; }
    /// <summary>Session tags (C17).</summary>
    public IReadOnlyList<long> TagIds { get; init; } = [];
    /// <summary>Session note (C17).</summary>
    public string? Note { get; init; }
    /// <summary>The robot serving or last serving the conversation.</summary>
    public long? RobotId { get; init; }
    /// <summary>The newest message the visitor has read (read receipts, C9).</summary>
    public long VisitorReadUpToMessageId { get; init; }
    /// <summary>The newest message the agent has read.</summary>
    public long AgentReadUpToMessageId { get; init; }

    /// <summary>The routing decisions made for the conversation, oldest first (R13); the latest <see cref="MaxRoutingRecords"/> are kept.</summary>
    public IReadOnlyList<RoutingRecord> Routing { get; init; } = [];

    /// <summary>Whether the call is on hold (R10).</summary>
    public bool OnHold { get; init; }

    /// <summary>Where the call's recording is kept (R10), if one was attached.</summary>
    public string? RecordingUrl { get; init; }

    /// <summary>How many routing decisions a conversation keeps.</summary>
    public const int MaxRoutingRecords = 20;

    /// <summary>Whether the conversation has ended.</summary>
    public bool IsClosed => State == ConversationState.Closed;
}

/// <summary>One routing decision made for a conversation, as it is kept with the conversation (R13).</summary>
/// <param name="At">When it was made.</param>
/// <param name="Reason">Why the conversation was routed.</param>
/// <param name="Outcome">What was decided.</param>
/// <param name="AgentId">The agent assigned, offered, or whose queue it joined.</param>
/// <param name="GroupId">The skill group.</param>
/// <param name="RobotId">The robot.</param>
/// <param name="Rule">The rule that matched, empty when none did.</param>
/// <param name="Explanation">Why: the reason for the outcome.</param>
/// <param name="Strategy">The strategy that ranked the candidates, or null.</param>
/// <param name="Eligible">How many agents were eligible.</param>
/// <param name="Candidates">The best candidates with their scores, best first.</param>
public sealed record RoutingRecord(
    DateTimeOffset At,
    Kefu.Routing.RoutingReason Reason,
    Kefu.Routing.RoutingOutcome Outcome,
    long? AgentId,
    long? GroupId,
    long? RobotId,
    string Rule,
    string Explanation,
    string? Strategy,
    int Eligible,
    IReadOnlyList<Kefu.Routing.RoutingCandidate> Candidates);

/// <summary>A media attachment of an image or file message.</summary>
public sealed record MediaAttachment(string Url, string Name, long Size, string? ContentType);

/// <summary>A message of a conversation (C9).</summary>
public sealed record Message
{
    /// <summary>The message id; ids increase in commit order within a tenant.</summary>
    public required long Id { get; init; }
    /// <summary>The conversation.</summary>
    public required long ConversationId { get; init; }
    /// <summary>Who sent it.</summary>
    public required ParticipantKind SenderKind { get; init; }
    /// <summary>The sender's id (visitor or agent id; 0 for the system).</summary>
    public long SenderId { get; init; }
    /// <summary>The kind of content.</summary>
    public required MessageKind Kind { get; init; }
    /// <summary>The text (text, emoji and system notices; the caption of media).</summary>
    public string? Text { get; init; }
    /// <summary>The image or file.</summary>
    public MediaAttachment? Media { get; init; }
    /// <summary>Menu items of a menu message.</summary>
    public IReadOnlyList<string>? MenuItems { get; init; }
    /// <summary>The sender's own id for the message; a second send with the same id returns the first message.</summary>
    public string? ClientMessageId { get; init; }
    /// <summary>When it was sent.</summary>
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>Whether the agent recalled it (C10); its content stays stored for re-editing.</summary>
    public bool Recalled { get; init; }
    /// <summary>Whether the message filter masked part of the text.</summary>
    public bool Masked { get; init; }
    /// <summary>Sentiment from the text analyser, null when none ran.</summary>
    public TextSentiment? Sentiment { get; init; }
}

/// <summary>The sentiment of a text.</summary>
/// <param name="Label">-1 negative, 0 neutral, 1 positive.</param>
/// <param name="Score">A score in [-1, 1].</param>
public readonly record struct TextSentiment(int Label, float Score);
