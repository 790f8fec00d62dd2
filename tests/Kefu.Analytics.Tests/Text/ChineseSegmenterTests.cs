using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

[Collection(DictionaryCollection.Name)]
public sealed class ChineseSegmenterTests(DictionaryFixture fixture)
{
    private readonly ChineseSegmenter _segmenter = fixture.Segmenter;

    [Theory]
    [InlineData("我来到北京清华大学", "我/来到/北京/清华大学")]
    [InlineData("他来到了网易杭研大厦", "他/来到/了/网易/杭/研/大厦")]
    [InlineData("小明硕士毕业于中国科学院计算所", "小/明/硕士/毕业/于/中国科学院/计算所")]
    [InlineData("我的订单什么时候发货？", "我/的/订单/什么/时候/发货")]
    public void Tokenize_KnownSentences_SegmentsAsJiebaWithoutHmm(string text, string expected) =>
        Assert.Equal(expected, DictionaryFixture.Join(_segmenter, text));

    [Fact]
    public void WithUserWords_WithoutFrequency_KeepsTheWordWhole() =>
        Assert.Equal("他/来到/了/网易/杭研/大厦", DictionaryFixture.Join(_segmenter.WithUserWords([new DictionaryWord("杭研", 0, "")]), "他来到了网易杭研大厦"));

    [Fact]
    public void WithUserWords_WithFrequency_CountsOnTheDictionaryScale()
    {
        // Even one occurrence beats 网易 + 杭 + 研 (three words, two of them rare); a common 易杭 takes 易 from 网易.
        var rare = _segmenter.WithUserWords([new DictionaryWord("网易杭研", 1, "nz")]);
        var common = _segmenter.WithUserWords([new DictionaryWord("易杭", 1_000_000, "nz")]);

        Assert.Equal("他/来到/了/网易杭研/大厦", DictionaryFixture.Join(rare, "他来到了网易杭研大厦"));
        Assert.Equal("他/来到/了/网/易杭/研/大厦", DictionaryFixture.Join(common, "他来到了网易杭研大厦"));
        Assert.True(rare.UserWords!.Contains("网易杭研"));
        Assert.Equal("nz", rare.UserWords.PartOfSpeech("网易杭研"));
    }

    [Fact]
    public void WithUserWords_NegativeFrequency_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _segmenter.WithUserWords([new DictionaryWord("杭研", -1, "")]));

    [Fact]
    public void Tokenize_TraditionalAndFullWidth_SegmentsLikeTheSimplifiedForm()
    {
        Assert.Equal("我/愛/北京/天安門", DictionaryFixture.Join(_segmenter, "我愛北京天安門"));
        Assert.Equal("ＡＢＣ/全角/１２３", DictionaryFixture.Join(_segmenter, "ＡＢＣ全角１２３"));
        var tokens = new List<Token>();
        _segmenter.Tokenize("ＡＢＣ全角１２３", tokens);
        Assert.Equal([TokenKind.Latin, TokenKind.Word, TokenKind.Number], tokens.Select(t => t.Kind));
    }

    [Fact]
    public void Tokenize_MixedLatinAndDigits_KeepsRunsAndDictionaryWordsWhole()
    {
        Assert.Equal("我/用/iPhone12/做/了/B超", DictionaryFixture.Join(_segmenter, "我用iPhone12做了B超"));
        Assert.Equal("买/了/T恤/和/X11/充电器", DictionaryFixture.Join(_segmenter, "买了T恤和X11充电器"));
    }

    [Fact]
    public void Tokenize_WordsWithJoiners_KeepsDictionaryWordsAndNumbersWhole()
    {
        Assert.Equal("AT&T/和/c++/还有/C#/don't/3.5/寸/1,299/元/50", DictionaryFixture.Join(_segmenter, "AT&T和c++还有C#，don't 3.5寸 1,299元 50%"));
        // A joiner no word takes in is dropped like punctuation.
        Assert.Equal("a/b/价格", DictionaryFixture.Join(_segmenter, "a & b -价格-"));
    }

    [Fact]
    public void Tokenize_Emoji_BecomeSymbolsWithTheirModifiers()
    {
        var text = "太好了😀👍🏻❤👨‍👩‍👧";
        var tokens = new List<Token>();
        _segmenter.Tokenize(text, tokens);

        Assert.Equal(["太好了", "😀", "👍🏻", "❤", "👨‍👩‍👧"], tokens.Select(t => text.Substring(t.Start, t.Length)));
        Assert.Equal([TokenKind.Word, TokenKind.Symbol, TokenKind.Symbol, TokenKind.Symbol, TokenKind.Symbol], tokens.Select(t => t.Kind));
    }

    [Fact]
    public void Tokenize_LongText_CoversEveryWordCharacterOnce()
    {
        var text = string.Concat(Enumerable.Repeat("请问这款小米手机的电池续航怎么样，iPhone15呢？", 40));
        var tokens = new List<Token>();
        _segmenter.Tokenize(text, tokens);

        Assert.True(text.Length > 512);
        var covered = tokens.Sum(t => t.Length);
        Assert.Equal(text.Count(c => c is not ('，' or '？')), covered);
        Assert.All(tokens.Zip(tokens.Skip(1)), p => Assert.True(p.First.Start + p.First.Length <= p.Second.Start));
    }

    [Fact]
    public void Tokenize_EmptyText_AddsNothing()
    {
        var tokens = new List<Token>();
        _segmenter.Tokenize("", tokens);
        _segmenter.Tokenize("，。！ ", tokens);
        Assert.Empty(tokens);
    }
}
