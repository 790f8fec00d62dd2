using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Rules;

/// <summary>Assignment rules by channel, association and entry, the default rule and the priority of rule kinds (R1, R2; E17 8.5).</summary>
public class AssignmentRuleTests
{
    [Fact]
    public async Task ChannelRule_WhenChannelMatches_SendsToItsGroup_AndOtherChannelsToAnyAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var appAgent = await h.AddAgentAsync("App", online: true);
        var app = await h.AddGroupAsync("App group", appAgent);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "app", Channel = ChannelKind.App, AllDay = RoutingTarget.Group(app.Id) }],
        });

        var fromApp = await h.OpenAsync(ChannelKind.App);
        var fromWeb = await h.OpenAsync(ChannelKind.Web);

        Assert.Equal(ConversationState.InService, fromApp.State);
        Assert.Equal(app.Id, fromApp.GroupId);
        Assert.Equal(appAgent.Id, fromApp.AgentId);
        Assert.Equal("channel rule 'app'", fromApp.Routing[^1].Rule);
        Assert.Null(fromWeb.GroupId);
        Assert.Equal("default rule", fromWeb.Routing[^1].Rule);
    }

    [Fact]
    public async Task AssociationRule_WhenAssociationMatches_SendsToItsGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        var outsider = await h.AddAgentAsync("Out", online: true);
        var member = await h.AddAgentAsync("Member", online: true);
        var group = await h.AddGroupAsync("Official account", member);
        var channel = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Wechat, "WeChat", "wechat1");
        var association = await h.Kefu.Directory.AddAssociationAsync(h.TenantId, channel.Id, "公众号");
        var other = await h.Kefu.Directory.AddAssociationAsync(h.TenantId, channel.Id, "另一个公众号");
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "oa", AssociationId = association.Id, AllDay = RoutingTarget.Group(group.Id) }],
        });

        var matching = await h.OpenAsync(ChannelKind.Wechat, associationId: association.Id);
        var notMatching = await h.OpenAsync(ChannelKind.Wechat, associationId: other.Id);

        Assert.Equal(group.Id, matching.GroupId);
        Assert.Equal(member.Id, matching.AgentId);
        Assert.Equal("association rule 'oa'", matching.Routing[^1].Rule);
        Assert.Null(notMatching.GroupId);
        Assert.Equal("default rule", notMatching.Routing[^1].Rule);
        Assert.Contains(notMatching.AgentId, new long?[] { outsider.Id, member.Id });
    }

    [Fact]
    public async Task EntryRule_WhenEntryNameMatches_SendsToItsGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Out", online: true);
        var member = await h.AddAgentAsync("Member", online: true);
        var group = await h.AddGroupAsync("Pre-sales", member);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "buy button", Entry = "buy", AllDay = RoutingTarget.Group(group.Id) }],
        });

        var c = await h.OpenAsync(entry: "buy");
        var other = await h.OpenAsync(entry: "help");

        Assert.Equal(group.Id, c.GroupId);
        Assert.Equal(member.Id, c.AgentId);
        Assert.Equal("entry rule 'buy button'", c.Routing[^1].Rule);
        Assert.Equal("default rule", other.Routing[^1].Rule);
    }

    [Fact]
    public async Task EntryRule_WhenEntryButtonIsBoundToItsGroup_SendsToTheRulesTarget()
    {
        await using var h = await RoutingHarness.StartAsync();
        var buttonMember = await h.AddAgentAsync("Button", online: true);
        var targetMember = await h.AddAgentAsync("Target", online: true);
        var button = await h.AddGroupAsync("Button group", buttonMember);
        var target = await h.AddGroupAsync("Target group", targetMember);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "button", EntryGroupId = button.Id, AllDay = RoutingTarget.Group(target.Id) }],
        });

        var c = await h.OpenAsync(groupId: button.Id);

        Assert.Equal(button.Id, c.EntryGroupId);
        Assert.Equal(target.Id, c.GroupId);
        Assert.Equal(targetMember.Id, c.AgentId);
        Assert.Equal("entry rule 'button'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task EntryButtonGroup_WhenNoRuleMatches_SendsToTheButtonsGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Out", online: true);
        var member = await h.AddAgentAsync("Member", online: true);
        var button = await h.AddGroupAsync("Button group", member);

        var c = await h.OpenAsync(groupId: button.Id);

        Assert.Equal(button.Id, c.GroupId);
        Assert.Equal(member.Id, c.AgentId);
        Assert.Equal("entry button's skill group", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task DefaultRule_WhenNoRuleMatches_SendsToTheAgentsInNoGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", online: true);
        var grouped = await h.AddAgentAsync("B", online: true);
        await h.AddGroupAsync("Some group", grouped);

        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync();

        // E17 8.5.4: conversations no rule matches go to the agents in no skill group.
        Assert.All(new[] { c1, c2 }, c =>
        {
            Assert.Equal(ConversationState.InService, c.State);
            Assert.Null(c.GroupId);
            Assert.Equal(a.Id, c.AgentId);
            Assert.Equal("default rule", c.Routing[^1].Rule);
            Assert.Equal(1, c.Routing[^1].Eligible);
        });
        Assert.Equal(0, (await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).Single(p => p.AgentId == grouped.Id).ActiveConversations);
    }

    [Fact]
    public async Task DefaultRule_WhenNoUngroupedAgentCanTakeIt_QueuesForThem_AndGroupedAgentsCannotPickIt()
    {
        await using var h = await RoutingHarness.StartAsync();
        var grouped = await h.AddAgentAsync("B", online: true);
        await h.AddGroupAsync("Some group", grouped);
        var loner = await h.AddAgentAsync("Loner");

        var c = await h.OpenAsync();

        Assert.Equal(ConversationState.Queued, c.State);
        Assert.Equal(QueueTargetKind.Ungrouped, (await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, c.Id))!.Queue);
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, grouped.Id, c.Id));
        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, loner.Id, AgentStatus.Online);
        Assert.Equal(loner.Id, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).AgentId);
    }

    [Fact]
    public async Task DefaultRule_WithTheAnyAgentPool_SendsToEveryOnlineAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", online: true);
        var grouped = await h.AddAgentAsync("B", online: true);
        await h.AddGroupAsync("Some group", grouped);
        await h.SaveRoutingAsync(new RoutingConfiguration { DefaultPool = DefaultPool.AnyAgent });

        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync();

        Assert.All(new[] { c1, c2 }, c => Assert.Equal(2, c.Routing[^1].Eligible));
        Assert.Equal(new long?[] { a.Id, grouped.Id }.Order(), new[] { c1.AgentId, c2.AgentId }.Order());
    }

    [Fact]
    public async Task DefaultRule_WhenDefaultTargetIsAGroup_SendsUnmatchedConversationsThere()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Out", online: true);
        var member = await h.AddAgentAsync("Member", online: true);
        var fallback = await h.AddGroupAsync("Fallback", member);
        await h.SaveRoutingAsync(new RoutingConfiguration { DefaultTarget = RoutingTarget.Group(fallback.Id) });

        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync(ChannelKind.App);

        Assert.All(new[] { c1, c2 }, c =>
        {
            Assert.Equal(fallback.Id, c.GroupId);
            Assert.Equal(member.Id, c.AgentId);
            Assert.Equal("default rule", c.Routing[^1].Rule);
        });
    }

    [Fact]
    public async Task DisabledRule_IsIgnored_AndTheNextMatchingRuleApplies()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.AddAgentAsync("First", online: true);
        var second = await h.AddAgentAsync("Second", online: true);
        var g1 = await h.AddGroupAsync("G1", first);
        var g2 = await h.AddGroupAsync("G2", second);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "off", Enabled = false, Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(g1.Id) },
                new RoutingRule { Name = "on", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(g2.Id) },
            ],
        });

        var c = await h.OpenAsync();

        Assert.Equal(g2.Id, c.GroupId);
        Assert.Equal(second.Id, c.AgentId);
        Assert.Equal("channel rule 'on'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task RulesOfOneKind_WhenTwoMatch_TheFirstWins()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.AddAgentAsync("First", online: true);
        var second = await h.AddAgentAsync("Second", online: true);
        var g1 = await h.AddGroupAsync("G1", first);
        var g2 = await h.AddGroupAsync("G2", second);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "web 1", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(g1.Id) },
                new RoutingRule { Name = "web 2", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(g2.Id) },
            ],
        });

        var c = await h.OpenAsync();

        Assert.Equal(g1.Id, c.GroupId);
        Assert.Equal(first.Id, c.AgentId);
        Assert.Equal("channel rule 'web 1'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task KindOrder_WhenEntryIsRankedAboveChannel_TheEntryRuleWins()
    {
        await using var h = await RoutingHarness.StartAsync();
        var channelAgent = await h.AddAgentAsync("Channel", online: true);
        var entryAgent = await h.AddAgentAsync("Entry", online: true);
        var byChannel = await h.AddGroupAsync("By channel", channelAgent);
        var byEntry = await h.AddGroupAsync("By entry", entryAgent);
        var rules = new RoutingRule[]
        {
            new() { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(byChannel.Id) },
            new() { Name = "button", Entry = "button", AllDay = RoutingTarget.Group(byEntry.Id) },
        };
        await h.SaveRoutingAsync(new RoutingConfiguration { Rules = rules });

        var byDefaultOrder = await h.OpenAsync(entry: "button");
        await h.SaveRoutingAsync(new RoutingConfiguration { Rules = rules, KindOrder = [RuleKind.Entry, RuleKind.Channel, RuleKind.Association] });
        var entryFirst = await h.OpenAsync(entry: "button");

        Assert.Equal(byChannel.Id, byDefaultOrder.GroupId);
        Assert.Equal("channel rule 'web'", byDefaultOrder.Routing[^1].Rule);
        Assert.Equal(byEntry.Id, entryFirst.GroupId);
        Assert.Equal(entryAgent.Id, entryFirst.AgentId);
        Assert.Equal("entry rule 'button'", entryFirst.Routing[^1].Rule);
    }
}
