using Kefu.Events;
using Kefu.Model;
using NSubstitute;

namespace Kefu.Routing.Tests.Rules;

/// <summary>E17 8.5.5: how rule priority decides between a robot and a skill group, and where a robot's hand-off goes (R2).</summary>
public class RobotPriorityTests
{
    private const long Robot = RoutingHarness.RobotId;

    [Fact]
    public async Task HandOff_WhenHigherRuleIsRobotAndRobotHasItsOwnGroup_GoesToTheRobotsGroup()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        var lowerAgent = await h.AddAgentAsync("Lower", online: true);
        var robotAgent = await h.AddAgentAsync("Robot's", online: true);
        var lower = await h.AddGroupAsync("Lower rule's group", lowerAgent);
        var robotGroup = await h.AddGroupAsync("Robot's transfer group", robotAgent);
        RoutingHarness.HandOffTo(bot, robotGroup.Id);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "web robot", Channel = ChannelKind.Web, AllDay = RoutingTarget.Robot(Robot) },
                new RoutingRule { Name = "button", Entry = "button", AllDay = RoutingTarget.Group(lower.Id) },
            ],
        });

        var opened = await h.OpenAsync(entry: "button");
        await h.SendTextAsync(opened.Id, Participant.Visitor(opened.VisitorId), "转人工");
        var c = await h.GetAsync(opened.Id);

        Assert.Equal(ConversationState.Bot, opened.State);
        Assert.Equal(Robot, opened.RobotId);
        Assert.Equal("channel rule 'web robot'", opened.Routing[^1].Rule);
        Assert.Equal(ConversationState.InService, c.State);
        Assert.Equal(robotGroup.Id, c.GroupId);
        Assert.Equal(robotAgent.Id, c.AgentId);
        var handOff = c.Routing[^1];
        Assert.Equal(RoutingReason.HandOff, handOff.Reason);
        Assert.Equal(RoutingOutcome.Assign, handOff.Outcome);
        Assert.Equal("the robot's transfer-to-human group", handOff.Rule);
    }

    [Fact]
    public async Task HandOff_WhenHigherRuleIsRobotAndRobotHasNoGroup_GoesToTheLowerRulesGroup()
    {
        var bot = RoutingHarness.HandingOffBot(targetGroupId: null);
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        await h.AddAgentAsync("Outsider", online: true);
        var lowerAgent = await h.AddAgentAsync("Lower", online: true);
        var lower = await h.AddGroupAsync("Lower rule's group", lowerAgent);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "web robot", Channel = ChannelKind.Web, AllDay = RoutingTarget.Robot(Robot) },
                new RoutingRule { Name = "button", Entry = "button", AllDay = RoutingTarget.Group(lower.Id) },
            ],
        });

        var opened = await h.OpenAsync(entry: "button");
        await h.SendTextAsync(opened.Id, Participant.Visitor(opened.VisitorId), "转人工");
        var c = await h.GetAsync(opened.Id);

        Assert.Equal(ConversationState.Bot, opened.State);
        Assert.Equal(ConversationState.InService, c.State);
        Assert.Equal(lower.Id, c.GroupId);
        Assert.Equal(lowerAgent.Id, c.AgentId);
        Assert.Equal(RoutingReason.HandOff, c.Routing[^1].Reason);
        Assert.Equal("entry rule 'button'", c.Routing[^1].Rule);
    }

    [Fact]
    public async Task GroupRule_WhenRankedAboveARobotRule_TheGroupServesAndNoRobotEverTakesIt()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        var member = await h.AddAgentAsync("Member", maxConcurrentChats: 1, online: true);
        var group = await h.AddGroupAsync("Higher rule's group", member);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id) },
                new RoutingRule { Name = "button robot", Entry = "button", AllDay = RoutingTarget.Robot(Robot) },
            ],
        });

        var served = await h.OpenAsync(entry: "button");
        var waiting = await h.OpenAsync(entry: "button"); // the group is full: it waits for the group, not for the robot

        Assert.Equal(ConversationState.InService, served.State);
        Assert.Equal(group.Id, served.GroupId);
        Assert.Equal(member.Id, served.AgentId);
        Assert.Null(served.RobotId);
        Assert.Equal(ConversationState.Queued, waiting.State);
        Assert.Equal(group.Id, waiting.GroupId);
        Assert.Null(waiting.RobotId);
        Assert.All(new[] { served, waiting }, c => Assert.DoesNotContain(c.Routing, r => r.Outcome == RoutingOutcome.Bot));
        bot.DidNotReceive().Start(Arg.Any<long>(), Arg.Any<long>(), Arg.Any<Conversation>());
    }
}
