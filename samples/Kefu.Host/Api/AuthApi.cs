using Kefu.Host.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Sign-in, sign-out, the current caller, password change (IS 1.2), anti-forgery tokens and API keys.</summary>
internal static class AuthApi
{
    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication");

        auth.MapPost("/login", async Task<Results<Ok<SessionDto>, ProblemHttpResult>> (LoginBody body, HttpContext http, IKefuDirectory directory, IAntiforgery antiforgery) =>
        {
            Kefu.Model.Agent? agent = null;
            try
            {
                agent = await directory.AuthenticateAsync(body.TenantId, body.Account ?? string.Empty, body.Password ?? string.Empty, http.RequestAborted);
            }
            catch (KefuNotFoundException)
            {
                // An unknown tenant answers like a wrong password.
            }

            if (agent is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The account, the password or the tenant is wrong, or the account is disabled.");
            }

            var permissions = await directory.GetPermissionsAsync(body.TenantId, agent.Id, http.RequestAborted);
            var principal = AgentSessions.Principal(body.TenantId, agent.Id, permissions);
            await http.SignInAsync(HostAuthentication.CookieScheme, principal);
            http.User = principal;
            var tokens = antiforgery.GetAndStoreTokens(http);
            return TypedResults.Ok(new SessionDto("agent", body.TenantId, AgentDto.From(agent), permissions, tokens.RequestToken!, AntiforgeryMiddleware.HeaderName));
        }).AllowAnonymous().RequireRateLimiting(HostSetup.LoginRateLimit).WithName("Login");

        auth.MapPost("/operator/login", async Task<Results<Ok<SessionDto>, ProblemHttpResult>> (OperatorLoginBody body, HttpContext http, OperatorAccounts operators, IAntiforgery antiforgery) =>
        {
            if (!await operators.VerifyAsync(body.Account ?? string.Empty, body.Password ?? string.Empty, http.RequestAborted))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The account or the password is wrong.");
            }

            var principal = AgentSessions.Operator(body.Account!);
            await http.SignInAsync(HostAuthentication.CookieScheme, principal);
            http.User = principal;
            var tokens = antiforgery.GetAndStoreTokens(http);
            return TypedResults.Ok(new SessionDto("operator", 0, null, [HostPermissions.ManageOrganisation], tokens.RequestToken!, AntiforgeryMiddleware.HeaderName));
        }).AllowAnonymous().RequireRateLimiting(HostSetup.LoginRateLimit).WithName("OperatorLogin");

        auth.MapPost("/logout", async Task<NoContent> (Caller caller, HttpContext http, IKefuConversations conversations) =>
        {
            if (caller.AgentId is { } agentId)
            {
                await conversations.LogoutAsync(caller.TenantId, agentId, http.RequestAborted);
            }

            await http.SignOutAsync(HostAuthentication.CookieScheme);
            return TypedResults.NoContent();
        }).RequireAuthorization(HostPermissions.SignedIn);

        auth.MapGet("/me", async Task<Ok<SessionDto>> (Caller caller, HttpContext http, IKefuDirectory directory, IAntiforgery antiforgery) =>
        {
            var agent = caller.AgentId is { } id ? AgentDto.From(await directory.GetAgentAsync(caller.TenantId, id, http.RequestAborted)) : null;
            var tokens = antiforgery.GetAndStoreTokens(http);
            return TypedResults.Ok(new SessionDto(caller.Kind.ToString().ToLowerInvariant(), caller.TenantId, agent, [.. caller.Permissions.Order(StringComparer.Ordinal)], tokens.RequestToken!, AntiforgeryMiddleware.HeaderName));
        }).RequireAuthorization(HostPermissions.SignedIn);

        auth.MapGet("/antiforgery", Ok<AntiforgeryDto> (HttpContext http, IAntiforgery antiforgery) =>
            TypedResults.Ok(new AntiforgeryDto(antiforgery.GetAndStoreTokens(http).RequestToken!, AntiforgeryMiddleware.HeaderName)))
            .RequireAuthorization(HostPermissions.SignedIn);

        auth.MapPost("/password", async Task<NoContent> (ChangePasswordBody body, Caller caller, IKefuDirectory directory, HttpContext http) =>
        {
            await directory.ChangePasswordAsync(caller.TenantId, caller.RequireAgent(), body.CurrentPassword ?? string.Empty, body.NewPassword ?? string.Empty, http.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(HostPermissions.SignedIn);

        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequirePermission(Kefu.Model.KefuPermissions.ManageConfiguration);
        keys.MapGet("/", async Task<Ok<IReadOnlyList<ApiKeyInfo>>> (Caller caller, ApiKeyStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListAsync(caller.TenantId, ct)));
        keys.MapPost("/", async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> (ApiKeyBody body, Caller caller, ApiKeyStore store, CancellationToken ct) =>
        {
            var permissions = body.Permissions ?? [];
            var beyond = permissions.FirstOrDefault(p => !caller.Has(p));
            if (beyond is not null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"You cannot grant '{beyond}', which you do not hold.");
            }

            var created = await store.CreateAsync(caller.TenantId, body.Name, permissions, ct);
            return TypedResults.Created($"/api/v1/api-keys/{created.Key.Id}", created);
        });
        keys.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller caller, ApiKeyStore store, CancellationToken ct) =>
        {
            await store.RevokeAsync(caller.TenantId, id, ct);
            return TypedResults.NoContent();
        });
    }
}
