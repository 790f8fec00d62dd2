using System.Globalization;
using System.Text;
using Kefu.Model;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// The import and export layout of knowledge rules (documented on <see cref="IKnowledgeBase.ImportAsync"/>): one rule
/// per row under a header row, multi-valued cells one value per line.
/// </summary>
internal static class KnowledgeFile
{
    public const string Id = "id";
    public const string Questions = "questions";
    public const string Answer = "answer";
    public const string AnswerKind = "answer_kind";
    public const string MenuId = "menu_id";
    public const string MediaUrl = "media_url";
    public const string MediaName = "media_name";
    public const string Keywords = "keywords";
    public const string Category = "category";
    public const string Enabled = "enabled";

    /// <summary>The columns in the order export writes them.</summary>
    public static IReadOnlyList<string> Columns { get; } = [Id, Questions, Answer, AnswerKind, MenuId, MediaUrl, MediaName, Keywords, Category, Enabled];

    /// <summary>The name of a file-level problem's field.</summary>
    public const string File = "file";

    /// <summary>The cells of a rule, in <see cref="Columns"/> order.</summary>
    public static string?[] ToRow(KnowledgeRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return
        [
            rule.Id.ToString(CultureInfo.InvariantCulture),
            Join(rule.Questions, '|'),
            rule.Answer.Text,
            rule.Answer.Kind.ToString().ToLowerInvariant(),
            rule.Answer.MenuId?.ToString(CultureInfo.InvariantCulture),
            rule.Answer.Media?.Url,
            rule.Answer.Media?.Name,
            Join(rule.Keywords, ';'),
            rule.Category,
            rule.Enabled ? "true" : "false",
        ];
    }

