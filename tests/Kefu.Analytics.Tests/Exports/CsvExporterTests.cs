using System.Globalization;
using System.Text;
using Kefu.Analytics.Exports;

namespace Kefu.Analytics.Tests.Exports;

public sealed class CsvExporterTests
{
    [Fact]
    public async Task Csv_StartsWithBom_AndEndsLinesWithCrLf()
    {
        var bytes = await ExportTestData.CsvAsync(ExportTestData.Mixed());
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("名称,数量,时长 (秒),日期,时间 (UTC+08:00),好评率\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("两行\r\n文本", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_QuotesCommasQuotesAndLineBreaks_AndDoublesQuotes()
    {
        var text = Encoding.UTF8.GetString(await ExportTestData.CsvAsync(ExportTestData.Mixed()));
        Assert.Contains("\"网页, 微信\",3,45.33,2025-03-01,2025-03-01 08:30:15,66.67%\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"说 \"\"你好\"\"\",-12,0.5,2024-12-31,2024-12-31 23:59:59,100%\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"两行\r\n文本\",1234567,,,,0%\r\n", text, StringComparison.Ordinal);
        var rows = ExportTestData.ParseCsv(text);
        Assert.Equal(4, rows.Count);
        Assert.Equal("说 \"你好\"", rows[2][0]);
        Assert.Equal("两行\r\n文本", rows[3][0]);
        Assert.All(rows, r => Assert.Equal(6, r.Count));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+86 138", "'+86 138")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public async Task Csv_TextThatLooksLikeAFormula_GetsAnApostrophe(string text, string field)
    {
        var table = new ExportTable("t", [new ExportColumn("h")], [[ExportCell.FromText(text)]]);
        var csv = Encoding.UTF8.GetString(await ExportTestData.CsvAsync(table))[1..];
        Assert.Equal("h\r\n" + field + "\r\n", csv);
    }

    [Fact]
    public async Task Csv_NegativeNumber_IsNotPrefixed()
    {
        var table = new ExportTable("t", [new ExportColumn("n", ExportCellKind.Number)], [[ExportCell.FromNumber(-3.25)], [ExportCell.FromNumber(-0.0)]]);
        var csv = Encoding.UTF8.GetString(await ExportTestData.CsvAsync(table))[1..];
        Assert.Equal("n\r\n-3.25\r\n0\r\n", csv);
    }

    [Fact]
    public async Task Csv_Numbers_UseTheInvariantCulture_WhateverTheCurrentCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var table = new ExportTable("t", [new ExportColumn("n", ExportCellKind.Number), new ExportColumn("p", ExportCellKind.Percentage)], [[ExportCell.FromNumber(1234.5), ExportCell.FromPercentage(0.125)]]);
            var csv = Encoding.UTF8.GetString(await ExportTestData.CsvAsync(table))[1..];
            Assert.Equal("n,p\r\n1234.5,12.5%\r\n", csv);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task Csv_SeveralTables_HaveTitlesAndAnEmptyLineBetween()
    {
        var a = new ExportTable("甲", [new ExportColumn("x")], [[ExportCell.FromText("1")]]);
        var b = new ExportTable("乙", [new ExportColumn("y")], [[ExportCell.FromText("2")]]);
        var csv = Encoding.UTF8.GetString(await ExportTestData.CsvAsync(a, b))[1..];
        Assert.Equal("甲\r\nx\r\n1\r\n\r\n乙\r\ny\r\n2\r\n", csv);
    }

    [Fact]
    public async Task Csv_ShortRow_LeavesTheRestEmpty()
    {
        var table = new ExportTable("t", [new ExportColumn("a"), new ExportColumn("b"), new ExportColumn("c")], [[ExportCell.FromText("x")]]);
        var csv = Encoding.UTF8.GetString(await ExportTestData.CsvAsync(table))[1..];
        Assert.Equal("a,b,c\r\nx,,\r\n", csv);
    }
}
