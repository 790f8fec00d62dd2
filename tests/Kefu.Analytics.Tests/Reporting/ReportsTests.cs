using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Reporting;

public sealed class ReportsTests
{
    private static readonly string[] P1 = [.. MetricCatalog.CustomReportIds.Where(id => id != "quality_score_avg")];

    /// <summary>Runs <see cref="P1"/> (13 metrics) as two reports of at most 10 and merges the columns.</summary>
    private static async Task<ReportResult> RunP1Async(ReportingHarness r, DateTimeOffset day, params ReportDimension[] dimensions)
    {
        var first = await r.RunAsync(day, day.AddDays(1), P1[..7], dimensions);
        var second = await r.RunAsync(day, day.AddDays(1), P1[7..], dimensions);
        var keys = first.Rows.Select(x => x.DimensionValues).Concat(second.Rows.Select(x => x.DimensionValues))
            .Select(v => string.Join("|", v)).Distinct().ToList();
        var rows = keys.Select(k =>
        {
            var values = k.Length == 0 && dimensions.Length == 0 ? [] : k.Split('|');
            double?[] Of(ReportResult x, int n) => x.Rows.SingleOrDefault(row => row.DimensionValues.SequenceEqual(values))?.Values.ToArray() ?? new double?[n];
            return new ReportRow(values, null, [.. Of(first, 7), .. Of(second, P1.Length - 7)]);
        }).ToList();
        return first with { Metrics = [.. first.Metrics, .. second.Metrics], Rows = rows };
    }

    /// <summary>
    /// Agent A (one chat at a time) and agent B (offline at first). c1 (Web) goes to A at 0 s; c2 (WeChat) queues
    /// at 0 s and goes to B when B comes online at 60 s; c3 (Web) queues at 70 s and is abandoned at 100 s.
    /// c1: visitor at 20 s, A at 65 s, A ends at 120 s, rated 5/5 afterwards. c2: visitor at 90 s, B at 100 s,
    /// rated 3/5 at 150 s, visitor ends at 200 s.
    /// </summary>
    internal static async Task<(ReportingHarness R, Agent A, Agent B, DateTimeOffset Day)> ScenarioAsync()
    {
        var r = await ReportingHarness.StartAsync();
        var a = await r.AgentAsync("A", capacity: 1);
        var b = await r.AgentAsync("B", capacity: 1, online: false);
        var t0 = r.Now;
        var c1 = await r.OpenAsync(ChannelKind.Web);
        var c2 = await r.OpenAsync(ChannelKind.Wechat);
        Assert.Equal(a.Id, c1.AgentId);
        Assert.Equal(ConversationState.Queued, c2.State);
        await r.AtAsync(t0, 20);
        await r.VisitorSaysAsync(c1);
        await r.AtAsync(t0, 60);
        await r.Conversations.SetStatusAsync(r.TenantId, b.Id, AgentStatus.Online);
        await r.AtAsync(t0, 65);
        await r.AgentSaysAsync(c1, a.Id);
        await r.AtAsync(t0, 70);
        var c3 = await r.OpenAsync(ChannelKind.Web);
        Assert.Equal(ConversationState.Queued, c3.State);
        await r.AtAsync(t0, 90);
        await r.VisitorSaysAsync(c2);
        await r.AtAsync(t0, 100);
        await r.AgentSaysAsync(c2, b.Id);
        await r.Conversations.EndAsync(r.TenantId, c3.Id, Participant.Visitor(c3.VisitorId));
        await r.AtAsync(t0, 120);
        await r.Conversations.EndAsync(r.TenantId, c1.Id, Participant.Agent(a.Id));
        await r.AtAsync(t0, 130);
        await r.Conversations.RateAsync(r.TenantId, c1.Id, c1.VisitorId, new RatingInput(5));
        await r.AtAsync(t0, 150);
        await r.Conversations.RateAsync(r.TenantId, c2.Id, c2.VisitorId, new RatingInput(3));
        await r.AtAsync(t0, 200);
        await r.Conversations.EndAsync(r.TenantId, c2.Id, Participant.Visitor(c2.VisitorId));
        await r.DeliveredAsync();
        return (r, a, b, new DateTimeOffset(t0.UtcDateTime.Date, TimeSpan.Zero));
    }

