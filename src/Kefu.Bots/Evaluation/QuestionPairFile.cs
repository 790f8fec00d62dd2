using System.Text;

namespace Kefu.Bots.Evaluation;

/// <summary>Reads question pairs from CSV: a header with the columns <c>text1</c>, <c>text2</c> and <c>label</c> (0 or 1), any order.</summary>
public static class QuestionPairFile
{
    private static readonly string[] Columns = ["text1", "text2", "label"];

    /// <summary>Reads the file at <paramref name="path"/> (UTF-8, a byte-order mark tolerated).</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a row has the wrong number of fields, an empty text or a label other than 0 or 1; the message names the file and line.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static IReadOnlyList<QuestionPair> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads CSV from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a row has the wrong number of fields, an empty text or a label other than 0 or 1; the message names the source and line.</exception>
    public static IReadOnlyList<QuestionPair> Read(TextReader reader, string source = "the input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        return EvaluationCsv.Read(reader, source, Columns, static (values, fail) =>
        {
            var first = values[0].Trim();
            var second = values[1].Trim();
            if (first.Length == 0 || second.Length == 0)
            {
                throw fail($"{(first.Length == 0 ? "text1" : "text2")} is empty.");
            }

            return values[2].Trim() switch
            {
                "1" => new QuestionPair(first, second, IsMatch: true),
                "0" => new QuestionPair(first, second, IsMatch: false),
                var other => throw fail($"the label must be 0 or 1, not '{other}'."),
            };
        });
    }
}
