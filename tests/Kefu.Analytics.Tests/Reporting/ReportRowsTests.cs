using Kefu.Analytics.Reporting;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Reporting;

/// <summary>
/// How a report assembles its rows from the series it reads: values met in a different order or missing in some
/// series, dimensions shown in the query's order, rows ordered by bucket then by each value (numbers by value).
/// </summary>
public sealed class ReportRowsTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Metrics = ["conversations_created", "queue_count", "queue_wait_avg", "queue_wait_max"];

    /// <summary>
    /// Created: 10|Web, 9|Web, 10|App on day one, 9|Web again on day two. Queue: 10|App, 9|Web, 11|H5 (no creation
    /// of its own), so its values come in another order, one is missing and one is new.
    /// </summary>
    private static async Task<ReportingHarness> StoreAsync()
    {
        var r = await ReportingHarness.StartAsync();
        var store = r.H.Services.GetRequiredService<IAggregateStore>();
        var mask = ReportingSeries.Mask([ReportDimension.Agent, ReportDimension.ChannelKind]);
        var created = ReportingSeries.Name(ReportingSeries.Created, mask);
        var queue = ReportingSeries.Name(ReportingSeries.Queue, mask);
        AggregateDelta Cell(string series, string dimension, int hour, long count, double sum = 0, double max = 0) =>
            new(series, dimension, BucketGranularity.Hour, Day.AddHours(hour), count, sum, max);
        long eventId = 0;
        foreach (var delta in new[]
        {
            Cell(created, "10|Web", 1, 2), Cell(created, "9|Web", 2, 1), Cell(created, "10|App", 3, 4), Cell(created, "9|Web", 30, 5),
            Cell(queue, "10|App", 3, 2, 50, 40), Cell(queue, "9|Web", 2, 1, 12, 12), Cell(queue, "11|H5", 4, 1, 7, 7),
        })
        {
            await store.ApplyAsync(r.TenantId, "test", ++eventId, [delta]);
        }

        return r;
    }

    private static ReportQuery Query(ReportGranularity granularity) => new()
    {
        From = Day,
        To = Day.AddDays(2),
        Metrics = Metrics,
        Dimensions = [ReportDimension.ChannelKind, ReportDimension.Agent],
        Granularity = granularity,
    };

    private static string Show(ReportRow row) =>
        $"{row.BucketStart:MM-dd} {string.Join("|", row.DimensionValues)}: {string.Join(" ", row.Values.Select(v => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"))}";

    [Fact]
    public async Task WholePeriod_MergesSeriesWhateverTheirOrder_AndSortsByShownValues()
    {
        await using var r = await StoreAsync();

        // Twice: the store folds the second read from its dense view, which must give the same rows.
        for (var run = 0; run < 2; run++)
        {
            var result = await r.Reports.RunAsync(r.TenantId, Query(ReportGranularity.None));
            Assert.Equal(
                [
                    " App|10: 4 2 25 40",
                    " H5|11: 0 1 7 7",
                    " Web|9: 6 1 12 12",
                    " Web|10: 2 0 - -",
                ],
                result.Rows.Select(Show));
        }
    }

    /// <summary>Days fold each day in the store; hours read cells (the hours of the rows: 1, 2, 3, 4 and 30).</summary>
    [Theory]
    [InlineData(ReportGranularity.Day, new[] { "03-02 App|10: 4 2 25 40", "03-02 H5|11: 0 1 7 7", "03-02 Web|9: 1 1 12 12", "03-02 Web|10: 2 0 - -", "03-03 Web|9: 5 0 - -" })]
    [InlineData(ReportGranularity.Hour, new[] { "03-02 Web|10: 2 0 - -", "03-02 Web|9: 1 1 12 12", "03-02 App|10: 4 2 25 40", "03-02 H5|11: 0 1 7 7", "03-03 Web|9: 5 0 - -" })]
    public async Task ByDayOrHour_GivesEachBucketItsRows_InTime(ReportGranularity granularity, string[] expected)
    {
        await using var r = await StoreAsync();

        var result = await r.Reports.RunAsync(r.TenantId, Query(granularity));

        Assert.Equal(expected, result.Rows.Select(Show));
        Assert.All(result.Rows, row => Assert.Equal(TimeSpan.Zero, row.BucketStart!.Value.Offset));
        if (granularity == ReportGranularity.Hour)
        {
            Assert.Equal([1, 2, 3, 4, 30], result.Rows.Select(row => (int)(row.BucketStart!.Value - Day).TotalHours));
        }
    }

    [Fact]
    public async Task RowValues_AreNullWhereNothingWasObserved_AndBoundsChecked()
    {
        await using var r = await StoreAsync();
        var result = await r.Reports.RunAsync(r.TenantId, Query(ReportGranularity.None));
        var web10 = result.Rows[^1].Values;

        Assert.Equal(4, web10.Count);
        Assert.Equal([2, 0, null, null], web10);
        Assert.Equal(2, web10[0]);
        Assert.Null(web10[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => web10[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => web10[-1]);
        Assert.Equal([4, 2, 25, 40], result.Rows[0].Values);
    }
}
