using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Tests.Topics;

/// <summary>
/// Messages' keyword lists about three obvious themes (delivery, refund, product quality), each message mixing a few
/// words of its theme with, now and then, a word every theme uses.
/// </summary>
internal static class SyntheticCorpus
{
    public static readonly string[] Delivery = ["快递", "物流", "发货", "送货", "包裹", "配送", "快递员", "签收"];
    public static readonly string[] Refund = ["退款", "退货", "申请", "审核", "退钱", "原路", "售后", "换货"];
    public static readonly string[] Quality = ["质量", "做工", "面料", "材质", "开线", "褪色", "起球", "瑕疵"];
    public static readonly string[] Shared = ["不错", "满意", "东西"];

    public static string[][] Themes => [Delivery, Refund, Quality];

    /// <summary><paramref name="count"/> messages: each one's theme (0 delivery, 1 refund, 2 quality) and keywords.</summary>
    public static List<(int Theme, string[] Keywords)> Messages(int count, int seed = 42)
    {
        var random = new Random(seed);
        var messages = new List<(int, string[])>(count);
        for (var i = 0; i < count; i++)
        {
            var theme = i % 3;
            var words = Themes[theme];
            var keywords = new List<string>();
            var n = random.Next(2, 6);
            for (var j = 0; j < n; j++)
            {
                keywords.Add(words[random.Next(words.Length)]);
            }

            if (random.Next(3) == 0)
            {
                keywords.Add(Shared[random.Next(Shared.Length)]);
            }

            messages.Add((theme, keywords.ToArray()));
        }

        return messages;
    }

    public static KeywordStatistics Statistics(int count = 600, int seed = 42)
    {
        var builder = KeywordStatistics.CreateBuilder();
        foreach (var (theme, keywords) in Messages(count, seed))
        {
            // Refund messages are negative, quality ones mixed, delivery ones positive.
            builder.AddMessage(keywords, theme switch { 0 => 0.5, 1 => -0.8, _ => 0 });
        }

        return builder.Build();
    }
}
