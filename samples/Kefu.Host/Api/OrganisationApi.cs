using Kefu.Analytics.Exports;
using Kefu.Analytics.Reporting;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>The organisation above tenants (C1, E17 3): the operator's area.</summary>
internal static class OrganisationApi
{
    public static void MapOrganisationApi(this RouteGroupBuilder api)
    {
        var org = api.MapGroup("/organisation").WithTags("Organisation and tenants").RequirePermission(HostPermissions.ManageOrganisation);
        org.MapGet("/tenants", async Task<Ok<IReadOnlyList<Tenant>>> (IKefuOrganisation o, CancellationToken ct) => TypedResults.Ok(await o.ListTenantsAsync(ct)));
        org.MapPost("/tenants", async Task<Created<Tenant>> (NewTenant body, IKefuOrganisation o, CancellationToken ct) =>
        {
            var tenant = await o.CreateTenantAsync(body, ct);
            return TypedResults.Created($"/api/v1/organisation/tenants/{tenant.Id}", tenant);
        });
        org.MapGet("/template", async Task<Ok<TenantTemplate>> (IKefuOrganisation o, CancellationToken ct) => TypedResults.Ok(await o.GetTenantTemplateAsync(ct)));
        org.MapPut("/template", async Task<Ok<TenantTemplate>> (TenantTemplate body, IKefuOrganisation o, CancellationToken ct) => TypedResults.Ok(await o.SetTenantTemplateAsync(body, ct)));
        org.MapPut("/tenants/{tenantId:long}/limits", async Task<Ok<TenantLimits>> (long tenantId, TenantLimits body, IKefuOrganisation o, CancellationToken ct) =>
            TypedResults.Ok(await o.SetTenantLimitsAsync(tenantId, body, ct)));
        org.MapPost("/summaries", async Task<Ok<IReadOnlyList<TenantSummary>>> (TenantSummaryQuery body, IServiceStatistics s, CancellationToken ct) =>
            TypedResults.Ok(await s.GetTenantSummariesAsync(body, ct)));
        org.MapPost("/summaries/export", (TenantSummaryQuery body, string format, IReportExports e, string? language) =>
            Exports.File(format, language, "tenants", (fmt, lang, stream, ct) => e.ExportTenantSummariesAsync(body, fmt, stream, lang, ct)));
    }
}

/// <summary>Streams an export as a download.</summary>
internal static class Exports
{
    /// <summary>
    /// Writes the export to a buffer first, so a refused query (a bad range, an unknown report) still answers with
    /// problem details instead of a broken download; then sends it as a file.
    /// </summary>
    public static async Task<FileContentHttpResult> File(string formatText, string? languageText, string name, Func<ExportFormat, ExportLanguage, Stream, CancellationToken, Task> write)
    {
        var format = QueryValues.Enum(formatText, ExportFormat.Csv, "format");
        var language = QueryValues.Enum(languageText, ExportLanguage.Zh, "language");
        var (contentType, extension) = format == ExportFormat.Xlsx
            ? ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
            : ("text/csv; charset=utf-8", ".csv");
        await using var buffer = new MemoryStream();
        await write(format, language, buffer, CancellationToken.None);
        return TypedResults.File(buffer.ToArray(), contentType, name + extension);
    }
}

/// <summary>Query-string values, read like the JSON bodies: enums by name in any case (<c>csv</c>, <c>Csv</c>).</summary>
internal static class QueryValues
{
    public static TEnum Enum<TEnum>(string? value, TEnum fallback, string field)
        where TEnum : struct, System.Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw new KefuValidationException(field, string.Join(", ", System.Enum.GetNames<TEnum>()), $"was '{value}'");
    }

    public static TEnum? Optional<TEnum>(string? value, string field)
        where TEnum : struct, System.Enum
        => string.IsNullOrEmpty(value) ? null : Enum(value, default(TEnum), field);
}
