using System.Diagnostics;
using System.Text;
using Kefu.Analytics.Exports;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Tests.Reporting;

namespace Kefu.Analytics.Tests.Exports;

/// <summary>
/// The xlsx export opens in LibreOffice: LibreOffice converts it to CSV, and its cells equal the CSV export's (numbers
/// numerically, dates by value). Needs LibreOffice Calc, which ./test.sh installs; without it the tests fail.
/// </summary>
public sealed class LibreOfficeExportTests
{
    private static readonly TimeSpan ConvertTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Xlsx_OfARealReport_OpensInLibreOffice_WithTheCsvExportsCells()
    {
        var (r, _, _, day) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        string[] metrics = ["conversations", "messages", "queue_wait_avg", "duration_max", "satisfaction_avg", "positive_rating_share", "unique_visitors"];
        var report = await r.Reports.RunAsync(r.TenantId, new ReportQuery
        {
            From = day,
            To = day.AddDays(1),
            Metrics = metrics,
            Dimensions = [ReportDimension.ChannelKind],
            Granularity = ReportGranularity.Hour,
            UtcOffset = TimeSpan.FromHours(8),
        });
        Assert.Equal(2, report.Rows.Count);
        await CompareWithLibreOfficeAsync(ExportTables.FromReport(report));
        await CompareWithLibreOfficeAsync(ExportTables.FromReport(report with { Dimensions = [], Granularity = ReportGranularity.Day, Rows = [.. report.Rows.Select(x => x with { DimensionValues = [] }).Take(1)] }, ExportLanguage.En));
    }

    [Fact]
    public async Task Xlsx_OfEveryKindOfCell_OpensInLibreOffice_WithTheCsvExportsCells()
    {
        await CompareWithLibreOfficeAsync(ExportTestData.Mixed());
    }

    private static async Task CompareWithLibreOfficeAsync(ExportTable table)
    {
        // The rows are read once per export: materialise them so both exports see the same rows.
        var rows = await table.Rows.ToListAsync();
        var dir = Directory.CreateTempSubdirectory("kefu-lo-");
        try
        {
            var xlsx = Path.Combine(dir.FullName, "export.xlsx");
            await using (var file = File.Create(xlsx))
            {
                await XlsxExporter.WriteAsync(new ExportTable(table.Title, table.Columns, rows) { Chart = table.Chart }, file);
            }

            using var csvStream = new MemoryStream();
            await CsvExporter.WriteAsync(new ExportTable(table.Title, table.Columns, rows), csvStream);
            var expected = ExportTestData.ParseCsv(Encoding.UTF8.GetString(csvStream.ToArray()));

            var outDir = Path.Combine(dir.FullName, "out");
            await ConvertAsync(xlsx, outDir, Path.Combine(dir.FullName, "profile"));
            var converted = Path.Combine(outDir, "export.csv");
            Assert.True(File.Exists(converted), $"LibreOffice wrote no {converted}");
            var actual = ExportTestData.ParseCsv(await File.ReadAllTextAsync(converted, Encoding.UTF8));

            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                for (var c = 0; c < Math.Max(expected[i].Count, actual[i].Count); c++)
                {
                    var want = c < expected[i].Count ? expected[i][c] : string.Empty;
                    var got = c < actual[i].Count ? actual[i][c] : string.Empty;
                    AssertSameCell(want, got, $"row {i + 1}, column {c + 1}");
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void AssertSameCell(string want, string got, string where)
    {
        if (ExportTestData.TryDate(want, out var wantDate))
        {
            Assert.True(ExportTestData.TryDate(got, out var gotDate), $"{where}: LibreOffice shows '{got}', the CSV export the date '{want}'");
            Assert.Equal(wantDate, gotDate);
        }
        else if (ExportTestData.TryNumber(want, out var wantNumber))
        {
            Assert.True(ExportTestData.TryNumber(got, out var gotNumber), $"{where}: LibreOffice shows '{got}', the CSV export the number '{want}'");
            Assert.True(Math.Abs(wantNumber - gotNumber) <= 1e-6 * Math.Max(1, Math.Abs(wantNumber)), $"{where}: LibreOffice shows {gotNumber}, the CSV export {wantNumber}");
        }
        else
        {
            // xlsx cells break lines with LF, as Excel does.
            want = want.Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.True(want == got, $"{where}: LibreOffice shows '{got}', the CSV export '{want}'");
        }
    }

    private static async Task ConvertAsync(string xlsx, string outDir, string profile)
    {
        var office = FindOnPath("libreoffice") ?? FindOnPath("soffice");
        Assert.True(office is not null, "LibreOffice is not installed (neither libreoffice nor soffice is on PATH): ./test.sh installs it (Debian package libreoffice-calc), or run apt-get install libreoffice-calc.");
        var start = new ProcessStartInfo(office)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A private profile, so parallel runs and a user's own LibreOffice do not clash; UTF-8 (76), comma, quote.
        start.ArgumentList.Add($"-env:UserInstallation={new Uri(profile).AbsoluteUri}");
        start.ArgumentList.Add("--headless");
        start.ArgumentList.Add("--norestore");
        start.ArgumentList.Add("--convert-to");
        start.ArgumentList.Add("csv:Text - txt - csv (StarCalc):44,34,76,1");
        start.ArgumentList.Add("--outdir");
        start.ArgumentList.Add(outDir);
        start.ArgumentList.Add(xlsx);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{office} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ConvertTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"LibreOffice did not convert {xlsx} within {ConvertTimeout}.");
        }

        Assert.True(process.ExitCode == 0, $"{office} exited with {process.ExitCode}: {await stdout} {await stderr}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