    [Fact]
    public async Task Report_KnownConversations_GivesExactTotals()
    {
        var (r, _, _, day) = await ScenarioAsync();
        await using var _ = r;
        var result = await RunP1Async(r, day);
        Assert.Single(result.Rows);
        Assert.Equal(45, result.Value("queue_wait_avg"));
        Assert.Equal(60, result.Value("queue_wait_max"));
        Assert.Equal(2, result.Value("queue_count"));
        Assert.Equal(3, result.Value("unique_visitors"));
        Assert.Equal(4, result.Value("satisfaction_avg"));
        Assert.Equal(2, result.Value("conversations"));
        Assert.Equal(4, result.Value("messages"));
        Assert.Equal(130, result.Value("duration_avg"));
        Assert.Equal(140, result.Value("duration_max"));
        Assert.Equal(52.5, result.Value("first_response_avg"));
        Assert.Equal(65, result.Value("first_response_max"));
        Assert.Equal(27.5, result.Value("response_avg"));
        Assert.Equal(45, result.Value("response_max"));
    }

    [Fact]
    public async Task Report_ByAgent_SplitsPickUpAndQueueMetrics()
    {
        var (r, a, b, day) = await ScenarioAsync();
        await using var _ = r;
        var result = await RunP1Async(r, day, ReportDimension.Agent);
        string A = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), B = b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([A, B, "none"], result.Rows.Select(x => x.DimensionValues[0]).Order(Comparer<string>.Create(CompareIds)));
        Assert.Equal(1, result.Value("conversations", A));
        Assert.Equal(120, result.Value("duration_avg", A));
        Assert.Equal(65, result.Value("first_response_max", A));
        Assert.Equal(45, result.Value("response_avg", A));
        Assert.Equal(5, result.Value("satisfaction_avg", A));
        Assert.Equal(0, result.Value("queue_count", A));
        Assert.Null(result.Value("queue_wait_avg", A));

        Assert.Equal(140, result.Value("duration_max", B));
        Assert.Equal(40, result.Value("first_response_avg", B));
        Assert.Equal(10, result.Value("response_max", B));
        Assert.Equal(3, result.Value("satisfaction_avg", B));
        Assert.Equal(60, result.Value("queue_wait_max", B));

