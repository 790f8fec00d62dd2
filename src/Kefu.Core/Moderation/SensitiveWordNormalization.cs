using System.Globalization;

namespace Kefu.Moderation;

/// <summary>
/// How a sensitive-word list sees text (M5): each step can be switched off. Words and text are folded the same way,
/// so a list written in traditional characters or full-width letters still matches. Matches are always reported at
/// their positions in the original text.
/// </summary>
public sealed record SensitiveWordNormalization
{
    /// <summary>The most noise characters allowed between two characters of a word, when <see cref="SkipNoise"/> is on.</summary>
    public const int MaxNoiseGapLimit = 32;

    /// <summary>Every normalisation on, a gap of up to <see cref="MaxNoiseGap"/> noise characters: the evasion-resistant default.</summary>
    public static SensitiveWordNormalization Default { get; } = new();

    /// <summary>Every normalisation off: words match exactly, character for character.</summary>
    public static SensitiveWordNormalization None { get; } = new()
    {
        IgnoreCase = false,
        FoldWidth = false,
        TraditionalToSimplified = false,
        SkipNoise = false,
        CollapseRepeats = false,
    };

    /// <summary>Letters match in either case (<c>SB</c> = <c>sb</c>). <value>Default true.</value></summary>
    public bool IgnoreCase { get; init; } = true;

    /// <summary>Full-width forms match their ASCII forms (<c>ＳＢ</c> = <c>SB</c>, the ideographic space = a space). <value>Default true.</value></summary>
    public bool FoldWidth { get; init; } = true;

    /// <summary>
    /// Traditional characters match their simplified forms (<c>敏感詞</c> = <c>敏感词</c>), by the character table
    /// <c>tools/generate-traditional-chinese.sh</c> builds from ICU. <value>Default true.</value>
    /// </summary>
    public bool TraditionalToSimplified { get; init; } = true;

    /// <summary>
    /// Noise characters between the characters of a word are skipped (<c>敏*感 词</c> = <c>敏感词</c>), up to
    /// <see cref="MaxNoiseGap"/> in a row; noise characters inside listed words are ignored. <value>Default true.</value>
    /// </summary>
    public bool SkipNoise { get; init; } = true;

    /// <summary>
    /// The noise characters. Null (the default) means white space, punctuation, symbols, format and control
    /// characters, combining marks, and every character outside the Basic Multilingual Plane (emoji); letters and
    /// digits are never noise by default.
    /// </summary>
    public string? NoiseCharacters { get; init; }

    /// <summary>The most noise characters skipped in a row inside a word. <value>Default 4; 1–32.</value></summary>
    public int MaxNoiseGap { get; init; } = 4;

    /// <summary>
    /// A character repeated in the text right after itself may be skipped (<c>敏敏感感词</c> = <c>敏感词</c>); a word
    /// that itself repeats a character (<c>哈哈</c>) still needs the repeat. <value>Default true.</value>
    /// </summary>
    public bool CollapseRepeats { get; init; } = true;

    /// <summary>Whether every normalisation is off, so words match the text character for character.</summary>
    internal bool IsNone => !IgnoreCase && !FoldWidth && !TraditionalToSimplified && !SkipNoise && !CollapseRepeats;

    /// <summary>Throws <see cref="KefuValidationException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (SkipNoise)
        {
            Guard.Range(MaxNoiseGap, 1, MaxNoiseGapLimit, nameof(MaxNoiseGap));
        }

        if (NoiseCharacters is { } noise)
        {
            foreach (var c in noise)
            {
                if (char.IsLetterOrDigit(c))
                {
                    throw new KefuValidationException(nameof(NoiseCharacters), "punctuation, symbols, spaces and other non-letter, non-digit characters");
                }
            }
        }
    }

    /// <summary>Folds one character: width, case, traditional → simplified, as switched on.</summary>
    internal char Fold(char c, char[]? simplified)
    {
        if (FoldWidth)
        {
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                c = (char)(c - 0xFEE0);
            }
            else if (c == '\u3000')
            {
                c = ' ';
            }
        }

        if (IgnoreCase)
        {
            c = char.ToLowerInvariant(c);
        }

        if (TraditionalToSimplified && simplified is not null)
        {
            c = simplified[c];
        }

        return c;
    }

    /// <summary>Whether a character (original or folded) is noise under these settings.</summary>
    internal bool IsNoise(char c)
    {
        if (!SkipNoise)
        {
            return false;
        }

        if (NoiseCharacters is { } noise)
        {
            return noise.Contains(c, StringComparison.Ordinal);
        }

        if (char.IsSurrogate(c) || char.IsWhiteSpace(c))
        {
            return true;
        }

        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol or UnicodeCategory.Format or UnicodeCategory.Control
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpaceSeparator => true,
            _ => false,
        };
    }

    /// <summary>The traditional → simplified table as a 64K lookup (identity where the table has no entry).</summary>
    internal static char[] BuildSimplifiedTable()
    {
        var table = new char[char.MaxValue + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (char)i;
        }

        var pairs = TraditionalChinese.Pairs;
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            table[pairs[i]] = pairs[i + 1];
        }

        return table;
    }
}
