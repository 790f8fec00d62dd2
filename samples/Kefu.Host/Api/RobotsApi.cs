using Kefu.Bots;
using Kefu.Bots.Matching;
using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Robots, knowledge rules with CSV/xlsx import and export, matching and Q&amp;A optimisation (B1–B6).</summary>
internal static class RobotsApi
{
    public static void MapRobotsApi(this RouteGroupBuilder api)
    {
        var robots = api.MapGroup("/robots").WithTags("Robots and knowledge").RequirePermission(KefuPermissions.ManageConfiguration);
        robots.MapGet("/", async Task<Ok<IReadOnlyList<Robot>>> (Caller c, IRobots r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(c.TenantId, ct)));
        robots.MapGet("/{id:long}", async Task<Ok<Robot>> (long id, Caller c, IRobots r, CancellationToken ct) => TypedResults.Ok(await r.GetAsync(c.TenantId, id, ct)));
        robots.MapPost("/", async Task<Created<Robot>> (Robot b, Caller c, IRobots r, CancellationToken ct) =>
        {
            var created = await r.CreateAsync(c.TenantId, b, ct);
            return TypedResults.Created($"/api/v1/robots/{created.Id}", created);
        });
        robots.MapPut("/{id:long}", async Task<Ok<Robot>> (long id, Robot b, Caller c, IRobots r, CancellationToken ct) => TypedResults.Ok(await r.UpdateAsync(c.TenantId, b with { Id = id }, ct)));
        robots.MapDelete("/{id:long}", async Task<NoContent> (long id, long version, Caller c, IRobots r, CancellationToken ct) =>
        {
            await r.DeleteAsync(c.TenantId, id, version, ct);
            return TypedResults.NoContent();
        });

        robots.MapGet("/{id:long}/rules", async Task<Ok<Page<KnowledgeRule>>> (long id, string? search, string? category, int? offset, int? limit, Caller c, IKnowledgeBase k, CancellationToken ct) =>
            TypedResults.Ok(await k.ListRulesAsync(c.TenantId, id, new KnowledgeQuery { Search = search, Category = category, Offset = offset ?? 0, Limit = limit ?? 50 }, ct)));
        robots.MapPost("/{id:long}/rules", async Task<Created<KnowledgeRule>> (long id, KnowledgeRule b, Caller c, IKnowledgeBase k, CancellationToken ct) =>
        {
            var created = await k.AddRuleAsync(c.TenantId, id, b, ct);
            return TypedResults.Created($"/api/v1/robots/rules/{created.Id}", created);
        });
        robots.MapGet("/rules/{ruleId:long}", async Task<Ok<KnowledgeRule>> (long ruleId, Caller c, IKnowledgeBase k, CancellationToken ct) => TypedResults.Ok(await k.GetRuleAsync(c.TenantId, ruleId, ct)));
        robots.MapPut("/rules/{ruleId:long}", async Task<Ok<KnowledgeRule>> (long ruleId, KnowledgeRule b, Caller c, IKnowledgeBase k, CancellationToken ct) =>
            TypedResults.Ok(await k.UpdateRuleAsync(c.TenantId, b with { Id = ruleId }, ct)));
        robots.MapDelete("/rules/{ruleId:long}", async Task<NoContent> (long ruleId, long version, Caller c, IKnowledgeBase k, CancellationToken ct) =>
        {
            await k.DeleteRuleAsync(c.TenantId, ruleId, version, ct);
            return TypedResults.NoContent();
        });
        robots.MapPost("/{id:long}/match", async Task<Ok<KnowledgeMatch>> (long id, QuestionBody b, Caller c, IKnowledgeBase k, CancellationToken ct) =>
            TypedResults.Ok(await k.MatchAsync(c.TenantId, id, b.Question, b.Max, ct)));
        robots.MapPost("/{id:long}/import", async Task<Results<Ok<ImportResult>, ProblemHttpResult>> (long id, IFormFile file, string format, string? mode, Caller c, IKnowledgeBase k, CancellationToken ct) =>
        {
            await using var stream = file.OpenReadStream();
            var result = await k.ImportAsync(c.TenantId, id, stream, QueryValues.Enum(format, KnowledgeFileFormat.Csv, "format"), QueryValues.Enum(mode, ImportMode.Append, "mode"), ct);
            return result.Succeeded
                ? TypedResults.Ok(result)
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Import refused: nothing was changed",
                    extensions: new Dictionary<string, object?> { ["errors"] = result.Errors });
        }).DisableAntiforgery();
        robots.MapGet("/{id:long}/export", (long id, string format, Caller c, IKnowledgeBase k) =>
        {
            var fileFormat = QueryValues.Enum(format, KnowledgeFileFormat.Csv, "format");
            var (type, ext) = fileFormat == KnowledgeFileFormat.Xlsx ? ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx") : ("text/csv; charset=utf-8", "csv");
            return TypedResults.Stream(async stream =>
            {
                await using var buffer = new MemoryStream();
                await k.ExportAsync(c.TenantId, id, buffer, fileFormat);
                buffer.Position = 0;
                await buffer.CopyToAsync(stream);
            }, type, $"knowledge-{id}.{ext}");
        });

        robots.MapGet("/{id:long}/unmatched", async Task<Ok<IReadOnlyList<UnmatchedGroup>>> (long id, DateTimeOffset? from, DateTimeOffset? to, Caller c, IBotOptimization o, CancellationToken ct) =>
            TypedResults.Ok(await o.ListUnmatchedAsync(c.TenantId, id, new UnmatchedQuery { From = from, To = to }, ct)));
        robots.MapPost("/{id:long}/unmatched/{groupKey:long}/add-to/{ruleId:long}", async Task<Ok<KnowledgeRule>> (long id, long groupKey, long ruleId, Caller c, IBotOptimization o, CancellationToken ct) =>
            TypedResults.Ok(await o.AddToRuleAsync(c.TenantId, id, groupKey, ruleId, ct)));
        robots.MapPost("/{id:long}/unmatched/{groupKey:long}/rule", async Task<Ok<KnowledgeRule>> (long id, long groupKey, KnowledgeAnswer b, Caller c, IBotOptimization o, CancellationToken ct) =>
            TypedResults.Ok(await o.CreateRuleAsync(c.TenantId, id, groupKey, b, ct)));
        robots.MapDelete("/{id:long}/unmatched/{groupKey:long}", async Task<NoContent> (long id, long groupKey, Caller c, IBotOptimization o, CancellationToken ct) =>
        {
            await o.DismissAsync(c.TenantId, id, groupKey, ct);
            return TypedResults.NoContent();
        });
    }
}
