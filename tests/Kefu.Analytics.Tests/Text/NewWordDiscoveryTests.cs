using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

[Collection(DictionaryCollection.Name)]
public sealed class NewWordDiscoveryTests(DictionaryFixture fixture)
{
    private static readonly string[] Before = ["我买的", "请问", "这个", "昨天收到", "朋友推荐的", "你们家", "刚下单了", "退货", "客服说", "想问下", "之前那个", "给老婆买", "收到了", "店里", "看中了", "关于", "对比了一下", "第二次买", "觉得", "好评，"];
    private static readonly string[] After = ["坏了", "怎么充电", "多少钱", "还有货吗", "真好用", "发货了吗", "能退吗", "颜色不对", "，谢谢", "。", "有保修吗", "太重了", "很满意", "包装破了", "和描述一致", "到底行不行", "是正品吗", "用了三天", "！", "送人不错"];

    private static readonly string[] Common = ["订单", "发货", "快递", "退款", "客服", "价格", "质量", "包装", "颜色", "尺寸", "物流", "售后", "保修", "型号", "电池", "屏幕", "手机", "衣服", "鞋子", "优惠", "活动", "优惠券", "积分", "会员", "地址", "电话", "时间", "申请", "取消", "修改", "确认", "支付", "付款", "发票", "换货", "退货", "收货", "签收", "评价", "商品", "店铺", "链接", "库存", "预售", "尺码", "面料", "赠品", "运费", "包邮", "售价"];

    /// <summary>
    /// Customer messages: one in four has an invented product, a piece of slang or a common phrase of dictionary words
    /// between varied contexts; the others string common words together.
    /// </summary>
    private static List<string> Messages(int count, int seed)
    {
        var random = new Random(seed);
        string[] subjects = ["小米粒充电宝", "绝绝子", "yyds", "质量不错", "物流很快", "售后服务", "充电器", "耳机"];
        var messages = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var middle = i % 4 == 0
                ? Before[random.Next(Before.Length)] + subjects[random.Next(subjects.Length)]
                : string.Concat(Enumerable.Range(0, random.Next(3, 7)).Select(_ => Common[random.Next(Common.Length)]));
            messages.Add(middle + After[random.Next(After.Length)]);
        }

        return messages;
    }

    [Fact]
    public void Discover_FindsInventedWordsAndSlang_NotPhrasesOfDictionaryWords()
    {
        var discovery = new NewWordDiscovery(fixture.Dictionary);

        var found = discovery.Discover(Messages(12_000, seed: 7));
        var words = found.Select(c => c.Word).ToList();

        Assert.Contains("小米粒充电宝", words);
        Assert.Contains("绝绝子", words);
        Assert.Contains("yyds", words);
        Assert.DoesNotContain("质量不错", words);
        Assert.DoesNotContain("物流很快", words);
        Assert.DoesNotContain("售后服务", words);
        // Fragments of the new word are always next to the same character, so their boundary entropy is nil.
        Assert.DoesNotContain("小米粒充电", words);
        Assert.DoesNotContain("米粒充电宝", words);
        Assert.DoesNotContain("yyd", words);
        Assert.All(found, c => Assert.False(fixture.Dictionary.Contains(c.Word), c.Word));
        Assert.All(found, c => Assert.True(c.Frequency >= 5 && c.Cohesion >= 4 && c.Entropy >= 1.5, c.ToString()));
        Assert.Equal(found.OrderByDescending(c => c.Score).Select(c => c.Word), words);
    }

    [Fact]
    public void Discover_ReportsFrequencyAndEntropyOfTheWord()
    {
        var messages = Messages(12_000, seed: 11);
        var expected = messages.Sum(m => CountOf(m, "绝绝子"));

        var found = new NewWordDiscovery(fixture.Dictionary).Discover(messages).Single(c => c.Word == "绝绝子");

        Assert.Equal(expected, found.Frequency);
        // Before it, one of the contexts; after it, one of the contexts or the end of a sentence, which counts as a new neighbour each time.
        Assert.InRange(found.LeftEntropy, 2.0, Math.Log(Before.Length) + 1e-9);
        Assert.InRange(found.RightEntropy, Math.Log(After.Length), Math.Log(found.Frequency));
    }

    [Fact]
    public void Discover_KnownUserWordsAndStopCharacters_AreNotNew()
    {
        var segmenter = fixture.Segmenter.WithUserWords([new DictionaryWord("绝绝子", 0, "")]);
        var options = new NewWordOptions { StopCharacters = "宝" };

        var words = new NewWordDiscovery(segmenter, StopWords.Default, options).Discover(Messages(12_000, seed: 3)).Select(c => c.Word).ToList();

        Assert.DoesNotContain("绝绝子", words);
        Assert.DoesNotContain("小米粒充电宝", words);
        Assert.Contains("yyds", words);
    }

    [Fact]
    public void Discover_MaxCandidates_KeepsTheBest()
    {
        var all = new NewWordDiscovery(fixture.Dictionary).Discover(Messages(12_000, seed: 5));
        var top = new NewWordDiscovery(fixture.Dictionary, new NewWordOptions { MaxCandidates = 1 }).Discover(Messages(12_000, seed: 5));

        Assert.True(all.Count > 1);
        Assert.Equal([all[0]], top);
    }

    [Fact]
    public void Discover_NoTextOrRareWords_FindsNothing()
    {
        var discovery = new NewWordDiscovery(fixture.Dictionary);

        Assert.Empty(discovery.Discover([]));
        Assert.Empty(discovery.Discover(["绝绝子", "小米粒充电宝", "yyds"]));
    }

    [Theory]
    [InlineData(nameof(NewWordOptions.MinFrequency), "2–1000000")]
    [InlineData(nameof(NewWordOptions.MinCohesion), "0–30")]
    [InlineData(nameof(NewWordOptions.MinEntropy), "0–10")]
    [InlineData(nameof(NewWordOptions.MaxLength), "2–10")]
    [InlineData(nameof(NewWordOptions.MaxCandidates), "1–100000")]
    public void Options_OutOfRange_ThrowNamingTheFieldAndRange(string field, string allowed)
    {
        var options = new NewWordOptions();
        switch (field)
        {
            case nameof(NewWordOptions.MinFrequency): options.MinFrequency = 1; break;
            case nameof(NewWordOptions.MinCohesion): options.MinCohesion = double.NaN; break;
            case nameof(NewWordOptions.MinEntropy): options.MinEntropy = -1; break;
            case nameof(NewWordOptions.MaxLength): options.MaxLength = 11; break;
            default: options.MaxCandidates = 0; break;
        }

        var error = Assert.Throws<KefuValidationException>(() => new NewWordDiscovery(fixture.Dictionary, options));

        Assert.Equal(field, error.Field);
        Assert.Equal(allowed, error.Allowed);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string word)
    {
        var n = 0;
        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + word.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