        Assert.Equal(0, result.Value("conversations", "none"));
        Assert.Equal(30, result.Value("queue_wait_avg", "none"));
        Assert.Equal(1, result.Value("unique_visitors", "none"));
    }

    [Fact]
    public async Task Report_ByChannelAndValidity_UsesTwoDimensionsInTheQueryOrder()
    {
        var (r, _, _, day) = await ScenarioAsync();
        await using var _ = r;
        var result = await r.RunAsync(day, day.AddDays(1), ["unique_visitors", "queue_count", "conversations", "queue_abandoned"], ReportDimension.Validity, ReportDimension.ChannelKind);
        Assert.Equal(2, result.Value("conversations", "valid", "Web") + result.Value("conversations", "valid", "Wechat"));
        Assert.Equal(1, result.Value("unique_visitors", "no_visitor_message", "Web"));
        Assert.Equal(1, result.Value("queue_abandoned", "no_visitor_message", "Web"));
        Assert.Equal(1, result.Value("queue_count", "valid", "Wechat"));
        Assert.Equal(3, result.Rows.Count);

        var byChannel = await r.RunAsync(day, day.AddDays(1), ["unique_visitors", "positive_rating_share"], ReportDimension.ChannelKind);
        Assert.Equal(2, byChannel.Value("unique_visitors", "Web"));
        Assert.Equal(1, byChannel.Value("positive_rating_share", "Web"));
        Assert.Equal(0, byChannel.Value("positive_rating_share", "Wechat"));
    }

    [Fact]
    public async Task Replay_OfEveryEvent_ChangesNothing()
    {
        var (r, _, _, day) = await ScenarioAsync();
        await using var _ = r;
        var before = await RunP1Async(r, day, ReportDimension.Agent, ReportDimension.ChannelKind);
        await r.ReplayAsync();
        await r.ReplayAsync();
        var after = await RunP1Async(r, day, ReportDimension.Agent, ReportDimension.ChannelKind);
        Assert.Equal(3, before.Rows.Count);
        Assert.Equal(Flatten(before), Flatten(after));
    }

    [Fact]
    public async Task Granularity_HourDayWeekMonth_BucketTheRows()
    {
        var (r, _, _, day) = await ScenarioAsync();
        await using var _ = r;
        foreach (var (granularity, bucket) in new[]
        {
            (ReportGranularity.Hour, day.AddHours(9)),
            (ReportGranularity.Day, day),
            (ReportGranularity.Week, day), // 2026-01-05 is a Monday
            (ReportGranularity.Month, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        })
        {
            var result = await r.Reports.RunAsync(r.TenantId, new ReportQuery { From = day.AddDays(-3), To = day.AddDays(2), Metrics = ["conversations", "unique_visitors"], Granularity = granularity });
            var row = Assert.Single(result.Rows);
            Assert.Equal(bucket, row.BucketStart);
            Assert.Equal([2.0, 3.0], row.Values);
        }

        var none = await r.RunAsync(day.AddDays(1), day.AddDays(2), ["conversations"]);
        Assert.Empty(none.Rows);
    }

    [Fact]
    public async Task UtcOffset_MovesDaysWeeksAndMonthsToTheTenantsMidnight()
    {
        var (r, _, _, day) = await ScenarioAsync();
        await using var _ = r;
        foreach (var (hours, granularity, bucket) in new[]
        {
            (8, ReportGranularity.Day, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.FromHours(8))),
            (-10, ReportGranularity.Day, new DateTimeOffset(2026, 1, 4, 0, 0, 0, TimeSpan.FromHours(-10))),
            (-10, ReportGranularity.Week, new DateTimeOffset(2025, 12, 29, 0, 0, 0, TimeSpan.FromHours(-10))),
            (-10, ReportGranularity.Month, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-10))),
            (14, ReportGranularity.Hour, new DateTimeOffset(2026, 1, 5, 23, 0, 0, TimeSpan.FromHours(14))),
        })
        {
            var result = await r.Reports.RunAsync(r.TenantId, new ReportQuery
            {
                From = day.AddDays(-2), To = day.AddDays(2), Metrics = ["conversations"], Granularity = granularity, UtcOffset = TimeSpan.FromHours(hours),
            });
            var row = Assert.Single(result.Rows);
            Assert.Equal(bucket, row.BucketStart);
            Assert.Equal(TimeSpan.FromHours(hours), row.BucketStart!.Value.Offset);
        }

        var e = await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.RunAsync(r.TenantId, new ReportQuery
        {
            From = day, To = day.AddDays(1), Metrics = ["conversations"], UtcOffset = TimeSpan.FromMinutes(330),
        }));
        Assert.Equal("UtcOffset", e.Field);
    }

    [Fact]
    public async Task UniqueVisitors_OverSeveralDays_CountAVisitorOnce()
    {
        await using var r = await ReportingHarness.StartAsync();
        var a = await r.AgentAsync("A");
        var c1 = await r.OpenAsync();
        await r.Conversations.EndAsync(r.TenantId, c1.Id, Participant.Agent(a.Id));
        await r.H.AdvanceAsync(TimeSpan.FromDays(1));
        var c2 = await r.OpenAsync(visitorId: c1.VisitorId);
        await r.Conversations.EndAsync(r.TenantId, c2.Id, Participant.Agent(a.Id));
        var c3 = await r.OpenAsync();
        await r.Conversations.EndAsync(r.TenantId, c3.Id, Participant.Agent(a.Id));
        await r.DeliveredAsync();
        var day = new DateTimeOffset(r.Now.UtcDateTime.Date, TimeSpan.Zero);

        var total = await r.RunAsync(day.AddDays(-1), day.AddDays(1), ["unique_visitors", "conversations"]);
        Assert.Equal(2, total.Value("unique_visitors"));
        Assert.Equal(3, total.Value("conversations"));
        var daily = await r.Reports.RunAsync(r.TenantId, new ReportQuery { From = day.AddDays(-1), To = day.AddDays(1), Metrics = ["unique_visitors"], Granularity = ReportGranularity.Day });
        Assert.Equal([1.0, 2.0], daily.Rows.Select(x => x.Values[0]!.Value));
    }

    [Fact]
    public async Task VisitorTags_ACoversationCountsUnderEachTag()
    {
        await using var r = await ReportingHarness.StartAsync();
        var a = await r.AgentAsync("A");
        var vip = await r.H.Kefu.Directory.AddTagAsync(r.TenantId, TagScope.Visitor, "VIP");
        var new_ = await r.H.Kefu.Directory.AddTagAsync(r.TenantId, TagScope.Visitor, "新客");
        var c1 = await r.OpenAsync();
        await r.Conversations.AddVisitorTagAsync(r.TenantId, c1.VisitorId, vip.Id);
        await r.Conversations.AddVisitorTagAsync(r.TenantId, c1.VisitorId, new_.Id);
        await r.Conversations.EndAsync(r.TenantId, c1.Id, Participant.Agent(a.Id));
        var c2 = await r.OpenAsync();
        await r.Conversations.EndAsync(r.TenantId, c2.Id, Participant.Agent(a.Id));
        await r.DeliveredAsync();
        var day = new DateTimeOffset(r.Now.UtcDateTime.Date, TimeSpan.Zero);

        var result = await r.RunAsync(day, day.AddDays(1), ["conversations"], ReportDimension.VisitorTag);
        Assert.Equal(1, result.Value("conversations", Id(vip.Id)));
        Assert.Equal(1, result.Value("conversations", Id(new_.Id)));
        Assert.Equal(1, result.Value("conversations", "none"));
        var total = await r.RunAsync(day, day.AddDays(1), ["conversations"]);
        Assert.Equal(2, total.Value("conversations"));
    }

    [Fact]
    public async Task ProactiveConversation_IsItsOwnType()
    {
        await using var r = await ReportingHarness.StartAsync();
        var a = await r.AgentAsync("A");
        var c1 = await r.OpenAsync();
        await r.Conversations.EndAsync(r.TenantId, c1.Id, Participant.Agent(a.Id));
        var invited = await r.Conversations.InviteVisitorAsync(r.TenantId, a.Id, c1.VisitorId);
        await r.AgentSaysAsync(invited, a.Id);
        await r.Conversations.EndAsync(r.TenantId, invited.Id, Participant.Agent(a.Id));
        await r.DeliveredAsync();
        var day = new DateTimeOffset(r.Now.UtcDateTime.Date, TimeSpan.Zero);

        var result = await r.RunAsync(day, day.AddDays(1), ["conversations", "unique_visitors"], ReportDimension.ConversationType);
        Assert.Equal(1, result.Value("conversations", "inbound"));
        Assert.Equal(1, result.Value("conversations", "proactive"));
    }

    [Theory]
    [InlineData(91, 1, 0, "To")]
    [InlineData(7, 11, 0, "Metrics")]
    [InlineData(7, 0, 0, "Metrics")]
    [InlineData(7, 1, 3, "Dimensions")]
    public async Task Limits_AreRefused_WithTheLimitNamed(int days, int metrics, int dimensions, string field)
    {
        await using var r = await ReportingHarness.StartAsync();
        var query = new ReportQuery
        {
            From = r.Now,
            To = r.Now.AddDays(days),
            Metrics = [.. MetricCatalog.All.Where(m => m.IsComputed).Take(metrics).Select(m => m.Id)],
            Dimensions = [.. Enum.GetValues<ReportDimension>().Take(dimensions)],
        };
        var e = await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.RunAsync(r.TenantId, query));
        Assert.Equal(field, e.Field);
        Assert.Contains(field == "To" ? "90" : field == "Metrics" ? "10" : "2", e.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadMetricsAndDimensions_AreRefused()
    {
        await using var r = await ReportingHarness.StartAsync();
        async Task<KefuValidationException> Refused(ReportQuery q) => await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.RunAsync(r.TenantId, q));
        var ok = new ReportQuery { From = r.Now, To = r.Now.AddDays(1), Metrics = ["conversations"] };
        Assert.Equal("Metrics", (await Refused(ok with { Metrics = ["nope"] })).Field);
        Assert.Equal("Metrics", (await Refused(ok with { Metrics = ["call_requests"] })).Field);
        Assert.Equal("Metrics", (await Refused(ok with { Metrics = ["conversations", "conversations"] })).Field);
        Assert.Equal("Dimensions", (await Refused(ok with { Dimensions = [ReportDimension.Agent, ReportDimension.Agent] })).Field);
        Assert.Equal("Dimensions", (await Refused(ok with { Dimensions = [(ReportDimension)99] })).Field);
        Assert.Equal("Granularity", (await Refused(ok with { Granularity = (ReportGranularity)99 })).Field);
        Assert.Equal("To", (await Refused(ok with { To = r.Now.AddDays(-1) })).Field);
        var ninety = await r.Reports.RunAsync(r.TenantId, ok with { From = r.Now.AddDays(-90) , To = r.Now, Metrics = [.. MetricCatalog.CustomReportIds.Take(10)], Dimensions = [ReportDimension.Agent, ReportDimension.VisitorTag] });
        Assert.Empty(ninety.Rows);
    }

    [Fact]
    public async Task SavedReports_RoundTrip_WithUniqueNamesAndVersions()
    {
        var (r, a, _, _) = await ScenarioAsync();
        await using var _ = r;
        var definition = new ReportDefinition { Name = " 客服周报 ", Metrics = ["conversations", "duration_avg"], Dimensions = [ReportDimension.Agent], Days = 7 };
        var saved = await r.Reports.SaveAsync(r.TenantId, definition);
        Assert.Equal(1, saved.Version);
        Assert.Equal("客服周报", saved.Definition.Name);
        var e = await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.SaveAsync(r.TenantId, definition));
        Assert.Equal("Name", e.Field);

        var changed = await r.Reports.SaveAsync(r.TenantId, saved.Definition with { Granularity = ReportGranularity.Week }, saved.Version);
        Assert.Equal(2, changed.Version);
        var stale = await Assert.ThrowsAsync<KefuException>(async () => await r.Reports.SaveAsync(r.TenantId, saved.Definition, saved.Version));
        Assert.Equal(KefuErrorKind.Concurrency, stale.Kind);
        await r.Reports.SaveAsync(r.TenantId, definition with { Name = "排队", Metrics = ["queue_wait_avg"] });

        var list = await r.Reports.ListAsync(r.TenantId);
        Assert.Equal(["客服周报", "排队"], list.Select(s => s.Definition.Name).Order(StringComparer.Ordinal));
        var got = await r.Reports.GetAsync(r.TenantId, "客服周报");
        Assert.NotNull(got);
        Assert.Equal(ReportGranularity.Week, got.Definition.Granularity);
        Assert.Equal([ReportDimension.Agent], got.Definition.Dimensions);
        Assert.Equal(["conversations", "duration_avg"], got.Definition.Metrics);

        var run = await r.Reports.RunSavedAsync(r.TenantId, "客服周报");
        Assert.Equal(120, run.Value("duration_avg", Id(a.Id)));

        Assert.True(await r.Reports.DeleteAsync(r.TenantId, "客服周报", 2));
        Assert.Null(await r.Reports.GetAsync(r.TenantId, "客服周报"));
        Assert.False(await r.Reports.DeleteAsync(r.TenantId, "客服周报", 2));
        Assert.Equal("Days", (await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.SaveAsync(r.TenantId, definition with { Name = "x", Days = 91 }))).Field);
        Assert.Equal("Name", (await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.SaveAsync(r.TenantId, definition with { Name = new string('长', 51) }))).Field);
        Assert.Equal("Metrics", (await Assert.ThrowsAsync<KefuValidationException>(async () => await r.Reports.SaveAsync(r.TenantId, definition with { Name = "y", Metrics = [] }))).Field);
    }

    [Fact]
    public async Task QualityScores_AreAveragedByPickUp_FirstScoreOfAConversationCounts()
    {
        var (r, a, b, day) = await ScenarioAsync();
        await using var _ = r;
        var scores = r.H.Services.GetRequiredService<QualityScores>();
        var closed = r.H.Events.Events.Where(e => e.PayloadCase == KefuEvent.PayloadOneofCase.SessionClosed).ToList();
        long Of(long agent) => closed.Single(e => e.SessionClosed.AgentId == agent).ConversationId;
        Assert.True(await scores.RecordAsync(r.TenantId, Of(a.Id), 80));
        Assert.True(await scores.RecordAsync(r.TenantId, Of(b.Id), 90));
        Assert.False(await scores.RecordAsync(r.TenantId, Of(a.Id), 10));
        Assert.False(await scores.RecordAsync(r.TenantId, Of(0), 50)); // abandoned: never picked up
        Assert.Equal("score", (await Assert.ThrowsAsync<KefuValidationException>(async () => await scores.RecordAsync(r.TenantId, Of(a.Id), 101))).Field);

        var result = await r.RunAsync(day, day.AddDays(1), ["quality_score_avg"], ReportDimension.Agent);
        Assert.Equal(80, result.Value("quality_score_avg", Id(a.Id)));
        Assert.Equal(90, result.Value("quality_score_avg", Id(b.Id)));
        Assert.Equal(85, (await r.RunAsync(day, day.AddDays(1), ["quality_score_avg"])).Value("quality_score_avg"));
    }

    [Fact]
    public void AddAnalytics_RegistersReports()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TimeProvider.System);
        services.AddKefu().AddAnalytics();
        Assert.Contains(services, d => d.ServiceType == typeof(IReports));
        Assert.Contains(services, d => d.ServiceType == typeof(IServiceStatistics));
        Assert.Contains(services, d => d.ImplementationType == typeof(ReportingSink));
    }

    private static int CompareIds(string x, string y) =>
        long.TryParse(x, out var a) && long.TryParse(y, out var b) ? a.CompareTo(b) : x == "none" ? (y == "none" ? 0 : 1) : y == "none" ? -1 : string.CompareOrdinal(x, y);

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Flatten(ReportResult result) =>
        [.. result.Rows.Select(x => string.Join(",", x.DimensionValues) + "@" + x.BucketStart + "=" + string.Join(",", x.Values))];
}
