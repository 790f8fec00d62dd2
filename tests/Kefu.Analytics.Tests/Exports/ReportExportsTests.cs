using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Kefu.Analytics.Exports;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Tests.Reporting;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Exports;

public sealed class ReportExportsTests
{
    private static ReportExports Exports(ReportingHarness r, int rowLimit = IReportExports.MaxRows) =>
        new(r.Reports, r.H.Services.GetRequiredService<IServiceStatistics>(), r.H.Services.GetRequiredService<IConversationStore>()) { RowLimit = rowLimit };

    [Fact]
    public async Task AddExports_RegistersTheFacade()
    {
        await using var h = await KefuTestHarness.StartAsync(build: b =>
        {
            AnalyticsRegistration.AddReporting(b.Services);
            AnalyticsRegistration.AddExports(b.Services);
        });
        Assert.IsType<ReportExports>(h.Services.GetRequiredService<IReportExports>());
    }

    [Fact]
    public async Task ExportReport_OfKnownConversations_WritesTheirFigures()
    {
        var (r, _, _, day) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        var query = new ReportQuery { From = day, To = day.AddDays(1), Metrics = ["conversations", "queue_wait_avg", "positive_rating_share"], Dimensions = [ReportDimension.ChannelKind] };
        using var csv = new MemoryStream();
        await Exports(r).ExportReportAsync(r.TenantId, query, ExportFormat.Csv, csv);
        var rows = ExportTestData.ParseCsv(Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal(["渠道类型", "会话总数", "排队时长平均值 (秒)", "好评率"], rows[0]);
        Assert.Contains(["网页", "1", "30", "100%"], rows);
        Assert.Contains(["微信", "1", "60", "0%"], rows);

        using var xlsx = new MemoryStream();
        await Exports(r).ExportReportAsync(r.TenantId, query, ExportFormat.Xlsx, xlsx, ExportLanguage.En);
        xlsx.Position = 0;
        using var document = SpreadsheetDocument.Open(xlsx, false);
        Assert.Equal("Custom report", document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
        var header = document.WorkbookPart.WorksheetParts.Single().Worksheet.Descendants<Row>().First().Elements<Cell>().Select(c => c.InnerText);
        Assert.Equal(["Channel", "Conversations", "Average queue wait (s)", "Positive rating share"], header);
    }

    [Fact]
    public async Task ExportHistory_PagesThroughEveryMatch()
    {
        await using var r = await ReportingHarness.StartAsync();
        var opened = new List<long>();
        for (var i = 0; i < 230; i++)
        {
            opened.Add((await r.OpenAsync()).Id);
        }

        await r.H.FlushAsync();
        using var csv = new MemoryStream();
        await Exports(r).ExportHistoryAsync(r.TenantId, new HistoryQuery { Offset = 7, PageSize = 3 }, ExportFormat.Csv, csv, ExportLanguage.En);
        var rows = ExportTestData.ParseCsv(Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal("Conversation id", rows[0][0]);
        var ids = rows.Skip(1).Select(x => long.Parse(x[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(230, ids.Count);
        Assert.Equal(opened.AsEnumerable().Reverse(), ids);

        using var xlsx = new MemoryStream();
        await Exports(r).ExportHistoryAsync(r.TenantId, new HistoryQuery(), ExportFormat.Xlsx, xlsx, utcOffset: TimeSpan.FromHours(8));
        xlsx.Position = 0;
        using var document = SpreadsheetDocument.Open(xlsx, false);
        Assert.Equal(231, document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().Count());
    }

    [Fact]
    public async Task ExportHistory_AboveTheCap_IsRefusedNamingTheLimit()
    {
        await using var r = await ReportingHarness.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            await r.OpenAsync();
        }

        using var output = new MemoryStream();
        var error = await Assert.ThrowsAsync<KefuValidationException>(() => Exports(r, rowLimit: 10).ExportHistoryAsync(r.TenantId, new HistoryQuery(), ExportFormat.Xlsx, output));
        Assert.Equal(nameof(HistoryQuery), error.Field);
        Assert.Contains("10", error.Allowed, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task ExportDaily_WritesOneRowPerDay_WithAChartInXlsx()
    {
        var (r, _, _, day) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        var date = DateOnly.FromDateTime(day.UtcDateTime);
        using var xlsx = new MemoryStream();
        await Exports(r).ExportDailyAsync(r.TenantId, date.AddDays(-2), date, ExportFormat.Xlsx, xlsx);
        xlsx.Position = 0;
        using var document = SpreadsheetDocument.Open(xlsx, false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single();
        Assert.Equal(4, sheet.Worksheet.Descendants<Row>().Count());
        Assert.Single(sheet.DrawingsPart!.ChartParts);

        using var csv = new MemoryStream();
        await Exports(r).ExportTodayAsync(r.TenantId, ExportFormat.Csv, csv);
        var text = Encoding.UTF8.GetString(csv.ToArray());
        Assert.StartsWith("\uFEFF今日大盘\r\n指标,值\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\n\r\n两周趋势\r\n日期,总访问量", text, StringComparison.Ordinal);
    }
}
