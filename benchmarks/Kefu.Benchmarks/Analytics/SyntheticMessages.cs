namespace Kefu.Benchmarks.Analytics;

/// <summary>
/// Short synthetic customer-service messages, positive, negative or neutral, put together from a few fragments with a
/// seeded generator: the same seed gives the same messages.
/// </summary>
internal static class SyntheticMessages
{
    private static readonly string[] Openings = ["", "你好，", "客服，", "在吗，", "您好，", "喂，", "亲，", "請問，"];

    private static readonly string[] Subjects = ["订单", "快递", "退款", "这个商品", "耳机", "房间", "手机", "会员卡", "发票", "衣服", "账号", "物流"];

    private static readonly string[] Positive =
    [
        "{0}已经收到了，非常满意，谢谢！", "问题解决了，服务态度很好👍", "{0}质量不错，下次还会再来", "太感谢了，处理得很及时",
        "{0}挺好用的，客服也很耐心 :)", "好的，明白了，辛苦了😊", "{0}到货很快，包装完好，好评", "效率很高，给你们点赞",
    ];

    private static readonly string[] Negative =
    [
        "{0}怎么还没到，太慢了！", "我要投诉，态度太差了😡", "{0}有质量问题，要退款", "等了半天没人理，很不满意",
        "{0}坏了，真的很失望", "你们这是骗人吧，差评", "{0}和描述不符，不推荐购买", "客服一直不回复，什么情况？",
    ];

    private static readonly string[] Neutral =
    [
        "{0}什么时候发货？", "请问{0}怎么修改地址", "我想查一下{0}", "{0}的单号是多少", "能开{0}吗", "明天几点可以送到",
    ];

    /// <summary>Messages with their label: 1 positive, −1 negative, 0 neutral (about 40 %, 40 %, 20 %).</summary>
    public static (string Text, int Label)[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var messages = new (string, int)[count];
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            var (templates, label) = roll < 4 ? (Positive, 1) : roll < 8 ? (Negative, -1) : (Neutral, 0);
            var template = templates[random.Next(templates.Length)];
            var subject = Subjects[random.Next(Subjects.Length)];
            messages[i] = (Openings[random.Next(Openings.Length)] + string.Format(System.Globalization.CultureInfo.InvariantCulture, template, subject), label);
        }

        return messages;
    }
}
