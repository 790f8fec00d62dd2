using System.Globalization;
using System.Reflection;
using System.Security.Claims;

namespace Kefu.Host.Security;

/// <summary>What kind of principal made a request.</summary>
public enum CallerKind
{
    /// <summary>An agent (or administrator) signed in with a password: a cookie session.</summary>
    Agent,
    /// <summary>A server holding one of the tenant's API keys.</summary>
    ApiKey,
    /// <summary>The organisation's operator (multi-tenant administration).</summary>
    Operator,
    /// <summary>A visitor holding a visitor token.</summary>
    Visitor,
}

/// <summary>The claims the host puts on its principals.</summary>
public static class KefuClaims
{
    /// <summary>The <see cref="CallerKind"/>.</summary>
    public const string Kind = "kefu:kind";
    /// <summary>The tenant id.</summary>
    public const string Tenant = "kefu:tenant";
    /// <summary>The agent id (agents only).</summary>
    public const string Agent = "kefu:agent";
    /// <summary>The visitor id (visitors only).</summary>
    public const string Visitor = "kefu:visitor";
    /// <summary>One permission; repeated.</summary>
    public const string Permission = "kefu:perm";
    /// <summary>The API key id (API keys only).</summary>
    public const string ApiKey = "kefu:key";
}

/// <summary>
/// The authenticated caller of a request, bound as a handler parameter. The tenant always comes from the caller,
/// never from the route: an id from another tenant is simply not found.
/// </summary>
/// <param name="Kind">What signed the request.</param>
/// <param name="TenantId">The caller's tenant (0 for the operator).</param>
/// <param name="AgentId">The agent, for agent sessions.</param>
/// <param name="VisitorId">The visitor, for visitor tokens.</param>
/// <param name="Permissions">The caller's permissions.</param>
public sealed record Caller(CallerKind Kind, long TenantId, long? AgentId, long? VisitorId, IReadOnlySet<string> Permissions)
{
    /// <summary>Whether the caller holds a permission.</summary>
    public bool Has(string permission) => Permissions.Contains(permission);

    /// <summary>The agent id; refuses callers that are not agents (an API key cannot act as an agent).</summary>
    public long RequireAgent() => AgentId ?? throw new CallerNotAgentException();

    /// <summary>Reads the caller from a principal; null when it carries no Kefu claims.</summary>
    public static Caller? FromPrincipal(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var kind = user.FindFirstValue(KefuClaims.Kind);
        if (kind is null || !Enum.TryParse<CallerKind>(kind, out var k))
        {
            return null;
        }

        return new Caller(
            k,
            ReadLong(user, KefuClaims.Tenant) ?? 0,
            ReadLong(user, KefuClaims.Agent),
            ReadLong(user, KefuClaims.Visitor),
            user.FindAll(KefuClaims.Permission).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Minimal-API binding: the caller of the current request.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<Caller?>(FromPrincipal(context.User) ?? throw new UnauthorizedAccessException("No Kefu caller on this request."));
    }

    private static long? ReadLong(ClaimsPrincipal user, string type)
        => user.FindFirstValue(type) is { } s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>An endpoint that needs an agent was called with an API key or by the operator.</summary>
public sealed class CallerNotAgentException() : Exception("This endpoint acts as an agent: sign in as an agent.");
