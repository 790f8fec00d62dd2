using System.Buffers;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// Segments Chinese (and the Latin words and numbers mixed into it) the way jieba does without its HMM: for each run
/// of CJK letters, Latin letters, digits and in-word joiners (<c>&amp; # + . , - _ % '</c>), every dictionary word
/// starting at each character forms a graph, and the path of greatest probability (the product of the words'
/// frequencies over the corpus total) is the segmentation. A run of Latin letters and digits (with an apostrophe
/// between letters, <c>don't</c>, or a decimal point or separator between digits, <c>3.5</c>, <c>1,299</c>) that no
/// dictionary word covers becomes one token; dictionary words may span joiners (<c>AT&amp;T</c>, <c>c++</c>,
/// <c>c#</c>) but never end inside such a run. A joiner no word takes in is dropped like punctuation. Emoji and
/// sentiment symbols become <see cref="TokenKind.Symbol"/> tokens; spaces and punctuation are dropped. Matching is over
/// folded characters (<see cref="TextFold"/>), so full-width, upper-case and traditional text segments like its plain
/// form.
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
            TokenizeFolded(folded, tokens);
        }
        finally
        {
            if (rentedText is not null)
            {
                ArrayPool<char>.Shared.Return(rentedText);
            }
        }
    }

    /// <summary>As <see cref="Tokenize"/>, over text already folded (<see cref="TextFold"/>).</summary>
    internal void TokenizeFolded(ReadOnlySpan<char> folded, List<Token> tokens)
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
                var length = SymbolLength(folded, i);
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

    /// <summary>The log probability of the best path through <paramref name="folded"/> (already folded).</summary>
    internal double BestPathLogProbability(ReadOnlySpan<char> folded)
    {
        var score = new double[folded.Length + 1];
        var next = new int[folded.Length];
        Route(folded, 0, folded.Length, score, next);
        return score[0];
    }

    /// <summary>
    /// The characters a dictionary word is made of: CJK letters, Latin letters and digits, and the joiners that occur
    /// inside words (<c>AT&amp;T</c>, <c>c#</c>, <c>c++</c>, <c>don't</c>, <c>3.5</c>, <c>wi-fi</c>, <c>50%</c>), as
    /// in jieba. A joiner that no word or number takes in is dropped like punctuation.
    /// </summary>
    internal static bool IsBlockChar(char c) =>
        c is >= 'a' and <= 'z' or >= '0' and <= '9' or >= 'A' and <= 'Z' || IsCjk(c) || IsJoiner(c);

    internal static bool IsJoiner(char c) => c is '&' or '#' or '+' or '.' or ',' or '-' or '_' or '%' or '\'';

    internal static bool IsAsciiAlphanumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' or >= 'A' and <= 'Z';

    /// <summary>
    /// Whether the characters at <paramref name="p"/> and <paramref name="p"/> + 1 belong to one Latin or number run,
    /// which no word may end inside: letters and digits together, an apostrophe between letters (<c>don't</c>), a
    /// decimal point or thousands separator between digits (<c>3.5</c>, <c>1,299</c>).
    /// </summary>
    internal static bool JoinsNext(ReadOnlySpan<char> text, int p)
    {
        if (p + 1 >= text.Length)
        {
            return false;
        }

        var a = text[p];
        var b = text[p + 1];
        if (IsAsciiAlphanumeric(a))
        {
            return IsAsciiAlphanumeric(b)
                || (p + 2 < text.Length && ((b == '\'' && char.IsAsciiLetter(a) && char.IsAsciiLetter(text[p + 2]))
                    || (b is '.' or ',' && char.IsAsciiDigit(a) && char.IsAsciiDigit(text[p + 2]))));
        }

        return p > 0 && ((a == '\'' && char.IsAsciiLetter(text[p - 1]) && char.IsAsciiLetter(b))
            || (a is '.' or ',' && char.IsAsciiDigit(text[p - 1]) && char.IsAsciiDigit(b)));
    }

    internal static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or '〇';

    /// <summary>The length of the emoji starting with the surrogate pair at <paramref name="i"/>, with its variation selectors, joiners and skin tones.</summary>
    internal static int SymbolLength(ReadOnlySpan<char> text, int i)
    {
        var length = 2;
        while (i + length < text.Length && IsEmojiModifier(text, i + length, out var extra))
        {
            length += extra;
        }

        return length;
    }

    internal static bool IsSymbol(char c) => c is >= '\u2600' and <= '\u27BF' or '♥' or '❤';

    private static bool IsEmojiModifier(ReadOnlySpan<char> text, int at, out int length)
    {
        var c = text[at];
        if (c == '\u200D' && at + 2 < text.Length && char.IsHighSurrogate(text[at + 1]) && char.IsLowSurrogate(text[at + 2]))
        {
            // A joiner and the emoji it joins (👨‍👩‍👧 is one symbol).
            length = 3;
            return true;
        }

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
                if (Kind(folded.Slice(start + i, j - i)) is { } kind)
                {
                    tokens.Add(new Token(start + i, j - i, kind));
                }

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

    /// <summary>A Chinese word when it has a CJK letter, else a Latin word when it has a letter, else a number when it has a digit; null for joiners alone.</summary>
    private static TokenKind? Kind(ReadOnlySpan<char> word)
    {
        TokenKind? kind = null;
        foreach (var c in word)
        {
            if (c > '\u007F')
            {
                return TokenKind.Word;
            }

            if (char.IsAsciiLetter(c))
            {
                kind = TokenKind.Latin;
            }
            else if (kind is null && char.IsAsciiDigit(c))
            {
                kind = TokenKind.Number;
            }
        }

        return kind;
    }

    // Dynamic programming from the end of the block: score[i] is the best log probability of folded[start + i ..],
    // next[i] the end (relative) of the first word on that path.
    private void Route(ReadOnlySpan<char> folded, int start, int end, Span<double> score, Span<int> next)
    {
        var n = end - start;
        var unknown = _dictionary.MinLogProbability;
        score[n] = 0;
        var runEnd = n;
        var block = folded[start..end];
        for (var i = n - 1; i >= 0; i--)
        {
            // A run of Latin letters and digits is one unit unless dictionary words (b超, t恤, c#) start and end on
            // its edges: no word ends inside it, and the fallback for its first character is the whole run.
            if (!JoinsNext(block, i))
            {
                runEnd = i + 1;
            }

            var fallbackEnd = runEnd;
            var best = unknown + score[fallbackEnd];
            var bestEnd = fallbackEnd;
            Walk(_dictionary, block, i, score, ref best, ref bestEnd);
            if (_user is not null)
            {
                Walk(_user, block, i, score, ref best, ref bestEnd);
            }

            score[i] = best;
            next[i] = bestEnd;
        }
    }

    private static void Walk(WordDictionary dictionary, ReadOnlySpan<char> block, int i, Span<double> score, ref double best, ref int bestEnd)
    {
        var node = dictionary.Start(block[i]);
        var j = i;
        while (node >= 0)
        {
            var p = dictionary.WordLogProbability(node);
            if (!float.IsNaN(p) && !JoinsNext(block, j))
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
            if (j >= block.Length)
            {
                break;
            }

            node = dictionary.Next(node, block[j]);
        }
    }
}