    /// <summary>
    /// The columns of a header row, by name (case-insensitive); null with <paramref name="error"/> set when the
    /// header lacks <see cref="Questions"/> or names a column twice.
    /// </summary>
    public static Dictionary<string, int>? ReadHeader(IReadOnlyList<string> header, out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!columns.TryAdd(name, i))
            {
                error = $"The header names the column '{name}' twice.";
                return null;
            }
        }

        if (!columns.ContainsKey(Questions))
        {
            error = $"The first row must be a header naming the columns ({string.Join(',', Columns)}); it has no '{Questions}' column.";
            return null;
        }

        error = null;
        return columns;
    }

    /// <summary>
    /// A row as a draft rule (not yet validated) and the id it names, or the cell that cannot be read. Blank rows give
    /// null without an error.
    /// </summary>
    public static KnowledgeRule? ReadRow(IReadOnlyList<string> cells, Dictionary<string, int> columns, out long? id, out ImportProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(columns);
        id = null;
        problem = null;
        if (cells.All(string.IsNullOrWhiteSpace))
        {
            return null;
        }

        if (Cell(Id) is { } idText)
        {
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
            {
                problem = new ImportProblem(Id, $"must be empty (a new rule) or a rule id, was '{idText}'");
                return null;
            }

            id = parsed;
        }

        var kind = Kefu.Bots.AnswerKind.Text;
        if (Cell(AnswerKind) is { } kindText)
        {
            switch (kindText.ToUpperInvariant())
            {
                case "TEXT":
                    break;
                case "MENU":
                    kind = Kefu.Bots.AnswerKind.Menu;
                    break;
                case "MEDIA":
                    kind = Kefu.Bots.AnswerKind.Media;
                    break;
                default:
                    problem = new ImportProblem(AnswerKind, $"must be text, menu or media (empty for text), was '{kindText}'");
                    return null;
            }
        }

        long? menuId = null;
        if (Cell(MenuId) is { } menuText)
        {
            if (!long.TryParse(menuText, NumberStyles.None, CultureInfo.InvariantCulture, out var menu))
            {
                problem = new ImportProblem(MenuId, $"must be empty or the id of one of the robot's menus, was '{menuText}'");
                return null;
            }

            menuId = menu;
        }

        var enabled = true;
        if (Cell(Enabled) is { } enabledText)
        {
            if (enabledText.Equals("true", StringComparison.OrdinalIgnoreCase) || enabledText == "1")
            {
                enabled = true;
            }
            else if (enabledText.Equals("false", StringComparison.OrdinalIgnoreCase) || enabledText == "0")
            {
                enabled = false;
            }
            else
            {
                problem = new ImportProblem(Enabled, $"must be true or false (empty for true), was '{enabledText}'");
                return null;
            }
        }

        var mediaUrl = Cell(MediaUrl);
        var mediaName = Cell(MediaName);
        var media = mediaUrl is null && mediaName is null ? null : new MediaAttachment(mediaUrl ?? string.Empty, mediaName ?? string.Empty, 0, null);
        return new KnowledgeRule
        {
            Questions = Split(RawCell(Questions), '|'),
            Answer = new KnowledgeAnswer(kind, RawCell(Answer), menuId, media),
            Keywords = Split(RawCell(Keywords), ';'),
            Category = Cell(Category),
            Enabled = enabled,
        };

        string? RawCell(string column) => columns.TryGetValue(column, out var i) && i < cells.Count ? cells[i] : null;

        string? Cell(string column) => RawCell(column) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    /// <summary>The column a validation error's field is in.</summary>
    public static string ColumnOf(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field switch
        {
            _ when field.StartsWith(nameof(KnowledgeRule.Questions), StringComparison.Ordinal) => Questions,
            _ when field.StartsWith(nameof(KnowledgeRule.Keywords), StringComparison.Ordinal) => Keywords,
            "Answer.Kind" => AnswerKind,
            "Answer.MenuId" => MenuId,
            "Answer.Media.Name" => MediaName,
            _ when field.StartsWith("Answer.Media", StringComparison.Ordinal) => MediaUrl,
            _ when field.StartsWith(nameof(KnowledgeRule.Answer), StringComparison.Ordinal) => Answer,
            nameof(KnowledgeRule.Category) => Category,
            nameof(KnowledgeRule.Enabled) => Enabled,
            _ => field,
        };
    }

    /// <summary>
    /// Values one per line. A single value holding the in-line separator gets a final line break, so that reading
    /// it back splits on lines only.
    /// </summary>
    private static string Join(IReadOnlyList<string> values, char separator)
    {
        var joined = string.Join('\n', values);
        return values.Count == 1 && joined.Contains(separator, StringComparison.Ordinal) ? joined + "\n" : joined;
    }

    private static List<string> Split(string? cell, char separator)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return [];
        }

        var lines = cell.AsSpan().IndexOfAny('\r', '\n') >= 0
            ? cell.Split(["\r\n", "\n", "\r"], StringSplitOptions.None)
            : cell.Split(separator);
        return [.. lines.Select(v => v.Trim()).Where(v => v.Length > 0)];
    }
}

/// <summary>A cell of an import row that cannot be read.</summary>
/// <param name="Column">The column.</param>
/// <param name="Message">Why.</param>
internal readonly record struct ImportProblem(string Column, string Message);

/// <summary>Reads an import file into rows.</summary>
internal static class KnowledgeFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's rows with their numbers (the header is row 1): for xlsx as the sheet numbers them, for CSV by record.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read in <paramref name="format"/>.</exception>
    public static List<(int Row, string[] Cells)> Read(MemoryStream content, KnowledgeFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (format == KnowledgeFileFormat.Xlsx)
        {
            try
            {
                return [.. Xlsx.Read(content).Select(r => (r.Number, r.Cells))];
            }
            catch (System.Xml.XmlException ex)
            {
                throw new InvalidDataException("The file is not a valid xlsx workbook.", ex);
            }
        }

        string text;
        try
        {
            var bytes = content.GetBuffer().AsSpan(0, (int)content.Length);
            text = StrictUtf8.GetString(bytes.StartsWith(StrictUtf8.Preamble) ? bytes[StrictUtf8.Preamble.Length..] : bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("The file is not UTF-8 text.", ex);
        }

        using var reader = new StringReader(text);
        return [.. Csv.Read(reader).Select((cells, i) => (i + 1, cells))];
    }
}
