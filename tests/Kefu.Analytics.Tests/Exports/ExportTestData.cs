using System.Globalization;
using System.Text;
using Kefu.Analytics.Exports;

namespace Kefu.Analytics.Tests.Exports;

internal static class ExportTestData
{
    /// <summary>A table with every kind of cell, Chinese text and characters CSV must quote.</summary>
    public static ExportTable Mixed(string title = "测试") => new(
        title,
        [
            new ExportColumn("名称"),
            new ExportColumn("数量", ExportCellKind.Number, Decimals: 0),
            new ExportColumn("时长", ExportCellKind.Number, "秒", 2),
            new ExportColumn("日期", ExportCellKind.Date),
            new ExportColumn("时间", ExportCellKind.DateTime, "UTC+08:00"),
            new ExportColumn("好评率", ExportCellKind.Percentage),
        ],
        [
            [ExportCell.FromText("网页, 微信"), ExportCell.FromNumber(3), ExportCell.FromNumber(45.333333), ExportCell.FromDate(new DateOnly(2025, 3, 1)), ExportCell.FromDateTime(new DateTime(2025, 3, 1, 8, 30, 15)), ExportCell.FromPercentage(2 / 3.0)],
            [ExportCell.FromText("说 \"你好\""), ExportCell.FromNumber(-12), ExportCell.FromNumber(0.5), ExportCell.FromDate(new DateOnly(2024, 12, 31)), ExportCell.FromDateTime(new DateTime(2024, 12, 31, 23, 59, 59)), ExportCell.FromPercentage(1)],
            [ExportCell.FromText("两行\r\n文本"), ExportCell.FromNumber(1_234_567), ExportCell.Empty, ExportCell.Empty, ExportCell.Empty, ExportCell.FromPercentage(0)],
        ]);

    /// <summary>Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends) after an optional BOM.</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(ch);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A field as a number: plain invariant numbers, and percentages divided by 100.</summary>
    public static bool TryNumber(string field, out double value)
    {
        var percent = field.EndsWith('%');
        var ok = double.TryParse(percent ? field[..^1] : field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        if (ok && percent)
        {
            value /= 100;
        }

        return ok;
    }

    public static bool TryDate(string field, out DateTime value) =>
        DateTime.TryParseExact(field, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static async Task<byte[]> CsvAsync(params ExportTable[] tables)
    {
        using var stream = new MemoryStream();
        await CsvExporter.WriteAsync(tables, stream);
        return stream.ToArray();
    }

    public static async Task<MemoryStream> XlsxAsync(params ExportTable[] tables)
    {
        var stream = new MemoryStream();
        await XlsxExporter.WriteAsync(tables, stream);
        stream.Position = 0;
        return stream;
    }
}
