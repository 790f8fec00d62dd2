using System.Globalization;
using System.Text;

namespace Kefu.Analytics.Exports;

/// <summary>
/// Writes tables as CSV (RFC 4180): UTF-8 with a byte-order mark so that Excel reads Chinese correctly, CRLF line
/// ends, comma separators, and fields quoted when they hold a comma, a double quote, CR or LF (quotes doubled).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Numbers use the invariant culture (a dot for decimals, no thousands separator), rounded to the column's
/// <see cref="ExportColumn.Decimals"/> when it has some; percentages are written as <c>12.5%</c> (two decimals at
/// most), which Excel and LibreOffice read back as numbers; dates as <c>yyyy-MM-dd</c> and date-times as
/// <c>yyyy-MM-dd HH:mm:ss</c>.</item>
/// <item>Formula injection guard: a text field that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or CR
/// gets a leading apostrophe (<c>'=1+1</c>), so a spreadsheet shows it as text instead of running it as a formula
/// (OWASP's CSV injection advice). Number cells are not text: a negative number is written as <c>-3</c>.</item>
/// <item>One table is its header line and its rows. Several tables follow each other, each preceded by a line with
/// its title and separated by an empty line.</item>
/// <item>Long digit strings (conversation ids) are written as they are; Excel shows more than 15 digits in
/// scientific notation when it opens a CSV, so use the xlsx export to read ids in Excel.</item>
/// </list>
/// </remarks>
public static class CsvExporter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>Writes one table to <paramref name="output"/>, which is left open.</summary>
    public static Task WriteAsync(ExportTable table, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return WriteAsync([table], output, cancellationToken);
    }

    /// <summary>Writes tables to <paramref name="output"/>, which is left open.</summary>
    /// <exception cref="ArgumentException">There is no table.</exception>
    public static async Task WriteAsync(IReadOnlyList<ExportTable> tables, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(output);
        if (tables.Count == 0)
        {
            throw new ArgumentException("An export needs at least one table.", nameof(tables));
        }

        await output.WriteAsync(ByteOrderMark, cancellationToken).ConfigureAwait(false);
        var writer = new StreamWriter(output, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        await using (writer.ConfigureAwait(false))
        {
            var line = new StringBuilder(256);
            for (var t = 0; t < tables.Count; t++)
            {
                var table = tables[t];
                if (tables.Count > 1)
                {
                    if (t > 0)
                    {
                        await writer.WriteAsync("\r\n".AsMemory(), cancellationToken).ConfigureAwait(false);
                    }

                    line.Clear();
                    AppendText(line, table.Title);
                    await WriteLineAsync(writer, line, cancellationToken).ConfigureAwait(false);
                }

                line.Clear();
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    if (c > 0)
                    {
                        line.Append(',');
                    }

                    AppendText(line, table.Columns[c].FullHeader);
                }

                await WriteLineAsync(writer, line, cancellationToken).ConfigureAwait(false);
                await foreach (var row in table.Rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    line.Clear();
                    for (var c = 0; c < table.Columns.Count; c++)
                    {
                        if (c > 0)
                        {
                            line.Append(',');
                        }

                        if (c < row.Count)
                        {
                            AppendCell(line, row[c], table.Columns[c]);
                        }
                    }

                    await WriteLineAsync(writer, line, cancellationToken).ConfigureAwait(false);
                }
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The text of a field as written, unquoted: the cell in the invariant culture, text guarded against formula injection.</summary>
    internal static string Format(ExportCell cell, ExportColumn column) => cell.Kind switch
    {
        ExportCellKind.Text => Guard(cell.Text ?? string.Empty),
        ExportCellKind.Number => FormatNumber(column.Decimals is { } d ? Math.Round(cell.Number, Math.Clamp(d, 0, 15), MidpointRounding.AwayFromZero) : cell.Number),
        ExportCellKind.Percentage => FormatNumber(Math.Round(cell.Number * 100, 2, MidpointRounding.AwayFromZero)) + "%",
        ExportCellKind.Date => cell.DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ExportCellKind.DateTime => cell.DateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    /// <summary>Prefixes text that a spreadsheet would read as a formula with an apostrophe.</summary>
    internal static string Guard(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string FormatNumber(double value) =>
        (value == 0 ? 0 : value).ToString(CultureInfo.InvariantCulture); // no "-0"

    private static void AppendCell(StringBuilder line, ExportCell cell, ExportColumn column)
    {
        if (cell.Kind == ExportCellKind.Text)
        {
            AppendText(line, cell.Text ?? string.Empty);
        }
        else
        {
            line.Append(Format(cell, column));
        }
    }

    private static void AppendText(StringBuilder line, string text)
    {
        var field = Guard(text);
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(field);
            return;
        }

        line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static async Task WriteLineAsync(StreamWriter writer, StringBuilder line, CancellationToken cancellationToken)
    {
        line.Append("\r\n");
        foreach (var chunk in line.GetChunks())
        {
            await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }
}
