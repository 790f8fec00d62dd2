using Kefu.Bots.Evaluation;

namespace Kefu.Bots.Tests.Evaluation;

public class LabelledTextFileTests
{
    [Fact]
    public void Read_WithColumnsInAnyOrderAndQuotes_ReadsEveryRow()
    {
        var csv = "\uFEFFid,Category,text\r\n1,refund,\"I want a refund, please\"\r\n\r\n2,delivery,\"where is my \"\"parcel\"\"\"\r\n";

        var rows = LabelledTextFile.Read(new StringReader(csv));

        Assert.Equal([new LabelledText("I want a refund, please", "refund"), new LabelledText("where is my \"parcel\"", "delivery")], rows);
    }

    [Fact]
    public void Read_WhenCategoryColumnIsMissing_NamesTheSourceAndHeaderLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => LabelledTextFile.Read(new StringReader("text,label\nhello,greeting\n"), "intents.csv"));

        Assert.StartsWith("intents.csv, line 1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'category'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenARowHasAnExtraField_NamesItsLine()
    {
        // Line 2 is a row, line 3 empty, lines 4–5 one row with a line break inside quotes, line 6 the bad row.
        var csv = "text,category\nhello,greeting\n\n\"two\nlines\",greeting\nrefund, please,refund\n";

        var error = Assert.Throws<InvalidDataException>(() => LabelledTextFile.Read(new StringReader(csv), "intents.csv"));

        Assert.StartsWith("intents.csv, line 6:", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTheCategoryIsEmpty_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => LabelledTextFile.Read(new StringReader("text,category\nhello,greeting\nbye,"), "intents.csv"));

        Assert.Equal("intents.csv, line 3: the category is empty.", error.Message);
    }

    [Fact]
    public void Read_WhenTheInputIsEmpty_SaysAHeaderIsNeeded()
    {
        var error = Assert.Throws<InvalidDataException>(() => LabelledTextFile.Read(new StringReader(""), "intents.csv"));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FromAPath_NamesTheFileInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kefu-labelled-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "text\nhello\n");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => LabelledTextFile.Read(path));

            Assert.StartsWith($"{path}, line 1:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadPairs_ReadsLabelsAsBooleans()
    {
        var pairs = QuestionPairFile.Read(new StringReader("label,text1,text2\n1,a b,b a\n0,a,c\n"));

        Assert.Equal([new QuestionPair("a b", "b a", IsMatch: true), new QuestionPair("a", "c", IsMatch: false)], pairs);
    }

    [Fact]
    public void ReadPairs_WhenALabelIsNotZeroOrOne_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => QuestionPairFile.Read(new StringReader("text1,text2,label\na,b,1\na,c,yes\n"), "pairs.csv"));

        Assert.Equal("pairs.csv, line 3: the label must be 0 or 1, not 'yes'.", error.Message);
    }
}
