using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// The little of SpreadsheetML (ECMA-376) that a table of texts needs, over <see cref="ZipArchive"/>: reads the first
/// worksheet of a workbook (shared strings, inline strings, numbers, booleans and formula results) and writes a
/// one-sheet workbook of inline strings. Texts keep their line breaks (including CR) and characters XML cannot hold
/// (escaped as <c>_xHHHH_</c>, as Excel does).
/// </summary>
internal static class Xlsx
{
    private const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>A row of the sheet: its number (1-based, as a spreadsheet shows it) and its cells from column A.</summary>
    public readonly record struct SheetRow(int Number, string[] Cells);

    /// <summary>Reads the rows of the first worksheet that have at least one cell, in order.</summary>
    /// <exception cref="InvalidDataException">The content is not a workbook.</exception>
    public static List<SheetRow> Read(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        var workbookPath = Target(zip, "_rels/.rels", "", r => r.EndsWith("/officeDocument", StringComparison.Ordinal)) ?? "xl/workbook.xml";
        var workbookRelations = RelationshipsPath(workbookPath);
        var workbook = Load(zip, workbookPath) ?? throw new InvalidDataException("The file is not an xlsx workbook: it has no workbook part.");
        var firstSheet = workbook.Descendants().FirstOrDefault(e => e.Name.LocalName == "sheet");
        string? sheetPath = null;
        if (firstSheet?.Attributes().FirstOrDefault(a => a.Name.LocalName == "id" && a.Name.NamespaceName.Length > 0)?.Value is { } sheetRelation)
        {
            sheetPath = Target(zip, workbookRelations, Folder(workbookPath), _ => true, sheetRelation);
        }

        sheetPath ??= "xl/worksheets/sheet1.xml";
        var sharedPath = Target(zip, workbookRelations, Folder(workbookPath), r => r.EndsWith("/sharedStrings", StringComparison.Ordinal));
        var shared = SharedStrings(zip, sharedPath ?? "xl/sharedStrings.xml");
        var sheetEntry = Entry(zip, sheetPath) ?? throw new InvalidDataException($"The workbook's first worksheet ({sheetPath}) is missing.");
        var rows = new List<SheetRow>();
        using var stream = sheetEntry.Open();
        using var reader = XmlReader.Create(stream, ReaderSettings);
        var lastRow = 0;
        reader.MoveToContent();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "row")
            {
                var row = (XElement)XNode.ReadFrom(reader);
                lastRow = int.TryParse(Attribute(row, "r"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : lastRow + 1;
                var cells = Cells(row, shared);
                if (cells.Length > 0)
                {
                    rows.Add(new SheetRow(lastRow, cells));
                }
            }
            else
            {
                reader.Read();
            }
        }

        return rows;
    }

