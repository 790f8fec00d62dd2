using System.Buffers;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// Segments Chinese (and the Latin words and numbers mixed into it) the way jieba does without its HMM: for each run
/// of CJK letters and digits, every dictionary word starting at each character forms a graph, and the path of
/// greatest probability (the product of the words' frequencies over the corpus total) is the segmentation. A run of
/// Latin letters and digits that no dictionary word covers becomes one token. Emoji and sentiment symbols become
/// <see cref="TokenKind.Symbol"/> tokens; spaces and punctuation are dropped. Matching is over folded characters
/// (<see cref="TextFold"/>), so full-width, upper-case and traditional text segments like its plain form.
/// </summary>
/// <remarks>Immutable and thread-safe; allocates nothing but the token list's growth (texts over 512 characters rent buffers).</remarks>
public sealed class ChineseSegmenter : ITokenizer
{
    private const int StackLimit = 512;

    private readonly WordDictionary _dictionary;
    private readonly WordDictionary? _user;

    /// <summary>A segmenter over <paramref name="dictionary"/>.</summary>
    public ChineseSegmenter(WordDictionary dictionary)
        : this(dictionary, null)
    {
    }

    private ChineseSegmenter(WordDictionary dictionary, WordDictionary? user)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        _dictionary = dictionary;
        _user = user;
    }

    /// <summary>The base dictionary.</summary>
    public WordDictionary Dictionary => _dictionary;

    /// <summary>The user's words laid over the base dictionary, or null.</summary>
    public WordDictionary? UserWords => _user;

    /// <summary>
    /// A segmenter that also knows <paramref name="words"/> (a user dictionary, focus words, discovered new words). A
    /// word given without a frequency (0) is given just enough to be kept whole, as jieba's <c>suggest_freq</c> does;
    /// with a frequency, it counts as that many occurrences in the base dictionary's corpus. Replaces any earlier user
    /// words.
    /// </summary>
    public ChineseSegmenter WithUserWords(IEnumerable<DictionaryWord> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var scaled = new List<DictionaryWord>();
        foreach (var w in words)
        {
            var folded = TextFold.Fold(w.Word.Trim());
            if (folded.Length == 0)
            {
                continue;
            }

            if (w.Frequency < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(words), w.Frequency, $"The frequency of '{w.Word}' must be 0 (suggested) or more.");
            }

            var frequency = w.Frequency;
            if (frequency == 0)
            {
                // Enough that the whole word beats the best path through its parts.
                var split = new ChineseSegmenter(_dictionary).BestPathLogProbability(folded);
                frequency = (long)Math.Ceiling(Math.Exp(split + Math.Log(_dictionary.TotalFrequency))) + 1;
            }

            scaled.Add(w with { Word = folded, Frequency = Math.Max(frequency, 1) });
        }

        return new ChineseSegmenter(_dictionary, scaled.Count == 0 ? null : WordDictionary.CreateOverlay(scaled, _dictionary));
    }

    /// <inheritdoc />
    public void Tokenize(ReadOnlySpan<char> text, List<Token> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        char[]? rentedText = null;
        var folded = text.Length <= StackLimit ? stackalloc char[text.Length] : (rentedText = ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        TextFold.Fold(text, folded);
        try
        {
            var i = 0;
            while (i < folded.Length)
            {
                var c = folded[i];
                if (IsBlockChar(c))
                {
                    var end = i + 1;
                    while (end < folded.Length && IsBlockChar(folded[end]))
                    {
                        end++;
                    }

                    SegmentBlock(folded, i, end, tokens);
                    i = end;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < folded.Length && char.IsLowSurrogate(folded[i + 1]))
                {
                    var length = 2;
                    // Keep an emoji's variation selector or skin tone with it.
                    while (i + length < folded.Length && IsEmojiModifier(folded, i + length, out var extra))
                    {
                        length += extra;
                    }

                    tokens.Add(new Token(i, length, TokenKind.Symbol));
                    i += length;
                }
                else if (IsSymbol(c))
                {
                    tokens.Add(new Token(i, 1, TokenKind.Symbol));
                    i++;
                }
                else
                {
                    i++;
                }
            }
        }
        finally
        {
            if (rentedText is not null)
            {
                ArrayPool<char>.Shared.Return(rentedText);
            }
        }
    }

    /// <summary>The log probability of the best path through <paramref name="folded"/> (already folded).</summary>
    internal double BestPathLogProbability(ReadOnlySpan<char> folded)
    {
        var score = new double[folded.Length + 1];
        var next = new int[folded.Length];
        Route(folded, 0, folded.Length, score, next);
        return score[0];
    }

    /// <summary>CJK letters, Latin letters and digits: the characters a dictionary word is made of.</summary>
    internal static bool IsBlockChar(char c) =>
        c is >= 'a' and <= 'z' or >= '0' and <= '9' or >= 'A' and <= 'Z' || IsCjk(c);

    private static bool IsAsciiAlphanumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' or >= 'A' and <= 'Z';

    internal static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or '〇';

    private static bool IsSymbol(char c) => c is >= '\u2600' and <= '\u27BF' or '♥' or '❤';

    private static bool IsEmojiModifier(ReadOnlySpan<char> text, int at, out int length)
    {
        var c = text[at];
        if (c is '\uFE0F' or '\u200D')
        {
            length = 1;
            return true;
        }

        // Skin tones U+1F3FB–U+1F3FF are the surrogate pair D83C DFFB–DFFF.
        if (c == '\uD83C' && at + 1 < text.Length && text[at + 1] is >= '\uDFFB' and <= '\uDFFF')
        {
            length = 2;
            return true;
        }

        length = 0;
        return false;
    }

    private void SegmentBlock(ReadOnlySpan<char> folded, int start, int end, List<Token> tokens)
    {
        var n = end - start;
        double[]? rentedScore = null;
        int[]? rentedNext = null;
        var score = n < StackLimit ? stackalloc double[n + 1] : (rentedScore = ArrayPool<double>.Shared.Rent(n + 1)).AsSpan(0, n + 1);
        var next = n < StackLimit ? stackalloc int[n] : (rentedNext = ArrayPool<int>.Shared.Rent(n)).AsSpan(0, n);
        try
        {
            Route(folded, start, end, score, next);
            var i = 0;
            while (i < n)
            {
                var j = next[i];
                var kind = TokenKind.Number;
                for (var p = start + i; p < start + j; p++)
                {
                    var c = folded[p];
                    if (IsCjk(c))
                    {
                        kind = TokenKind.Word;
                        break;
                    }

                    if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
                    {
                        kind = TokenKind.Latin;
                    }
                }

                tokens.Add(new Token(start + i, j - i, kind));
                i = j;
            }
        }
        finally
        {
            if (rentedScore is not null)
            {
                ArrayPool<double>.Shared.Return(rentedScore);
            }

            if (rentedNext is not null)
            {
                ArrayPool<int>.Shared.Return(rentedNext);
            }
        }
    }

    // Dynamic programming from the end of the block: score[i] is the best log probability of folded[start + i ..],
    // next[i] the end (relative) of the first word on that path.
    private void Route(ReadOnlySpan<char> folded, int start, int end, Span<double> score, Span<int> next)
    {
        var n = end - start;
        var unknown = _dictionary.MinLogProbability;
        score[n] = 0;
        var runEnd = n;
        for (var i = n - 1; i >= 0; i--)
        {
            // A run of Latin letters and digits is one unit unless dictionary words (b超, t恤, c#) start and end on
            // its edges: no word ends inside it, and the fallback for its first character is the whole run.
            var alnum = IsAsciiAlphanumeric(folded[start + i]);
            if (!alnum || i + 1 >= n || !IsAsciiAlphanumeric(folded[start + i + 1]))
            {
                runEnd = i + 1;
            }

            var fallbackEnd = alnum ? runEnd : i + 1;
            var best = unknown + score[fallbackEnd];
            var bestEnd = fallbackEnd;
            Walk(_dictionary, folded, start, i, n, score, ref best, ref bestEnd);
            if (_user is not null)
            {
                Walk(_user, folded, start, i, n, score, ref best, ref bestEnd);
            }

            score[i] = best;
            next[i] = bestEnd;
        }
    }

    private static void Walk(WordDictionary dictionary, ReadOnlySpan<char> folded, int start, int i, int n, Span<double> score, ref double best, ref int bestEnd)
    {
        var node = dictionary.Start(folded[start + i]);
        var j = i;
        while (node >= 0)
        {
            var p = dictionary.WordLogProbability(node);
            if (!float.IsNaN(p) && !(j + 1 < n && IsAsciiAlphanumeric(folded[start + j]) && IsAsciiAlphanumeric(folded[start + j + 1])))
            {
                var s = p + score[j + 1];
                // Ties go to the longer word, as in jieba.
                if (s >= best)
                {
                    best = s;
                    bestEnd = j + 1;
                }
            }

            j++;
            if (j >= n)
            {
                break;
            }

            node = dictionary.Next(node, folded[start + j]);
        }
    }
}
