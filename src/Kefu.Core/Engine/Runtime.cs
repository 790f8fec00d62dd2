using Kefu.Bots;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;

namespace Kefu.Engine;

/// <summary>An agent's live state inside the worker. Changes go through <see cref="TenantState"/>, which tells the routing policy.</summary>
internal sealed class AgentRuntime(Agent agent, DateTimeOffset now) : IRoutingAgent
{
    private int _chats;
    private int _calls;
    private int _videos;

    public Agent Agent { get; set; } = agent;
    public AgentStatus Status { get; set; } = AgentStatus.Offline;
    public AgentStatus VoiceStatus { get; set; } = AgentStatus.Offline;
    public AgentStatus VideoStatus { get; set; } = AgentStatus.Offline;

    /// <summary>The voice or video status to restore when the current call hangs up (R10), or null.</summary>
    public AgentStatus? VoiceRestore { get; set; }
    public AgentStatus? VideoRestore { get; set; }

    public int ActiveConversations => _chats + _calls + _videos;
    public bool HasSpareCapacity => _chats < Agent.MaxConcurrentChats;
    public DateTimeOffset IdleSince { get; set; } = now;
    public long LastAssignedSequence { get; set; }
    public int OffersReceived { get; set; }
    public int OffersAccepted { get; set; }
    public HashSet<long> Groups { get; } = [];
    IReadOnlyCollection<long> IRoutingAgent.Groups => Groups;

    public bool IsMemberOf(long groupId) => Groups.Contains(groupId);

    public AgentStatus StatusOf(MediaKind media) => media switch
    {
        MediaKind.Voice => VoiceStatus,
        MediaKind.Video => VideoStatus,
        _ => Status,
    };

    public void SetStatus(MediaKind media, AgentStatus status)
    {
        switch (media)
        {
            case MediaKind.Voice: VoiceStatus = status; break;
            case MediaKind.Video: VideoStatus = status; break;
            default: Status = status; break;
        }
    }

    public int ActiveOf(MediaKind media) => media switch
    {
        MediaKind.Voice => _calls,
        MediaKind.Video => _videos,
        _ => _chats,
    };

    public int CapacityOf(MediaKind media) => media == MediaKind.Chat ? Agent.MaxConcurrentChats : 1;

    public bool CanTakeAutomatically(MediaKind media) => StatusOf(media) == AgentStatus.Online && ActiveOf(media) < CapacityOf(media);

    public void AddLoad(MediaKind media, int delta)
    {
        switch (media)
        {
            case MediaKind.Voice: _calls = Math.Max(0, _calls + delta); break;
            case MediaKind.Video: _videos = Math.Max(0, _videos + delta); break;
            default: _chats = Math.Max(0, _chats + delta); break;
        }
    }
}

/// <summary>A waiting conversation: a node of its queue's doubly linked list.</summary>
internal sealed class QueueEntry(long conversationId, QueueKey queue, DateTimeOffset queuedAt, long? excludedAgentId, long order) : IQueuedConversation
{
    public long ConversationId { get; } = conversationId;
    public QueueKey Queue { get; } = queue;
    public long? GroupId => Queue.Kind == QueueTargetKind.Group ? Queue.Id : null;
    public DateTimeOffset QueuedAt { get; } = queuedAt;
    public long? ExcludedAgentId { get; } = excludedAgentId;
    public long Order { get; } = order;
    public IQueuedConversation? Next => NextEntry;
    public QueueEntry? NextEntry;
    public QueueEntry? PreviousEntry;
    public RoutingQueue? Owner;
}

/// <summary>One queue, oldest first: appends and removals anywhere are O(1).</summary>
internal sealed class RoutingQueue(QueueKey key) : IRoutingQueue
{
    public QueueKey Key { get; } = key;
    public int Count { get; private set; }
    public IQueuedConversation? Oldest => Head;
    public QueueEntry? Head { get; private set; }
    public QueueEntry? Tail { get; private set; }

    public void Append(QueueEntry entry)
    {
        entry.Owner = this;
        entry.PreviousEntry = Tail;
        entry.NextEntry = null;
        if (Tail is null)
        {
            Head = entry;
        }
        else
        {
            Tail.NextEntry = entry;
        }

        Tail = entry;
        Count++;
    }

    public void Remove(QueueEntry entry)
    {
        if (!ReferenceEquals(entry.Owner, this))
        {
            return;
        }

        if (entry.PreviousEntry is null)
        {
            Head = entry.NextEntry;
        }
        else
        {
            entry.PreviousEntry.NextEntry = entry.NextEntry;
        }

        if (entry.NextEntry is null)
        {
            Tail = entry.PreviousEntry;
        }
        else
        {
            entry.NextEntry.PreviousEntry = entry.PreviousEntry;
        }

        entry.PreviousEntry = entry.NextEntry = null;
        entry.Owner = null;
        Count--;
    }

    /// <summary>The entry's 1-based position: walks from the oldest.</summary>
    public int PositionOf(QueueEntry entry)
    {
        var position = 1;
        for (var e = Head; e is not null && !ReferenceEquals(e, entry); e = e.NextEntry)
        {
            position++;
        }

        return position;
    }
}

/// <summary>The kinds of conversation timer (R12, C16).</summary>
internal enum TimerKind : byte
{
    AgentNoReply,
    VisitorNoReplyReminder,
    VisitorNoReplyClose,
    Inactive,
    OfferTimeout,
    QueueReminder,
    BotIdle,
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
    public long? EntryGroupId;
    public string? NavigationOption;
    public ConversationState State;
    public long? AgentId;
    public long? GroupId;
    public long? QueuedForAgentId;
    public QueueTargetKind? LoadedQueueKind;
    public long? PendingTransferToAgentId;
    public long? InvitingAgentId;
    public long? RobotId;
    public BotSession? BotSession;
    public DateTimeOffset? BotWaitingSince;
    public bool BotIdleReplied;
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
    public IReadOnlyList<RoutingRecord> Routing = [];
    public bool OnHold;
    public string? RecordingUrl;

    // Worker-only bookkeeping.
    public bool Dirty;
    public QueueEntry? QueueEntry;
    public DateTimeOffset? FirstUnansweredVisitorMessageAt;
    public bool AgentNoReplySent;
    public bool VisitorReminderSent;
    public byte PendingTimers;
    public DateTimeOffset? LastQueueReminderAt;

    public MediaKind Media => MediaKinds.Of(ChannelKind);

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
        EntryGroupId = EntryGroupId,
        NavigationOption = NavigationOption,
        State = State,
        AgentId = AgentId,
        GroupId = GroupId,
        QueuedForAgentId = QueuedForAgentId,
        QueueKind = QueueEntry?.Queue.Kind,
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
        Routing = Routing,
        OnHold = OnHold,
        RecordingUrl = RecordingUrl,
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
        EntryGroupId = c.EntryGroupId,
        NavigationOption = c.NavigationOption,
        State = c.State,
        AgentId = c.AgentId,
        GroupId = c.GroupId,
        QueuedForAgentId = c.QueuedForAgentId,
        LoadedQueueKind = c.QueueKind,
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
        Routing = c.Routing,
        OnHold = c.OnHold,
        RecordingUrl = c.RecordingUrl,
    };

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
