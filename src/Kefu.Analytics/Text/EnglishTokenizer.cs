namespace Kefu.Analytics.Text;

/// <summary>
/// Splits English (and other alphabetic) text into words: runs of letters and digits, with an apostrophe (<c>'</c> or
/// <c>’</c>) kept between letters (<c>don't</c>, <c>customer's</c>) and a decimal point or thousands separator kept
/// between digits (<c>3.5</c>, <c>1,299</c>). A run with a letter is <see cref="TokenKind.Latin"/>, else
/// <see cref="TokenKind.Number"/>; emoji and sentiment symbols are <see cref="TokenKind.Symbol"/>; everything else is
/// dropped. Tokens are slices of the text: case is folded where they are compared (<see cref="KeywordExtractor.Text"/>).
/// </summary>
/// <remarks>
/// Needs no dictionary. Chinese text belongs to <see cref="ChineseSegmenter"/>, which cuts the Latin runs inside it
/// the same way (ASCII letters only); this tokenizer also takes accented and other Unicode letters (<c>café</c>).
/// Immutable and thread-safe; allocates nothing but the list's growth.
/// </remarks>
public sealed class EnglishTokenizer : ITokenizer
{
    /// <summary>The tokenizer (it has no settings).</summary>
    public static EnglishTokenizer Instance { get; } = new();

    /// <inheritdoc />
    public void Tokenize(ReadOnlySpan<char> text, List<Token> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                var hasLetter = false;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (char.IsLetterOrDigit(d))
                    {
                        hasLetter |= char.IsLetter(d);
                        i++;
                    }
                    else if (i + 1 < text.Length && i > start && IsInnerJoiner(text[i - 1], d, text[i + 1]))
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                tokens.Add(new Token(start, i - start, hasLetter ? TokenKind.Latin : TokenKind.Number));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var length = ChineseSegmenter.SymbolLength(text, i);
                tokens.Add(new Token(i, length, TokenKind.Symbol));
                i += length;
            }
            else if (ChineseSegmenter.IsSymbol(c))
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

    /// <summary>
    /// Light stemming of a lower-case English word, for keyword identity only: <c>refunds</c>, <c>refunding</c> and
    /// <c>refunded</c> all count as <c>refund</c>. Removes a possessive <c>'s</c>; turns <c>-ies</c>/<c>-ied</c> into
    /// <c>-y</c> (<c>batteries</c> → <c>battery</c>); removes <c>-es</c> after <c>s</c>, <c>x</c>, <c>z</c>,
    /// <c>ch</c>, <c>sh</c> (<c>boxes</c> → <c>box</c>) and a plural <c>-s</c> (not after <c>s</c>, <c>u</c>,
    /// <c>i</c>: <c>glass</c>, <c>status</c>, <c>this</c> stay); removes <c>-ing</c> and <c>-ed</c> when at least three
    /// letters with a vowel remain, undoubling a final double consonant (<c>shipping</c>, <c>shipped</c> → <c>ship</c>).
    /// Words under four letters are left alone. It is not a full stemmer: <c>charged</c> becomes <c>charg</c> while
    /// <c>charge</c> stays.
    /// </summary>
    /// <param name="word">The word, lower case.</param>
    /// <param name="destination">Receives the stem; at least as long as <paramref name="word"/>.</param>
    /// <returns>The length of the stem.</returns>
    public static int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            throw new ArgumentException("The destination is shorter than the word.", nameof(destination));
        }

        word.CopyTo(destination);
        var w = destination[..word.Length];
        var n = w.Length;
        if (n >= 3 && w[n - 2] is '\'' or '’' && w[n - 1] == 's')
        {
            n -= 2;
        }
        else if (n >= 2 && w[n - 1] is '\'' or '’')
        {
            n--;
        }

        if (n < 4)
        {
            return n;
        }

        if (EndsWith(w, n, "ies") || EndsWith(w, n, "ied"))
        {
            if (n > 4)
            {
                w[n - 3] = 'y';
                return n - 2;
            }

            return n - 1;
        }

        if (EndsWith(w, n, "sses") || EndsWith(w, n, "xes") || EndsWith(w, n, "zes") || EndsWith(w, n, "ches") || EndsWith(w, n, "shes"))
        {
            return n - 2;
        }

        if (w[n - 1] == 's' && w[n - 2] is not ('s' or 'u' or 'i' or '\''))
        {
            return n - 1;
        }

        var suffix = EndsWith(w, n, "ing") ? 3 : EndsWith(w, n, "ed") ? 2 : 0;
        if (suffix > 0 && n - suffix >= 3 && HasVowel(w[..(n - suffix)]))
        {
            n -= suffix;
            if (w[n - 1] == w[n - 2] && w[n - 1] is not ('l' or 's' or 'z') && !IsVowel(w[n - 1]))
            {
                n--;
            }
        }

        return n;
    }

    /// <summary>The stem of a lower-case word, as a string; see <see cref="Stem(ReadOnlySpan{char}, Span{char})"/>.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var buffer = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        return buffer[..Stem(word, buffer)].ToString();
    }

    private static bool IsInnerJoiner(char before, char c, char after) =>
        (c is '\'' or '’' && char.IsLetter(before) && char.IsLetter(after))
        || (c is '.' or ',' && char.IsDigit(before) && char.IsDigit(after));

    private static bool EndsWith(ReadOnlySpan<char> w, int n, string suffix) => w[..n].EndsWith(suffix, StringComparison.Ordinal);

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static bool HasVowel(ReadOnlySpan<char> w)
    {
        foreach (var c in w)
        {
            if (IsVowel(c))
            {
                return true;
            }
        }

        return false;
    }
}
