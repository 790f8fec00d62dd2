using Kefu.Moderation;

namespace Kefu.Core.Tests.Moderation;

/// <summary>ContainsAny and FindAll into a buffer allocate nothing once warmed up, with or without an allow-list.</summary>
public class SensitiveWordMatcherAllocationTests
{
    private const int Calls = 1_000;

    private static readonly string[] Words = ["敏感词", "SB", "广告", "哈哈"];

    [Theory]
    [InlineData("Default", false)]
    [InlineData("Default", true)]
    [InlineData("None", false)]
    [InlineData("None", true)]
    public void ContainsAnyAndBufferedFindAll_DoNotAllocate_AfterWarmUp(string normalization, bool withAllowList)
    {
        var n = normalization == "None" ? SensitiveWordNormalization.None : SensitiveWordNormalization.Default;
        var matcher = SensitiveWordMatcher.Compile(Words, n, withAllowList ? ["广告法", "敏感词汇"] : null);
        var text = n == SensitiveWordNormalization.None
            ? "你好敏感词，SB，广告法和广告，哈哈哈，敏感词汇"
            : "你好敏*感*词，ＳＢ，广告法和广 告，哈哈哈，敏感詞汇";

        AssertNoAllocation(matcher, text, minMatches: 4);
    }

    [Fact]
    public void BufferedFindAll_DoesNotAllocate_WhenMoreTrieNodesAreLiveThanFitOnTheStack()
    {
        // Every a^i b^j (i, j <= 5) is live at once while reading "aaaaabbbbb": the walk's node sets outgrow the stack
        // and move to pooled arrays.
        var words = (from i in Enumerable.Range(1, 5)
                     from j in Enumerable.Range(1, 5)
                     select new string('a', i) + new string('b', j)).ToArray();
        var matcher = SensitiveWordMatcher.Compile(words, SensitiveWordNormalization.Default, ["aaaaabbbbbc"]);

        AssertNoAllocation(matcher, "aaaaabbbbb", minMatches: 25);
    }

    private static void AssertNoAllocation(SensitiveWordMatcher matcher, string text, int minMatches)
    {
        var buffer = new SensitiveWordMatch[128];
        var expected = matcher.FindAll(text).Count;
        Assert.InRange(expected, minMatches, buffer.Length - 1);

        for (var i = 0; i < 50; i++)
        {
            matcher.ContainsAny(text);
            matcher.FindAll(text, buffer);
        }

        // The runtime may allocate on this thread while it promotes the methods to optimised code (compilation is
        // queued after the first calls), so rounds are measured until one is clean: a round of 1,000 calls of each
        // must allocate nothing at all.
        var found = 0;
        var written = 0;
        var allocations = new List<long>();
        for (var round = 0; round < 10 && (allocations.Count == 0 || allocations[^1] != 0); round++)
        {
            Thread.Sleep(round * 50);
            found = 0;
            written = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Calls; i++)
            {
                found += matcher.ContainsAny(text) ? 1 : 0;
                written += matcher.FindAll(text, buffer);
            }

            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(allocations[^1] == 0, $"bytes allocated per round of {Calls} calls of each: {string.Join(", ", allocations)}");
        Assert.Equal(Calls, found);
        Assert.Equal(Calls * expected, written);
    }
}
