using Kefu.Moderation;

namespace Kefu.Core.Tests.Moderation;

/// <summary>The matcher's API: categories, buffers, masking, validation of the normalisation, duplicates, allow-lists.</summary>
public class SensitiveWordMatcherApiTests
{
    [Fact]
    public void FindAll_ReportsEachWordsCategory()
    {
        var matcher = SensitiveWordMatcher.Compile([new SensitiveWord("广告词", "广告"), new SensitiveWord("脏话", "辱骂"), new SensitiveWord("敏感")]);

        var matches = matcher.FindAll("这条广告词里有脏话，很敏感");

        Assert.Equal(
            [new SensitiveWordMatch("广告词", "广告", 2, 3), new SensitiveWordMatch("脏话", "辱骂", 7, 2), new SensitiveWordMatch("敏感", "", 11, 2)],
            matches);
        Assert.Equal(13, matches[2].End);
    }

    [Fact]
    public void FindAll_IntoATooSmallBuffer_FillsItWithTheFirstMatches()
    {
        var matcher = SensitiveWordMatcher.Compile(["a", "ab", "b", "敏感"]);
        const string text = "ab 敏感 b";
        var all = matcher.FindAll(text);
        Assert.Equal(5, all.Count);

        var buffer = new SensitiveWordMatch[3];
        var written = matcher.FindAll(text, buffer);

        Assert.Equal(3, written);
        Assert.Equal(all.Take(3), buffer);
        Assert.Equal(
            [new SensitiveWordMatch("a", "", 0, 1), new SensitiveWordMatch("ab", "", 0, 2), new SensitiveWordMatch("b", "", 1, 1)],
            buffer);
    }

    [Fact]
    public void FindAll_IntoALargeBuffer_ReturnsHowManyWereWritten()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词", "SB"]);
        var buffer = new SensitiveWordMatch[8];

