using System.Buffers;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// Picks the keywords of a text: the segmenter's words that carry content. A Chinese word counts when it has at
/// least two characters, is not a stop word, and its part of speech is not a function word's (pronouns, particles,
/// prepositions, conjunctions, adverbs, numerals, measure words, onomatopoeia, time words). A Latin word counts when
/// it has at least two letters and is not a stop word. The user's words (focus words, discovered new words) always
/// count unless they are stop words. Numbers and symbols never count. Immutable and thread-safe.
/// </summary>
public sealed class KeywordExtractor
{
    private const int StackLimit = 512;

    // jieba's tags of words that carry little content.
    private static readonly string[] FunctionTags = ["c", "p", "u", "uj", "ul", "uz", "uv", "ud", "ug", "r", "rr", "rz", "rg", "d", "df", "dg", "m", "mq", "mg", "q", "y", "e", "o", "x", "f", "t", "tg", "zg", "h", "k"];

    private readonly ChineseSegmenter _segmenter;
    private readonly StopWords _stopWords;
    private readonly bool[] _functionTag;

    /// <summary>An extractor over <paramref name="segmenter"/> that drops <paramref name="stopWords"/>.</summary>
    public KeywordExtractor(ChineseSegmenter segmenter, StopWords stopWords)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(stopWords);
        _segmenter = segmenter;
        _stopWords = stopWords;
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

    /// <summary>
    /// Appends the keyword tokens of <paramref name="text"/> to <paramref name="keywords"/>, in order, with
    /// repeats. <paramref name="scratch"/> receives every token and is cleared first.
    /// </summary>
    public void Extract(ReadOnlySpan<char> text, List<Token> scratch, List<Token> keywords)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(keywords);
        scratch.Clear();
        _segmenter.Tokenize(text, scratch);
        char[]? rented = null;
        var folded = text.Length <= StackLimit ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        TextFold.Fold(text, folded);
        try
        {
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

    /// <summary>The keywords of <paramref name="text"/>, folded, in order, with repeats.</summary>
    public IReadOnlyList<string> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = new List<Token>();
        var keywords = new List<Token>();
        Extract(text, scratch, keywords);
        var result = new string[keywords.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Text(text, keywords[i]);
        }

        return result;
    }

    /// <summary>The folded text of a token of <paramref name="text"/>: the keyword as it is counted.</summary>
    public static string Text(ReadOnlySpan<char> text, Token token)
    {
        var slice = token.Slice(text);
        return string.Create(slice.Length, slice, static (destination, source) => TextFold.Fold(source, destination));
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

                if (_segmenter.UserWords?.Contains(folded) == true)
                {
                    return true;
                }

                if (folded.Length < 2)
                {
                    return false;
                }

                var tag = _segmenter.Dictionary.TagIndexOf(folded);
                return tag < 0 || !_functionTag[tag];
            case TokenKind.Latin:
                return folded.Length >= 2 && !_stopWords.Contains(folded);
            default:
                return false;
        }
    }
}
