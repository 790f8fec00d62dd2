using Kefu.Events;

namespace Kefu.Model;

/// <summary>An entity of a tenant's directory, stored as one row per id by the storage adapters.</summary>
public interface IDirectoryEntity
{
    /// <summary>The entity's id, unique within the tenant.</summary>
    long Id { get; }
}

/// <summary>A department in the organisation tree (C2). Names are unique within a tenant.</summary>
public sealed record Department(long Id, long? ParentId, string Name, string? Description) : IDirectoryEntity;

/// <summary>A role with resource permissions (C3). Codes and names are unique within a tenant.</summary>
public sealed record Role(long Id, string Code, string Name, string? Description, IReadOnlyList<string> Permissions, bool Enabled) : IDirectoryEntity;

/// <summary>An agent (坐席, C4).</summary>
public sealed record Agent : IDirectoryEntity
{
    /// <inheritdoc />
    public required long Id { get; init; }
    /// <summary>The login account (a phone number or e-mail), unique within the tenant.</summary>
    public required string Account { get; init; }
    /// <summary>The password hash (PBKDF2-SHA256); never the password.</summary>
    public required string PasswordHash { get; init; }
    /// <summary>The agent's real name.</summary>
    public required string Name { get; init; }
    /// <summary>The name visitors see; the name when empty.</summary>
    public string? Nickname { get; init; }
    /// <summary>Avatar image address.</summary>
    public string? AvatarUrl { get; init; }
    /// <summary>Login e-mail, passed to CRM pages (C21).</summary>
    public string? Email { get; init; }
    /// <summary>The employee number (工号), unique within the tenant.</summary>
    public required string EmployeeNumber { get; init; }
    /// <summary>The department, if any.</summary>
    public long? DepartmentId { get; init; }
    /// <summary>Whether the account may log in.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>How many chats the agent takes at once (接待量): 0–100, or 0–200 when the tenant's limit is raised.</summary>
    public int MaxConcurrentChats { get; init; } = 10;
    /// <summary>The agent's roles; permissions are their union.</summary>
    public IReadOnlyList<long> RoleIds { get; init; } = [];
    /// <summary>When the agent was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The name shown to visitors.</summary>
    public string DisplayName => string.IsNullOrEmpty(Nickname) ? Name : Nickname;
}

/// <summary>A skill group (技能组, C5): a business unit conversations are routed to. Names are unique.</summary>
public sealed record SkillGroup(long Id, string Name, IReadOnlyList<long> MemberIds) : IDirectoryEntity;

/// <summary>A channel (C6): where visitors come from. The access code is unique within the tenant.</summary>
public sealed record Channel(long Id, ChannelKind Kind, string Name, string AccessCode) : IDirectoryEntity;

/// <summary>An association (关联, C6): one account or integration of a channel (an app key, a WeChat account …).</summary>
public sealed record Association(long Id, long ChannelId, string Name, string? ExternalId) : IDirectoryEntity;

/// <summary>What a tag is attached to.</summary>
public enum TagScope
{
    /// <summary>A session tag (会话标签), attached to conversations.</summary>
    Session,
    /// <summary>A visitor tag (访客标签), attached to visitors.</summary>
    Visitor,
}

/// <summary>A tag definition (C17). Names are unique per scope.</summary>
public sealed record TagDefinition(long Id, TagScope Scope, string Name) : IDirectoryEntity;

/// <summary>A wrap-up category (problem type, C14): a tree at most 4 levels deep, ordered among siblings.</summary>
public sealed record WrapUpCategory(long Id, long? ParentId, string Name, int Order) : IDirectoryEntity;

/// <summary>Which quick-reply library a folder is in (C15).</summary>
public enum QuickReplyLibrary
{
    /// <summary>Shared by every agent of the tenant.</summary>
    Public,
    /// <summary>One agent's own.</summary>
    Personal,
}

/// <summary>A quick-reply folder (C15).</summary>
public sealed record QuickReplyFolder(long Id, QuickReplyLibrary Library, long? OwnerAgentId, string Name, int Order) : IDirectoryEntity;

/// <summary>A quick reply (C15).</summary>
public sealed record QuickReply(long Id, long FolderId, string Text, int Order) : IDirectoryEntity;
