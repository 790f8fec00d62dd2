using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using SheetText = DocumentFormat.OpenXml.Spreadsheet.Text;

namespace Kefu.Analytics.Exports;

/// <summary>
/// Writes tables as an Office Open XML workbook (xlsx) with DocumentFormat.OpenXml: one sheet per table, a bold and
/// frozen header row, column widths from the header and the first rows, numbers as numeric cells (with the column's
/// decimals as their format), dates and date-times as real dates with a date format, shares with a percent format,
/// text as inline strings; and a line chart beside a table that asks for one (<see cref="ExportTable.Chart"/>).
/// </summary>
/// <remarks>
/// <para>
/// Rows stream: each sheet is written with <see cref="OpenXmlWriter"/> row by row into a ZIP entry as the rows
/// arrive, so a table of 100,000 rows never exists as a document tree or in memory. The package is assembled with
/// <see cref="ZipArchive"/> in create mode rather than System.IO.Packaging, whose update mode keeps every part in
/// memory until it is saved.
/// </para>
/// <para>
/// Sheet names are the tables' titles made valid: <c>[ ] : * ? / \</c> become <c>_</c>, at most 31 characters, no
/// apostrophe at either end, unique (ignoring case) by a <c>(2)</c>, <c>(3)</c> … suffix, never Excel's reserved
/// <c>History</c>. Text loses the characters XML cannot hold, has LF line breaks and is cut at 32,767 characters, Excel's limit.
/// </para>
/// <para>
/// A seekable output stream is written directly and synchronously; any other stream (an HTTP response)
/// gets the workbook from a temporary file, copied asynchronously once it is complete.
/// </para>
/// </remarks>
public static class XlsxExporter
{
    /// <summary>Excel's most rows in a sheet.</summary>
    public const int MaxRows = 1_048_576;

    private const int MaxSheetName = 31;
    private const int MaxCellText = 32_767;
    private const int WidthSampleRows = 200;
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string ContentTypesNs = "http://schemas.openxmlformats.org/package/2006/content-types";

    /// <summary>Writes one table as a workbook of one sheet to <paramref name="output"/>, which is left open.</summary>
    public static Task WriteAsync(ExportTable table, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return WriteAsync([table], output, cancellationToken);
    }

