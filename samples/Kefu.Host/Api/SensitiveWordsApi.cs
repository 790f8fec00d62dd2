using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>The tenant's sensitive-word list, allow-list and mode (M1–M6).</summary>
internal static class SensitiveWordsApi
{
    public static void MapSensitiveWordsApi(this RouteGroupBuilder api)
    {
        var words = api.MapGroup("/sensitive-words").WithTags("Sensitive words").RequirePermission(KefuPermissions.ManageConfiguration);
        words.MapGet("/", async Task<Ok<SensitiveWordSettings>> (Caller c, ISensitiveWords w, CancellationToken ct) => TypedResults.Ok(await w.GetAsync(c.TenantId, ct)));
        words.MapPut("/", async Task<Ok<SensitiveWordSettings>> (SensitiveWordSettings b, Caller c, ISensitiveWords w, CancellationToken ct) => TypedResults.Ok(await w.SaveAsync(c.TenantId, b, ct)));
        words.MapPost("/import", async Task<Ok<SensitiveWordSettings>> (IFormFile file, string? category, bool? replace, Caller c, ISensitiveWords w, CancellationToken ct) =>
        {
            using var reader = new StreamReader(file.OpenReadStream());
            return TypedResults.Ok(await w.ImportAsync(c.TenantId, reader, category ?? string.Empty, replace ?? false, ct));
        }).DisableAntiforgery();
    }
}
