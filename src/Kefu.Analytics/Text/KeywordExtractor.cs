using System.Buffers;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// Picks the keywords of a text: the segmenter's words that carry content. A Chinese word counts when it has at
/// least <see cref="KeywordOptions.MinChineseLength"/> characters (2), is not a stop word, and its part of speech is not
/// a function word's (pronouns, particles, prepositions, conjunctions, adverbs, numerals, measure words, onomatopoeia,
/// time words). A Latin word counts when it has at least <see cref="KeywordOptions.MinLatinLength"/> characters (2), a
/// letter, and is not a stop word (checked on the word and on its stem). The user's words (a user dictionary,
/// discovered new words) count unless they are stop words. Focus words (关注词) always count, whatever their length or
/// part of speech, unless they are stop words: a tenant that both follows and stops a word has stopped it. Numbers and
/// symbols never count. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// A keyword's identity, the text it is counted under, is its folded text (<see cref="Text"/>: width, case,
/// traditional → simplified) and, with <see cref="KeywordOptions.StemEnglish"/>, an English word's stem
/// (<see cref="Key(ReadOnlySpan{char}, Token, Span{char})"/>).
/// </remarks>
public sealed class KeywordExtractor
{
    private const int StackLimit = 512;

    // jieba's tags of words that carry little content.
    private static readonly string[] FunctionTags = ["c", "p", "u", "uj", "ul", "uz", "uv", "ud", "ug", "r", "rr", "rz", "rg", "d", "df", "dg", "m", "mq", "mg", "q", "y", "e", "o", "x", "f", "t", "tg", "zg", "h", "k"];

    private readonly ChineseSegmenter _segmenter;
    private readonly StopWords _stopWords;
    private readonly StopWords _focusWords;
    private readonly bool[] _functionTag;
    private readonly int _minChinese;
    private readonly int _minLatin;
    private readonly bool _stem;

    /// <summary>An extractor over <paramref name="segmenter"/> that drops <paramref name="stopWords"/>, with the default options.</summary>
    public KeywordExtractor(ChineseSegmenter segmenter, StopWords stopWords)
        : this(segmenter, stopWords, [], null)
    {
    }

    /// <summary>
    /// An extractor over <paramref name="segmenter"/> that drops <paramref name="stopWords"/> and always keeps
    /// <paramref name="focusWords"/> (which the segmenter should know as user words, so that it keeps them whole:
    /// <see cref="TextPipeline"/> does both).
    /// </summary>
    /// <exception cref="KefuValidationException"><paramref name="options"/> are out of range.</exception>
    public KeywordExtractor(ChineseSegmenter segmenter, StopWords stopWords, IEnumerable<string> focusWords, KeywordOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(stopWords);
        ArgumentNullException.ThrowIfNull(focusWords);
        options ??= new KeywordOptions();
        options.Validate();
        _segmenter = segmenter;
        _stopWords = stopWords;
        _focusWords = StopWords.Create(focusWords);
        _minChinese = options.MinChineseLength;
        _minLatin = options.MinLatinLength;
        _stem = options.StemEnglish;
        var tags = segmenter.Dictionary.Tags;
        _functionTag = new bool[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            _functionTag[i] = Array.IndexOf(FunctionTags, tags[i]) >= 0;
        }
    }

    /// <summary>The segmenter.</summary>
    public ChineseSegmenter Segmenter => _segmenter;

    /// <summary>The stop words.</summary>
    public StopWords StopWords => _stopWords;

    /// <summary>The focus words, folded.</summary>
    public IEnumerable<string> FocusWords => _focusWords.Words;

    /// <summary>Whether English keywords count by their stem (<see cref="KeywordOptions.StemEnglish"/>).</summary>
    public bool StemsEnglish => _stem;

