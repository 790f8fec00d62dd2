using Kefu.Events;

namespace Kefu.Model;

/// <summary>Who does something in a conversation.</summary>
/// <param name="Kind">Visitor, agent, bot or system.</param>
/// <param name="Id">The visitor's or agent's id; 0 for the system.</param>
public readonly record struct Participant(ParticipantKind Kind, long Id)
{
    /// <summary>A visitor.</summary>
    public static Participant Visitor(long visitorId) => new(ParticipantKind.Visitor, visitorId);

    /// <summary>An agent.</summary>
    public static Participant Agent(long agentId) => new(ParticipantKind.Agent, agentId);
}

/// <summary>A new agent (C4).</summary>
public sealed record NewAgent
{
    /// <summary>The login account (phone number or e-mail), unique; at most 64 characters.</summary>
    public required string Account { get; init; }
    /// <summary>The initial password, 6–128 characters; stored hashed.</summary>
    public required string Password { get; init; }
    /// <summary>The real name, at most 50 characters.</summary>
    public required string Name { get; init; }
    /// <summary>The employee number (工号), unique; at most 32 characters.</summary>
    public required string EmployeeNumber { get; init; }
    /// <summary>Nickname shown to visitors.</summary>
    public string? Nickname { get; init; }
    /// <summary>Avatar address.</summary>
    public string? AvatarUrl { get; init; }
    /// <summary>E-mail.</summary>
    public string? Email { get; init; }
    /// <summary>Department.</summary>
    public long? DepartmentId { get; init; }
    /// <summary>Whether the account may log in. <value>Default true.</value></summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Chats at once: 0–100 (0–200 when the tenant's limit is raised). <value>Default 10.</value></summary>
    public int MaxConcurrentChats { get; init; } = 10;
    /// <summary>Roles.</summary>
    public IReadOnlyList<long> RoleIds { get; init; } = [];
}

/// <summary>An agent's editable profile: replaces the current values as a whole.</summary>
public sealed record AgentProfile
{
    /// <summary>The real name, at most 50 characters.</summary>
    public required string Name { get; init; }
    /// <summary>The employee number, unique.</summary>
    public required string EmployeeNumber { get; init; }
    /// <summary>Nickname.</summary>
    public string? Nickname { get; init; }
    /// <summary>Avatar address.</summary>
    public string? AvatarUrl { get; init; }
    /// <summary>E-mail.</summary>
    public string? Email { get; init; }
    /// <summary>Department.</summary>
    public long? DepartmentId { get; init; }
    /// <summary>Chats at once: 0–100 (0–200 when raised).</summary>
    public int MaxConcurrentChats { get; init; } = 10;
    /// <summary>Roles.</summary>
    public IReadOnlyList<long> RoleIds { get; init; } = [];

    /// <summary>The profile of an existing agent, to change with <c>with</c>.</summary>
    public static AgentProfile From(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new()
        {
            Name = agent.Name,
            EmployeeNumber = agent.EmployeeNumber,
            Nickname = agent.Nickname,
            AvatarUrl = agent.AvatarUrl,
            Email = agent.Email,
            DepartmentId = agent.DepartmentId,
            MaxConcurrentChats = agent.MaxConcurrentChats,
            RoleIds = agent.RoleIds,
        };
    }
}

/// <summary>A role's definition (C3), for adding or replacing a role.</summary>
/// <param name="Code">Unique role code (角色编号), at most 32 characters.</param>
/// <param name="Name">Unique role name, at most 50 characters.</param>
/// <param name="Permissions">Resource permissions, see <see cref="KefuPermissions"/>.</param>
/// <param name="Description">Description.</param>
public sealed record RoleDefinition(string Code, string Name, IReadOnlyList<string> Permissions, string? Description = null);

/// <summary>A request to open a conversation for a visitor.</summary>
public sealed record ConversationRequest
{
    /// <summary>An existing visitor; when null a new visitor is created from <see cref="Visitor"/>.</summary>
    public long? VisitorId { get; init; }
    /// <summary>Profile of a new visitor, or changes to an existing one.</summary>
    public VisitorProfile? Visitor { get; init; }
    /// <summary>The channel kind. <value>Default web.</value></summary>
    public ChannelKind ChannelKind { get; init; } = ChannelKind.Web;
    /// <summary>The channel.</summary>
    public long? ChannelId { get; init; }
    /// <summary>The association.</summary>
    public long? AssociationId { get; init; }
    /// <summary>The entry (button, navigation option) used.</summary>
    public string? Entry { get; init; }
    /// <summary>A skill group the entry is bound to.</summary>
    public long? GroupId { get; init; }
    /// <summary>The consultation-navigation option the visitor chose before asking for a human (R3), at most 100 characters.</summary>
    public string? NavigationOption { get; init; }
}

/// <summary>The content of a message to send.</summary>
/// <param name="Kind">The kind of message.</param>
/// <param name="Text">Text, emoji or caption; at most 5,000 characters.</param>
/// <param name="Media">The image or file.</param>
/// <param name="MenuItems">The items of a menu.</param>
public sealed record MessageContent(MessageKind Kind, string? Text, MediaAttachment? Media = null, IReadOnlyList<string>? MenuItems = null)
{
    /// <summary>The longest text.</summary>
    public const int MaxTextLength = 5000;

    /// <summary>A text message.</summary>
    public static MessageContent FromText(string text) => new(MessageKind.Text, text);

    /// <summary>An image message.</summary>
    public static MessageContent Image(MediaAttachment media) => new(MessageKind.Image, null, media);