    /// <summary>Writes a workbook with one worksheet named <paramref name="sheetName"/> holding <paramref name="rows"/> as texts.</summary>
    public static void Write(Stream destination, string sheetName, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(rows);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        Part(zip, "[Content_Types].xml", w =>
        {
            const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
            w.WriteStartElement("Types", ns);
            Default(w, ns, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(w, ns, "xml", "application/xml");
            Override(w, ns, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(w, ns, "/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            Override(w, ns, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            w.WriteEndElement();
        });
        Part(zip, "_rels/.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelationships);
            Relationship(w, "rId1", OfficeRelationships + "/officeDocument", "xl/workbook.xml");
            w.WriteEndElement();
        });
        Part(zip, "xl/_rels/workbook.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelationships);
            Relationship(w, "rId1", OfficeRelationships + "/worksheet", "worksheets/sheet1.xml");
            Relationship(w, "rId2", OfficeRelationships + "/styles", "styles.xml");
            w.WriteEndElement();
        });
        Part(zip, "xl/workbook.xml", w =>
        {
            w.WriteStartElement("workbook", Main);
            w.WriteAttributeString("xmlns", "r", null, OfficeRelationships);
            w.WriteStartElement("sheets", Main);
            w.WriteStartElement("sheet", Main);
            w.WriteAttributeString("name", sheetName);
            w.WriteAttributeString("sheetId", "1");
            w.WriteAttributeString("id", OfficeRelationships, "rId1");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        });
        Part(zip, "xl/styles.xml", Styles);
        Part(zip, "xl/worksheets/sheet1.xml", w =>
        {
            w.WriteStartElement("worksheet", Main);
            w.WriteStartElement("sheetData", Main);
            var r = 0;
            foreach (var row in rows)
            {
                r++;
                w.WriteStartElement("row", Main);
                w.WriteAttributeString("r", r.ToString(CultureInfo.InvariantCulture));
                for (var c = 0; c < row.Count; c++)
                {
                    if (string.IsNullOrEmpty(row[c]))
                    {
                        continue;
                    }

                    w.WriteStartElement("c", Main);
                    w.WriteAttributeString("r", ColumnName(c) + r.ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("s", "1");
                    w.WriteAttributeString("t", "inlineStr");
                    w.WriteStartElement("is", Main);
                    w.WriteStartElement("t", Main);
                    w.WriteAttributeString("xml", "space", null, "preserve");
                    w.WriteString(Escape(row[c]!));
                    w.WriteEndElement();
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        });
    }

    /// <summary>The letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = new StringBuilder();
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name.Insert(0, (char)('A' + ((n - 1) % 26)));
        }

        return name.ToString();
    }

    /// <summary>The 0-based column of a cell reference such as <c>AB12</c>, or -1.</summary>
    internal static int ColumnIndex(string reference)
    {
        var index = 0;
        var letters = 0;
        foreach (var ch in reference)
        {
            var c = char.ToUpperInvariant(ch);
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            index = (index * 26) + (c - 'A' + 1);
            letters++;
        }

        return letters is 0 or > 3 ? -1 : index - 1;
    }

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        NewLineHandling = NewLineHandling.Entitize,
        CloseOutput = false,
    };

    private static string[] Cells(XElement row, IReadOnlyList<string> shared)
    {
        var cells = new List<string>();
        var next = 0;
        foreach (var cell in row.Elements().Where(e => e.Name.LocalName == "c"))
        {
            var column = Attribute(cell, "r") is { } reference ? ColumnIndex(reference) : -1;
            if (column < 0)
            {
                column = next;
            }

            next = column + 1;
            var value = Value(cell, shared);
            if (value.Length == 0)
            {
                continue;
            }

            while (cells.Count <= column)
            {
                cells.Add(string.Empty);
            }

            cells[column] = value;
        }

        return [.. cells];
    }

    private static string Value(XElement cell, IReadOnlyList<string> shared)
    {
        var type = Attribute(cell, "t");
        if (type == "inlineStr")
        {
            return cell.Elements().FirstOrDefault(e => e.Name.LocalName == "is") is { } inline ? RichText(inline) : string.Empty;
        }

        var v = cell.Elements().FirstOrDefault(e => e.Name.LocalName == "v")?.Value ?? string.Empty;
        return type switch
        {
            "s" => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Count ? shared[i] : string.Empty,
            "b" => v == "1" ? "true" : v == "0" ? "false" : v,
            "str" => Unescape(v),
            _ => v,
        };
    }

    /// <summary>The text of a string item (<c>si</c> or <c>is</c>): its <c>t</c> or its runs' <c>t</c>, without phonetic runs.</summary>
    private static string RichText(XElement item)
    {
        var text = new StringBuilder();
        foreach (var t in item.Descendants().Where(e => e.Name.LocalName == "t" && e.Ancestors().TakeWhile(a => a != item).All(a => a.Name.LocalName != "rPh")))
        {
            text.Append(t.Value);
        }

        return Unescape(text.ToString());
    }

    private static List<string> SharedStrings(ZipArchive zip, string path)
    {
        var strings = new List<string>();
        if (Entry(zip, path) is not { } entry)
        {
            return strings;
        }

        using var stream = entry.Open();
        using var reader = XmlReader.Create(stream, ReaderSettings);
        reader.MoveToContent();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                strings.Add(RichText((XElement)XNode.ReadFrom(reader)));
            }
            else
            {
                reader.Read();
            }
        }

