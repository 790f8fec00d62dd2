using Kefu.Bots.Knowledge;

namespace Kefu.Bots.Evaluation;

/// <summary>
/// Reads an evaluation CSV through <see cref="Csv"/>: a header row naming the columns (any order, case-insensitive,
/// other columns ignored), then one record a row. Every error names the source and the line.
/// </summary>
internal static class EvaluationCsv
{
    /// <summary>
    /// Reads the rows of <paramref name="reader"/>, giving <paramref name="parse"/> the values of <paramref name="columns"/>
    /// in that order; <paramref name="parse"/> throws through the error factory it is given to refuse a row.
    /// </summary>
    public static List<T> Read<T>(TextReader reader, string source, string[] columns, Func<string[], Func<string, Exception>, T> parse)
    {
        var counting = new LineCountingReader(reader);
        using var rows = Csv.Read(counting).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new InvalidDataException($"{source} is empty: a header row naming the columns {string.Join(", ", columns)} is needed.");
        }

        var header = rows.Current;
        var headerLine = counting.LineOf(header);
        var positions = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var found = Enumerable.Range(0, header.Length)
                .Where(i => string.Equals(header[i].Trim(), columns[c], StringComparison.OrdinalIgnoreCase)).ToArray();
            positions[c] = found.Length switch
            {
                1 => found[0],
                0 => throw new InvalidDataException(
                    $"{source}, line {headerLine}: the header has no column '{columns[c]}'; it needs {string.Join(", ", columns)} (any order) and has {string.Join(", ", header.Select(h => $"'{h}'"))}."),
                _ => throw new InvalidDataException($"{source}, line {headerLine}: the header names the column '{columns[c]}' {found.Length} times."),
            };
        }

        var records = new List<T>();
        var values = new string[columns.Length];
        while (rows.MoveNext())
        {
            var row = rows.Current;
            var line = counting.LineOf(row);
            Exception Fail(string message) => new InvalidDataException($"{source}, line {line}: {message}");
            if (row.Length != header.Length)
            {
                throw Fail($"the row has {row.Length} field{(row.Length == 1 ? string.Empty : "s")} but the header {header.Length}; quote a field that holds a comma (\"like, this\").");
            }

            for (var c = 0; c < columns.Length; c++)
            {
                values[c] = row[positions[c]];
            }

            records.Add(parse(values, Fail));
        }

        return records;
    }

    /// <summary>A reader that counts the line breaks read through it, so that a row's line can be told.</summary>
    private sealed class LineCountingReader(TextReader inner) : TextReader
    {
        private int _breaks;
        private int _last = -1;

        public override int Peek() => inner.Peek();

        public override int Read()
        {
            var c = inner.Read();
            if (c >= 0)
            {
                _last = c;
                if (c == '\n')
                {
                    _breaks++;
                }
            }

            return c;
        }

        /// <summary>
        /// The 1-based line a row just returned by <see cref="Csv.Read"/> starts on: the row ends on the line of the
        /// last character read (its line break, or the end of the input), less the line breaks inside quoted fields.
        /// </summary>
        public int LineOf(string[] row)
        {
            var end = _last == '\n' ? _breaks : _breaks + 1;
            var inside = 0;
            foreach (var field in row)
            {
                inside += field.AsSpan().Count('\n');
            }

            return end - inside;
        }
    }
}
