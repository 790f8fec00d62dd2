using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Routing.Tests.Configuration;

/// <summary>Saving a routing configuration: every invalid field is refused by name, and a refused save changes nothing.</summary>
public class ConfigurationValidationTests
{
    private static WorkPeriod P(int from, int to) => new(new TimeOnly(from, 0), new TimeOnly(to, 0));

    private static WorkSchedule Monday(params WorkPeriod[] periods) =>
        new() { Week = new Dictionary<DayOfWeek, IReadOnlyList<WorkPeriod>> { [DayOfWeek.Monday] = periods } };

    private static async Task<KefuValidationException> RefusedAsync(KefuTestHarness h, RoutingConfiguration configuration) =>
        await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Rules().SaveAsync(h.TenantId, configuration));

    [Fact]
    public async Task Save_RuleWithTwoMatchers_IsRefusedNamingTheRule()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("G");

        var e = await RefusedAsync(h, new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "ok", Channel = ChannelKind.App, AllDay = RoutingTarget.Group(group.Id) },
                new RoutingRule { Name = "both", Channel = ChannelKind.Web, Entry = "button", AllDay = RoutingTarget.Group(group.Id) },
            ],
        });

        Assert.Equal("Rules[1]", e.Field);
    }

    [Fact]
    public async Task Save_UnknownStrategy_IsRefusedNamingTheGroupsStrategy()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("G");

        var e = await RefusedAsync(h, new RoutingConfiguration { Groups = [new GroupRouting(group.Id, "fastest-typist")] });

        Assert.Equal("Groups[0].Strategy", e.Field);
        Assert.Contains(LeastLoadedStrategy.StrategyName, e.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_FivePeriodsInADay_IsRefusedNamingTheDay()
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await RefusedAsync(h, new RoutingConfiguration { WorkHours = Monday(P(1, 2), P(3, 4), P(5, 6), P(7, 8), P(9, 10)) });

        Assert.Equal("WorkHours.Week.Monday", e.Field);
    }

    [Fact]
    public async Task Save_FourPeriodsInADay_IsAccepted()
    {
        await using var h = await RoutingHarness.StartAsync();

        await h.SaveRoutingAsync(new RoutingConfiguration { WorkHours = Monday(P(1, 2), P(3, 4), P(5, 6), P(7, 8)) });

        Assert.Equal(4, (await h.Rules().GetAsync(h.TenantId)).WorkHours.Week[DayOfWeek.Monday].Count);
    }

    [Fact]
    public async Task Save_OverlappingPeriods_IsRefusedNamingTheDay()
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await RefusedAsync(h, new RoutingConfiguration { WorkHours = Monday(P(13, 18), P(9, 14)) });

        Assert.Equal("WorkHours.Week.Monday", e.Field);
    }

    [Fact]
    public async Task Save_PeriodEndingBeforeItStarts_IsRefusedNamingTheDay()
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await RefusedAsync(h, new RoutingConfiguration { WorkHours = Monday(P(18, 9)) });

        Assert.Equal("WorkHours.Week.Monday", e.Field);
    }

    [Fact]
    public async Task Save_UnknownTimeZone_IsRefused()
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await RefusedAsync(h, new RoutingConfiguration { WorkHours = new WorkSchedule { TimeZone = "Mars/Olympus_Mons" } });

        Assert.Equal("WorkHours.TimeZone", e.Field);
    }

    [Theory]
    [InlineData(RobotMode.RobotOnly)]
    [InlineData(RobotMode.RobotFirst)]
    [InlineData(RobotMode.HumanFirst)]
    public async Task Save_RobotModeWithoutARobot_IsRefused(RobotMode mode)
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await RefusedAsync(h, new RoutingConfiguration { RobotMode = mode });

        Assert.Equal("DefaultRobotId", e.Field);
    }

    [Fact]
    public async Task Save_HumanOnlyWithoutARobot_IsAccepted()
    {
        await using var h = await RoutingHarness.StartAsync();

        await h.SaveRoutingAsync(new RoutingConfiguration { RobotMode = RobotMode.HumanOnly });

        Assert.Equal(RobotMode.HumanOnly, (await h.Rules().GetAsync(h.TenantId)).RobotMode);
    }

    [Fact]
    public async Task Save_OverflowToARobot_IsRefused()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("G");

        var e = await RefusedAsync(h, new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule
                {
                    Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id),
                    Overflow = new QueueOverflow(5, RoutingTarget.Robot(RoutingHarness.RobotId)),
                },
            ],
        });

        Assert.Equal("Rules[0].Overflow.Target", e.Field);
    }

    [Fact]
    public async Task Save_DuplicateRuleNames_AreRefused()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("G");

        var e = await RefusedAsync(h, new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "same", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id) },
                new RoutingRule { Name = "same", Channel = ChannelKind.App, AllDay = RoutingTarget.Group(group.Id) },
            ],
        });

        Assert.Equal("Rules[1].Name", e.Field);
    }

    [Fact]
    public async Task Save_NavigationRuleForAnUnknownOption_IsRefused()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("G");

        var e = await RefusedAsync(h, new RoutingConfiguration
        {
            Navigation = new NavigationSettings { Enabled = true, Options = [new NavigationOption("billing", "账单")] },
            Rules = [new RoutingRule { Name = "tech", NavigationOption = "tech", AllDay = RoutingTarget.Group(group.Id) }],
        });

        Assert.Equal("Rules[0].NavigationOption", e.Field);
    }

    [Fact]
    public async Task Save_KindOrderWithARepeatedKind_IsRefused()
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await RefusedAsync(h, new RoutingConfiguration { KindOrder = [RuleKind.Channel, RuleKind.Channel, RuleKind.Entry] });

        Assert.Equal("KindOrder", e.Field);
    }

    [Fact]
    public async Task Save_RuleTargetingAnUnknownGroup_IsRefusedAsNotFound()
    {
        await using var h = await RoutingHarness.StartAsync();

        var e = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Rules().SaveAsync(h.TenantId, new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(987_654_321) }],
        }));

        Assert.Contains("987654321", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedSave_LeavesThePreviousConfigurationInForce()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Outsider", online: true);
        var member = await h.AddAgentAsync("Member", online: true);
        var group = await h.AddGroupAsync("Web", member);
        var saved = new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id) }],
        };
        await h.SaveRoutingAsync(saved);

        await RefusedAsync(h, saved with { Groups = [new GroupRouting(group.Id, "no-such-strategy")] });
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Rules().SaveAsync(h.TenantId,
            new RoutingConfiguration { DefaultTarget = RoutingTarget.Group(123_456_789) }));
        var current = await h.Rules().GetAsync(h.TenantId);
        var c = await h.OpenAsync();

        Assert.Equal("web", Assert.Single(current.Rules).Name);
        Assert.Empty(current.Groups);
        Assert.Null(current.DefaultTarget);
        Assert.Equal(group.Id, c.GroupId);
        Assert.Equal(member.Id, c.AgentId);
        Assert.Equal("channel rule 'web'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task SavedConfiguration_ReadsBackAsSaved()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("G");
        var configuration = new RoutingConfiguration
        {
            RobotMode = RobotMode.RobotFirst,
            DefaultRobotId = RoutingHarness.RobotId,
            DefaultTarget = RoutingTarget.Group(group.Id),
            KindOrder = [RuleKind.Entry, RuleKind.Association, RuleKind.Channel],
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, WorkHours = RoutingTarget.Group(group.Id), OffHours = RoutingTarget.Robot(RoutingHarness.RobotId) }],
            WorkHours = new WorkSchedule { Holidays = [new DateOnly(2026, 10, 1)] },
            Groups = [new GroupRouting(group.Id, RoundRobinStrategy.StrategyName, RequireAcceptance: true)],
        };

        await h.SaveRoutingAsync(configuration);
        var read = await h.Rules().GetAsync(h.TenantId);

        Assert.Equal(RobotMode.RobotFirst, read.RobotMode);
        Assert.Equal(RoutingHarness.RobotId, read.DefaultRobotId);
        Assert.Equal(configuration.DefaultTarget, read.DefaultTarget);
        Assert.Equal(configuration.KindOrder, read.KindOrder);
        Assert.Equal(configuration.Rules, read.Rules);
        Assert.Equal(configuration.WorkHours.Holidays, read.WorkHours.Holidays);
        Assert.Equal(configuration.Groups, read.Groups);
    }

    [Fact]
    public async Task DeletingASkillGroupUsedByARule_IsRefusedNamingTheRule()
    {
        await using var h = await RoutingHarness.StartAsync();
        var group = await h.AddGroupAsync("Web");
        var unused = await h.AddGroupAsync("Unused");
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web visitors", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id) }],
        });

        var e = await Assert.ThrowsAsync<KefuException>(async () => await h.Kefu.Directory.DeleteSkillGroupAsync(h.TenantId, group.Id));
        await h.Kefu.Directory.DeleteSkillGroupAsync(h.TenantId, unused.Id);

        Assert.Equal(KefuErrorKind.InUse, e.Kind);
        Assert.Contains("'web visitors'", e.Message, StringComparison.Ordinal);
        Assert.Contains(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId), g => g.Id == group.Id);
        Assert.DoesNotContain(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId), g => g.Id == unused.Id);
    }

    [Fact]
    public async Task DeletingASkillGroupUsedAsOverflowOrDefaultTarget_IsRefusedNamingThem()
    {
        await using var h = await RoutingHarness.StartAsync();
        var main = await h.AddGroupAsync("Main");
        var spill = await h.AddGroupAsync("Spill");
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            DefaultTarget = RoutingTarget.Group(spill.Id),
            Rules =
            [
                new RoutingRule
                {
                    Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(main.Id),
                    Overflow = new QueueOverflow(3, RoutingTarget.Group(spill.Id)),
                },
            ],
        });

        var e = await Assert.ThrowsAsync<KefuException>(async () => await h.Kefu.Directory.DeleteSkillGroupAsync(h.TenantId, spill.Id));

        Assert.Equal(KefuErrorKind.InUse, e.Kind);
        Assert.Contains("'web'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'default rule'", e.Message, StringComparison.Ordinal);
    }
}
