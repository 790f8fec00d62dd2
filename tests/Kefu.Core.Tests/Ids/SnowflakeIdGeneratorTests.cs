using Kefu.Testing;

namespace Kefu.Core.Tests.Ids;

public class SnowflakeIdGeneratorTests
{
    [Fact]
    public void NextId_WhenClockStandsStill_StillIncreases()
    {
        var clock = new FakeTimeProvider();
        var ids = new SnowflakeIdGenerator(clock, nodeId: 3);
        var seen = Enumerable.Range(0, 10_000).Select(_ => ids.NextId()).ToList();
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public void NextId_OnDifferentNodesAtTheSameTime_NeverCollides()
    {
        var clock = new FakeTimeProvider();
        var a = new SnowflakeIdGenerator(clock, 1);
        var b = new SnowflakeIdGenerator(clock, 2);
        var all = Enumerable.Range(0, 5_000).SelectMany(_ => new[] { a.NextId(), b.NextId() }).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void NextId_EncodesTheTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2019, 5, 9, 16, 39, 5, TimeSpan.Zero));
        var id = new SnowflakeIdGenerator(clock, 0).NextId();
        Assert.Equal(clock.GetUtcNow(), SnowflakeIdGenerator.GetTimestamp(id));
        Assert.InRange(id, 1L << 40, long.MaxValue);
    }

    [Fact]
    public void NextId_FromEightThreads_IsUnique()
    {
        var ids = new SnowflakeIdGenerator(TimeProvider.System, 0);
        var bags = new long[8][];
        Parallel.For(0, 8, i => bags[i] = Enumerable.Range(0, 20_000).Select(_ => ids.NextId()).ToArray());
        var all = bags.SelectMany(x => x).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1024)]
    public void Constructor_WithNodeIdOutOfRange_NamesTheField(int nodeId)
    {
        var ex = Assert.Throws<KefuValidationException>(() => new SnowflakeIdGenerator(TimeProvider.System, nodeId));
        Assert.Equal("NodeId", ex.Field);
        Assert.Contains("1023", ex.Message, StringComparison.Ordinal);
    }
}
