using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Reporting;

public sealed class ServiceStatisticsTests
{
    private static IServiceStatistics Statistics(ReportingHarness r) => r.H.Services.GetRequiredService<IServiceStatistics>();

    private static DateOnly Today(ReportingHarness r) => DateOnly.FromDateTime(r.Now.UtcDateTime);

    [Fact]
    public async Task Today_AfterTheScenario_GivesTheSinceMidnightFigures()
    {
        var (r, _, _, _) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        var dashboard = await Statistics(r).GetTodayAsync(r.TenantId);
        Assert.Equal(0, dashboard.InService);
        Assert.Equal(0, dashboard.Queued);
        Assert.Equal(new DayFigures(Today(r), Visits: 3, Visitors: 3, ConversationsAccepted: 2, VisitorsAccepted: 2, NotAccepted: 1, QueueAbandoned: 1,
            AgentsServing: 2, PerAgentLoad: 1, FirstResponseAverage: 52.5, DurationAverage: 130, PositiveRatingShare: 0.5), dashboard.Today);
        Assert.Equal(14, dashboard.Trend.Count);
        Assert.Equal(Today(r).AddDays(-13), dashboard.Trend[0].Day);
        Assert.Same(dashboard.Trend[^1], dashboard.Today);
        Assert.All(dashboard.Trend.SkipLast(1), d => Assert.Equal(0, d.Visits + d.ConversationsAccepted));
    }

    [Fact]
    public async Task Today_CountsOpenConversationsLive()
    {
        await using var r = await ReportingHarness.StartAsync();
        var a = await r.AgentAsync("A", capacity: 1);
        var t0 = r.Now;
        var c1 = await r.OpenAsync();
        var c2 = await r.OpenAsync();
        await r.AtAsync(t0, 30);
        await r.AgentSaysAsync(c1, a.Id);
        await r.DeliveredAsync();
        var live = await Statistics(r).GetTodayAsync(r.TenantId);
        Assert.Equal((1, 1), (live.InService, live.Queued));
        Assert.Equal((2L, 2L, 1L, 1L), (live.Today.Visits, live.Today.Visitors, live.Today.ConversationsAccepted, live.Today.AgentsServing));
        Assert.Equal(30, live.Today.FirstResponseAverage);
        Assert.Null(live.Today.DurationAverage);

        await r.AtAsync(t0, 90);
        await r.Conversations.EndAsync(r.TenantId, c1.Id, Participant.Agent(a.Id));
        await r.DeliveredAsync();
        var after = await Statistics(r).GetTodayAsync(r.TenantId);
        Assert.Equal((1, 0), (after.InService, after.Queued));
        Assert.Equal((2L, 2L, 2L, 1L), (after.Today.Visits, after.Today.Visitors, after.Today.ConversationsAccepted, after.Today.AgentsServing));
        Assert.Equal(2, after.Today.PerAgentLoad);
        Assert.Equal(90, after.Today.DurationAverage);
        Assert.Equal(c2.Id, (await r.Conversations.ListOpenAsync(r.TenantId)).Single().Id);
    }

    [Fact]
    public async Task Today_InTheTenantsOffset_StartsAtItsMidnight()
    {
        var (r, _, _, _) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        // 09:03 UTC on 5 January is 23:03 on the 4th at UTC−10 and 23:03 on the 5th at UTC+14.
        var west = await Statistics(r).GetTodayAsync(r.TenantId, TimeSpan.FromHours(-10));
        Assert.Equal(new DateOnly(2026, 1, 4), west.Today.Day);
        Assert.Equal(3, west.Today.Visits);
        var east = await Statistics(r).GetTodayAsync(r.TenantId, TimeSpan.FromHours(14));
        Assert.Equal(new DateOnly(2026, 1, 5), east.Today.Day);
        Assert.Equal(3, east.Today.Visits);
        var daily = await Statistics(r).GetDailyAsync(r.TenantId, new DateOnly(2026, 1, 4), new DateOnly(2026, 1, 6), TimeSpan.FromHours(14));
        Assert.Equal([0L, 3L, 0L], daily.Select(d => d.Visits));
    }

    [Fact]
    public async Task Workload_ListsEveryAgent_WithTheirConversationsMessagesAndDurations()
    {
        var (r, a, b, _) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        var idle = await r.AgentAsync("C", online: false);
        var workload = await Statistics(r).GetWorkloadAsync(r.TenantId, Today(r), Today(r));
        Assert.Equal(
        [
            new AgentWorkload(a.Id, "A", 1, 2, 120, 120, 2, 2),
            new AgentWorkload(b.Id, "B", 1, 2, 140, 140, 2, 2),
            new AgentWorkload(idle.Id, "C", 0, 0, 0, 0, 0, 0),
        ], workload);
    }

