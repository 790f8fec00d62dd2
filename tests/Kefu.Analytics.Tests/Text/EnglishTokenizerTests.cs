using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

public sealed class EnglishTokenizerTests
{
    [Fact]
    public void Tokenize_English_KeepsApostrophesNumbersAndSymbols()
    {
        const string text = "I don't like the customer’s new order #123: 3.5 stars, $1,299 café 😡!";
        var tokens = new List<Token>();

        EnglishTokenizer.Instance.Tokenize(text, tokens);

        Assert.Equal(["I", "don't", "like", "the", "customer’s", "new", "order", "123", "3.5", "stars", "1,299", "café", "😡"], tokens.Select(t => t.Slice(text).ToString()));
        Assert.Equal(TokenKind.Number, tokens[7].Kind);
        Assert.Equal(TokenKind.Latin, tokens[1].Kind);
        Assert.Equal(TokenKind.Symbol, tokens[^1].Kind);
    }

    [Fact]
    public void Tokenize_TrailingApostrophe_IsNotPartOfTheWord() =>
        Assert.Equal("users/rock/n/roll", DictionaryFixture.Join(EnglishTokenizer.Instance, "users' rock 'n' roll"));

    [Theory]
    [InlineData("refunds", "refund")]
    [InlineData("refunded", "refund")]
    [InlineData("refunding", "refund")]
    [InlineData("batteries", "battery")]
    [InlineData("boxes", "box")]
    [InlineData("watches", "watch")]
    [InlineData("shipping", "ship")]
    [InlineData("shipped", "ship")]
    [InlineData("customer's", "customer")]
    [InlineData("glass", "glass")]
    [InlineData("status", "status")]
    [InlineData("this", "this")]
    [InlineData("bus", "bus")]
    [InlineData("sing", "sing")]
    [InlineData("red", "red")]
    [InlineData("tried", "try")]
    [InlineData("calling", "call")]
    public void Stem_LightSuffixes(string word, string stem) => Assert.Equal(stem, EnglishTokenizer.Stem(word));
}
