using System.Globalization;
using System.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// Reads a tenant's user dictionary in jieba's format: one word a line, <c>word [freq] [pos]</c> separated by spaces
/// or tabs (<c>杭研</c>, <c>云计算 5</c>, <c>创新办 3 i</c>, <c>凱特琳 nz</c>). A word given without a frequency gets
/// frequency 0: <see cref="ChineseSegmenter.WithUserWords"/> then gives it just enough to be kept whole. UTF-8 with or
/// without a byte-order mark; blank lines are skipped.
/// </summary>
public static class UserDictionary
{
    /// <summary>The words of a user dictionary read from <paramref name="stream"/> (UTF-8), in order.</summary>
    /// <exception cref="FormatException">A line is not <c>word [freq] [pos]</c>, its frequency is not a whole number of
    /// at least 1, or its word has a character no word can hold (punctuation, spaces); the message names the line.</exception>
    public static IReadOnlyList<DictionaryWord> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Read(reader);
    }

    /// <summary>The words of a user dictionary read from <paramref name="reader"/>, in order.</summary>
    /// <exception cref="FormatException">As <see cref="Read(Stream)"/>.</exception>
    public static IReadOnlyList<DictionaryWord> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var words = new List<DictionaryWord>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var span = line.AsSpan();
            if (lineNumber == 1 && span.StartsWith('\uFEFF'))
            {
                span = span[1..];
            }

            var entry = DictionaryLine.Parse(span, lineNumber);
            if (entry.Word.IsEmpty)
            {
                continue;
            }

            foreach (var c in entry.Word)
            {
                if (!ChineseSegmenter.IsBlockChar(c) && !ChineseSegmenter.IsBlockChar(Kefu.Text.TextFold.Char(c)))
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                        $"Line {lineNumber}: the word '{entry.Word.ToString()}' has '{c}', which no word can hold (words are Chinese characters, letters, digits and & # + . , - _ % ')."));
                }
            }

            words.Add(new DictionaryWord(entry.Word.ToString(), entry.Frequency, entry.PartOfSpeech.ToString()));
        }

        return words;
    }

    /// <summary>The words of a user dictionary given as <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">As <see cref="Read(Stream)"/>.</exception>
    public static IReadOnlyList<DictionaryWord> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader);
    }
}
