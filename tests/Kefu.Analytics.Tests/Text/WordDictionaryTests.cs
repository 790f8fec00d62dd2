using System.Text;
using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

[Collection(DictionaryCollection.Name)]
public sealed class WordDictionaryTests(DictionaryFixture fixture)
{
    private static MemoryStream Utf8(string text, bool bom = false) =>
        new([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]);

    [Fact]
    public void LoadDefault_HasJiebasWords()
    {
        var dictionary = fixture.Dictionary;

        Assert.Equal(347_541, dictionary.Count);
        Assert.True(dictionary.Contains("清华大学"));
        Assert.True(dictionary.Contains("AT&T"));
        Assert.True(dictionary.Contains("c++"));
        Assert.Equal("ns", dictionary.PartOfSpeech("北京"));
        Assert.False(dictionary.Contains("杭研"));
        Assert.Null(dictionary.PartOfSpeech("杭研"));
    }

    [Fact]
    public void Load_JiebaFormat_ReadsFrequencyTagBomAndBlankLines()
    {
        var dictionary = WordDictionary.Load(Utf8("云计算 5 n\r\n\r\n  韩玉赏鉴 3\n蓝翔 nz\nＡＢＣ\n云计算 15 vn\n", bom: true));

        Assert.Equal(4, dictionary.Count);
        Assert.Equal(5 + 3 + 1 + 1 + 15 - 5, dictionary.TotalFrequency);
        Assert.Equal("vn", dictionary.PartOfSpeech("云计算"));
        Assert.Equal(Math.Log(15.0 / 20), dictionary.LogProbability("云计算")!.Value, 5);
        Assert.Equal("nz", dictionary.PartOfSpeech("蓝翔"));
        Assert.True(dictionary.Contains("abc"));
        Assert.True(dictionary.Contains("韩玉賞鑒"));
    }

    [Theory]
    [InlineData("好 1\n坏 x1 n\n", "Line 2", "x1")]
    [InlineData("好 1\n\n坏 0\n", "Line 3", "'0'")]
    [InlineData("好 1 a b\n", "Line 1", "more than three fields")]
    [InlineData("好 1\n坏 1 n1\n", "Line 2", "'n1'")]
    [InlineData("好 99999999999999999999\n", "Line 1", "99999999999999999999")]
    public void Load_BadLine_ThrowsNamingTheLine(string text, string line, string detail)
    {
        var error = Assert.Throws<FormatException>(() => WordDictionary.Load(Utf8(text)));

        Assert.StartsWith(line + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FrequencyBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WordDictionary.Create([new DictionaryWord("词", 0, "")]));

    [Fact]
    public void Create_LaterDuplicateReplacesEarlier()
    {
        var dictionary = WordDictionary.Create([new("词语", 1, "n"), new("詞語", 3, "v"), new("词", 1, "")]);

        Assert.Equal(2, dictionary.Count);
        Assert.Equal("v", dictionary.PartOfSpeech("词语"));
        Assert.Equal(Math.Log(3.0 / 4), dictionary.LogProbability("词语")!.Value, 5);
    }
}
