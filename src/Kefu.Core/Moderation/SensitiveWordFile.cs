using System.Text;

namespace Kefu.Moderation;

/// <summary>
/// Reads word lists from text (M4): one word a line, optionally <c>word&lt;TAB&gt;category</c>; a byte-order mark,
/// surrounding white space and blank lines are tolerated. A line without a category takes the default category
/// (for a file in a folder, the file's name).
/// </summary>
public static class SensitiveWordFile
{
    /// <summary>Reads every word of a text; order is kept and nothing is de-duplicated (the matcher does that).</summary>
    public static IReadOnlyList<SensitiveWord> Parse(TextReader reader, string defaultCategory = "")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(defaultCategory);
        var words = new List<SensitiveWord>();
        while (reader.ReadLine() is { } line)
        {
            var span = line.AsSpan().TrimStart('\uFEFF');
            var tab = span.IndexOf('\t');
            var word = (tab < 0 ? span : span[..tab]).Trim();
            if (word.IsEmpty)
            {
                continue;
            }

            var category = tab < 0 ? default : span[(tab + 1)..].Trim();
            words.Add(new SensitiveWord(word.ToString(), category.IsEmpty ? defaultCategory : category.ToString()));
        }

        return words;
    }

    /// <summary>Reads a text of words.</summary>
    public static IReadOnlyList<SensitiveWord> Parse(string text, string defaultCategory = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader, defaultCategory);
    }

    /// <summary>
    /// Reads a UTF-8 file (with or without a byte-order mark), or every <c>.txt</c> file of a folder in name order,
    /// each file's name (without extension) being the default category of its words.
    /// </summary>
    public static IReadOnlyList<SensitiveWord> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            var words = new List<SensitiveWord>();
            foreach (var file in Directory.GetFiles(path, "*.txt").Order(StringComparer.Ordinal))
            {
                words.AddRange(LoadFile(file));
            }

            return words;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No word list at '{path}': give a .txt file or a folder of them.", path);
        }

        return LoadFile(path);
    }

    private static IReadOnlyList<SensitiveWord> LoadFile(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, Path.GetFileNameWithoutExtension(file));
    }
}
