using Kefu.Storage;
using Kefu.Storage.InMemory;

namespace Kefu.Core.Tests.Storage;

/// <summary>The in-memory aggregates: cells and folded periods equal a brute-force fold of the deltas, in any write order.</summary>
public class InMemoryAggregateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 3, 40)]
    [InlineData(2, 12, 400)]
    [InlineData(3, 40, 3000)]
    [InlineData(4, 4, 9000)]
    public async Task CellsAndTotals_EqualABruteForceFold(int seed, int dimensions, int deltas)
    {
        var random = new Random(seed);
        var store = new InMemoryKefuStore();
        var all = new List<AggregateDelta>();
        long eventId = 0;

        // Writes between reads: the folded reads bring their prefix sums and maxima up to date from the first change.
        for (var phase = 0; phase < 3; phase++)
        {
            await WriteAndCompare(deltas / 3);
        }

        Assert.False(await store.ApplyAsync(1, "c", 0, [all[0]]));
        Assert.Empty(await store.QueryTotalsAsync(1, "s", BucketGranularity.Day, Start, Start.AddDays(30)));
        Assert.Empty(await store.QueryTotalsAsync(2, "s", BucketGranularity.Hour, Start, Start.AddDays(30)));

        async Task WriteAndCompare(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var d = new AggregateDelta("s", "d" + random.Next(dimensions), BucketGranularity.Hour, Start.AddHours(random.Next(24 * 30)), 1 + random.Next(3), random.Next(100), random.Next(1000));
                all.Add(d);
                Assert.True(await store.ApplyAsync(1, "c", eventId++, [d, d with { Series = "other" }]));
            }

            for (var q = 0; q < 40; q++)
            {
                var from = Start.AddHours(random.Next(-24, 24 * 30));
                var to = from.AddHours(random.Next(1, 24 * 31));
                var expected = all.Where(d => d.BucketStart >= from && d.BucketStart < to)
                    .GroupBy(d => d.Dimension)
                    .ToDictionary(g => g.Key, g => (Count: g.Sum(d => d.Count), Sum: g.Sum(d => d.Sum), Max: g.Max(d => d.Max)));
                var totals = await store.QueryTotalsAsync(1, "s", BucketGranularity.Hour, from, to);
                Assert.Equal(expected.Count, totals.Count);
                foreach (var t in totals)
                {
                    var e = expected[t.Dimension];
                    Assert.Equal(e.Count, t.Count);
                    Assert.Equal(e.Sum, t.Sum, 6);
                    Assert.Equal(e.Max, t.Max);
                    Assert.Equal(from, t.BucketStart);
                }

                // The column-wise fold gives the same totals, after what the buffer already held.
                var buffer = new AggregateTotals();
                buffer.Add("kept", 7, 8, 9);
                await store.FoldTotalsAsync(1, "s", BucketGranularity.Hour, from, to, buffer);
                Assert.Equal(expected.Count + 1, buffer.Count);
                Assert.Equal(("kept", 7L, 8.0, 9.0), (buffer.Dimensions[0], buffer.Counts[0], buffer.Sums[0], buffer.Maxes[0]));
                for (var i = 1; i < buffer.Count; i++)
                {
                    var e = expected[buffer.Dimensions[i]];
                    Assert.Equal(e.Count, buffer.Counts[i]);
                    Assert.Equal(e.Sum, buffer.Sums[i], 6);
                    Assert.Equal(e.Max, buffer.Maxes[i]);
                }

                var cells = await store.QueryAsync(1, "s", BucketGranularity.Hour, from, to);
                var byCell = all.Where(d => d.BucketStart >= from && d.BucketStart < to)
                    .GroupBy(d => (d.BucketStart, d.Dimension))
                    .OrderBy(g => g.Key.BucketStart).ThenBy(g => g.Key.Dimension, StringComparer.Ordinal)
                    .Select(g => (g.Key.BucketStart, g.Key.Dimension, g.Sum(d => d.Count), g.Sum(d => d.Sum), g.Max(d => d.Max)))
                    .ToList();
                Assert.Equal(byCell, cells.Select(c => (c.BucketStart, c.Dimension, c.Count, c.Sum, c.Max)).ToList());
            }
        }
    }

    [Fact]
    public async Task FoldTotals_ByDefault_CopiesTheStoresTotals()
    {
        IAggregateTotalsStore store = new CellsOnlyStore(
        [
            new AggregateCell("s", "a", BucketGranularity.Hour, Start, 2, 3.5, 3),
            new AggregateCell("s", "b", BucketGranularity.Hour, Start, 1, 1, 1),
        ]);
        var into = new AggregateTotals();
        into.Add("before", 1, 1, 1);

        await store.FoldTotalsAsync(1, "s", BucketGranularity.Hour, Start, Start.AddDays(1), into);

        Assert.Equal(["before", "a", "b"], into.Dimensions.ToArray());
        Assert.Equal([1L, 2, 1], into.Counts.ToArray());
        Assert.Equal([1, 3.5, 1], into.Sums.ToArray());
        Assert.Equal([1.0, 3, 1], into.Maxes.ToArray());
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FoldTotalsAsync(1, "s", BucketGranularity.Hour, Start, Start.AddDays(1), null!));
    }

    [Fact]
    public void AggregateTotals_GrowsAndClears_AndRefusesBadInput()
    {
        var totals = new AggregateTotals();
        for (var i = 0; i < 100; i++)
        {
            totals.Add("d" + i, i, i * 2, i * 3);
        }

        Assert.Equal(100, totals.Count);
        Assert.Equal("d99", totals.Dimensions[99]);
        Assert.Equal(99 * 3, totals.Maxes[99]);
        totals.Clear();
        Assert.Equal(0, totals.Count);
        Assert.True(totals.Dimensions.IsEmpty);
        Assert.Equal("dimension", Assert.Throws<ArgumentNullException>(() => totals.Add(null!, 1, 1, 1)).ParamName);
        Assert.Equal("more", Assert.Throws<ArgumentOutOfRangeException>(() => totals.EnsureRoom(-1)).ParamName);
    }

    [Fact]
    public async Task EverySeries_ListsAValue_UnderOneString()
    {
        // Writers build their own strings; readers going through several series of a tenant meet one instance.
        var store = new InMemoryKefuStore();
        await store.ApplyAsync(1, "c", 1, [new AggregateDelta("a", new string(['4', '2']), BucketGranularity.Hour, Start, 1, 1, 1)]);
        await store.ApplyAsync(1, "c", 2, [new AggregateDelta("b", new string(['4', '2']), BucketGranularity.Hour, Start, 1, 1, 1)]);

        var a = new AggregateTotals();
        var b = new AggregateTotals();
        await store.FoldTotalsAsync(1, "a", BucketGranularity.Hour, Start, Start.AddHours(1), a);
        await store.FoldTotalsAsync(1, "b", BucketGranularity.Hour, Start, Start.AddHours(1), b);

        Assert.Equal("42", a.Dimensions[0]);
        Assert.Same(a.Dimensions[0], b.Dimensions[0]);
    }

    /// <summary>A store that folds periods only as cells, to exercise the interface's default column-wise fold.</summary>
    private sealed class CellsOnlyStore(IReadOnlyList<AggregateCell> cells) : IAggregateTotalsStore
    {
        public ValueTask<IReadOnlyList<AggregateCell>> QueryTotalsAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(cells);
    }
}
