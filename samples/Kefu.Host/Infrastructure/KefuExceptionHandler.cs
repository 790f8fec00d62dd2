using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Kefu.Host.Infrastructure;

/// <summary>
/// Turns every refused command into problem details: validation 400 (with the field and the allowed values), not
/// found 404, conflicts, invalid states, entities in use and concurrency 409, limits 422, authentication 403.
/// </summary>
internal sealed partial class KefuExceptionHandler(IProblemDetailsService problems, ILogger<KefuExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem is null)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        }).ConfigureAwait(false);
    }

    /// <summary>The problem an exception maps to, or null for an unexpected one (500).</summary>
    public static ProblemDetails? Map(Exception exception)
    {
        switch (exception)
        {
            case KefuValidationException v:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Validation failed",
                    Detail = v.Message,
                    Type = "https://kefu.dev/problems/validation",
                    Extensions = { ["field"] = v.Field, ["allowed"] = v.Allowed },
                };
            case KefuNotFoundException n:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status404NotFound,
                    Title = "Not found",
                    Detail = n.Message,
                    Type = "https://kefu.dev/problems/not-found",
                    Extensions = { ["entity"] = n.Entity },
                };
            case KefuException k:
                var (status, title) = k.Kind switch
                {
                    KefuErrorKind.Validation => (StatusCodes.Status400BadRequest, "Validation failed"),
                    KefuErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
                    KefuErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
                    KefuErrorKind.InvalidState => (StatusCodes.Status409Conflict, "Not allowed in the current state"),
                    KefuErrorKind.InUse => (StatusCodes.Status409Conflict, "In use"),
                    KefuErrorKind.Concurrency => (StatusCodes.Status409Conflict, "Changed since it was read"),
                    KefuErrorKind.LimitExceeded => (StatusCodes.Status422UnprocessableEntity, "Limit exceeded"),
                    KefuErrorKind.Authentication => (StatusCodes.Status403Forbidden, "Authentication failed"),
                    KefuErrorKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable"),
                    _ => (StatusCodes.Status400BadRequest, "Refused"),
                };
                return new ProblemDetails
                {
                    Status = status,
                    Title = title,
                    Detail = k.Message,
                    Type = "https://kefu.dev/problems/" + k.Kind.ToString().ToLowerInvariant(),
                    Extensions = { ["kind"] = k.Kind.ToString() },
                };
            case Security.CallerNotAgentException notAgent:
                return new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = notAgent.Message };
            case UnauthorizedAccessException unauthorized:
                return new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = unauthorized.Message };
            case BadHttpRequestException bad:
                return new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message };
            case JsonException json:
                return new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Malformed JSON", Detail = json.Message };
            case ArgumentException argument:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Validation failed",
                    Detail = argument.Message,
                    Extensions = { ["field"] = argument.ParamName },
                };
            default:
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
