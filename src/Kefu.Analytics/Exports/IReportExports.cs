using Kefu.Analytics.Quality;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Reporting.Calls;
using Kefu.Analytics.Voice;
using Kefu.Storage;

namespace Kefu.Analytics.Exports;

/// <summary>
/// Exports (P7, IS 5.6): every report and statistics page, the voice of the customer's keywords and sentiment trend,
/// quality inspection results and history search results, as CSV (<see cref="CsvExporter"/>) or xlsx
/// (<see cref="XlsxExporter"/>) written to a stream the caller owns and that is left open. Headers are in Chinese or
/// English (<see cref="ExportLanguage"/>); the tables are those of <see cref="ExportTables"/>. Each method validates
/// and runs its query as the page it exports does, with the same exceptions.
/// </summary>
public interface IReportExports
{
    /// <summary>The most rows a history or inspection export holds; a search that matches more is refused.</summary>
    const int MaxRows = 100_000;

    /// <summary>Runs a custom report and exports it (by hour the time column is a date-time, otherwise a date).</summary>
    /// <exception cref="KefuValidationException">The query breaks a report limit.</exception>
    Task ExportReportAsync(long tenantId, ReportQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>Runs a saved report and exports it under its name.</summary>
    /// <exception cref="KefuValidationException">No report has this name.</exception>
    Task ExportSavedReportAsync(long tenantId, string name, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports every conversation a history search matches, newest first, reading the store 100 at a time while
    /// writing (the query's <see cref="HistoryQuery.Offset"/> and <see cref="HistoryQuery.PageSize"/> are ignored).
    /// Times are shown in <paramref name="utcOffset"/>.
    /// </summary>
    /// <exception cref="KefuValidationException">More than <see cref="MaxRows"/> conversations match (field <c>HistoryQuery</c>; narrow the search), or a filter is invalid.</exception>
    Task ExportHistoryAsync(long tenantId, HistoryQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Exports today's dashboard: a sheet of the live counts and today's figures, and one of the two-week trend.</summary>
    Task ExportTodayAsync(long tenantId, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Exports the daily report from <paramref name="from"/> to <paramref name="to"/> included.</summary>
    /// <exception cref="KefuValidationException">The period is reversed or longer than 90 days, or the offset is invalid.</exception>
    Task ExportDailyAsync(long tenantId, DateOnly from, DateOnly to, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Exports call or video statistics by time slot (P5).</summary>
    /// <exception cref="KefuValidationException">The query is out of range (see <see cref="ICallStatistics.GetSlotsAsync"/>).</exception>
    /// <exception cref="InvalidOperationException">Call statistics are not registered (call <c>AddAnalytics()</c>).</exception>
    Task ExportCallSlotsAsync(long tenantId, CallSlotQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>Exports the agents' call or video workload (P6).</summary>
    /// <exception cref="KefuValidationException">The query is out of range (see <see cref="ICallStatistics.GetAgentWorkloadAsync"/>).</exception>
    /// <exception cref="InvalidOperationException">Call statistics are not registered (call <c>AddAnalytics()</c>).</exception>
    Task ExportCallWorkloadAsync(long tenantId, CallWorkloadQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>Exports every agent's workload over the days.</summary>
    /// <exception cref="KefuValidationException">The period is reversed or longer than 90 days.</exception>
    Task ExportWorkloadAsync(long tenantId, DateOnly from, DateOnly to, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Exports visitors by channel with their shares and the daily trend, optionally of one association.</summary>
    /// <exception cref="KefuValidationException">The period is reversed or longer than 90 days.</exception>
    Task ExportVisitorsByChannelAsync(long tenantId, DateOnly from, DateOnly to, ExportFormat format, Stream output, long? associationId = null, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Exports the multi-tenant roll-up.</summary>
    /// <exception cref="KefuValidationException">The period is reversed or longer than 90 days.</exception>
    Task ExportTenantSummariesAsync(TenantSummaryQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>Exports hot keywords.</summary>
    /// <exception cref="InvalidOperationException">The voice of the customer is not registered (<c>AddAnalytics()</c> registers it).</exception>
    Task ExportKeywordsAsync(long tenantId, KeywordQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>Exports the daily sentiment shares of <paramref name="days"/> days ending <paramref name="to"/> (today when null).</summary>
    /// <exception cref="InvalidOperationException">The voice of the customer is not registered.</exception>
    Task ExportSentimentTrendAsync(long tenantId, VoiceScope scope, ExportFormat format, Stream output, DateOnly? to = null, int days = 16, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports the stored inspection results the query lists, newest conversation first, over every page (the query's
    /// <see cref="InspectionQuery.Offset"/> and <see cref="InspectionQuery.PageSize"/> are ignored).
    /// </summary>
    /// <exception cref="KefuValidationException">More than <see cref="MaxRows"/> results match, or the range is invalid.</exception>
    /// <exception cref="InvalidOperationException">Quality inspection is not registered.</exception>
    Task ExportInspectionsAsync(long tenantId, InspectionQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);
}