    /// <summary>A file message.</summary>
    public static MessageContent File(MediaAttachment media) => new(MessageKind.File, null, media);

    internal void Validate()
    {
        switch (Kind)
        {
            case MessageKind.Text or MessageKind.Emoji:
                if (string.IsNullOrEmpty(Text) || Text.Length > MaxTextLength)
                {
                    throw new KefuValidationException(nameof(Text), $"1–{MaxTextLength} characters", $"had {Text?.Length ?? 0}");
                }

                break;
            case MessageKind.Image or MessageKind.File:
                if (Media is null || string.IsNullOrWhiteSpace(Media.Url) || string.IsNullOrWhiteSpace(Media.Name) || Media.Size < 0)
                {
                    throw new KefuValidationException(nameof(Media), "an attachment with an address, a name and a size of 0 or more");
                }

                if (Text is { Length: > MaxTextLength })
                {
                    throw new KefuValidationException(nameof(Text), $"at most {MaxTextLength} characters");
                }

                break;
            case MessageKind.Menu:
                if (MenuItems is null || MenuItems.Count is 0 or > 20 || MenuItems.Any(string.IsNullOrWhiteSpace))
                {
                    throw new KefuValidationException(nameof(MenuItems), "1–20 non-empty items");
                }

                break;
            default:
                throw new KefuValidationException(nameof(Kind), "Text, Emoji, Image, File or Menu", $"was {Kind}");
        }
    }
}

/// <summary>A visitor's rating (C13).</summary>
/// <param name="Level">1 (lowest) to the tenant's number of levels (2, 3 or 5).</param>
/// <param name="Tags">Tags from the level's tags.</param>
/// <param name="Comment">A comment, when the tenant allows comments; at most 500 characters.</param>
public sealed record RatingInput(int Level, IReadOnlyList<string>? Tags = null, string? Comment = null);

/// <summary>A wrap-up to save or submit (C14).</summary>
/// <param name="ProblemTypeId">The problem type (a wrap-up category); required to submit.</param>
/// <param name="Resolved">Resolved or not; required to submit.</param>
/// <param name="Detail">Problem detail, at most 2,000 characters.</param>
/// <param name="Reply">Reply given, at most 2,000 characters.</param>
public sealed record WrapUpInput(long? ProblemTypeId, bool? Resolved, string? Detail = null, string? Reply = null);

/// <summary>A new tenant (C1).</summary>
public sealed record NewTenant
{
    /// <summary>The company name, at most 100 characters.</summary>
    public required string Name { get; init; }
    /// <summary>The tenant's first administrator, created with a role holding every permission; optional.</summary>
    public NewAgent? Administrator { get; init; }
}

/// <summary>Parameters passed to a CRM page embedded in the workbench (C21, E17 2.9).</summary>
public sealed record CrmParameters(long AgentId, long UserId, string? Email, long TenantId, string AgentName, string? VisitorImId);

/// <summary>A queued conversation with its position.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="VisitorId">The visitor.</param>
/// <param name="GroupId">The group it waits for.</param>
/// <param name="QueuedAt">When it joined.</param>
/// <param name="Position">Its 1-based position among conversations waiting for the same group.</param>
public sealed record QueuePosition(long ConversationId, long VisitorId, long? GroupId, DateTimeOffset QueuedAt, int Position)
{
    /// <summary>The named agent whose queue it waits in, or null.</summary>
    public long? AgentId { get; init; }
    /// <summary>The media of the queue.</summary>
    public Kefu.Routing.MediaKind Media { get; init; }
    /// <summary>Whose queue it is: the tenant's, a group's, a named agent's or the ungrouped agents'.</summary>
    public Kefu.Routing.QueueTargetKind Queue { get; init; }
    /// <summary>The tenant-wide enqueue order: lower waited longer.</summary>
    public long Order { get; init; }
}

/// <summary>An agent's live presence.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Status">Status.</param>
/// <param name="ActiveConversations">Conversations served now.</param>
/// <param name="MaxConcurrentChats">Capacity.</param>
public sealed record AgentPresence(long AgentId, AgentStatus Status, int ActiveConversations, int MaxConcurrentChats)
{
    /// <summary>The voice (call-centre) presence: offline until the agent signs in (R10).</summary>
    public AgentStatus VoiceStatus { get; init; }
    /// <summary>The video presence (R11).</summary>
    public AgentStatus VideoStatus { get; init; }
    /// <summary>Voice and video calls ringing or in progress.</summary>
    public int ActiveCalls { get; init; }
}

/// <summary>What happened to a sent message. A struct: sending a message allocates no result object.</summary>
/// <param name="MessageId">The stored message's id; 0 when the message was blocked.</param>
/// <param name="SentAt">When it was stored (millisecond precision).</param>
/// <param name="Text">The text as delivered (masked when the filter masked it); null for a duplicate or a non-text message.</param>
/// <param name="Action">What the message filter did.</param>
/// <param name="Notice">What the sender is told: why the message was blocked, or the reminder for the agent.</param>
/// <param name="Duplicate">True when this sender already sent a message with the same client message id to this conversation; <paramref name="MessageId"/> is that message.</param>
public readonly record struct SendResult(long MessageId, DateTimeOffset SentAt, string? Text, Moderation.MessageFilterAction Action, string? Notice, bool Duplicate)
{
    /// <summary>Whether the message was withheld.</summary>
    public bool Blocked => MessageId == 0;
}
