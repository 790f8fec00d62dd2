using System.Diagnostics;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Kefu.Analytics.Exports;

namespace Kefu.Analytics.Tests.Exports;

public sealed class XlsxExporterTests
{
    private static Cell CellAt(WorksheetPart sheet, string reference) =>
        sheet.Worksheet.Descendants<Cell>().Single(c => c.CellReference?.Value == reference);

    private static string? FormatCode(WorkbookPart workbook, Cell cell)
    {
        var styles = workbook.WorkbookStylesPart!.Stylesheet;
        var xf = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        var id = xf.NumberFormatId?.Value ?? 0;
        return styles.NumberingFormats?.Elements<NumberingFormat>().SingleOrDefault(f => f.NumberFormatId?.Value == id)?.FormatCode?.Value
            ?? id switch { 0 => "General", 1 => "0", 2 => "0.00", 10 => "0.00%", _ => $"builtin {id}" };
    }

    [Fact]
    public async Task Xlsx_IsValidOpenXml_AndReadsBack()
    {
        using var stream = await ExportTestData.XlsxAsync(ExportTestData.Mixed(), ExportTestData.Mixed() is var t ? new ExportTable("趋势", t.Columns, t.Rows) { Chart = new(3, [1, 2]) } : null!);
        using var document = SpreadsheetDocument.Open(stream, false);
        var errors = new OpenXmlValidator().Validate(document).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var workbook = document.WorkbookPart!;
        Assert.Equal(["测试", "趋势"], workbook.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
        var second = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().Last().Id!);
        Assert.NotNull(second.DrawingsPart?.ChartParts.SingleOrDefault());
    }

    [Fact]
    public async Task Xlsx_Cells_AreTyped_WithFormats()
    {
        using var stream = await ExportTestData.XlsxAsync(ExportTestData.Mixed());
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.WorksheetParts.Single();

        var text = CellAt(sheet, "A2");
        Assert.Equal(CellValues.InlineString, text.DataType!.Value);
        Assert.Equal("网页, 微信", text.InlineString!.InnerText);

        var count = CellAt(sheet, "B3");
        Assert.Null(count.DataType);
        Assert.Equal(-12, double.Parse(count.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", FormatCode(workbook, count));

        var seconds = CellAt(sheet, "C2");
        Assert.Equal(45.333333, double.Parse(seconds.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal("0.00", FormatCode(workbook, seconds));

        var date = CellAt(sheet, "D2");
        Assert.Equal(new DateTime(2025, 3, 1), DateTime.FromOADate(double.Parse(date.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("yyyy-mm-dd", FormatCode(workbook, date));

        var time = CellAt(sheet, "E2");
        Assert.Equal(new DateTime(2025, 3, 1, 8, 30, 15), DateTime.FromOADate(double.Parse(time.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("yyyy-mm-dd hh:mm:ss", FormatCode(workbook, time));

        var share = CellAt(sheet, "F2");
        Assert.Equal(2 / 3.0, double.Parse(share.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal("0.00%", FormatCode(workbook, share));

        Assert.DoesNotContain(sheet.Worksheet.Descendants<Cell>(), c => c.CellReference == "C4");
    }

    [Fact]
    public async Task Xlsx_Header_IsBold_Frozen_AndColumnsHaveWidths()
    {
        using var stream = await ExportTestData.XlsxAsync(ExportTestData.Mixed());
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.WorksheetParts.Single();
        var header = CellAt(sheet, "C1");
        Assert.Equal("时长 (秒)", header.InlineString!.InnerText);
        var xf = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)header.StyleIndex!.Value);
        var font = workbook.WorkbookStylesPart.Stylesheet.Fonts!.Elements<Font>().ElementAt((int)xf.FontId!.Value);
        Assert.NotNull(font.Bold);
        var pane = sheet.Worksheet.Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(1, pane.VerticalSplit!.Value);
        var columns = sheet.Worksheet.Descendants<Column>().ToList();
        Assert.Equal(6, columns.Count);
        Assert.All(columns, c => Assert.InRange(c.Width!.Value, 8, 60));
        Assert.True(columns[4].Width!.Value >= 19, "a date-time column fits yyyy-mm-dd hh:mm:ss");
    }

    [Fact]
    public void SheetNames_AreCleaned_Shortened_AndUnique()
    {
        var names = XlsxExporter.SheetNames(["a/b:c*d?e[f]g\\h", new string('长', 40), new string('长', 40), "Report", "report", "History", "'quoted'", ""]);
        Assert.Equal("a_b_c_d_e_f_g_h", names[0]);
        Assert.Equal(new string('长', 31), names[1]);
        Assert.Equal(new string('长', 27) + " (2)", names[2]);
        Assert.Equal("Report", names[3]);
        Assert.Equal("report (2)", names[4]);
        Assert.Equal("History_", names[5]);
        Assert.Equal("quoted", names[6]);
        Assert.Equal("Sheet", names[7]);
        Assert.All(names, n => Assert.InRange(n.Length, 1, 31));
    }

    [Fact]
    public async Task Xlsx_TextWithControlCharacters_IsCleaned()
    {
        var table = new ExportTable("t", [new ExportColumn("h")], [[ExportCell.FromText("a\u0001b\uFFFEc😀")]]);
        using var stream = await ExportTestData.XlsxAsync(table);
        using var document = SpreadsheetDocument.Open(stream, false);
        Assert.Equal("abc😀", CellAt(document.WorkbookPart!.WorksheetParts.Single(), "A2").InlineString!.InnerText);
    }

    [Fact]
    public void ColumnName_CountsLikeExcel()
    {
        Assert.Equal(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"], new[] { 0, 25, 26, 51, 52, 701, 702 }.Select(XlsxExporter.ColumnName));
    }

    [Fact]
    public async Task Xlsx_100000Rows_StreamsToANonSeekableStream()
    {
        const int count = 100_000;
        var table = new ExportTable("big", [new ExportColumn("id"), new ExportColumn("n", ExportCellKind.Number, Decimals: 0), new ExportColumn("at", ExportCellKind.DateTime)], Rows());
        var target = new MemoryStream();
        await using var forwardOnly = new ForwardOnlyStream(target);
        var clock = Stopwatch.StartNew();
        await XlsxExporter.WriteAsync(table, forwardOnly);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        target.Position = 0;
        using var document = SpreadsheetDocument.Open(target, false);
        using var reader = DocumentFormat.OpenXml.OpenXmlReader.Create(document.WorkbookPart!.WorksheetParts.Single());
        var rows = 0;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row) && reader.IsStartElement)
            {
                rows++;
            }
        }

        Assert.Equal(count + 1, rows);

        static async IAsyncEnumerable<IReadOnlyList<ExportCell>> Rows()
        {
            var start = new DateTime(2025, 1, 1);
            for (var i = 0; i < count; i++)
            {
                if (i % 1000 == 0)
                {
                    await Task.Yield();
                }

                yield return [ExportCell.FromText("3239037816854487" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)), ExportCell.FromNumber(i), ExportCell.FromDateTime(start.AddSeconds(i))];
            }
        }
    }

    /// <summary>A write-only stream that cannot seek, as an HTTP response body.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed.");
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    }
}
