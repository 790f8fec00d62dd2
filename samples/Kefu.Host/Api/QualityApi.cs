using Kefu.Analytics.Exports;
using Kefu.Analytics.Quality;
using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Quality inspection (A6): the tenant's rules, flagged conversations, inspection on demand and exports.</summary>
internal static class QualityApi
{
    public static void MapQualityApi(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/quality/rules").WithTags("Quality inspection").RequirePermission(KefuPermissions.ManageConfiguration);
        rules.MapGet("/", async Task<Ok<QualityRules>> (Caller c, IQualityInspection q, CancellationToken ct) => TypedResults.Ok(await q.GetRulesAsync(c.TenantId, ct)));
        rules.MapPut("/", async Task<Ok<QualityRules>> (QualityRules b, Caller c, IQualityInspection q, CancellationToken ct) => TypedResults.Ok(await q.SetRulesAsync(c.TenantId, b, ct)));

        var inspections = api.MapGroup("/quality/inspections").WithTags("Quality inspection").RequirePermission(KefuPermissions.ViewReports);
        inspections.MapPost("/search", async Task<Ok<Page<InspectionResult>>> (InspectionQuery b, Caller c, IQualityInspection q, CancellationToken ct) => TypedResults.Ok(await q.ListAsync(c.TenantId, b, ct)));
        inspections.MapPost("/export", (InspectionQuery b, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "inspections", (fmt, lang, s, ct) => e.ExportInspectionsAsync(c.TenantId, b, fmt, s, lang, default, ct)));
        inspections.MapPost("/{conversationId:long}", async Task<Ok<InspectionResult>> (long conversationId, Caller c, IQualityInspection q, CancellationToken ct) =>
            TypedResults.Ok(await q.InspectAsync(c.TenantId, conversationId, ct)));
    }
}
