using System.Text;
using Kefu.Analytics.Exports;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Reporting.Calls;
using Kefu.Storage;
using NSubstitute;

namespace Kefu.Analytics.Tests.Exports;

public sealed class CallExportsTests
{
    private static readonly CallSlotRow Morning = new(18, new TimeOnly(9, 0), Requests: 4, Connected: 3, ConnectRate: 0.75, Abandoned: 1, AbandonRate: 0.25,
        WaitAverage: 12.5, WaitMax: 20, ResponseAverage: 8, ResponseMax: 15, AbandonWaitAverage: 5, AbandonWaitMax: 5, TalkAverage: 100, TalkTotal: 300,
        AnsweredWithin10Seconds: 2, AnsweredAfter10Seconds: 1, AbandonedWithin10Seconds: 1, AbandonedAfter10Seconds: 0);

    private static readonly CallSlotRow Quiet = new(19, new TimeOnly(9, 30), 0, 0, null, 0, null, null, 0, null, 0, null, 0, null, 0, 0, 0, 0, 0);

    private static ReportExports Exports(ICallStatistics? calls) =>
        new(Substitute.For<IReports>(), Substitute.For<IServiceStatistics>(), Substitute.For<IConversationStore>(), calls: calls);

    [Fact]
    public async Task ExportCallSlots_WritesEverySlotWithRatesAsPercentagesAndEmptyAveragesBlank()
    {
        var calls = Substitute.For<ICallStatistics>();
        var query = new CallSlotQuery { Date = new DateOnly(2026, 12, 1), Slots = 48 };
        calls.GetSlotsAsync(7, query, Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<CallSlotRow>>([Morning, Quiet]));
        using var csv = new MemoryStream();

        await Exports(calls).ExportCallSlotsAsync(7, query, ExportFormat.Csv, csv);

        var rows = ExportTestData.ParseCsv(Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal(3, rows.Count);
        Assert.Equal(["时段", "请求量", "通话量", "接通率", "放弃量", "放弃率"], rows[0].Take(6));
        Assert.Equal("平均等待时长 (秒)", rows[0][6]);
        Assert.Equal(["09:00", "4", "3", "75%", "1", "25%", "12.5", "20"], rows[1].Take(8));
        Assert.Equal(["09:30", "0", "0", ""], rows[2].Take(4));
        Assert.Equal("", rows[2][6]);
    }

    [Fact]
    public async Task ExportCallWorkload_WritesOneRowPerAgentWithTheWorkloadShare()
    {
        var calls = Substitute.For<ICallStatistics>();
        var query = new CallWorkloadQuery { From = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), To = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero) };
        CallAgentWorkload jane = new(42, "Jane", 1, 1000, 320, 160, 30, 15, 23, 11.5, 3, 0, 2, 1, 1, 100, 100, 317, 158.5, 0.32);
        calls.GetAgentWorkloadAsync(7, query, Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<CallAgentWorkload>>([jane]));
        using var csv = new MemoryStream();

        await Exports(calls).ExportCallWorkloadAsync(7, query, ExportFormat.Csv, csv, ExportLanguage.En);

        var rows = ExportTestData.ParseCsv(Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Agent id", "Agent", "Ended by the customer", "Login time (s)", "Talk time (s)"], rows[0].Take(5));
        Assert.Equal("Workload", rows[0][^1]);
        Assert.Equal(["42", "Jane", "1", "1000", "320"], rows[1].Take(5));
        Assert.Equal("32%", rows[1][^1]);
    }

    [Fact]
    public async Task ExportCallSlots_WithoutCallStatistics_SaysToAddAnalytics()
    {
        using var csv = new MemoryStream();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Exports(null).ExportCallSlotsAsync(7, new CallSlotQuery { Date = new DateOnly(2026, 12, 1) }, ExportFormat.Csv, csv));
        Assert.Contains("AddAnalytics", error.Message, StringComparison.Ordinal);
    }
}
