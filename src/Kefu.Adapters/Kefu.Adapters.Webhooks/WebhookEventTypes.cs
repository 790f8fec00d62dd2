using System.Collections.Frozen;
using Kefu.Events;

namespace Kefu.Adapters.Webhooks;

/// <summary>
/// The event types a webhook endpoint can subscribe to (C20, E17 2.11): each is the name of the event's payload message
/// in <c>kefu_events.proto</c>, and is sent in the <see cref="WebhookHeaders.EventType"/> header.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>A conversation ended (会话结束).</summary>
    public const string SessionClosed = "ServiceSessionClosedEvent";
    /// <summary>A new message (新消息).</summary>
    public const string Message = "ServiceSessionMessageEvent";
    /// <summary>An agent was created (创建坐席).</summary>
    public const string AgentCreated = "AgentUserCreationEvent";
    /// <summary>An agent's presence changed (坐席状态变更).</summary>
    public const string AgentStateChanged = "AgentUserStateChangedEvent";
    /// <summary>An agent logged out (坐席登出).</summary>
    public const string AgentLogout = "AgentUserLogoutEvent";
    /// <summary>An agent was deleted (删除坐席).</summary>
    public const string AgentDeleted = "AgentUserDeletedEvent";
    /// <summary>A tag was added to a visitor (添加访客标签).</summary>
    public const string VisitorTagAdded = "VisitorTagAddedEvent";
    /// <summary>A tag was removed from a visitor (删除访客标签).</summary>
    public const string VisitorTagRemoved = "VisitorTagRemovedEvent";
    /// <summary>A visitor's profile changed (访客信息变更).</summary>
    public const string VisitorChanged = "VisitorUserChangeEvent";
    /// <summary>An agent's profile changed (坐席信息变更).</summary>
    public const string AgentChanged = "AgentUserChangeEvent";
    /// <summary>A conversation was created.</summary>
    public const string SessionCreated = "ServiceSessionCreatedEvent";
    /// <summary>A conversation joined a queue.</summary>
    public const string SessionQueued = "ServiceSessionQueuedEvent";
    /// <summary>A conversation was assigned to an agent.</summary>
    public const string SessionAssigned = "ServiceSessionAssignedEvent";
    /// <summary>A conversation was transferred to another agent or group.</summary>
    public const string SessionTransferred = "ServiceSessionTransferredEvent";

    private static readonly FrozenDictionary<KefuEvent.PayloadOneofCase, string> ByPayload = new Dictionary<KefuEvent.PayloadOneofCase, string>
    {
        [KefuEvent.PayloadOneofCase.SessionClosed] = SessionClosed,
        [KefuEvent.PayloadOneofCase.Message] = Message,
        [KefuEvent.PayloadOneofCase.AgentCreated] = AgentCreated,
        [KefuEvent.PayloadOneofCase.AgentStateChanged] = AgentStateChanged,
        [KefuEvent.PayloadOneofCase.AgentLogout] = AgentLogout,
        [KefuEvent.PayloadOneofCase.AgentDeleted] = AgentDeleted,
        [KefuEvent.PayloadOneofCase.VisitorTagAdded] = VisitorTagAdded,
        [KefuEvent.PayloadOneofCase.VisitorTagRemoved] = VisitorTagRemoved,
        [KefuEvent.PayloadOneofCase.VisitorChanged] = VisitorChanged,
        [KefuEvent.PayloadOneofCase.AgentChanged] = AgentChanged,
        [KefuEvent.PayloadOneofCase.SessionCreated] = SessionCreated,
        [KefuEvent.PayloadOneofCase.SessionQueued] = SessionQueued,
        [KefuEvent.PayloadOneofCase.SessionAssigned] = SessionAssigned,
        [KefuEvent.PayloadOneofCase.SessionTransferred] = SessionTransferred,
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> Known = ByPayload.Values.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every event type a webhook can subscribe to, in the order of C20.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SessionClosed, Message, AgentCreated, AgentStateChanged, AgentLogout, AgentDeleted, VisitorTagAdded,
        VisitorTagRemoved, VisitorChanged, AgentChanged, SessionCreated, SessionQueued, SessionAssigned, SessionTransferred,
    ];

    /// <summary>Whether <paramref name="eventType"/> is one of <see cref="All"/> (case-sensitive).</summary>
    public static bool IsKnown(string? eventType) => eventType is not null && Known.Contains(eventType);

    /// <summary>The webhook event type of an event, or null when webhooks do not push events of its kind.</summary>
    public static string? Of(KefuEvent kefuEvent)
    {
        ArgumentNullException.ThrowIfNull(kefuEvent);
        return ByPayload.GetValueOrDefault(kefuEvent.PayloadCase);
    }
}
