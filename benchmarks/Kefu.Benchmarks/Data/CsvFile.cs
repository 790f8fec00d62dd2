using System.Text;

namespace Kefu.Benchmarks.Data;

/// <summary>
/// A small RFC 4180 reader for the evaluation data: comma-separated, fields optionally in double quotes (a quote
/// inside written twice, commas and line breaks allowed inside quotes), the first row naming the columns.
/// </summary>
internal static class CsvFile
{
    /// <summary>The values of one column, by its name in the header row (case-insensitive), one per data row.</summary>
    public static IReadOnlyList<string> ReadColumn(string path, params string[] columnNames)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = ReadRow(reader) ?? throw new InvalidDataException($"'{path}' is empty: a header row is needed.");
        var index = -1;
        foreach (var name in columnNames)
        {
            index = header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidDataException($"'{path}' has no column named {string.Join(" or ", columnNames)}; its columns are {string.Join(", ", header)}.");
        }

        var values = new List<string>();
        while (ReadRow(reader) is { } row)
        {
            if (row.Count > index)
            {
                values.Add(row[index]);
            }
        }

        return values;
    }

    /// <summary>Reads one row, or null at the end.</summary>
    internal static List<string>? ReadRow(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                if (!any)
                {
                    return null;
                }

                fields.Add(field.ToString());
                return fields;
            }

            any = true;
            var c = (char)next;
            if (quoted)
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
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                fields.Add(field.ToString());
                return fields;
            }
            else
            {
                field.Append(c);
            }
        }
    }
}
