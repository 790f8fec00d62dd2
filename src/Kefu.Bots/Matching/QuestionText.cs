using System.Globalization;
using Kefu.Text;

namespace Kefu.Bots.Matching;

/// <summary>
/// The normal form questions are compared in: width, case and traditional → simplified folded (<see cref="TextFold"/>),
/// punctuation, symbols and emoji removed, runs of white space made one space, and the ends trimmed.
/// </summary>
public static class QuestionText
{
    /// <summary>The normal form of <paramref name="text"/>.</summary>
    public static string Normalize(ReadOnlySpan<char> text)
    {
        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var n = Normalize(text, buffer);
        return new string(buffer[..n]);
    }

    /// <summary>Writes the normal form of <paramref name="text"/> into <paramref name="destination"/> (as long as the text) and returns its length.</summary>
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        var n = 0;
        var pendingSpace = false;
        foreach (var raw in text)
        {
            var c = TextFold.Char(raw);
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && n > 0)
                {
                    destination[n++] = ' ';
                }

                pendingSpace = false;
                destination[n++] = c;
                continue;
            }

            if (IsSeparator(c))
            {
                pendingSpace = true;
            }
        }

        return n;
    }

    /// <summary>Whether a folded character separates words (white space, punctuation, symbols) rather than being dropped inside one (apostrophes).</summary>
    private static bool IsSeparator(char c) => c != '\'' && c != '\u2019' && (char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.NonSpacingMark or UnicodeCategory.Format => false,
        _ => true,
    });

    /// <summary>Whether a character is written without spaces between words (CJK ideographs, kana, hangul).</summary>
    public static bool IsCjk(char c) => c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF')
        or (>= '\uF900' and <= '\uFAFF') or (>= '\uAC00' and <= '\uD7AF');
}
