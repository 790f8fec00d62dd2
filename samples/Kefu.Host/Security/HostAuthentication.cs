using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Kefu.Host.Security;

/// <summary>
/// The host's authentication: cookie sessions for people (agents, administrators, the operator), API keys in the
/// <c>X-Api-Key</c> header for servers, visitor tokens for visitors. A policy scheme picks one per request.
/// </summary>
public static class HostAuthentication
{
    /// <summary>The default scheme, which forwards to one of the others.</summary>
    public const string DefaultScheme = "Kefu";
    /// <summary>Cookie sessions.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    /// <summary>API keys.</summary>
    public const string ApiKeyScheme = "ApiKey";
    /// <summary>Visitor tokens.</summary>
    public const string VisitorScheme = "Visitor";
    /// <summary>The API key header.</summary>
    public const string ApiKeyHeader = "X-Api-Key";
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "kefu.session";

    /// <summary>Registers the schemes.</summary>
    public static AuthenticationBuilder AddHostAuthentication(this IServiceCollection services, TimeSpan sessionLifetime)
    {
        return services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Kefu", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyHeader) ? ApiKeyScheme
                : IsVisitorRequest(context.Request) ? VisitorScheme
                : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = sessionLifetime;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, VisitorTokenHandler>(VisitorScheme, null);
    }

    private static bool IsVisitorRequest(HttpRequest request)
        => request.Headers.Authorization.ToString().StartsWith("Visitor ", StringComparison.Ordinal)
           || (request.Path.StartsWithSegments("/ws/visitor", StringComparison.Ordinal) && request.Query.ContainsKey("token"));

    /// <summary>
    /// Checks an agent's session on every request: a deleted or disabled agent's session is rejected and its cookie
    /// removed; the permissions are re-read so a role change applies at once.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var caller = context.Principal is null ? null : Caller.FromPrincipal(context.Principal);
        if (caller is null)
        {
            context.RejectPrincipal();
            return;
        }

        if (caller.Kind != CallerKind.Agent)
        {
            return;
        }

        var directory = context.HttpContext.RequestServices.GetRequiredService<IKefuDirectory>();
        var agent = await AgentSessions.GetActiveAgentAsync(directory, caller.TenantId, caller.AgentId!.Value, context.HttpContext.RequestAborted);
        if (agent is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        var permissions = await directory.GetPermissionsAsync(caller.TenantId, agent.Id, context.HttpContext.RequestAborted);
        context.ReplacePrincipal(AgentSessions.Principal(caller.TenantId, agent.Id, permissions));
    }

    private sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(ApiKeyHeader, out var value) || value.Count != 1 || string.IsNullOrEmpty(value[0]))
            {
                return AuthenticateResult.NoResult();
            }

            var verified = await keys.VerifyAsync(value[0]!, Context.RequestAborted);
            if (verified is not { } v)
            {
                return AuthenticateResult.Fail("Unknown API key.");
            }

            var claims = new List<Claim>
            {
                new(KefuClaims.Kind, nameof(CallerKind.ApiKey)),
                new(KefuClaims.Tenant, v.TenantId.ToString(CultureInfo.InvariantCulture)),
                new(KefuClaims.ApiKey, v.Key.Id.ToString(CultureInfo.InvariantCulture)),
            };
            claims.AddRange(v.Key.Permissions.Select(p => new Claim(KefuClaims.Permission, p)));
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyScheme)), ApiKeyScheme));
        }
    }

    private sealed class VisitorTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, VisitorTokens tokens)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Visitor ", StringComparison.Ordinal) ? header["Visitor ".Length..].Trim() : Request.Query["token"].ToString();
            if (string.IsNullOrEmpty(token))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            if (tokens.Read(token) is not { } v)
            {
                return Task.FromResult(AuthenticateResult.Fail("Invalid or expired visitor token."));
            }

            var identity = new ClaimsIdentity(
            [
                new Claim(KefuClaims.Kind, nameof(CallerKind.Visitor)),
                new Claim(KefuClaims.Tenant, v.TenantId.ToString(CultureInfo.InvariantCulture)),
                new Claim(KefuClaims.Visitor, v.VisitorId.ToString(CultureInfo.InvariantCulture)),
            ], VisitorScheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), VisitorScheme)));
        }
    }
}

/// <summary>Helpers for agent sessions.</summary>
public static class AgentSessions
{
    /// <summary>The agent when it exists and is enabled; null otherwise.</summary>
    public static async ValueTask<Kefu.Model.Agent?> GetActiveAgentAsync(IKefuDirectory directory, long tenantId, long agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            var agent = await directory.GetAgentAsync(tenantId, agentId, cancellationToken);
            return agent.Enabled ? agent : null;
        }
        catch (KefuNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The principal of an agent session.</summary>
    public static ClaimsPrincipal Principal(long tenantId, long agentId, IEnumerable<string> permissions)
    {
        var claims = new List<Claim>
        {
            new(KefuClaims.Kind, nameof(CallerKind.Agent)),
            new(KefuClaims.Tenant, tenantId.ToString(CultureInfo.InvariantCulture)),
            new(KefuClaims.Agent, agentId.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(permissions.Select(p => new Claim(KefuClaims.Permission, p)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, HostAuthentication.CookieScheme));
    }

    /// <summary>The principal of an operator session.</summary>
    public static ClaimsPrincipal Operator(string account)
    {
        return new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(KefuClaims.Kind, nameof(CallerKind.Operator)),
            new Claim(KefuClaims.Tenant, "0"),
            new Claim(ClaimTypes.Name, account),
            new Claim(KefuClaims.Permission, HostPermissions.ManageOrganisation),
        ], HostAuthentication.CookieScheme));
    }
}