    /// <summary>
    /// Appends the keyword tokens of <paramref name="text"/> to <paramref name="keywords"/>, in order, with
    /// repeats. <paramref name="scratch"/> receives every token and is cleared first.
    /// </summary>
    public void Extract(ReadOnlySpan<char> text, List<Token> scratch, List<Token> keywords)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(keywords);
        scratch.Clear();
        char[]? rented = null;
        var folded = text.Length <= StackLimit ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        TextFold.Fold(text, folded);
        try
        {
            _segmenter.TokenizeFolded(folded, scratch);
            foreach (var t in scratch)
            {
                if (IsKeyword(folded.Slice(t.Start, t.Length), t.Kind))
                {
                    keywords.Add(t);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The keywords of <paramref name="text"/> as they are counted (<see cref="Key(ReadOnlySpan{char}, Token)"/>), in order, with repeats.</summary>
    public IReadOnlyList<string> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = new List<Token>();
        var keywords = new List<Token>();
        Extract(text, scratch, keywords);
        var result = new string[keywords.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Key(text, keywords[i]);
        }

        return result;
    }

    /// <summary>The folded text of a token of <paramref name="text"/>: the keyword as it is counted when English words are not stemmed.</summary>
    public static string Text(ReadOnlySpan<char> text, Token token)
    {
        var slice = token.Slice(text);
        return string.Create(slice.Length, slice, static (destination, source) => TextFold.Fold(source, destination));
    }

    /// <summary>
    /// Writes the identity of a keyword token of <paramref name="text"/> into <paramref name="destination"/>: its folded
    /// text, with a typographic apostrophe made plain and, with <see cref="KeywordOptions.StemEnglish"/>, a Latin
    /// word's stem. Allocates nothing: count keywords in a <c>Dictionary&lt;string, int&gt;</c> through its
    /// <c>GetAlternateLookup&lt;ReadOnlySpan&lt;char&gt;&gt;()</c>.
    /// </summary>
    /// <param name="text">The text the token came from.</param>
    /// <param name="token">The token.</param>
    /// <param name="destination">At least <see cref="Token.Length"/> characters.</param>
    /// <returns>The length written.</returns>
    public int Key(ReadOnlySpan<char> text, Token token, Span<char> destination)
    {
        var slice = token.Slice(text);
        if (destination.Length < slice.Length)
        {
            throw new ArgumentException("The destination is shorter than the token.", nameof(destination));
        }

        var folded = destination[..slice.Length];
        TextFold.Fold(slice, folded);
        return token.Kind == TokenKind.Latin ? LatinKey(folded) : folded.Length;
    }

    /// <summary>The identity of a keyword token, as a string; see <see cref="Key(ReadOnlySpan{char}, Token, Span{char})"/>.</summary>
    public string Key(ReadOnlySpan<char> text, Token token)
    {
        var buffer = token.Length <= StackLimit ? stackalloc char[token.Length] : new char[token.Length];
        return buffer[..Key(text, token, buffer)].ToString();
    }

    /// <summary>Whether a token's folded text <paramref name="folded"/> of kind <paramref name="kind"/> is a keyword.</summary>
    public bool IsKeyword(ReadOnlySpan<char> folded, TokenKind kind)
    {
        switch (kind)
        {
            case TokenKind.Word:
                if (_stopWords.Contains(folded))
                {
                    return false;
                }

                if (_focusWords.Contains(folded) || _segmenter.UserWords?.Contains(folded) == true)
                {
                    return true;
                }

                if (folded.Length < _minChinese)
                {
                    return false;
                }

                var tag = _segmenter.Dictionary.TagIndexOf(folded);
                return tag < 0 || !_functionTag[tag];
            case TokenKind.Latin:
                return IsLatinKeyword(folded);
            default:
                return false;
        }
    }

    private bool IsLatinKeyword(ReadOnlySpan<char> folded)
    {
        if (folded.Length > StackLimit)
        {
            return false;
        }

        Span<char> key = stackalloc char[folded.Length];
        folded.CopyTo(key);
        var plainLength = LatinKey(key, stem: false);
        var plain = key[..plainLength];
        if (_stopWords.Contains(plain))
        {
            return false;
        }

        if (_focusWords.Contains(plain))
        {
            return true;
        }

        if (plain.Length < _minLatin || !plain.ContainsAnyInRange('a', 'z') && !ContainsLetter(plain))
        {
            return false;
        }

        if (_stem)
        {
            var stem = key[..EnglishTokenizer.Stem(plain, key)];
            if (_stopWords.Contains(stem))
            {
                return false;
            }
        }

        return true;
    }

    private int LatinKey(Span<char> folded) => LatinKey(folded, _stem);

    private static int LatinKey(Span<char> folded, bool stem)
    {
        folded.Replace('’', '\'');
        return stem ? EnglishTokenizer.Stem(folded, folded) : folded.Length;
    }

    private static bool ContainsLetter(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }
}
