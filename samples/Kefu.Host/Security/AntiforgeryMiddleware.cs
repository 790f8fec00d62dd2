using Microsoft.AspNetCore.Antiforgery;

namespace Kefu.Host.Security;

/// <summary>
/// Anti-forgery for cookie sessions: a state-changing request (anything but GET, HEAD, OPTIONS and TRACE) signed by
/// the session cookie must carry the request token in the <c>X-XSRF-TOKEN</c> header
/// (<c>GET /api/v1/auth/antiforgery</c> or the login answer gives it). API-key and visitor-token requests carry no
/// ambient credentials and are not checked.
/// </summary>
internal sealed class AntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery)
{
    /// <summary>The header the request token travels in.</summary>
    public const string HeaderName = "X-XSRF-TOKEN";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: HostAuthentication.CookieScheme }
            && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method) && !HttpMethods.IsTrace(context.Request.Method)
            && !context.Request.Path.StartsWithSegments("/api/v1/auth/login", StringComparison.Ordinal)
            && !context.Request.Path.StartsWithSegments("/api/v1/auth/operator/login", StringComparison.Ordinal))
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Anti-forgery token missing or invalid",
                    detail: $"Send the token from GET /api/v1/auth/antiforgery in the {HeaderName} header.").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
