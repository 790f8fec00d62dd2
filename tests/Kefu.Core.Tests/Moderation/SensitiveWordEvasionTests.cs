using Kefu.Moderation;

namespace Kefu.Core.Tests.Moderation;

/// <summary>The common ways of disguising a listed word, and ordinary text that must not be flagged.</summary>
public class SensitiveWordEvasionTests
{
    private static readonly SensitiveWordMatcher Default = SensitiveWordMatcher.Compile(["敏感词", "SB"], SensitiveWordNormalization.Default);

    private static readonly SensitiveWordMatcher Exact = SensitiveWordMatcher.Compile(["敏感词", "SB"], SensitiveWordNormalization.None);

    [Theory]
    [InlineData("你好敏*感*词啊", "敏感词", 2, 5)] // noise between the characters
    [InlineData("敏 感 词", "敏感词", 0, 5)] // spaces
    [InlineData("敏\u3000感词", "敏感词", 0, 4)] // ideographic space
    [InlineData("看敏😀感😀词", "敏感词", 1, 7)] // emoji: two noise surrogates each
    [InlineData("敏    感词", "敏感词", 0, 7)] // exactly MaxNoiseGap (4) in a row
    [InlineData("ＳＢ", "SB", 0, 2)] // full width
    [InlineData("sb", "SB", 0, 2)] // lower case
    [InlineData("你是s.b吗", "SB", 2, 3)]
    [InlineData("敏感詞", "敏感词", 0, 3)] // traditional
    [InlineData("《敏.感.詞》", "敏感词", 1, 5)] // traditional and noise together
    public void Default_FindsDisguisedWord_AtItsOriginalSpan(string text, string word, int start, int length)
    {
        var match = Assert.Single(Default.FindAll(text));

        Assert.Equal(new SensitiveWordMatch(word, "", start, length), match);
        Assert.True(Default.ContainsAny(text));
    }

    [Fact]
    public void Default_FindsRepeatedCharacters_FromEachStart()
    {
        // 敏敏感感词: from index 0 the second 敏 and 感 collapse as repeats; from index 1 only 感 does.
        var matches = Default.FindAll("敏敏感感词");

        Assert.Equal([new SensitiveWordMatch("敏感词", "", 0, 5), new SensitiveWordMatch("敏感词", "", 1, 4)], matches);
    }

    [Fact]
    public void Default_MasksDisguisedWords_IncludingTheNoiseInsideThem()
    {
        Assert.Equal("你好*****啊，你是***吗", Default.Mask("你好敏*感*词啊，你是Ｓ-Ｂ吗"));
    }

    [Theory]
    [InlineData("这个词很敏感")]
    [InlineData("感谢您的耐心")]
    [InlineData("敏捷开发")]
    [InlineData("词语敏锐感觉")]
    [InlineData("S is for B")]
    [InlineData("")]
    public void Default_DoesNotFlag_OrdinarySentencesSharingCharacters(string text)
    {
        Assert.Empty(Default.FindAll(text));
        Assert.False(Default.ContainsAny(text));
        Assert.Same(text, Default.Mask(text));
    }

    [Theory]
    [InlineData("敏     感词")] // five spaces: one more than the default MaxNoiseGap of 4
    [InlineData("敏感😀😀😀词")] // three emoji are six noise characters
    public void Default_DoesNotBridge_AGapLongerThanMaxNoiseGap(string text)
    {
        Assert.False(Default.ContainsAny(text));
    }

    [Fact]
    public void MaxNoiseGap_BoundsTheGapBetweenEachPairOfCharacters_NotTheWholeWord()
    {
        // Four spaces between each pair: eight noise characters inside the occurrence, but never more than four in a row.
        var match = Assert.Single(Default.FindAll("敏    感    词"));

        Assert.Equal(new SensitiveWordMatch("敏感词", "", 0, 11), match);
    }

    [Theory]
    [InlineData("敏*感*词")]
    [InlineData("敏 感 词")]
    [InlineData("ＳＢ")]
    [InlineData("sb")]
    [InlineData("敏感詞")]
    [InlineData("敏敏感感词")]
    public void None_DoesNotFind_DisguisedWords(string text)
    {
        Assert.False(Exact.ContainsAny(text));
        Assert.Empty(Exact.FindAll(text));
    }

    [Theory]
    [InlineData("敏感词", "敏感词", 0)]
    [InlineData("这是敏感词", "敏感词", 2)]
    [InlineData("骂人SB", "SB", 2)]
    public void None_FindsExactWords(string text, string word, int start)
    {
        var match = Assert.Single(Exact.FindAll(text));

        Assert.Equal(new SensitiveWordMatch(word, "", start, word.Length), match);
    }

    [Theory]
    [InlineData("哈")]
    [InlineData("哈啊")]
    [InlineData("啊哈，好")]
    public void WordThatRepeatsACharacter_IsNotMatchedByASingleOccurrence(string text)
    {
        var matcher = SensitiveWordMatcher.Compile(["哈哈"], SensitiveWordNormalization.Default);

        Assert.False(matcher.ContainsAny(text));
    }

    [Fact]
    public void WordThatRepeatsACharacter_IsMatchedByTheRepeat()
    {
        var matcher = SensitiveWordMatcher.Compile(["哈哈"], SensitiveWordNormalization.Default);

        Assert.Equal([new SensitiveWordMatch("哈哈", "", 0, 2)], matcher.FindAll("哈哈"));
        Assert.Equal([new SensitiveWordMatch("哈哈", "", 0, 3)], matcher.FindAll("哈 哈"));
        Assert.Equal([new SensitiveWordMatch("哈哈", "", 0, 2), new SensitiveWordMatch("哈哈", "", 1, 2)], matcher.FindAll("哈哈哈"));
    }

    [Fact]
    public void NoiseInsideAListedWord_IsIgnored()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏-感 词"], SensitiveWordNormalization.Default);

        Assert.Equal([new SensitiveWordMatch("敏-感 词", "", 1, 3)], matcher.FindAll("是敏感词"));
    }

    [Fact]
    public void TraditionalListedWord_MatchesSimplifiedText()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感詞"], SensitiveWordNormalization.Default);

        Assert.Equal([new SensitiveWordMatch("敏感詞", "", 0, 3)], matcher.FindAll("敏感词"));
    }
}
