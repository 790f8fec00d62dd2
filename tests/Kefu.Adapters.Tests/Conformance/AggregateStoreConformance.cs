using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>What every <see cref="IAggregateStore"/> answers to the same calls.</summary>
public abstract class AggregateStoreConformance
{
    private static readonly DateTimeOffset Hour0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private protected abstract IAggregateStore Store { get; }

    private static AggregateDelta Delta(string dimension, int hour, long count, double sum, double max, string series = "conversations.duration", BucketGranularity granularity = BucketGranularity.Hour)
        => new(series, dimension, granularity, Hour0.AddHours(hour), count, sum, max);

    [Fact]
    public async Task Apply_First_ReturnsTrueAndStoresTheCell()
    {
        var tenant = TestTenants.Next();
        Assert.True(await Store.ApplyAsync(tenant, "reports", 1, [Delta("", 0, 1, 30, 30)]));

        var cells = await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddDays(1));

        Assert.Equal([new AggregateCell("conversations.duration", "", BucketGranularity.Hour, Hour0, 1, 30, 30)], cells);
    }

    [Fact]
    public async Task Apply_SameEventTwice_AppliesOnce()
    {
        var tenant = TestTenants.Next();
        Assert.True(await Store.ApplyAsync(tenant, "reports", 7, [Delta("", 0, 1, 10, 10)]));
        Assert.False(await Store.ApplyAsync(tenant, "reports", 7, [Delta("", 0, 1, 10, 10)]));
        Assert.False(await Store.ApplyAsync(tenant, "reports", 7, [Delta("", 0, 5, 50, 99)]));

        var cell = Assert.Single(await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddDays(1)));
        Assert.Equal((1L, 10d, 10d), (cell.Count, cell.Sum, cell.Max));
    }

    [Fact]
    public async Task Apply_SameEventForAnotherConsumerOrTenant_AppliesAgain()
    {
        var tenant = TestTenants.Next();
        Assert.True(await Store.ApplyAsync(tenant, "reports", 7, [Delta("", 0, 1, 10, 10)]));
        Assert.True(await Store.ApplyAsync(tenant, "voc", 7, [Delta("", 0, 1, 10, 10)]));
        Assert.True(await Store.ApplyAsync(TestTenants.Next(), "reports", 7, [Delta("", 0, 1, 10, 10)]));

        var cell = Assert.Single(await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddDays(1)));
        Assert.Equal(2, cell.Count);
    }

    [Fact]
    public async Task ApplyMany_AddsEveryNewEventOnce_AndSkipsThoseAppliedBefore()
    {
        var tenant = TestTenants.Next();
        Assert.True(await Store.ApplyAsync(tenant, "voc", 2, [Delta("", 0, 1, 10, 10)]));

        var applied = await Store.ApplyManyAsync(tenant, "voc",
        [
            new AggregateEventDeltas(1, [Delta("", 0, 1, 1, 1), Delta("x", 1, 1, 5, 5)]),
            new AggregateEventDeltas(2, [Delta("", 0, 100, 100, 100)]),
            new AggregateEventDeltas(3, [Delta("", 0, 1, 2, 2)]),
            new AggregateEventDeltas(4, []),
        ]);
        var again = await Store.ApplyManyAsync(tenant, "voc", [new AggregateEventDeltas(3, [Delta("", 0, 1, 2, 2)])]);

        Assert.Equal((3, 0), (applied, again));
        var cells = await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddDays(1));
        Assert.Equal(
            [
                new AggregateCell("conversations.duration", "", BucketGranularity.Hour, Hour0, 3, 13, 10),
                new AggregateCell("conversations.duration", "x", BucketGranularity.Hour, Hour0.AddHours(1), 1, 5, 5),
            ],
            cells);
    }

    [Fact]
    public async Task Apply_Deltas_AddCountAndSumAndMergeMax()
    {
        var tenant = TestTenants.Next();
        await Store.ApplyAsync(tenant, "reports", 1, [Delta("agent:1", 0, 1, 30, 30), Delta("agent:1", 0, 2, 15.5, 10)]);
        await Store.ApplyAsync(tenant, "reports", 2, [Delta("agent:1", 0, 1, 100, 100)]);
        await Store.ApplyAsync(tenant, "reports", 3, [Delta("agent:1", 0, 1, -5, -5)]);

        var cell = Assert.Single(await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddHours(1)));
        Assert.Equal(new AggregateCell("conversations.duration", "agent:1", BucketGranularity.Hour, Hour0, 5, 140.5, 100), cell);
    }

    [Fact]
    public async Task Apply_EmptyDeltas_IsStillRecordedOnce()
    {
        var tenant = TestTenants.Next();
        Assert.True(await Store.ApplyAsync(tenant, "reports", 9, []));
        Assert.False(await Store.ApplyAsync(tenant, "reports", 9, [Delta("", 0, 1, 1, 1)]));
        Assert.Empty(await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddDays(1)));
    }

    [Fact]
    public async Task Query_ReturnsTheSeriesAndWidthInTheHalfOpenRange_ByBucketThenDimension()
    {
        var tenant = TestTenants.Next();
        await Store.ApplyAsync(tenant, "reports", 1,
        [
            Delta("b", 3, 1, 1, 1), Delta("a", 3, 1, 1, 1), Delta("", 1, 1, 1, 1), Delta("B", 1, 1, 1, 1),
            Delta("x", 0, 1, 1, 1), Delta("x", 5, 1, 1, 1), Delta("x", 2, 1, 1, 1, series: "other"),
            Delta("x", 2, 1, 1, 1, granularity: BucketGranularity.Minute),
        ]);
        await Store.ApplyAsync(TestTenants.Next(), "reports", 1, [Delta("x", 2, 1, 1, 1)]);

        var cells = await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0.AddHours(1), Hour0.AddHours(5));

        Assert.Equal(
            new[] { (1, ""), (1, "B"), (3, "a"), (3, "b") },
            cells.Select(c => ((int)(c.BucketStart - Hour0).TotalHours, c.Dimension)));
        Assert.All(cells, c => Assert.Equal(BucketGranularity.Hour, c.Granularity));
    }

    [Fact]
    public async Task Query_MatchesBucketsByInstant_WhateverTheOffset()
    {
        var tenant = TestTenants.Next();
        var local = Hour0.ToOffset(TimeSpan.FromHours(8));
        await Store.ApplyAsync(tenant, "reports", 1, [new AggregateDelta("s", "", BucketGranularity.Day, local, 1, 2, 2)]);
        await Store.ApplyAsync(tenant, "reports", 2, [new AggregateDelta("s", "", BucketGranularity.Day, Hour0, 1, 3, 3)]);

        var cell = Assert.Single(await Store.QueryAsync(tenant, "s", BucketGranularity.Day, Hour0.AddTicks(-1), Hour0.AddTicks(1)));

        // The same instant, whatever offset the store returns it in.
        Assert.Equal(2, cell.Count);
        Assert.Equal(local, cell.BucketStart);
        Assert.Equal(local.UtcDateTime, cell.BucketStart.UtcDateTime);
    }

    [Fact]
    public async Task Query_WhenNothingStored_ReturnsEmpty()
    {
        Assert.Empty(await Store.QueryAsync(TestTenants.Next(), "none", BucketGranularity.Day, Hour0, Hour0.AddDays(30)));
    }

    [Fact]
    public async Task Apply_Concurrently_CountsEveryEventOnce()
    {
        var tenant = TestTenants.Next();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Store.ApplyAsync(tenant, "reports", i % 20, [Delta("", 0, 1, i % 20, i % 20)]).AsTask())));

        Assert.Equal(20, results.Count(r => r));
        var cell = Assert.Single(await Store.QueryAsync(tenant, "conversations.duration", BucketGranularity.Hour, Hour0, Hour0.AddHours(1)));
        Assert.Equal((20L, 190d, 19d), (cell.Count, cell.Sum, cell.Max));
    }
}
