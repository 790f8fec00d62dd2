using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Routing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Routing rules, robot modes, work hours and group strategies (R1–R14).</summary>
internal static class RoutingApi
{
    public static void MapRoutingApi(this RouteGroupBuilder api)
    {
        var routing = api.MapGroup("/routing").WithTags("Routing rules").RequirePermission(KefuPermissions.ManageConfiguration);
        routing.MapGet("/", async Task<Ok<RoutingConfiguration>> (Caller c, IRoutingRules r, CancellationToken ct) => TypedResults.Ok(await r.GetAsync(c.TenantId, ct)));
        routing.MapPut("/", async Task<Ok<RoutingConfiguration>> (RoutingConfiguration b, Caller c, IRoutingRules r, CancellationToken ct) => TypedResults.Ok(await r.SaveAsync(c.TenantId, b, ct)));
        routing.MapGet("/work-time", async Task<Ok<bool>> (DateTimeOffset? at, Caller c, IRoutingRules r, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(await r.IsWorkTimeAsync(c.TenantId, at ?? time.GetUtcNow(), ct)));
    }
}
