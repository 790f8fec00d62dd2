using System.Text;

namespace Kefu.Analytics.Sentiment;

/// <summary>
/// Reads labelled sentiment CSV: UTF-8 with or without a BOM, RFC 4180 (quoted fields with commas, line breaks and
/// doubled quotes), a header row naming a <c>label</c> and a <c>text</c> column (any order, case-insensitive; other
/// columns are ignored). Labels: <c>1</c>, <c>positive</c> or <c>pos</c> for positive; <c>0</c>, <c>negative</c> or
/// <c>neg</c> for negative; <c>-1</c> for negative too, and then, in a file that uses <c>-1</c>, <c>0</c> means neutral
/// and those rows are skipped. Empty lines are skipped; any other bad row is an error naming its line and field.
/// </summary>
internal static class SentimentCsv
{
    /// <summary>The rows read: the samples and how many neutral rows were skipped.</summary>
    public sealed record Result(IReadOnlyList<SentimentSample> Samples, int SkippedNeutral);

    /// <exception cref="KefuValidationException">The header or a row is invalid, or the file holds more than <paramref name="maxRows"/> rows.</exception>
    public static Result Read(Stream stream, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var rows = new List<(int Line, string[] Fields)>();
        try
        {
            rows.AddRange(Rows(reader));
        }
        catch (DecoderFallbackException e)
        {
            throw new KefuValidationException("file", "UTF-8 text", e.Message);
        }

        if (rows.Count == 0)
        {
            throw new KefuValidationException("header", "a first row naming the columns label and text", "the file is empty");
        }

        var header = rows[0].Fields.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        var labelColumn = Array.FindIndex(header, h => h.Equals("label", StringComparison.OrdinalIgnoreCase));
        var textColumn = Array.FindIndex(header, h => h.Equals("text", StringComparison.OrdinalIgnoreCase));
        if (labelColumn < 0 || textColumn < 0)
        {
            throw new KefuValidationException("header", "a first row naming the columns label and text",
                $"line 1 has {string.Join(", ", header.Select(h => $"'{h}'"))}; missing {(labelColumn < 0 ? "label" : "text")}");
        }

        if (rows.Count - 1 > maxRows)
        {
            throw new KefuValidationException("rows", $"at most {maxRows:N0}", $"the file holds {rows.Count - 1:N0} rows");
        }

        var needed = Math.Max(labelColumn, textColumn) + 1;
        var labels = new List<(int Line, int Label, string Text)>(rows.Count);
        var usesMinusOne = false;
        foreach (var (line, fields) in rows.Skip(1))
        {
            if (fields.Length < needed)
            {
                throw new KefuValidationException(fields.Length <= labelColumn ? "label" : "text", "present in every row",
                    $"line {line} has {fields.Length} field(s), {needed} needed");
            }

            var label = fields[labelColumn].Trim().ToUpperInvariant() switch
            {
                "1" or "+1" or "POSITIVE" or "POS" => 1,
                "0" => 0,
                "-1" => -1,
                "NEGATIVE" or "NEG" => -2,
                _ => throw new KefuValidationException("label", "1, 0, -1, positive or negative",
                    $"line {line} has '{Shorten(fields[labelColumn])}'"),
            };
            usesMinusOne |= label == -1;
            var text = fields[textColumn];
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new KefuValidationException("text", "a non-blank text", $"line {line} has an empty text");
            }

            labels.Add((line, label, text));
        }

        var samples = new List<SentimentSample>(labels.Count);
        var skipped = 0;
        foreach (var (_, label, text) in labels)
        {
            if (label == 0 && usesMinusOne)
            {
                skipped++;
                continue;
            }

            samples.Add(new SentimentSample(text, label == 1));
        }

        return new Result(samples, skipped);

        static string Shorten(string value) => value.Length <= 20 ? value : value[..20] + "…";
    }

    /// <summary>The rows with the line number each starts on; blank lines are skipped.</summary>
    private static IEnumerable<(int Line, string[] Fields)> Rows(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        var line = 1;
        var start = 1;
        int ch;
        while ((ch = reader.Read()) != -1)
        {
            var c = (char)ch;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return (start, fields.ToArray());
                    }

                    fields.Clear();
                    field.Clear();
                    any = false;
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new KefuValidationException("text", "closed quotes", $"the quote opened on line {start} is never closed");
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields.ToArray());
        }
    }
}