    [Fact]
    public async Task VisitorsByChannel_GivesSharesAndTheDailyTrend()
    {
        var (r, _, _, _) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        var stats = await Statistics(r).GetVisitorsByChannelAsync(r.TenantId, Today(r).AddDays(-6), Today(r));
        Assert.Equal(3, stats.Visitors);
        Assert.Equal([new ChannelVisitors(ChannelKind.Web, 2, 2.0 / 3), new ChannelVisitors(ChannelKind.Wechat, 1, 1.0 / 3)], stats.Channels);
        Assert.Equal([new ChannelDay(Today(r), ChannelKind.Web, 2), new ChannelDay(Today(r), ChannelKind.Wechat, 1)], stats.Trend);
    }

    [Fact]
    public async Task VisitorsByChannel_OfOneAssociation_CountsOnlyItsVisitors()
    {
        await using var r = await ReportingHarness.StartAsync();
        var a = await r.AgentAsync("A");
        var channel = await r.H.Kefu.Directory.AddChannelAsync(r.TenantId, ChannelKind.App, "App", "app_one");
        var association = await r.H.Kefu.Directory.AddAssociationAsync(r.TenantId, channel.Id, "Tinet");
        foreach (var (kind, linked) in new[] { (ChannelKind.App, true), (ChannelKind.Wechat, true), (ChannelKind.Wechat, true), (ChannelKind.Web, false) })
        {
            var c = await r.OpenAsync(kind, associationId: linked ? association.Id : null);
            await r.Conversations.EndAsync(r.TenantId, c.Id, Participant.Agent(a.Id));
        }

        await r.DeliveredAsync();
        var stats = await Statistics(r).GetVisitorsByChannelAsync(r.TenantId, Today(r), Today(r), association.Id);
        Assert.Equal(3, stats.Visitors);
        Assert.Equal([new ChannelVisitors(ChannelKind.Wechat, 2, 2.0 / 3), new ChannelVisitors(ChannelKind.App, 1, 1.0 / 3)], stats.Channels);
    }

    [Fact]
    public async Task TenantSummaries_FilterByTenantAndThresholds()
    {
        var (r, _, _, _) = await ReportsTests.ScenarioAsync();
        await using var _ = r;
        var other = await r.H.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Other" });
        var all = await Statistics(r).GetTenantSummariesAsync(new TenantSummaryQuery { From = Today(r), To = Today(r) });
        Assert.Equal(2, all.Count);
        var mine = all.Single(s => s.TenantId == r.TenantId);
        Assert.Equal(new TenantSummary(r.TenantId, "Test tenant", 2, 4, 3, 130, 52.5, 27.5, 4), mine);
        var empty = all.Single(s => s.TenantId == other.Id);
        Assert.Equal((0L, (double?)null), (empty.Conversations, empty.SatisfactionAverage));

        var satisfied = await Statistics(r).GetTenantSummariesAsync(new TenantSummaryQuery { From = Today(r), To = Today(r), MinSatisfactionAverage = 3.5 });
        Assert.Equal([r.TenantId], satisfied.Select(s => s.TenantId));
        var quick = await Statistics(r).GetTenantSummariesAsync(new TenantSummaryQuery { From = Today(r), To = Today(r), MaxFirstResponseAverage = 30 });
        Assert.Empty(quick);
        var byId = await Statistics(r).GetTenantSummariesAsync(new TenantSummaryQuery { From = Today(r), To = Today(r), TenantIds = [other.Id] });
        Assert.Equal([other.Id], byId.Select(s => s.TenantId));
    }

    [Fact]
    public async Task Periods_OverNinetyDaysOrReversed_AreRefused()
    {
        await using var r = await ReportingHarness.StartAsync();
        var s = Statistics(r);
        var today = Today(r);
        Assert.Equal("to", (await Assert.ThrowsAsync<KefuValidationException>(async () => await s.GetDailyAsync(r.TenantId, today.AddDays(-90), today))).Field);
        Assert.Equal("to", (await Assert.ThrowsAsync<KefuValidationException>(async () => await s.GetWorkloadAsync(r.TenantId, today, today.AddDays(-1)))).Field);
        Assert.Equal("UtcOffset", (await Assert.ThrowsAsync<KefuValidationException>(async () => await s.GetTodayAsync(r.TenantId, TimeSpan.FromHours(15)))).Field);
        Assert.Equal(90, (await s.GetDailyAsync(r.TenantId, today.AddDays(-89), today)).Count);
    }
}