        return strings;
    }

    /// <summary>The part a relationship of <paramref name="relationshipsPath"/> points to, resolved against <paramref name="folder"/>.</summary>
    private static string? Target(ZipArchive zip, string relationshipsPath, string folder, Func<string, bool> type, string? id = null)
    {
        var relationships = Load(zip, relationshipsPath);
        var relationship = relationships?.Root?.Elements()
            .FirstOrDefault(e => e.Name.LocalName == "Relationship" && (id is null || (string?)e.Attribute("Id") == id) && type((string?)e.Attribute("Type") ?? string.Empty));
        if ((string?)relationship?.Attribute("Target") is not { } target)
        {
            return null;
        }

        if (target.StartsWith('/'))
        {
            return target[1..];
        }

        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private static string Folder(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : string.Empty;

    private static string RelationshipsPath(string part) => $"{Folder(part)}/_rels/{part[(part.LastIndexOf('/') + 1)..]}.rels".TrimStart('/');

    private static ZipArchiveEntry? Entry(ZipArchive zip, string path) =>
        zip.GetEntry(path) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName.Replace('\\', '/'), path, StringComparison.OrdinalIgnoreCase));

    private static XDocument? Load(ZipArchive zip, string path)
    {
        if (Entry(zip, path) is not { } entry)
        {
            return null;
        }

        using var stream = entry.Open();
        using var reader = XmlReader.Create(stream, ReaderSettings);
        return XDocument.Load(reader);
    }

    private static string? Attribute(XElement element, string localName) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName == localName && a.Name.NamespaceName.Length == 0)?.Value;

    private static void Part(ZipArchive zip, string path, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        using var stream = entry.Open();
        using var writer = XmlWriter.Create(stream, WriterSettings);
        writer.WriteStartDocument(standalone: true);
        write(writer);
        writer.WriteEndDocument();
    }

    private static void Default(XmlWriter w, string ns, string extension, string contentType)
    {
        w.WriteStartElement("Default", ns);
        w.WriteAttributeString("Extension", extension);
        w.WriteAttributeString("ContentType", contentType);
        w.WriteEndElement();
    }

    private static void Override(XmlWriter w, string ns, string part, string contentType)
    {
        w.WriteStartElement("Override", ns);
        w.WriteAttributeString("PartName", part);
        w.WriteAttributeString("ContentType", contentType);
        w.WriteEndElement();
    }

    private static void Relationship(XmlWriter w, string id, string type, string target)
    {
        w.WriteStartElement("Relationship", PackageRelationships);
        w.WriteAttributeString("Id", id);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Target", target);
        w.WriteEndElement();
    }

    /// <summary>The smallest valid style sheet, with style 1 wrapping text so that multi-line cells show their lines.</summary>
    private static void Styles(XmlWriter w)
    {
        w.WriteStartElement("styleSheet", Main);
        w.WriteStartElement("fonts", Main);
        w.WriteAttributeString("count", "1");
        w.WriteStartElement("font", Main);
        w.WriteStartElement("sz", Main);
        w.WriteAttributeString("val", "11");
        w.WriteEndElement();
        w.WriteStartElement("name", Main);
        w.WriteAttributeString("val", "Calibri");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("fills", Main);
        w.WriteAttributeString("count", "2");
        foreach (var pattern in new[] { "none", "gray125" })
        {
            w.WriteStartElement("fill", Main);
            w.WriteStartElement("patternFill", Main);
            w.WriteAttributeString("patternType", pattern);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteStartElement("borders", Main);
        w.WriteAttributeString("count", "1");
        w.WriteStartElement("border", Main);
        foreach (var side in new[] { "left", "right", "top", "bottom", "diagonal" })
        {
            w.WriteElementString(side, Main, null);
        }

        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cellStyleXfs", Main);
        w.WriteAttributeString("count", "1");
        Xf(w, wrap: false, inCellXfs: false);
        w.WriteEndElement();
        w.WriteStartElement("cellXfs", Main);
        w.WriteAttributeString("count", "2");
        Xf(w, wrap: false, inCellXfs: true);
        Xf(w, wrap: true, inCellXfs: true);
        w.WriteEndElement();
        w.WriteStartElement("cellStyles", Main);
        w.WriteAttributeString("count", "1");
        w.WriteStartElement("cellStyle", Main);
        w.WriteAttributeString("name", "Normal");
        w.WriteAttributeString("xfId", "0");
        w.WriteAttributeString("builtinId", "0");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();

        static void Xf(XmlWriter w, bool wrap, bool inCellXfs)
        {
            w.WriteStartElement("xf", Main);
            w.WriteAttributeString("numFmtId", "0");
            w.WriteAttributeString("fontId", "0");
            w.WriteAttributeString("fillId", "0");
            w.WriteAttributeString("borderId", "0");
            if (inCellXfs)
            {
                w.WriteAttributeString("xfId", "0");
            }

            if (wrap)
            {
                w.WriteAttributeString("applyAlignment", "1");
                w.WriteStartElement("alignment", Main);
                w.WriteAttributeString("vertical", "top");
                w.WriteAttributeString("wrapText", "1");
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }
    }

    /// <summary>
    /// Escapes what XML cannot hold as <c>_xHHHH_</c> (ST_Xstring), and the underscore of text that looks like an
    /// escape, so <see cref="Unescape"/> gives the text back.
    /// </summary>
    internal static string Escape(string text)
    {
        StringBuilder? escaped = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = null;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (!XmlConvert.IsXmlChar(c) || (c == '_' && LooksEscaped(text, i)))
            {
                replacement = $"_x{(int)c:X4}_";
            }

            if (replacement is not null)
            {
                escaped ??= new StringBuilder(text, 0, i, text.Length + 16);
                escaped.Append(replacement);
            }
            else
            {
                escaped?.Append(c);
            }
        }

        return escaped?.ToString() ?? text;
    }

    internal static string Unescape(string text)
    {
        if (!text.Contains("_x", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_' && LooksEscaped(text, i))
            {
                result.Append((char)int.Parse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 6;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    /// <summary>Whether <c>_xHHHH_</c> starts at <paramref name="i"/>.</summary>
    private static bool LooksEscaped(string text, int i) =>
        i + 6 < text.Length && text[i + 1] == 'x' && text[i + 6] == '_' && text.AsSpan(i + 2, 4).ContainsAnyExcept(HexDigits) is false;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
