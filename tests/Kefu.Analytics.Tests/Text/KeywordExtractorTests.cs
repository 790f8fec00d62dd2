using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

[Collection(DictionaryCollection.Name)]
public sealed class KeywordExtractorTests(DictionaryFixture fixture)
{
    [Fact]
    public void Extract_Chinese_DropsStopWordsFunctionWordsAndSingleCharacters()
    {
        var extractor = new KeywordExtractor(fixture.Segmenter, StopWords.Default);

        // 太慢 is a word of the dictionary (an adjective); 慢 alone would be too short.
        Assert.Equal(["订单", "发货", "快递", "太慢"], extractor.Extract("请问我的订单什么时候发货？快递太慢了"));
        Assert.Equal(["快递"], extractor.Extract("快递慢"));
    }

    [Fact]
    public void Extract_TraditionalFullWidthAndUpperCase_CountsTheFoldedForm()
    {
        var extractor = new KeywordExtractor(fixture.Segmenter, StopWords.Default);

        Assert.Equal(["退款", "iphone12"], extractor.Extract("退款ＩＰＨＯＮＥ１２"));
        Assert.Equal(["退款", "帐户"], extractor.Extract("退款的帳戶"));
    }

    [Fact]
    public void Extract_English_DropsStopWordsContractionsNumbersAndShortWords()
    {
        var extractor = new KeywordExtractor(fixture.Segmenter, StopWords.Default);

        Assert.Equal(["refund", "arrived", "days", "charger", "broken"], extractor.Extract("Hi, I don't have my refund yet! It's arrived 3 days ago, the charger is broken x"));
    }

    [Fact]
    public void Extract_StemEnglish_CountsInflectionsAsOneKeyword()
    {
        var extractor = new KeywordExtractor(fixture.Segmenter, StopWords.Default, [], new KeywordOptions { StemEnglish = true });

        Assert.Equal(["refund", "refund", "refund", "battery", "battery"], extractor.Extract("refunds refunded refunding battery batteries"));
        Assert.True(extractor.StemsEnglish);
    }

    [Fact]
    public void Extract_Spans_AppendsTokensAndKeysAreAllocationFreeLookups()
    {
        var extractor = new KeywordExtractor(fixture.Segmenter, StopWords.Default);
        const string text = "快递快递，物流";
        var scratch = new List<Token> { new(0, 1, TokenKind.Word) };
        var keywords = new List<Token>();

        extractor.Extract(text, scratch, keywords);

        Assert.Equal(3, scratch.Count);
        Assert.Equal(["快递", "快递", "物流"], keywords.Select(k => KeywordExtractor.Text(text, k)));
        var counts = new Dictionary<string, int> { ["快递"] = 0, ["物流"] = 0 };
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[16];
        foreach (var k in keywords)
        {
            var key = buffer[..extractor.Key(text, k, buffer)];
            lookup[key] = lookup[key] + 1;
        }

        Assert.Equal(2, counts["快递"]);
        Assert.Equal(1, counts["物流"]);
    }

    [Fact]
    public void Extract_CustomStopWords_NeverKeywords()
    {
        var extractor = new KeywordExtractor(fixture.Segmenter, StopWords.Default.With(["快递"]));

        Assert.Equal(["物流"], extractor.Extract("快递物流"));
    }

    [Fact]
    public void Options_OutOfRange_ThrowNamingTheField()
    {
        var error = Assert.Throws<KefuValidationException>(() => new KeywordExtractor(fixture.Segmenter, StopWords.Default, [], new KeywordOptions { MinLatinLength = 0 }));

        Assert.Equal(nameof(KeywordOptions.MinLatinLength), error.Field);
        Assert.Equal("1–20", error.Allowed);
    }
}

public sealed class StopWordsTests
{
    [Fact]
    public void Default_HasChineseAndEnglishFunctionWords()
    {
        Assert.True(StopWords.Default.Contains("的"));
        Assert.True(StopWords.Default.Contains("the"));
        Assert.True(StopWords.Default.Contains("don't"));
        Assert.False(StopWords.Default.Contains("退款"));
    }

    [Fact]
    public void CreateWithWithout_FoldAndCopy()
    {
        var words = StopWords.Create([" ＡＢＣ ", "", "帳戶"]);
        var more = words.With(["退款"]);
        var fewer = more.Without(["帳戶"]);

        Assert.True(words.Contains("abc"));
        Assert.True(words.Contains("帐户"));
        Assert.Equal(2, words.Count);
        Assert.False(words.Contains("退款"));
        Assert.True(more.Contains("退款"));
        Assert.False(fewer.Contains("帐户"));
        Assert.True(fewer.Contains("abc"));
    }
}
