namespace Kefu.Model;

/// <summary>Device information reported by the visitor's client (E17 1.3).</summary>
public sealed record DeviceInfo(string? Ip, string? Carrier, string? OperatingSystem);

/// <summary>One page a visitor browsed before or during a conversation (E17 1.6).</summary>
public sealed record PageVisit(string Url, string? Title, DateTimeOffset At);

/// <summary>A visitor (customer) of a tenant (C7).</summary>
public sealed record Visitor
{
    /// <summary>The most pages kept in <see cref="BrowseTrail"/>; older ones are dropped.</summary>
    public const int MaxBrowseTrail = 50;

    /// <summary>The visitor's id.</summary>
    public required long Id { get; init; }
    /// <summary>The visitor's id in the client's instant-messaging system (visitorImId, C21).</summary>
    public string? ImId { get; init; }
    /// <summary>The customer name (客户名), for example 游客 49238.</summary>
    public required string Name { get; init; }
    /// <summary>Nickname.</summary>
    public string? Nickname { get; init; }
    /// <summary>Phone.</summary>
    public string? Phone { get; init; }
    /// <summary>E-mail.</summary>
    public string? Email { get; init; }
    /// <summary>Gender as the tenant records it.</summary>
    public string? Gender { get; init; }
    /// <summary>Address.</summary>
    public string? Address { get; init; }
    /// <summary>The agents' note about the customer (备注).</summary>
    public string? Note { get; init; }
    /// <summary>Device information.</summary>
    public DeviceInfo? Device { get; init; }
    /// <summary>Visitor tags.</summary>
    public IReadOnlyList<long> TagIds { get; init; } = [];
    /// <summary>Additional information from a third-party system, by field key (at most 10 keys).</summary>
    public IReadOnlyDictionary<string, string> AdditionalInfo { get; init; } = new Dictionary<string, string>();
    /// <summary>The most recent pages browsed, oldest first.</summary>
    public IReadOnlyList<PageVisit> BrowseTrail { get; init; } = [];
    /// <summary>When the visitor was first seen.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the visitor was last seen.</summary>
    public DateTimeOffset LastSeenAt { get; init; }
}

/// <summary>Profile fields of a visitor that agents or the client may change; a null field is left as it is.</summary>
public sealed record VisitorProfile
{
    /// <summary>The customer name.</summary>
    public string? Name { get; init; }
    /// <summary>Nickname.</summary>
    public string? Nickname { get; init; }
    /// <summary>Phone.</summary>
    public string? Phone { get; init; }
    /// <summary>E-mail.</summary>
    public string? Email { get; init; }
    /// <summary>Gender.</summary>
    public string? Gender { get; init; }
    /// <summary>Address.</summary>
    public string? Address { get; init; }
    /// <summary>Note.</summary>
    public string? Note { get; init; }
    /// <summary>The IM id.</summary>
    public string? ImId { get; init; }
    /// <summary>Device information.</summary>
    public DeviceInfo? Device { get; init; }
    /// <summary>Additional information to merge, by field key.</summary>
    public IReadOnlyDictionary<string, string>? AdditionalInfo { get; init; }
}
