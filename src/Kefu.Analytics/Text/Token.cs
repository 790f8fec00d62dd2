namespace Kefu.Analytics.Text;

/// <summary>What a token is.</summary>
public enum TokenKind
{
    /// <summary>A Chinese word (one or more CJK characters).</summary>
    Word,
    /// <summary>A word in Latin letters (English, pinyin, product codes), lower-cased in <see cref="Token"/> text.</summary>
    Latin,
    /// <summary>Digits, with decimal points or separators inside.</summary>
    Number,
    /// <summary>An emoji or a symbol that can carry sentiment.</summary>
    Symbol,
}

/// <summary>A token: a slice of the text it came from.</summary>
/// <param name="Start">Offset of the first character in the text.</param>
/// <param name="Length">Number of characters.</param>
/// <param name="Kind">What the token is.</param>
public readonly record struct Token(int Start, int Length, TokenKind Kind)
{
    /// <summary>The token's characters in <paramref name="text"/>.</summary>
    public ReadOnlySpan<char> Slice(ReadOnlySpan<char> text) => text.Slice(Start, Length);
}

/// <summary>Splits text into tokens. Implementations are thread-safe and allocate nothing but the list's growth.</summary>
public interface ITokenizer
{
    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>, in order; punctuation and spaces are dropped.</summary>
    void Tokenize(ReadOnlySpan<char> text, List<Token> tokens);
}
