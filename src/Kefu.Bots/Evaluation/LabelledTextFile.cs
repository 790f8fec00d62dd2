using System.Text;

namespace Kefu.Bots.Evaluation;

/// <summary>Reads labelled questions from CSV: a header with the columns <c>text</c> and <c>category</c> (any order, other columns ignored).</summary>
public static class LabelledTextFile
{
    private static readonly string[] Columns = ["text", "category"];

    /// <summary>Reads the file at <paramref name="path"/> (UTF-8, a byte-order mark tolerated).</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a row has the wrong number of fields or an empty text or category; the message names the file and line.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static IReadOnlyList<LabelledText> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads CSV from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a row has the wrong number of fields or an empty text or category; the message names the source and line.</exception>
    public static IReadOnlyList<LabelledText> Read(TextReader reader, string source = "the input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        return EvaluationCsv.Read(reader, source, Columns, static (values, fail) =>
        {
            var text = values[0].Trim();
            var category = values[1].Trim();
            return text.Length == 0 ? throw fail("the text is empty.")
                : category.Length == 0 ? throw fail("the category is empty.")
                : new LabelledText(text, category);
        });
    }
}
