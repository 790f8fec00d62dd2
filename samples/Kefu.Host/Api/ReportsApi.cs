using Kefu.Analytics.Exports;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Reporting.Calls;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Custom reports (P1), the dashboard, daily figures, workload and visitors by channel (P2–P4), call statistics (P5–P6) and their exports (P7).</summary>
internal static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        var r = api.MapGroup("/reports").WithTags("Reports and exports").RequirePermission(KefuPermissions.ViewReports);
        r.MapGet("/metrics", Ok<IReadOnlyList<MetricDefinition>> () => TypedResults.Ok(MetricCatalog.All));
        r.MapPost("/run", async Task<Ok<ReportResult>> (ReportQuery b, Caller c, IReports reports, CancellationToken ct) => TypedResults.Ok(await reports.RunAsync(c.TenantId, b, ct)));
        r.MapPost("/export", (ReportQuery b, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "report", (fmt, lang, s, ct) => e.ExportReportAsync(c.TenantId, b, fmt, s, lang, ct)));
        r.MapGet("/saved", async Task<Ok<IReadOnlyList<SavedReport>>> (Caller c, IReports reports, CancellationToken ct) => TypedResults.Ok(await reports.ListAsync(c.TenantId, ct)));
        r.MapPost("/saved", async Task<Ok<SavedReport>> (ReportDefinition b, long? expectedVersion, Caller c, IReports reports, CancellationToken ct) =>
            TypedResults.Ok(await reports.SaveAsync(c.TenantId, b, expectedVersion ?? 0, ct)));
        r.MapGet("/saved/{name}/run", async Task<Ok<ReportResult>> (string name, Caller c, IReports reports, CancellationToken ct) =>
        {
            await RequireSavedAsync(reports, c, name, ct);
            return TypedResults.Ok(await reports.RunSavedAsync(c.TenantId, name, ct));
        });
        r.MapGet("/saved/{name}/export", async (string name, string format, string? language, Caller c, IReports reports, IReportExports e, CancellationToken ct) =>
        {
            await RequireSavedAsync(reports, c, name, ct);
            return await Exports.File(format, language, "report", (fmt, lang, s, token) => e.ExportSavedReportAsync(c.TenantId, name, fmt, s, lang, token));
        });
        r.MapDelete("/saved/{name}", async Task<Results<NoContent, NotFound>> (string name, long version, Caller c, IReports reports, CancellationToken ct) =>
            await reports.DeleteAsync(c.TenantId, name, version, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        r.MapGet("/today", async Task<Ok<TodayDashboard>> (int? utcOffsetMinutes, Caller c, IServiceStatistics s, CancellationToken ct) =>
            TypedResults.Ok(await s.GetTodayAsync(c.TenantId, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/today/export", (string format, string? language, int? utcOffsetMinutes, Caller c, IReportExports e) =>
            Exports.File(format, language, "today", (fmt, lang, s, ct) => e.ExportTodayAsync(c.TenantId, fmt, s, lang, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/daily", async Task<Ok<IReadOnlyList<DayFigures>>> (DateOnly from, DateOnly to, int? utcOffsetMinutes, Caller c, IServiceStatistics s, CancellationToken ct) =>
            TypedResults.Ok(await s.GetDailyAsync(c.TenantId, from, to, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/daily/export", (DateOnly from, DateOnly to, string format, string? language, int? utcOffsetMinutes, Caller c, IReportExports e) =>
            Exports.File(format, language, "daily", (fmt, lang, s, ct) => e.ExportDailyAsync(c.TenantId, from, to, fmt, s, lang, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/workload", async Task<Ok<IReadOnlyList<AgentWorkload>>> (DateOnly from, DateOnly to, int? utcOffsetMinutes, Caller c, IServiceStatistics s, CancellationToken ct) =>
            TypedResults.Ok(await s.GetWorkloadAsync(c.TenantId, from, to, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/workload/export", (DateOnly from, DateOnly to, string format, string? language, int? utcOffsetMinutes, Caller c, IReportExports e) =>
            Exports.File(format, language, "workload", (fmt, lang, s, ct) => e.ExportWorkloadAsync(c.TenantId, from, to, fmt, s, lang, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/visitors-by-channel", async Task<Ok<VisitorStatistics>> (DateOnly from, DateOnly to, long? associationId, int? utcOffsetMinutes, Caller c, IServiceStatistics s, CancellationToken ct) =>
            TypedResults.Ok(await s.GetVisitorsByChannelAsync(c.TenantId, from, to, associationId, Offset(utcOffsetMinutes), ct)));
        r.MapGet("/visitors-by-channel/export", (DateOnly from, DateOnly to, long? associationId, string format, string? language, int? utcOffsetMinutes, Caller c, IReportExports e) =>
            Exports.File(format, language, "visitors-by-channel", (fmt, lang, s, ct) => e.ExportVisitorsByChannelAsync(c.TenantId, from, to, fmt, s, associationId, lang, Offset(utcOffsetMinutes), ct)));

        r.MapPost("/calls/slots", async Task<Ok<IReadOnlyList<CallSlotRow>>> (CallSlotQuery b, Caller c, ICallStatistics s, CancellationToken ct) => TypedResults.Ok(await s.GetSlotsAsync(c.TenantId, b, ct)));
        r.MapPost("/calls/slots/export", (CallSlotQuery b, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "call-slots", (fmt, lang, s, ct) => e.ExportCallSlotsAsync(c.TenantId, b, fmt, s, lang, ct)));
        r.MapPost("/calls/workload", async Task<Ok<IReadOnlyList<CallAgentWorkload>>> (CallWorkloadQuery b, Caller c, ICallStatistics s, CancellationToken ct) => TypedResults.Ok(await s.GetAgentWorkloadAsync(c.TenantId, b, ct)));
        r.MapPost("/calls/workload/export", (CallWorkloadQuery b, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "call-workload", (fmt, lang, s, ct) => e.ExportCallWorkloadAsync(c.TenantId, b, fmt, s, lang, ct)));
    }

    private static async Task RequireSavedAsync(IReports reports, Caller c, string name, CancellationToken ct)
    {
        if (!(await reports.ListAsync(c.TenantId, ct)).Any(r => r.Definition.Name == name))
        {
            throw new KefuException(KefuErrorKind.NotFound, $"Report '{name}' was not found in this tenant.");
        }
    }

    private static TimeSpan Offset(int? minutes) => minutes is { } m ? TimeSpan.FromMinutes(Math.Clamp(m, -14 * 60, 14 * 60)) : TimeSpan.Zero;
}
