using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Rules;

/// <summary>Consultation navigation (咨询导航, R3; IS 4.1.2–4.1.3): options, rules to a group or a named agent, overflow.</summary>
public class NavigationTests
{
    private static NavigationSettings Menu(bool enabled = true) => new()
    {
        Enabled = enabled,
        Options = [new NavigationOption("billing", "账单问题"), new NavigationOption("tech", "技术支持", "安装与故障")],
    };

    [Fact]
    public async Task NavigationRule_WhenVisitorChoosesAnOption_SendsToItsGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Out", online: true);
        var member = await h.AddAgentAsync("Billing", online: true);
        var billing = await h.AddGroupAsync("Billing", member);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = Menu(),
            Rules = [new RoutingRule { Name = "billing", NavigationOption = "billing", AllDay = RoutingTarget.Group(billing.Id) }],
        });

        var c = await h.OpenAsync(navigation: "billing");

        Assert.Equal("billing", c.NavigationOption);
        Assert.Equal(billing.Id, c.GroupId);
        Assert.Equal(member.Id, c.AgentId);
        Assert.Equal("navigation rule 'billing'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task NavigationRule_WhenItNamesAnAgent_SendsToThatAgent_OrQueuesForThemWhenTheyCannotTakeIt()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Out", online: true);
        var expert = await h.AddAgentAsync("Expert", maxConcurrentChats: 1, online: true);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = Menu(),
            Rules = [new RoutingRule { Name = "tech", NavigationOption = "tech", AllDay = RoutingTarget.Agent(expert.Id) }],
        });

        var served = await h.OpenAsync(navigation: "tech");
        var waiting = await h.OpenAsync(navigation: "tech");

        Assert.Equal(ConversationState.InService, served.State);
        Assert.Equal(expert.Id, served.AgentId);
        Assert.Equal("navigation rule 'tech'", served.Routing[^1].Rule);
        Assert.Equal(ConversationState.Queued, waiting.State);
        Assert.Equal(expert.Id, waiting.QueuedForAgentId);
        Assert.Equal(expert.Id, waiting.Routing[^1].AgentId);
        var queued = Assert.Single(h.EventsOf(KefuEvent.PayloadOneofCase.SessionQueued, waiting.Id));
        Assert.Equal(expert.Id, queued.SessionQueued.AgentId);
    }

    [Fact]
    public async Task Overflow_WhenTheGroupsQueueExceedsN_SendsToTheOverflowGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        var busy = await h.AddAgentAsync("Billing", online: false);
        var spare = await h.AddAgentAsync("Spare", online: true);
        var billing = await h.AddGroupAsync("Billing", busy);
        var overflow = await h.AddGroupAsync("Overflow", spare);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = Menu(),
            Rules =
            [
                new RoutingRule
                {
                    Name = "billing", NavigationOption = "billing", AllDay = RoutingTarget.Group(billing.Id),
                    Overflow = new QueueOverflow(1, RoutingTarget.Group(overflow.Id)),
                },
            ],
        });

        var first = await h.OpenAsync(navigation: "billing");   // 0 waiting: queues for billing
        var second = await h.OpenAsync(navigation: "billing");  // 1 waiting, not more than 1: queues for billing
        var third = await h.OpenAsync(navigation: "billing");   // 2 waiting > 1: overflows

        Assert.Equal(ConversationState.Queued, first.State);
        Assert.Equal(billing.Id, first.GroupId);
        Assert.Equal(ConversationState.Queued, second.State);
        Assert.Equal(billing.Id, second.GroupId);
        Assert.Equal(ConversationState.InService, third.State);
        Assert.Equal(overflow.Id, third.GroupId);
        Assert.Equal(spare.Id, third.AgentId);
        Assert.Equal("navigation rule 'billing' (overflow)", third.Routing[^1].Rule);
    }

    [Fact]
    public async Task Overflow_WhenTheNamedAgentsQueueExceedsN_SendsToTheOverflowAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var expert = await h.AddAgentAsync("Expert", maxConcurrentChats: 1, online: true);
        var backup = await h.AddAgentAsync("Backup", online: true);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = Menu(),
            Rules =
            [
                new RoutingRule
                {
                    Name = "tech", NavigationOption = "tech", AllDay = RoutingTarget.Agent(expert.Id),
                    Overflow = new QueueOverflow(0, RoutingTarget.Agent(backup.Id)),
                },
            ],
        });

        var served = await h.OpenAsync(navigation: "tech");
        var waiting = await h.OpenAsync(navigation: "tech");
        var overflowed = await h.OpenAsync(navigation: "tech");

        Assert.Equal(expert.Id, served.AgentId);
        Assert.Equal(ConversationState.Queued, waiting.State);
        Assert.Equal(expert.Id, waiting.QueuedForAgentId);
        Assert.Equal(ConversationState.InService, overflowed.State);
        Assert.Equal(backup.Id, overflowed.AgentId);
        Assert.Equal("navigation rule 'tech' (overflow)", overflowed.Routing[^1].Rule);
    }

    [Fact]
    public async Task DisabledNavigationRule_IsSkipped_AndTheNextRuleForTheOptionApplies()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.AddAgentAsync("First", online: true);
        var second = await h.AddAgentAsync("Second", online: true);
        var g1 = await h.AddGroupAsync("G1", first);
        var g2 = await h.AddGroupAsync("G2", second);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = Menu(),
            Rules =
            [
                new RoutingRule { Name = "billing old", Enabled = false, NavigationOption = "billing", AllDay = RoutingTarget.Group(g1.Id) },
                new RoutingRule { Name = "billing new", NavigationOption = "billing", AllDay = RoutingTarget.Group(g2.Id) },
            ],
        });

        var c = await h.OpenAsync(navigation: "billing");

        Assert.Equal(g2.Id, c.GroupId);
        Assert.Equal(second.Id, c.AgentId);
        Assert.Equal("navigation rule 'billing new'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task NavigationRule_WhenNavigationIsOff_IsIgnored()
    {
        await using var h = await RoutingHarness.StartAsync();
        var outsider = await h.AddAgentAsync("Out", online: true);
        var member = await h.AddAgentAsync("Billing", online: false);
        var billing = await h.AddGroupAsync("Billing", member);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = Menu(enabled: false),
            Rules = [new RoutingRule { Name = "billing", NavigationOption = "billing", AllDay = RoutingTarget.Group(billing.Id) }],
        });

        var c = await h.OpenAsync(navigation: "billing");

        Assert.Equal(ConversationState.InService, c.State);
        Assert.Null(c.GroupId);
        Assert.Equal(outsider.Id, c.AgentId);
        Assert.Equal("default rule", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task GetNavigation_ReturnsOnlyEnabledOptions_OrNullWhenOffOrNoOptionIsEnabled()
    {
        await using var h = await RoutingHarness.StartAsync();
        Assert.Null(await h.Rules().GetNavigationAsync(h.TenantId));

        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = new NavigationSettings
            {
                Enabled = true,
                Prompt = "请选择",
                Options = [new NavigationOption("a", "A"), new NavigationOption("b", "B", Enabled: false), new NavigationOption("c", "C")],
            },
        });
        var shown = await h.Rules().GetNavigationAsync(h.TenantId);

        Assert.NotNull(shown);
        Assert.Equal("请选择", shown.Prompt);
        Assert.Equal(["a", "c"], shown.Options.Select(o => o.Key));

        await h.SaveRoutingAsync(new RoutingConfiguration { Navigation = Menu(enabled: false) });
        Assert.Null(await h.Rules().GetNavigationAsync(h.TenantId));

        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Navigation = new NavigationSettings { Enabled = true, Options = [new NavigationOption("a", "A", Enabled: false)] },
        });
        Assert.Null(await h.Rules().GetNavigationAsync(h.TenantId));
    }
}
