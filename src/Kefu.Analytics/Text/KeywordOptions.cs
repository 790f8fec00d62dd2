namespace Kefu.Analytics.Text;

/// <summary>How <see cref="KeywordExtractor"/> picks keywords. Validated when an extractor is made.</summary>
public sealed class KeywordOptions
{
    /// <summary>The fewest characters a Chinese keyword has (focus words and user words excepted). <value>Default 2; 1–10.</value></summary>
    public int MinChineseLength { get; set; } = 2;

    /// <summary>The fewest characters a Latin (English, pinyin, product code) keyword has. <value>Default 2; 1–20.</value></summary>
    public int MinLatinLength { get; set; } = 2;

    /// <summary>
    /// Whether English keywords count by their light stem (<see cref="EnglishTokenizer.Stem(ReadOnlySpan{char}, Span{char})"/>):
    /// <c>refunds</c> and <c>refunded</c> both count as <c>refund</c>. <value>Default false.</value>
    /// </summary>
    public bool StemEnglish { get; set; }

    /// <summary>Throws when a setting is out of its range.</summary>
    /// <exception cref="KefuValidationException">A setting is out of range; the exception names it and the range.</exception>
    public void Validate()
    {
        Range(MinChineseLength, 1, 10, nameof(MinChineseLength));
        Range(MinLatinLength, 1, 20, nameof(MinLatinLength));
    }

    internal static void Range(int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, $"{min}–{max}", $"was {value}");
        }
    }
}
