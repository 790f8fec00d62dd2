using Microsoft.AspNetCore.Authorization;

namespace Kefu.Host.Security;

/// <summary>
/// Authorization policies: one per Core permission (<see cref="Kefu.Model.KefuPermissions"/>), the operator's
/// organisation permission and the visitor policy. Every endpoint names exactly one.
/// </summary>
public static class HostPermissions
{
    /// <summary>The operator's permission: tenants, the tenant template and limits, multi-tenant roll-ups.</summary>
    public const string ManageOrganisation = "organisation.manage";

    /// <summary>The policy of a signed-in caller of any kind but visitors (for their own account).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>The policy of visitors holding a visitor token.</summary>
    public const string Visitor = "visitor";

    /// <summary>The policy name for a permission.</summary>
    public static string Policy(string permission) => "perm:" + permission;

    /// <summary>Every permission a policy exists for.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Kefu.Model.KefuPermissions.All, ManageOrganisation];

    /// <summary>Registers the policies.</summary>
    public static void AddPolicies(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] staff = [HostAuthentication.CookieScheme, HostAuthentication.ApiKeyScheme];
        foreach (var permission in All)
        {
            options.AddPolicy(Policy(permission), p => p
                .AddAuthenticationSchemes(staff)
                .RequireAuthenticatedUser()
                .RequireClaim(KefuClaims.Permission, permission));
        }

        options.AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(staff).RequireAuthenticatedUser().RequireClaim(KefuClaims.Kind));
        options.AddPolicy(Visitor, p => p
            .AddAuthenticationSchemes(HostAuthentication.VisitorScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(KefuClaims.Kind, nameof(CallerKind.Visitor)));
    }

    /// <summary>Requires a permission on an endpoint or group (403 without it, 401 when not signed in).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(Policy(permission));
}