        Assert.Equal(2, matcher.FindAll("ＳＢ和敏感词", buffer));
        Assert.Equal(new SensitiveWordMatch("SB", "", 0, 2), buffer[0]);
        Assert.Equal(new SensitiveWordMatch("敏感词", "", 3, 3), buffer[1]);
        Assert.Equal(default, buffer[2]);
        Assert.Equal(0, matcher.FindAll("ＳＢ和敏感词", Span<SensitiveWordMatch>.Empty));
        Assert.Equal(0, matcher.FindAll("没有", buffer));
    }

    [Fact]
    public void FirstMatch_ReturnsTheEarliestShortestMatch()
    {
        var matcher = SensitiveWordMatcher.Compile(["感词", "敏感词", "敏感"]);

        Assert.True(matcher.FirstMatch("你好 敏感词", out var match));
        Assert.Equal(new SensitiveWordMatch("敏感", "", 3, 2), match);

        Assert.False(matcher.FirstMatch("你好", out var none));
        Assert.Equal(default, none);
    }

    [Fact]
    public void Mask_ReturnsTheSameInstance_WhenNothingMatches()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词"]);
        var text = string.Concat("普通的", "句子");

        Assert.Same(text, matcher.Mask(text));
    }

    [Fact]
    public void Mask_ReplacesEveryCharacterOfOverlappingMatches()
    {
        var matcher = SensitiveWordMatcher.Compile(["abc", "cd", "f"], SensitiveWordNormalization.None);

        Assert.Equal("****e*g", matcher.Mask("abcdefg"));

        var destination = new char[10];
        Assert.Equal(5, matcher.Mask("abcdefg", destination));
        Assert.Equal("****e*g", new string(destination, 0, 7));
    }

    [Fact]
    public void MaskIntoSpan_DoesNotCountCharactersThatWereAlreadyMaskCharacters()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词"]);
        var destination = new char[5];

        Assert.Equal(3, matcher.Mask("敏*感*词", destination));
        Assert.Equal("*****", new string(destination));
    }

    [Fact]
    public void MaskIntoSpan_Throws_WhenTheDestinationIsShorterThanTheText()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词"]);

        var error = Assert.Throws<ArgumentException>(() => matcher.Mask("这是敏感词".AsSpan(), new char[4]));

        Assert.Equal("destination", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(33)]
    public void Compile_RefusesMaxNoiseGapOutsideOneTo32_WhenSkippingNoise(int gap)
    {
        var normalization = SensitiveWordNormalization.Default with { MaxNoiseGap = gap };

        var error = Assert.Throws<KefuValidationException>(() => SensitiveWordMatcher.Compile(["敏感词"], normalization));

        Assert.Equal(nameof(SensitiveWordNormalization.MaxNoiseGap), error.Field);
        Assert.Contains("MaxNoiseGap", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void Compile_AcceptsMaxNoiseGapAtTheBounds(int gap)
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词"], SensitiveWordNormalization.Default with { MaxNoiseGap = gap });

        Assert.True(matcher.ContainsAny("敏" + new string(' ', gap) + "感词"));
        Assert.False(matcher.ContainsAny("敏" + new string(' ', gap + 1) + "感词"));
    }

    [Fact]
    public void Compile_IgnoresMaxNoiseGap_WhenNotSkippingNoise()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词"], SensitiveWordNormalization.None with { MaxNoiseGap = 0 });

        Assert.True(matcher.ContainsAny("敏感词"));
    }

    [Theory]
    [InlineData("#a")]
    [InlineData("5")]
    [InlineData("* 敏")]
    public void Compile_RefusesNoiseCharactersContainingALetterOrDigit(string noise)
    {
        var normalization = SensitiveWordNormalization.Default with { NoiseCharacters = noise };

        var error = Assert.Throws<KefuValidationException>(() => SensitiveWordMatcher.Compile(["敏感词"], normalization));

        Assert.Equal(nameof(SensitiveWordNormalization.NoiseCharacters), error.Field);
    }

    [Fact]
    public void CustomNoiseCharacters_AreTheOnlyOnesSkipped()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感词"], SensitiveWordNormalization.Default with { NoiseCharacters = "#" });

        Assert.Equal([new SensitiveWordMatch("敏感词", "", 0, 5)], matcher.FindAll("敏##感词"));
        Assert.False(matcher.ContainsAny("敏 感词"));
        Assert.False(matcher.ContainsAny("敏*感词"));
    }

    [Fact]
    public void WordsThatNormaliseAlike_KeepTheFirstListedWordAndCategory()
    {
        SensitiveWord[] words = [new("SB", "辱骂"), new("sb", "其他"), new("Ｓ Ｂ", "第三"), new("敏感詞", "政治"), new("敏感词", "别的")];

        var matcher = SensitiveWordMatcher.Compile(words);

        Assert.Equal(2, matcher.WordCount);
        Assert.Equal([new SensitiveWordMatch("SB", "辱骂", 0, 2)], matcher.FindAll("sb"));
        Assert.Equal([new SensitiveWordMatch("敏感詞", "政治", 0, 3)], matcher.FindAll("敏感词"));
        Assert.Equal(5, SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.None).WordCount);
    }

    [Fact]
    public void Folding_AppliesToTheText_WhenNoiseSkippingAndRepeatCollapsingAreOff()
    {
        // Folding on, noise and repeats off: the text is folded like the words (it used to be read raw, so "SB"
        // missed the listed "sb").
        var matcher = SensitiveWordMatcher.Compile(["sb", "敏感词"], SensitiveWordNormalization.Default with { SkipNoise = false, CollapseRepeats = false });

        Assert.Equal([new SensitiveWordMatch("sb", "", 2, 2), new SensitiveWordMatch("敏感词", "", 7, 3)], matcher.FindAll("好的SB，还有敏感詞"));
        Assert.True(matcher.ContainsAny("ＳＢ"));
        Assert.False(matcher.ContainsAny("S B"));
    }

    [Fact]
    public void WordsThatAreEmptyOrOnlyNoise_AreDropped()
    {
        string[] words = ["", "**", " - ", "😀", "敏感"];

        var matcher = SensitiveWordMatcher.Compile(words);

        Assert.Equal(1, matcher.WordCount);
        Assert.False(matcher.ContainsAny("** - 😀"));
        Assert.Equal(4, SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.None).WordCount);
    }

    [Fact]
    public void AllowList_SuppressesMatchesInsideAnAllowedOccurrence_Only()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感"], SensitiveWordNormalization.Default, ["敏感词汇"]);

        Assert.Equal(1, matcher.AllowedWordCount);
        Assert.False(matcher.ContainsAny("敏感词汇"));
        Assert.False(matcher.ContainsAny("敏*感*詞汇"));
        Assert.Same("他的敏感词汇", matcher.Mask("他的敏感词汇"));
        Assert.Equal([new SensitiveWordMatch("敏感", "", 5, 2)], matcher.FindAll("敏感词汇和敏感"));
        Assert.Equal("敏感词汇和**", matcher.Mask("敏感词汇和敏感"));
        Assert.True(matcher.FirstMatch("敏感词汇和敏感", out var first));
        Assert.Equal(5, first.Start);
    }

    [Fact]
    public void AllowList_DoesNotSuppressAMatchThatOnlyOverlapsAnAllowedOccurrence()
    {
        // "感谢" is allowed, but "敏感" starts before it.
        var matcher = SensitiveWordMatcher.Compile(["敏感"], SensitiveWordNormalization.Default, ["感谢"]);

        Assert.Equal([new SensitiveWordMatch("敏感", "", 0, 2)], matcher.FindAll("敏感谢"));
    }

    [Fact]
    public void EmptyAllowList_AllowsNothing()
    {
        var matcher = SensitiveWordMatcher.Compile(["敏感"], SensitiveWordNormalization.Default, []);

        Assert.Equal(0, matcher.AllowedWordCount);
        Assert.True(matcher.ContainsAny("敏感"));
    }

    [Fact]
    public void Compile_KeepsTheNormalisation()
    {
        var normalization = SensitiveWordNormalization.Default with { MaxNoiseGap = 7 };

        Assert.Same(normalization, SensitiveWordMatcher.Compile(["a"], normalization).Normalization);
        Assert.Same(SensitiveWordNormalization.Default, SensitiveWordMatcher.Compile(["a"]).Normalization);
    }

    [Fact]
    public void NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => SensitiveWordMatcher.Compile((IEnumerable<string>)null!));
        Assert.Throws<ArgumentNullException>(() => SensitiveWordMatcher.Compile((IEnumerable<SensitiveWord>)null!));
        Assert.Throws<ArgumentNullException>(() => SensitiveWordMatcher.Compile(["a"]).Mask(null!));
    }
}
