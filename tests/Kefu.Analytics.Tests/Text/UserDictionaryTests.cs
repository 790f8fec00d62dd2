using System.Text;
using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

public sealed class UserDictionaryTests
{
    [Fact]
    public void Read_JiebaUserDictionary_ReadsWordsFrequenciesAndTags()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("杭研\n\n云计算 5\n创新办 3 i\n凱特琳 nz\r\n  \nc++ 10 nz\n")).ToArray();

        var words = UserDictionary.Read(new MemoryStream(bytes));

        Assert.Equal(
            [new("杭研", 0, ""), new("云计算", 5, ""), new("创新办", 3, "i"), new("凱特琳", 0, "nz"), new DictionaryWord("c++", 10, "nz")],
            words);
    }

    [Theory]
    [InlineData("杭研\n云计算 5x\n", "Line 2", "5x")]
    [InlineData("杭研\n云计算 -5\n", "Line 2", "-5")]
    [InlineData("杭研 1 n extra\n", "Line 1", "more than three fields")]
    [InlineData("杭研\n\n小米·粒\n", "Line 3", "'·'")]
    [InlineData("杭研\n云计算 5 n2\n", "Line 2", "'n2'")]
    public void Parse_BadLine_ThrowsNamingTheLine(string text, string line, string detail)
    {
        var error = Assert.Throws<FormatException>(() => UserDictionary.Parse(text));

        Assert.StartsWith(line + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Empty_HasNoWords() => Assert.Empty(UserDictionary.Parse("\n \n"));
}
