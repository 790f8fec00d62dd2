using Kefu.Analytics.Sentiment;

namespace Kefu.Analytics.Tests.Sentiment;

public sealed class LexiconSentimentAnalyzerTests
{
    private readonly LexiconSentimentAnalyzer _analyzer = new();

    [Theory]
    [InlineData("非常满意，谢谢！")]
    [InlineData("问题解决了，服务很好")]
    [InlineData("质量不错，下次还会再来")]
    [InlineData("好评👍")]
    public void Analyze_WhenPraise_IsPositive(string text)
    {
        var sentiment = _analyzer.Analyze(text);

        Assert.Equal(1, sentiment.Label);
        Assert.InRange(sentiment.Score, 0.15f, 1f);
    }

    [Theory]
    [InlineData("太慢了，我要投诉")]
    [InlineData("态度差，差评")]
    [InlineData("等了半天没人理")]
    [InlineData("东西坏了，要退款")]
    public void Analyze_WhenComplaint_IsNegative(string text)
    {
        var sentiment = _analyzer.Analyze(text);

        Assert.Equal(-1, sentiment.Label);
        Assert.InRange(sentiment.Score, -1f, -0.15f);
    }

    [Fact]
    public void Analyze_WhenNegated_FlipsPolarity()
    {
        var satisfied = _analyzer.Analyze("满意");
        var unsatisfied = _analyzer.Analyze("不满意");
        var notGood = _analyzer.Analyze("这个不好用");
        var noProblem = _analyzer.Analyze("没有问题");

        Assert.Equal(1, satisfied.Label);
        Assert.Equal(-1, unsatisfied.Label);
        Assert.True(notGood.Score < 0);
        Assert.True(noProblem.Score > 0);
    }

    [Fact]
    public void Analyze_WhenIntensified_RaisesMagnitude()
    {
        var plain = _analyzer.Analyze("好");
        var strong = _analyzer.Analyze("非常好");
        var slow = _analyzer.Analyze("慢");
        var slightlySlow = _analyzer.Analyze("有点慢");

        Assert.True(strong.Score > plain.Score, $"{strong.Score} should exceed {plain.Score}");
        Assert.True(slightlySlow.Score < 0 && slightlySlow.Score > slow.Score, $"{slightlySlow.Score} should be weaker than {slow.Score}");
    }

    [Theory]
    [InlineData("😊", 1)]
    [InlineData("👍👍", 1)]
    [InlineData(":)", 1)]
    [InlineData("😡", -1)]
    [InlineData("👎", -1)]
    [InlineData(":(", -1)]
    public void Analyze_WhenEmojiOrEmoticon_UsesItsPolarity(string text, int label)
        => Assert.Equal(label, _analyzer.Analyze(text).Label);

    [Fact]
    public void Analyze_WhenContrast_ClauseAfterDecides()
    {
        var negative = _analyzer.Analyze("房间很干净，但是服务太差了");
        var positive = _analyzer.Analyze("虽然有点贵，但是质量很好");

        Assert.Equal(-1, negative.Label);
        Assert.Equal(1, positive.Label);
    }

    [Theory]
    [InlineData("请问订单什么时候发货")]
    [InlineData("我的手机号是13800000000")]
    [InlineData("")]
    [InlineData("   ")]
    public void Analyze_WhenNoEvidence_IsNeutral(string text)
    {
        var sentiment = _analyzer.Analyze(text);

        Assert.Equal(0, sentiment.Label);
        Assert.Equal(0f, sentiment.Score);
    }

    [Fact]
    public void Analyze_WhenQuestionOrHypothetical_Dampens()
    {
        var statement = _analyzer.Analyze("服务很好");
        var hypothetical = _analyzer.Analyze("如果服务很好");

        Assert.True(hypothetical.Score < statement.Score / 2, $"{hypothetical.Score} vs {statement.Score}");
    }

    [Fact]
    public void Analyze_WhenTraditionalOrFullWidth_FoldsFirst()
    {
        Assert.Equal(_analyzer.Analyze("服务态度很差").Score, _analyzer.Analyze("服務態度很差").Score);
        Assert.Equal(1, _analyzer.Analyze("非常滿意").Label);
        Assert.Equal(1, _analyzer.Analyze("ＧＯＯＤ").Label);
    }

    [Fact]
    public void Analyze_WhenLongerThanStackBuffer_StillScores()
    {
        var text = string.Concat(Enumerable.Repeat("等了很久，", 60)) + "太失望了";

        var sentiment = _analyzer.Analyze(text);

        Assert.True(text.Length > FoldedText.StackLimit);
        Assert.Equal(-1, sentiment.Label);
        Assert.InRange(sentiment.Score, -1f, 1f);
    }

    [Fact]
    public void Analyze_WhenThresholdHigh_LabelsWeakEvidenceNeutral()
    {
        var strict = new LexiconSentimentAnalyzer(new SentimentOptions { LexiconNeutralThreshold = 0.9 });

        Assert.Equal(1, _analyzer.Analyze("还行").Label);
        Assert.Equal(0, strict.Analyze("还行").Label);
    }

    [Fact]
    public void Parse_WhenWeightOutOfRange_NamesTheLine()
    {
        var error = Assert.Throws<FormatException>(() => SentimentLexicon.Parse(new StringReader("# header\n好 1\n坏 -7\n"), new StringReader(string.Empty)));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_WhenEntriesOverlap_TakesTheLongest()
    {
        var lexicon = SentimentLexicon.Parse(new StringReader("满意 2\n不满意 -2.5\n"), new StringReader("negate 不 1\n"));

        var index = lexicon.Match("不满意啊", 0, out var length);

        Assert.Equal(3, length);
        Assert.Equal(-2.5f, lexicon[index].Weight);
    }
}
