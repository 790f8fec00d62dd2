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
}
