using System.Globalization;
using System.Runtime.CompilerServices;
using Kefu.Analytics.Quality;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Reporting.Calls;
using Kefu.Analytics.Voice;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Analytics.Exports;

/// <summary>Runs the queries and writes their tables; history and inspections page through their stores while writing.</summary>
internal sealed class ReportExports : IReportExports
{
    private const int PageSize = 100;

    private readonly IReports _reports;
    private readonly IServiceStatistics _statistics;
    private readonly IConversationStore _conversations;
    private readonly IVoiceOfCustomer? _voice;
    private readonly IQualityInspection? _quality;
    private readonly ICallStatistics? _calls;

    public ReportExports(IReports reports, IServiceStatistics statistics, IConversationStore conversations, IVoiceOfCustomer? voice = null, IQualityInspection? quality = null, ICallStatistics? calls = null)
    {
        _reports = reports;
        _statistics = statistics;
        _conversations = conversations;
        _voice = voice;
        _quality = quality;
        _calls = calls;
    }

    /// <summary>The cap on history and inspection rows; lowered by tests.</summary>
    internal int RowLimit { get; init; } = IReportExports.MaxRows;

    public async Task ExportReportAsync(long tenantId, ReportQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var report = await _reports.RunAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromReport(report, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportSavedReportAsync(long tenantId, string name, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        Check(format, output, language);
        var report = await _reports.RunSavedAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromReport(report, language, name.Trim())], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportHistoryAsync(long tenantId, HistoryQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var first = await _conversations.SearchConversationsAsync(tenantId, query with { Offset = 0, PageSize = PageSize }, cancellationToken).ConfigureAwait(false);
        CheckTotal(first.Total, nameof(HistoryQuery));
        var table = ExportTables.FromConversations(HistoryAsync(tenantId, query, first, cancellationToken), utcOffset, language);
        await WriteAsync([table], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportTodayAsync(long tenantId, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        Check(format, output, language);
        var dashboard = await _statistics.GetTodayAsync(tenantId, utcOffset, cancellationToken).ConfigureAwait(false);
        await WriteAsync(ExportTables.FromDashboard(dashboard, utcOffset, language), format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportDailyAsync(long tenantId, DateOnly from, DateOnly to, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        Check(format, output, language);
        var days = await _statistics.GetDailyAsync(tenantId, from, to, utcOffset, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromDailyFigures(days, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportCallSlotsAsync(long tenantId, CallSlotQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var calls = _calls ?? throw new InvalidOperationException("Call statistics are not registered: call AddAnalytics().");
        var slots = await calls.GetSlotsAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromCallSlots(slots, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportCallWorkloadAsync(long tenantId, CallWorkloadQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var calls = _calls ?? throw new InvalidOperationException("Call statistics are not registered: call AddAnalytics().");
        var workload = await calls.GetAgentWorkloadAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromCallWorkload(workload, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportWorkloadAsync(long tenantId, DateOnly from, DateOnly to, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        Check(format, output, language);
        var workload = await _statistics.GetWorkloadAsync(tenantId, from, to, utcOffset, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromWorkload(workload, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportVisitorsByChannelAsync(long tenantId, DateOnly from, DateOnly to, ExportFormat format, Stream output, long? associationId = null, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        Check(format, output, language);
        var visitors = await _statistics.GetVisitorsByChannelAsync(tenantId, from, to, associationId, utcOffset, cancellationToken).ConfigureAwait(false);
        await WriteAsync(ExportTables.FromVisitorStatistics(visitors, language), format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportTenantSummariesAsync(TenantSummaryQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var tenants = await _statistics.GetTenantSummariesAsync(query, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromTenantSummaries(tenants, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportKeywordsAsync(long tenantId, KeywordQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var keywords = await Voice().GetKeywordsAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromKeywords(keywords, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportSentimentTrendAsync(long tenantId, VoiceScope scope, ExportFormat format, Stream output, DateOnly? to = null, int days = 16, ExportLanguage language = ExportLanguage.Zh, CancellationToken cancellationToken = default)
    {
        Check(format, output, language);
        var trend = await Voice().GetSentimentTrendAsync(tenantId, scope, to, days, cancellationToken).ConfigureAwait(false);
        await WriteAsync([ExportTables.FromSentimentTrend(trend, language)], format, output, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportInspectionsAsync(long tenantId, InspectionQuery query, ExportFormat format, Stream output, ExportLanguage language = ExportLanguage.Zh, TimeSpan utcOffset = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Check(format, output, language);
        var quality = _quality ?? throw new InvalidOperationException("Quality inspection is not registered: call AddAnalytics().");
        var first = await quality.ListAsync(tenantId, query with { Offset = 0, PageSize = InspectionQuery.MaxPageSize }, cancellationToken).ConfigureAwait(false);
        CheckTotal(first.Total, nameof(InspectionQuery));
        var table = ExportTables.FromInspections(InspectionsAsync(quality, tenantId, query, first, cancellationToken), utcOffset, language);
        await WriteAsync([table], format, output, cancellationToken).ConfigureAwait(false);
    }

    internal static Task WriteAsync(IReadOnlyList<ExportTable> tables, ExportFormat format, Stream output, CancellationToken cancellationToken) =>
        format == ExportFormat.Xlsx
            ? XlsxExporter.WriteAsync(tables, output, cancellationToken)
            : CsvExporter.WriteAsync(tables, output, cancellationToken);

    private static void Check(ExportFormat format, Stream output, ExportLanguage language)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Enum.IsDefined(format))
        {
            throw new KefuValidationException("format", "Csv or Xlsx", $"was {format}");
        }

        if (!Enum.IsDefined(language))
        {
            throw new KefuValidationException("language", "zh or en", $"was {language}");
        }

        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        }
    }

    private void CheckTotal(int total, string field)
    {
        if (total > RowLimit)
        {
            throw new KefuValidationException(
                field,
                string.Create(CultureInfo.InvariantCulture, $"a search of at most {RowLimit:N0} rows to export"),
                string.Create(CultureInfo.InvariantCulture, $"it matches {total:N0}; narrow the period or the filters"));
        }
    }

    private IVoiceOfCustomer Voice() =>
        _voice ?? throw new InvalidOperationException("The voice of the customer is not registered: call AddAnalytics().");

    /// <summary>
    /// The matches page by page, newest first. Conversations created while paging shift the offsets, so a page may
    /// repeat the previous page's last rows: ids already written are skipped, and paging stops at the cap.
    /// </summary>
    private async IAsyncEnumerable<Conversation> HistoryAsync(long tenantId, HistoryQuery query, Page<Conversation> page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        var offset = 0;
        while (true)
        {
            foreach (var conversation in page.Items)
            {
                if (seen.Count < RowLimit && seen.Add(conversation.Id))
                {
                    yield return conversation;
                }
            }

            offset += page.Items.Count;
            if (page.Items.Count == 0 || !page.HasMore || seen.Count >= RowLimit)
            {
                yield break;
            }

            page = await _conversations.SearchConversationsAsync(tenantId, query with { Offset = offset, PageSize = PageSize }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<InspectionResult> InspectionsAsync(IQualityInspection quality, long tenantId, InspectionQuery query, Page<InspectionResult> page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        var offset = 0;
        while (true)
        {
            foreach (var result in page.Items)
            {
                if (seen.Count < RowLimit && seen.Add(result.ConversationId))
                {
                    yield return result;
                }
            }

            offset += page.Items.Count;
            if (page.Items.Count == 0 || !page.HasMore || seen.Count >= RowLimit)
            {
                yield break;
            }

            page = await quality.ListAsync(tenantId, query with { Offset = offset, PageSize = InspectionQuery.MaxPageSize }, cancellationToken).ConfigureAwait(false);
        }
    }
}
