namespace Kefu.Model;

/// <summary>A tenant: one company served by Kefu, with its own agents, visitors, conversations and settings (C1).</summary>
/// <param name="Id">The tenant id, generated when the tenant is created.</param>
/// <param name="Name">The company name.</param>
/// <param name="CreatedAt">When the tenant was created.</param>
public sealed record Tenant(long Id, string Name, DateTimeOffset CreatedAt);

/// <summary>
/// The organisation's template for new tenants (E17 3.4). Changing it never changes existing tenants.
/// </summary>
public sealed record TenantTemplate
{
    /// <summary>How many agents a tenant may create. <value>Default 100; 1–100,000.</value></summary>
    public int MaxAgents { get; init; } = 100;

    /// <summary>Whether inactive conversations close by themselves. <value>Default false.</value></summary>
    public bool InactiveSessionAutoClose { get; init; }

    /// <summary>Whether an agent must tag a conversation before ending it. <value>Default false.</value></summary>
    public bool MandatorySessionTagOnClose { get; init; }

    /// <summary>Whether a conversation closes when the visitor does not reply. <value>Default false.</value></summary>
    public bool VisitorNoReplyAutoClose { get; init; }

    internal void Validate()
    {
        Guard.Range(MaxAgents, 1, 100_000, nameof(MaxAgents));
    }
}

/// <summary>A permission catalogue entry: the resources roles grant (C3). Hosts may add their own codes.</summary>
public static class KefuPermissions
{
    /// <summary>Serve visitors in the workbench.</summary>
    public const string ServeConversations = "conversations.serve";
    /// <summary>See every agent's conversations, not only one's own.</summary>
    public const string ViewAllConversations = "conversations.view-all";
    /// <summary>Search history and export it.</summary>
    public const string ViewHistory = "history.view";
    /// <summary>View and edit customers.</summary>
    public const string ManageCustomers = "customers.manage";
    /// <summary>Manage departments, roles and agents.</summary>
    public const string ManageTeam = "team.manage";
    /// <summary>Manage skill groups, channels, routing, robots, quick replies and settings.</summary>
    public const string ManageConfiguration = "configuration.manage";
    /// <summary>See reports and the voice of the customer.</summary>
    public const string ViewReports = "reports.view";

    /// <summary>Every permission Kefu itself defines.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ServeConversations, ViewAllConversations, ViewHistory, ManageCustomers, ManageTeam, ManageConfiguration, ViewReports,
    ];
}
