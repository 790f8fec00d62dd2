using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;

namespace Kefu.Engine;

/// <summary>An agent's live state inside the worker.</summary>
internal sealed class AgentRuntime(Agent agent, DateTimeOffset now) : IRoutingAgent
{
    public Agent Agent { get; set; } = agent;
    public AgentStatus Status { get; set; } = AgentStatus.Offline;
    public int ActiveConversations { get; set; }
    public bool HasSpareCapacity => ActiveConversations < Agent.MaxConcurrentChats;
    public DateTimeOffset IdleSince { get; set; } = now;
    public HashSet<long> Groups { get; } = [];
    public bool IsMemberOf(long groupId) => Groups.Contains(groupId);
}

/// <summary>A waiting conversation.</summary>
internal sealed class QueueEntry(long conversationId, long? groupId, DateTimeOffset queuedAt, long? excludedAgentId) : IQueuedConversation
{
    public long ConversationId { get; } = conversationId;
    public long? GroupId { get; set; } = groupId;
    public DateTimeOffset QueuedAt { get; } = queuedAt;
    public long? ExcludedAgentId { get; } = excludedAgentId;
}

/// <summary>The kinds of conversation timer (R12, C16).</summary>
internal enum TimerKind : byte
{
    AgentNoReply,
    VisitorNoReplyReminder,
    VisitorNoReplyClose,
    Inactive,
}

/// <summary>
/// A conversation's mutable state inside the worker. Snapshots (<see cref="Conversation"/>) are made once per batch
/// for the store, so the message path mutates in place.
/// </summary>
internal sealed class ConversationRuntime
{
    public required long Id;
    public required long TenantId;
    public required long VisitorId;
    public ChannelKind ChannelKind;
    public long? ChannelId;
    public long? AssociationId;
    public string? Entry;
    public ConversationState State;
    public long? AgentId;
    public long? GroupId;
    public long? PendingTransferToAgentId;
    public long? InvitingAgentId;
    public long? RobotId;
    public DateTimeOffset CreatedAt;
    public DateTimeOffset? QueuedAt;
    public DateTimeOffset? OfferedAt;
    public DateTimeOffset? AssignedAt;
    public DateTimeOffset? FirstAgentMessageAt;
    public DateTimeOffset? LastVisitorMessageAt;
    public DateTimeOffset? LastAgentMessageAt;
    public DateTimeOffset? LastMessageAt;
    public DateTimeOffset? ClosedAt;
    public CloseReason CloseReason;
    public long QueueWaitMilliseconds;
    public int MessageCount;
    public int VisitorMessageCount;
    public int AgentMessageCount;

    /// <summary>Client message ids of the recent messages, for idempotent sends; null until the first one.</summary>
    public ClientIdWindow? ClientIds;
    public bool RatingInvited;
    public Rating? Rating;
    public WrapUp? WrapUp;
    public IReadOnlyList<long> TagIds = [];
    public string? Note;
    public long VisitorReadUpTo;
    public long AgentReadUpTo;

    // Worker-only bookkeeping.
    public bool Dirty;
    public QueueEntry? QueueEntry;
    public DateTimeOffset? FirstUnansweredVisitorMessageAt;
    public bool AgentNoReplySent;
    public bool VisitorReminderSent;
    public byte PendingTimers;

    public bool IsClosed => State == ConversationState.Closed;

    public Conversation ToSnapshot() => new()
    {
        Id = Id,
        TenantId = TenantId,
        VisitorId = VisitorId,
        ChannelKind = ChannelKind,
        ChannelId = ChannelId,
        AssociationId = AssociationId,
        Entry = Entry,
        State = State,
        AgentId = AgentId,
        GroupId = GroupId,
        PendingTransferToAgentId = PendingTransferToAgentId,
        InvitingAgentId = InvitingAgentId,
        RobotId = RobotId,
        CreatedAt = CreatedAt,
        QueuedAt = QueuedAt,
        OfferedAt = OfferedAt,
        AssignedAt = AssignedAt,
        FirstAgentMessageAt = FirstAgentMessageAt,
        LastVisitorMessageAt = LastVisitorMessageAt,
        LastAgentMessageAt = LastAgentMessageAt,
        ClosedAt = ClosedAt,
        CloseReason = CloseReason,
        QueueWaitMilliseconds = QueueWaitMilliseconds,
        MessageCount = MessageCount,
        VisitorMessageCount = VisitorMessageCount,
        AgentMessageCount = AgentMessageCount,
        RatingInvited = RatingInvited,
        Rating = Rating,
        WrapUp = WrapUp,
        TagIds = TagIds,
        Note = Note,
        VisitorReadUpToMessageId = VisitorReadUpTo,
        AgentReadUpToMessageId = AgentReadUpTo,
    };

    public static ConversationRuntime FromSnapshot(Conversation c) => new()
    {
        Id = c.Id,
        TenantId = c.TenantId,
        VisitorId = c.VisitorId,
        ChannelKind = c.ChannelKind,
        ChannelId = c.ChannelId,
        AssociationId = c.AssociationId,
        Entry = c.Entry,
        State = c.State,
        AgentId = c.AgentId,
        GroupId = c.GroupId,
        PendingTransferToAgentId = c.PendingTransferToAgentId,
        InvitingAgentId = c.InvitingAgentId,
        RobotId = c.RobotId,
        CreatedAt = c.CreatedAt,
        QueuedAt = c.QueuedAt,
        OfferedAt = c.OfferedAt,
        AssignedAt = c.AssignedAt,
        FirstAgentMessageAt = c.FirstAgentMessageAt,
        LastVisitorMessageAt = c.LastVisitorMessageAt,
        LastAgentMessageAt = c.LastAgentMessageAt,
        LastMessageAt = Max(c.LastVisitorMessageAt, c.LastAgentMessageAt),
        ClosedAt = c.ClosedAt,
        CloseReason = c.CloseReason,
        QueueWaitMilliseconds = c.QueueWaitMilliseconds,
        MessageCount = c.MessageCount,
        VisitorMessageCount = c.VisitorMessageCount,
        AgentMessageCount = c.AgentMessageCount,
        RatingInvited = c.RatingInvited,
        Rating = c.Rating,
        WrapUp = c.WrapUp,
        TagIds = c.TagIds,
        Note = c.Note,
        VisitorReadUpTo = c.VisitorReadUpToMessageId,
        AgentReadUpTo = c.AgentReadUpToMessageId,
    };

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
