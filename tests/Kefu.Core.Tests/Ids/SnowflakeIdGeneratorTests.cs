namespace Kefu.Core.Tests.Ids;

public class SnowflakeIdGeneratorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextId_WhenTimeStandsStill_StillIncreases()
    {
        var ids = new SnowflakeIdGenerator(nodeId: 3);
        var seen = Enumerable.Range(0, 10_000).Select(_ => ids.NextId(Noon)).ToList();
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public void NextId_WhenTimeGoesBack_StillIncreases()
    {
        var ids = new SnowflakeIdGenerator(0);
        var first = ids.NextId(Noon);
        var second = ids.NextId(Noon.AddMinutes(-5));
        Assert.True(second > first);
    }

    [Fact]
    public void NextId_OnDifferentNodesAtTheSameTime_NeverCollides()
    {
        var a = new SnowflakeIdGenerator(1);
        var b = new SnowflakeIdGenerator(2);
        var all = Enumerable.Range(0, 5_000).SelectMany(_ => new[] { a.NextId(Noon), b.NextId(Noon) }).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void NextId_EncodesTheTime_LikeTheSeedsConversationNumbers()
    {
        var at = new DateTimeOffset(2019, 5, 9, 16, 39, 5, TimeSpan.Zero);
        var id = new SnowflakeIdGenerator(0).NextId(at);
        Assert.Equal(at, SnowflakeIdGenerator.GetTimestamp(id));
        Assert.Equal(18, id.ToString(System.Globalization.CultureInfo.InvariantCulture).Length); // like 323903781685448704
    }

    [Fact]
    public void NextId_FromEightThreads_IsUnique()
    {
        var ids = new SnowflakeIdGenerator(0);
        var bags = new long[8][];
        Parallel.For(0, 8, i => bags[i] = Enumerable.Range(0, 20_000).Select(_ => ids.NextId(TimeProvider.System.GetUtcNow())).ToArray());
        var all = bags.SelectMany(x => x).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1024)]
    public void Constructor_WithNodeIdOutOfRange_NamesTheField(int nodeId)
    {
        var ex = Assert.Throws<KefuValidationException>(() => new SnowflakeIdGenerator(nodeId));
        Assert.Equal("NodeId", ex.Field);
        Assert.Contains("1023", ex.Message, StringComparison.Ordinal);
    }
}
