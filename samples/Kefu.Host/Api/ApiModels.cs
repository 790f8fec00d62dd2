using Kefu.Model;

namespace Kefu.Host.Api;

/// <summary>An agent as the API shows it (never the password hash).</summary>
public sealed record AgentDto(
    long Id, string Account, string Name, string? Nickname, string? AvatarUrl, string? Email, string EmployeeNumber,
    long? DepartmentId, bool Enabled, int MaxConcurrentChats, IReadOnlyList<long> RoleIds, DateTimeOffset CreatedAt)
{
    /// <summary>Maps an agent.</summary>
    public static AgentDto From(Agent a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.Account, a.Name, a.Nickname, a.AvatarUrl, a.Email, a.EmployeeNumber, a.DepartmentId, a.Enabled, a.MaxConcurrentChats, a.RoleIds, a.CreatedAt);
    }
}

/// <summary>A name.</summary>
public sealed record NameBody(string Name);

/// <summary>A name and description, with an optional parent.</summary>
public sealed record DepartmentBody(string Name, string? Description = null, long? ParentId = null);

/// <summary>Enables or disables something.</summary>
public sealed record EnabledBody(bool Enabled);

/// <summary>A new password set by an administrator.</summary>
public sealed record ResetPasswordBody(string NewPassword);

/// <summary>Adds and removes members.</summary>
public sealed record MembersBody(IReadOnlyList<long>? Add, IReadOnlyList<long>? Remove);

/// <summary>A channel.</summary>
public sealed record ChannelBody(ChannelKind Kind, string Name, string AccessCode);

/// <summary>An association of a channel.</summary>
public sealed record AssociationBody(long ChannelId, string Name, string? ExternalId = null);

/// <summary>A tag definition.</summary>
public sealed record TagBody(TagScope Scope, string Name);

/// <summary>A wrap-up category.</summary>
public sealed record CategoryBody(string Name, long? ParentId = null);

/// <summary>Moves an item by a number of places (negative: up).</summary>
public sealed record MoveBody(int By);

/// <summary>A quick-reply folder.</summary>
public sealed record FolderBody(string Name, QuickReplyLibrary Library = QuickReplyLibrary.Public, long? OwnerAgentId = null);

/// <summary>A quick reply.</summary>
public sealed record QuickReplyBody(long FolderId, string Text);

/// <summary>A sign-in.</summary>
public sealed record LoginBody(long TenantId, string Account, string Password);

/// <summary>An operator's sign-in.</summary>
public sealed record OperatorLoginBody(string Account, string Password);

/// <summary>A password change (IS 1.2).</summary>
public sealed record ChangePasswordBody(string CurrentPassword, string NewPassword);

/// <summary>The answer to a sign-in.</summary>
public sealed record SessionDto(string Kind, long TenantId, AgentDto? Agent, IReadOnlyList<string> Permissions, string AntiforgeryToken, string AntiforgeryHeader);

/// <summary>An anti-forgery request token.</summary>
public sealed record AntiforgeryDto(string Token, string HeaderName);

/// <summary>A new API key.</summary>
public sealed record ApiKeyBody(string Name, IReadOnlyList<string> Permissions);

/// <summary>A message to send.</summary>
public sealed record SendBody(string? Text, string? ClientMessageId = null, MessageKind Kind = MessageKind.Text, MediaAttachment? Media = null)
{
    /// <summary>The engine's content.</summary>
    public MessageContent ToContent() => new(Kind, Text, Media);
}

/// <summary>Marks messages read.</summary>
public sealed record ReadBody(long UpToMessageId);

/// <summary>What the visitor is typing.</summary>
public sealed record TypingBody(string? Text);

/// <summary>Accepts or declines.</summary>
public sealed record AnswerBody(bool Accept);

/// <summary>A transfer to an agent or a skill group.</summary>
public sealed record TransferBody(long? ToAgentId, long? ToGroupId, string? Note = null);

/// <summary>Presence for one media.</summary>
public sealed record PresenceBody(AgentStatus Status, Kefu.Routing.MediaKind Media = Kefu.Routing.MediaKind.Chat);

/// <summary>Session tags and note.</summary>
public sealed record SessionTagsBody(IReadOnlyList<long> TagIds, string? Note = null);

/// <summary>A ticket request.</summary>
public sealed record TicketBody(string Title, string? Description = null);

/// <summary>A call to a visitor.</summary>
public sealed record CallBody(Kefu.Routing.MediaKind Media);

/// <summary>Hold or resume.</summary>
public sealed record HoldBody(bool Hold);

/// <summary>A recording's address.</summary>
public sealed record RecordingBody(string Url);

/// <summary>A page the visitor browsed.</summary>
public sealed record PageVisitBody(string Url, string? Title = null);

/// <summary>Words.</summary>
public sealed record WordsBody(IReadOnlyList<string> Words);

/// <summary>A question to match.</summary>
public sealed record QuestionBody(string Question, int Max = 3);

/// <summary>Opens a conversation as a visitor.</summary>
public sealed record VisitorOpenBody(
    long TenantId, VisitorProfile? Visitor = null, ChannelKind ChannelKind = ChannelKind.Web, string? ChannelAccessCode = null,
    string? Entry = null, long? GroupId = null, string? NavigationOption = null);

/// <summary>A conversation as its visitor sees it.</summary>
public sealed record VisitorConversationDto(
    long Id, long VisitorId, ConversationState State, long? AgentId, string? AgentName, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
    bool RatingInvited, Rating? Rating, int? QueuePosition, long AgentReadUpToMessageId);

/// <summary>The answer to a visitor's open: the token to use from now on, and the conversation.</summary>
public sealed record VisitorSessionDto(string Token, VisitorConversationDto Conversation);

/// <summary>What a visitor's page needs: rating levels and tags, and the additional-information page.</summary>
public sealed record VisitorSettingsDto(RatingSettings Rating, AdditionalInfoSettings AdditionalInfo);

/// <summary>What the workbench needs of the tenant's settings: the recall window, rating levels and the additional-information page.</summary>
public sealed record WorkbenchSettingsDto(int RecallWindowSeconds, RatingSettings Rating, AdditionalInfoSettings AdditionalInfo);

/// <summary>A message to a visitor: no moderation details, no sentiment.</summary>
public sealed record MessageDto(
    long Id, long ConversationId, ParticipantKind SenderKind, long SenderId, MessageKind Kind, string? Text, MediaAttachment? Media,
    IReadOnlyList<string>? MenuItems, string? ClientMessageId, DateTimeOffset SentAt, bool Recalled)
{
    /// <summary>Maps a stored message.</summary>
    public static MessageDto From(Message m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.ConversationId, m.SenderKind, m.SenderId, m.Kind, m.Recalled ? null : m.Text, m.Recalled ? null : m.Media, m.MenuItems, m.ClientMessageId, m.SentAt, m.Recalled);
    }
}
