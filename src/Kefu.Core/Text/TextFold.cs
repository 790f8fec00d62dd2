using Kefu.Moderation;

namespace Kefu.Text;

/// <summary>
/// Folds characters the way Kefu's text engines compare them: full width to half width, case to lower case, and
/// traditional Chinese to simplified by the table the sensitive-word engine uses (2853 pairs from ICU's transform).
/// The table is immutable and built once, on first use.
/// </summary>
public static class TextFold
{
    private static readonly Lazy<char[]> Table = new(Build);

    /// <summary>A character folded: width, case and traditional → simplified.</summary>
    public static char Char(char c) => Table.Value[c];

    /// <summary>Folds <paramref name="source"/> into <paramref name="destination"/>, which must be as long.</summary>
    public static void Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        var table = Table.Value;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    /// <summary>A string folded.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, static (span, s) => Fold(s, span));
    }

    private static char[] Build()
    {
        var normalization = new SensitiveWordNormalization();
        var simplified = SensitiveWordNormalization.BuildSimplifiedTable();
        var table = new char[char.MaxValue + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = normalization.Fold((char)i, simplified);
        }

        return table;
    }
}