    /// <summary>Writes tables as a workbook, one sheet each in order, to <paramref name="output"/>, which is left open.</summary>
    /// <exception cref="ArgumentException">There is no table.</exception>
    /// <exception cref="InvalidOperationException">A table has more rows than a sheet holds (<see cref="MaxRows"/> with the header).</exception>
    public static async Task WriteAsync(IReadOnlyList<ExportTable> tables, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(output);
        if (tables.Count == 0)
        {
            throw new ArgumentException("An export needs at least one table.", nameof(tables));
        }

        if (output.CanSeek)
        {
            await WritePackageAsync(tables, output, cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"kefu-export-{Guid.NewGuid():N}.xlsx");
        var buffer = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (buffer.ConfigureAwait(false))
        {
            await WritePackageAsync(tables, buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            await buffer.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Valid, unique sheet names for the titles, in order.</summary>
    internal static IReadOnlyList<string> SheetNames(IEnumerable<string> titles)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var title in titles)
        {
            var clean = new StringBuilder(title.Length);
            foreach (var ch in title)
            {
                clean.Append(ch is '[' or ']' or ':' or '*' or '?' or '/' or '\\' || char.IsControl(ch) ? '_' : ch);
            }

            var name = Cut(clean.ToString().Trim().Trim('\''), MaxSheetName).Trim();
            if (name.Length == 0)
            {
                name = "Sheet";
            }

            if (name.Equals("History", StringComparison.OrdinalIgnoreCase))
            {
                name += "_";
            }

            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                var suffix = $" ({n})";
                candidate = Cut(name, MaxSheetName - suffix.Length).TrimEnd() + suffix;
            }

            names.Add(candidate);
        }

        return names;
    }

    /// <summary>The column letters of a zero-based column index: 0 → A, 26 → AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static async Task WritePackageAsync(IReadOnlyList<ExportTable> tables, Stream output, CancellationToken cancellationToken)
    {
        var names = SheetNames(tables.Select(t => t.Title));
        var styles = new XlsxStyles(tables);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        WriteXml(zip, "[Content_Types].xml", w => WriteContentTypes(w, tables));
        WriteXml(zip, "_rels/.rels", w => WriteRelationships(w, [("rId1", RelNs + "/officeDocument", "xl/workbook.xml")]));
        WritePart(zip, "xl/workbook.xml", Workbook(names));
        var workbookRels = new List<(string, string, string)>();
        for (var i = 0; i < tables.Count; i++)
        {
            workbookRels.Add(($"rId{i + 1}", RelNs + "/worksheet", $"worksheets/sheet{i + 1}.xml"));
        }

        workbookRels.Add(($"rId{tables.Count + 1}", RelNs + "/styles", "styles.xml"));
        WriteXml(zip, "xl/_rels/workbook.xml.rels", w => WriteRelationships(w, workbookRels));
        WritePart(zip, "xl/styles.xml", styles.Stylesheet);
        for (var i = 0; i < tables.Count; i++)
        {
            var rows = await WriteSheetAsync(zip, i + 1, tables[i], styles, cancellationToken).ConfigureAwait(false);
            if (tables[i].Chart is { } chart)
            {
                var n = i + 1;
                WriteXml(zip, $"xl/worksheets/_rels/sheet{n}.xml.rels", w => WriteRelationships(w, [("rId1", RelNs + "/drawing", $"../drawings/drawing{n}.xml")]));
                WritePart(zip, $"xl/drawings/drawing{n}.xml", XlsxChart.Drawing(tables[i].Columns.Count));
                WriteXml(zip, $"xl/drawings/_rels/drawing{n}.xml.rels", w => WriteRelationships(w, [("rId1", RelNs + "/chart", $"../charts/chart{n}.xml")]));
                WritePart(zip, $"xl/charts/chart{n}.xml", XlsxChart.Chart(tables[i], chart, names[i], rows));
            }
        }
    }

    /// <summary>Writes one sheet as its rows arrive; returns the number of data rows.</summary>
    private static async Task<int> WriteSheetAsync(ZipArchive zip, int number, ExportTable table, XlsxStyles styles, CancellationToken cancellationToken)
    {
        var columns = table.Columns;
        var widths = columns.Select(c => DisplayWidth(c.FullHeader) + 2.0).ToArray();
        var sample = new List<IReadOnlyList<ExportCell>>();
        await using var rows = table.Rows.GetAsyncEnumerator(cancellationToken);
        var more = true;
        while (sample.Count < WidthSampleRows && (more = await rows.MoveNextAsync().ConfigureAwait(false)))
        {
            sample.Add(rows.Current);
            for (var c = 0; c < Math.Min(columns.Count, rows.Current.Count); c++)
            {
                widths[c] = Math.Max(widths[c], DisplayWidth(rows.Current[c], columns[c]) + 2.0);
            }
        }

        var entry = zip.CreateEntry($"xl/worksheets/sheet{number}.xml", CompressionLevel.Fastest);
        using var stream = entry.Open();
        using var writer = OpenXmlWriter.Create(stream, Encoding.UTF8);
        writer.WriteStartDocument(true);
        writer.WriteStartElement(new Worksheet(), [], [new("r", RelNs)]);
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0U, TabSelected = number == 1 }));
        var cols = new Columns();
        for (var c = 0; c < columns.Count; c++)
        {
            cols.Append(new Column { Min = (uint)c + 1, Max = (uint)c + 1, Width = Math.Clamp(widths[c], 8, 60), CustomWidth = true });
        }

        writer.WriteElement(cols);
        writer.WriteStartElement(new SheetData());
        var header = new ExportCell[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            header[c] = ExportCell.FromText(columns[c].FullHeader);
        }

        WriteRow(writer, 1, header, columns, styles, styles.Header);
        var count = 0;
        foreach (var row in sample)
        {
            WriteRow(writer, ++count + 1, row, columns, styles, null);
        }

        while (more && await rows.MoveNextAsync().ConfigureAwait(false))
        {
            if (count + 1 >= MaxRows)
            {
                throw new InvalidOperationException($"The table '{table.Title}' has more than {MaxRows - 1} rows, the most a sheet holds.");
            }

            WriteRow(writer, ++count + 1, rows.Current, columns, styles, null);
        }

        writer.WriteEndElement(); // sheetData
        if (table.Chart is not null)
        {
            writer.WriteElement(new DocumentFormat.OpenXml.Spreadsheet.Drawing { Id = "rId1" });
        }

        writer.WriteEndElement(); // worksheet
        writer.Close();
        return count;
    }

    private static void WriteRow(OpenXmlWriter writer, int rowNumber, IReadOnlyList<ExportCell> cells, IReadOnlyList<ExportColumn> columns, XlsxStyles styles, uint? style)
    {
        writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", string.Empty, rowNumber.ToString(CultureInfo.InvariantCulture))]);
        for (var c = 0; c < Math.Min(cells.Count, columns.Count); c++)
        {
            var cell = cells[c];
            if (cell.Kind == ExportCellKind.Empty)
            {
                continue;
            }

            var reference = ColumnName(c) + rowNumber.ToString(CultureInfo.InvariantCulture);
            var styleIndex = style ?? styles.For(cell.Kind, columns[c]);
            var element = cell.Kind switch
            {
                ExportCellKind.Text => new Cell(new InlineString(new SheetText(CleanText(cell.Text ?? string.Empty)) { Space = SpaceProcessingModeValues.Preserve }))
                {
                    CellReference = reference,
                    DataType = CellValues.InlineString,
                },
                ExportCellKind.Date or ExportCellKind.DateTime => new Cell(new CellValue(cell.DateTime.ToOADate())) { CellReference = reference },
                _ => new Cell(new CellValue(cell.Number)) { CellReference = reference },
            };
            if (styleIndex != 0)
            {
                element.StyleIndex = styleIndex;
            }

            writer.WriteElement(element);
        }

        writer.WriteEndElement();
    }

    /// <summary>Text without the characters XML 1.0 cannot hold, line breaks as LF (Excel's; XML reads CR LF as LF anyway), cut at Excel's limit.</summary>
    internal static string CleanText(string text)
    {
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }

        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean?.Append(ch).Append(text[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(ch))
            {
                clean?.Append(ch);
            }
            else
            {
                clean ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
        }

        return Cut(clean?.ToString() ?? text, MaxCellText);
    }

    private static string Cut(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        return char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
    }

    private static double DisplayWidth(ExportCell cell, ExportColumn column) => cell.Kind switch
    {
        ExportCellKind.Text => DisplayWidth(cell.Text ?? string.Empty),
        ExportCellKind.Date => 10,
        ExportCellKind.DateTime => 19,
        ExportCellKind.Empty => 0,
        _ => CsvExporter.Format(cell, column).Length,
    };

    /// <summary>Characters in the width of a digit: wide (CJK) characters count two.</summary>
    private static double DisplayWidth(string text)
    {
        var width = 0.0;
        foreach (var ch in text.AsSpan(0, Math.Min(text.Length, 100)))
        {
            width += ch >= '\u1100' ? 2 : 1;
        }

        return width;
    }

    private static Workbook Workbook(IReadOnlyList<string> names)
    {
        var sheets = new Sheets();
        for (var i = 0; i < names.Count; i++)
        {
            sheets.Append(new Sheet { Name = names[i], SheetId = (uint)i + 1, Id = $"rId{i + 1}" });
        }

        var workbook = new Workbook(new BookViews(new WorkbookView { ActiveTab = 0U }), sheets);
        workbook.AddNamespaceDeclaration("r", RelNs);
        return workbook;
    }

    private static void WritePart(ZipArchive zip, string path, OpenXmlElement root)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
        using var stream = entry.Open();
        using var writer = OpenXmlWriter.Create(stream, Encoding.UTF8);
        writer.WriteStartDocument(true);
        writer.WriteElement(root);
        writer.Close();
    }

    private static void WriteXml(ZipArchive zip, string path, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
        using var stream = entry.Open();
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        writer.WriteStartDocument(true);
        write(writer);
        writer.WriteEndDocument();
    }

    private static void WriteRelationships(XmlWriter writer, IEnumerable<(string Id, string Type, string Target)> relationships)
    {
        writer.WriteStartElement("Relationships", PackageRelNs);
        foreach (var (id, type, target) in relationships)
        {
            writer.WriteStartElement("Relationship", PackageRelNs);
            writer.WriteAttributeString("Id", id);
            writer.WriteAttributeString("Type", type);
            writer.WriteAttributeString("Target", target);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static void WriteContentTypes(XmlWriter writer, IReadOnlyList<ExportTable> tables)
    {
        writer.WriteStartElement("Types", ContentTypesNs);
        Default("rels", "application/vnd.openxmlformats-package.relationships+xml");
        Default("xml", "application/xml");
        Override("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        Override("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        for (var i = 0; i < tables.Count; i++)
        {
            Override($"/xl/worksheets/sheet{i + 1}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            if (tables[i].Chart is not null)
            {
                Override($"/xl/drawings/drawing{i + 1}.xml", "application/vnd.openxmlformats-officedocument.drawing+xml");
                Override($"/xl/charts/chart{i + 1}.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml");
            }
        }

        writer.WriteEndElement();

        void Default(string extension, string type)
        {
            writer.WriteStartElement("Default", ContentTypesNs);
            writer.WriteAttributeString("Extension", extension);
            writer.WriteAttributeString("ContentType", type);
            writer.WriteEndElement();
        }

        void Override(string part, string type)
        {
            writer.WriteStartElement("Override", ContentTypesNs);
            writer.WriteAttributeString("PartName", part);
            writer.WriteAttributeString("ContentType", type);
            writer.WriteEndElement();
        }
    }

    /// <summary>The stylesheet: a bold header and one number format per kind of cell and number of decimals.</summary>
    private sealed class XlsxStyles
    {
        private const uint DateFormat = 164;
        private const uint DateTimeFormat = 165;
        private readonly Dictionary<int, uint> _numberStyles = [];

        public XlsxStyles(IReadOnlyList<ExportTable> tables)
        {
            var formats = new NumberingFormats(
                new NumberingFormat { NumberFormatId = DateFormat, FormatCode = "yyyy-mm-dd" },
                new NumberingFormat { NumberFormatId = DateTimeFormat, FormatCode = "yyyy-mm-dd hh:mm:ss" });
            var xfs = new CellFormats(
                new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U },
                new CellFormat { NumberFormatId = 0U, FontId = 1U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyFont = true },
                new CellFormat { NumberFormatId = DateFormat, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = DateTimeFormat, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 10U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true });
            var nextFormat = DateTimeFormat + 1;
            foreach (var decimals in tables.SelectMany(t => t.Columns).Where(c => c.Kind == ExportCellKind.Number && c.Decimals is not null)
                .Select(c => Math.Clamp(c.Decimals ?? 0, 0, 15)).Distinct().Order())
            {
                uint formatId = decimals switch
                {
                    0 => 1U,
                    2 => 2U,
                    _ => nextFormat++,
                };
                if (formatId >= DateTimeFormat + 1)
                {
                    formats.Append(new NumberingFormat { NumberFormatId = formatId, FormatCode = "0." + new string('0', decimals) });
                }

                _numberStyles[decimals] = (uint)xfs.ChildElements.Count;
                xfs.Append(new CellFormat { NumberFormatId = formatId, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true });
            }

            formats.Count = (uint)formats.ChildElements.Count;
            xfs.Count = (uint)xfs.ChildElements.Count;
            Stylesheet = new Stylesheet(
                formats,
                new Fonts(
                    new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                    new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }))
                { Count = 2U },
                new Fills(
                    new Fill(new PatternFill { PatternType = PatternValues.None }),
                    new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
                { Count = 2U },
                new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1U },
                new CellStyleFormats(new CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U }) { Count = 1U },
                xfs,
                new CellStyles(new CellStyle { Name = "Normal", FormatId = 0U, BuiltinId = 0U }) { Count = 1U });
        }

        public Stylesheet Stylesheet { get; }

        public uint Header => 1;

        public uint For(ExportCellKind kind, ExportColumn column) => kind switch
        {
            ExportCellKind.Date => 2,
            ExportCellKind.DateTime => 3,
            ExportCellKind.Percentage => 4,
            ExportCellKind.Number when column.Kind == ExportCellKind.Number && column.Decimals is { } d => _numberStyles[Math.Clamp(d, 0, 15)],
            _ => 0,
        };
    }
}
