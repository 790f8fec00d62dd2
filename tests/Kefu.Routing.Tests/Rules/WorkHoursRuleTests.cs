using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Routing.Tests.Rules;

/// <summary>Rules split by work and off hours, holidays and days of up to four periods (R1, R5).</summary>
public class WorkHoursRuleTests
{
    private static readonly DateOnly Monday = new(2026, 1, 5);

    private sealed record Setup(SkillGroup Day, Agent DayAgent, SkillGroup Night, Agent NightAgent);

    private static async Task<Setup> SplitRuleAsync(KefuTestHarness h, WorkSchedule? schedule = null)
    {
        var dayAgent = await h.AddAgentAsync("Day", online: true);
        var nightAgent = await h.AddAgentAsync("Night", online: true);
        var day = await h.AddGroupAsync("Day shift", dayAgent);
        var night = await h.AddGroupAsync("Night shift", nightAgent);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, WorkHours = RoutingTarget.Group(day.Id), OffHours = RoutingTarget.Group(night.Id) }],
            WorkHours = schedule ?? new WorkSchedule(),
        });
        return new Setup(day, dayAgent, night, nightAgent);
    }

    [Fact]
    public async Task SplitRule_DuringWorkHours_SendsToTheWorkHoursTarget_AfterSixPmShanghai_ToTheOffHoursTarget()
    {
        await using var h = await RoutingHarness.StartAsync();
        var s = await SplitRuleAsync(h);

        var at5pm = await h.OpenAsync();
        await h.AdvanceAsync(TimeSpan.FromMinutes(61)); // 18:01 Asia/Shanghai
        var at6pm = await h.OpenAsync();

        Assert.Equal(s.Day.Id, at5pm.GroupId);
        Assert.Equal(s.DayAgent.Id, at5pm.AgentId);
        Assert.Equal(s.Night.Id, at6pm.GroupId);
        Assert.Equal(s.NightAgent.Id, at6pm.AgentId);
        Assert.Equal("channel rule 'web'", at6pm.Routing[^1].Rule);
    }

    [Fact]
    public async Task SplitRule_OnAHoliday_SendsToTheOffHoursTarget()
    {
        await using var h = await RoutingHarness.StartAsync();
        var s = await SplitRuleAsync(h, new WorkSchedule { Holidays = [Monday] });

        var c = await h.OpenAsync();

        Assert.Equal(s.Night.Id, c.GroupId);
        Assert.Equal(s.NightAgent.Id, c.AgentId);
        Assert.False(await h.Rules().IsWorkTimeAsync(h.TenantId, h.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task SplitRule_OnADayOfFourPeriods_FollowsEachPeriod()
    {
        await using var h = await RoutingHarness.StartAsync();
        WorkPeriod P(int h1, int m1, int h2, int m2) => new(new TimeOnly(h1, m1), new TimeOnly(h2, m2));
        var schedule = new WorkSchedule
        {
            Week = new Dictionary<DayOfWeek, IReadOnlyList<WorkPeriod>>
            {
                [DayOfWeek.Monday] = [P(8, 0, 9, 0), P(10, 0, 11, 0), P(13, 0, 14, 0), P(16, 30, 17, 30)],
            },
        };
        var s = await SplitRuleAsync(h, schedule);

        var inFourthPeriod = await h.OpenAsync();                 // 17:00
        await h.AdvanceAsync(TimeSpan.FromMinutes(30));
        var atItsEnd = await h.OpenAsync();                        // 17:30, the end is exclusive

        Assert.Equal(s.Day.Id, inFourthPeriod.GroupId);
        Assert.Equal(s.Night.Id, atItsEnd.GroupId);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        DateTimeOffset Local(int hour, int minute, int day = 5) => new(2026, 1, day, hour, minute, 0, zone.GetUtcOffset(new DateTime(2026, 1, day)));
        Assert.True(await h.Rules().IsWorkTimeAsync(h.TenantId, Local(8, 30)));
        Assert.False(await h.Rules().IsWorkTimeAsync(h.TenantId, Local(9, 30)));
        Assert.True(await h.Rules().IsWorkTimeAsync(h.TenantId, Local(10, 0)));
        Assert.False(await h.Rules().IsWorkTimeAsync(h.TenantId, Local(12, 0)));
        Assert.True(await h.Rules().IsWorkTimeAsync(h.TenantId, Local(13, 59)));
        Assert.False(await h.Rules().IsWorkTimeAsync(h.TenantId, Local(10, 30, day: 6))); // Tuesday has no periods
    }

    [Fact]
    public async Task RuleWithOnlyAWorkHoursTarget_OutsideWorkHours_DoesNotMatch()
    {
        await using var h = await RoutingHarness.StartAsync();
        var member = await h.AddAgentAsync("Member", online: true);
        var group = await h.AddGroupAsync("Day shift", member);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, WorkHours = RoutingTarget.Group(group.Id) }],
        });

        var during = await h.OpenAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(2));
        var after = await h.OpenAsync();

        Assert.Equal(group.Id, during.GroupId);
        Assert.Null(after.GroupId);
        Assert.Equal("default rule", after.Routing[^1].Rule);
    }
}
