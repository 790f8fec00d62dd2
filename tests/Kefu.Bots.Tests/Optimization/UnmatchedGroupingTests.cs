using Kefu.Bots.Matching;
using Kefu.Bots.Optimization;
using Kefu.Bots.Tests.Conversations;

namespace Kefu.Bots.Tests.Optimization;

/// <summary>Greedy leader clustering of unmatched questions.</summary>
public class UnmatchedGroupingTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static UnmatchedEntry Entry(string text, long count) =>
        new(QuestionText.Normalize(text), count, [text], At, At.AddMinutes(count), null, 0.1);

    private static KnowledgeIndex ShopIndex() => ShopRobot.Catalog().IndexOf(TestCatalog.TenantId, ShopRobot.RobotId);

    [Fact]
    public void Cluster_PutsSimilarQuestionsTogether_TheMostAskedGroupFirst()
    {
        UnmatchedEntry[] entries =
        [
            Entry("今天天气怎么样", 2),
            Entry("优惠券怎么用", 5),
            Entry("优惠券怎么使用", 3),
            Entry("怎么使用优惠券", 1),
            Entry("会员积分有什么用", 4),
            Entry("积分有什么用", 2),
            Entry("今天天气如何", 1),
        ];

        var groups = UnmatchedGrouping.Cluster(entries, ShopIndex(), 0.5);

        Assert.Equal(
            ["优惠券怎么用,优惠券怎么使用,怎么使用优惠券", "会员积分有什么用,积分有什么用", "今天天气怎么样,今天天气如何"],
            groups.Select(g => string.Join(",", g.Members.Select(m => m.Question))));
        Assert.Equal([9L, 6L, 3L], groups.Select(g => g.Count));
        Assert.Equal(UnmatchedGrouping.KeyOf("优惠券怎么用"), groups[0].Key);
    }

    [Fact]
    public void Cluster_DoesNotJoinQuestionsThatShareOnlyCommonWords()
    {
        // The shop's index knows "怎么" (from its rules) but neither "天气" nor "优惠券".
        var groups = UnmatchedGrouping.Cluster([Entry("今天天气怎么样", 2), Entry("优惠券怎么用", 1)], ShopIndex(), 0.5);

        Assert.Equal(2, groups.Count);
    }

    [Fact]
    public void Cluster_WithoutRules_GroupsByTheWordsTheQuestionsShare()
    {
        var groups = UnmatchedGrouping.Cluster([Entry("优惠券怎么用", 2), Entry("优惠券怎么使用", 1), Entry("how do I use a coupon", 1)], KnowledgeIndex.Empty, 0.5);

        Assert.Equal(2, groups.Count);
        Assert.Equal(3, groups[0].Count);
    }

    [Fact]
    public void Cluster_AHigherThresholdSplitsMore()
    {
        UnmatchedEntry[] entries = [Entry("优惠券怎么用", 5), Entry("优惠券怎么使用", 3), Entry("怎么使用优惠券", 1)];

        Assert.Single(UnmatchedGrouping.Cluster(entries, ShopIndex(), 0.5));
        Assert.Equal(3, UnmatchedGrouping.Cluster(entries, ShopIndex(), 0.95).Count);
    }

    [Fact]
    public void KeyOf_IsStableAndFitsInAJavaScriptNumber()
    {
        var key = UnmatchedGrouping.KeyOf("优惠券怎么用");

        Assert.Equal(key, UnmatchedGrouping.KeyOf("优惠券怎么用"));
        Assert.NotEqual(key, UnmatchedGrouping.KeyOf("优惠券怎么使用"));
        Assert.InRange(key, 1, (1L << 53) - 1);
    }

    [Fact]
    public void Cluster_TwentyThousandQuestions_TakesUnderAFewSeconds()
    {
        var random = new Random(17);
        const string chars = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感";
        var entries = Enumerable.Range(0, 20_000)
            .Select(i => Entry(new string([.. Enumerable.Range(0, 6 + random.Next(8)).Select(_ => chars[random.Next(chars.Length)])]) + i, 1 + random.Next(20)))
            .DistinctBy(e => e.Question)
            .ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var groups = UnmatchedGrouping.Cluster(entries, ShopIndex(), 0.5);

        Assert.Equal(entries.Sum(e => e.Count), groups.Sum(g => g.Count));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
