using Kefu.Events;
using Kefu.Model;
using NSubstitute;

namespace Kefu.Routing.Tests.Rules;

/// <summary>The robot modes of IS 4.1.4 (R4): robot only, robot first, human only, human first.</summary>
public class RobotModeTests
{
    private const long Robot = RoutingHarness.RobotId;

    [Fact]
    public async Task RobotOnly_RobotTakesTheVisitor_AndAHandOffIsRefused_StayingWithTheRobot()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        await h.AddAgentAsync("Idle human", online: true);
        await h.SaveRoutingAsync(new RoutingConfiguration { RobotMode = RobotMode.RobotOnly, DefaultRobotId = Robot });

        var opened = await h.OpenAsync();
        await h.SendTextAsync(opened.Id, Participant.Visitor(opened.VisitorId), "转人工");
        var c = await h.GetAsync(opened.Id);

        Assert.Equal(ConversationState.Bot, opened.State);
        Assert.Equal(Robot, opened.RobotId);
        Assert.Equal(RoutingOutcome.Bot, opened.Routing[^1].Outcome);
        Assert.Equal(ConversationState.Bot, c.State);
        Assert.Null(c.AgentId);
        var refusal = c.Routing[^1];
        Assert.Equal(RoutingReason.HandOff, refusal.Reason);
        Assert.Equal(RoutingOutcome.StayWithBot, refusal.Outcome);
        Assert.Equal("robot-only mode", refusal.Rule);
        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, c.Id));
        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.SessionQueued, c.Id));
    }

    [Fact]
    public async Task RobotFirst_RobotTakesTheVisitorFirst_AndAHandOffReachesAHuman()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        var human = await h.AddAgentAsync("Human", online: true);
        await h.SaveRoutingAsync(new RoutingConfiguration { RobotMode = RobotMode.RobotFirst, DefaultRobotId = Robot });

        var opened = await h.OpenAsync();
        await h.SendTextAsync(opened.Id, Participant.Visitor(opened.VisitorId), "转人工");
        var c = await h.GetAsync(opened.Id);

        Assert.Equal(ConversationState.Bot, opened.State);
        Assert.Equal(Robot, opened.RobotId);
        Assert.Equal("robot-first mode", opened.Routing[^1].Rule);
        Assert.Equal(ConversationState.InService, c.State);
        Assert.Equal(human.Id, c.AgentId);
        Assert.Equal(RoutingReason.HandOff, c.Routing[^1].Reason);
        Assert.Equal(RoutingOutcome.Assign, c.Routing[^1].Outcome);
        bot.Received(1).Start(h.TenantId, Robot, Arg.Any<Conversation>());
    }

    [Fact]
    public async Task RobotFirst_TheEntryButtonsRobotRule_ChoosesTheRobotOverTheDefault()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        var group = await h.AddGroupAsync("Entry group", await h.AddAgentAsync("Human", online: true));
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            RobotMode = RobotMode.RobotFirst,
            DefaultRobotId = Robot,
            Rules = [new RoutingRule { Name = "entry robot", EntryGroupId = group.Id, AllDay = RoutingTarget.Robot(Robot + 1) }],
        });

        var opened = await h.OpenAsync(groupId: group.Id);

        Assert.Equal((ConversationState.Bot, Robot + 1), (opened.State, opened.RobotId));
        Assert.Equal("entry rule 'entry robot'", opened.Routing[^1].Rule);
    }

    [Fact]
    public async Task HumanOnly_RobotRulesAreSkipped_AndAHumanServes()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        var human = await h.AddAgentAsync("Human", online: true);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            RobotMode = RobotMode.HumanOnly,
            DefaultRobotId = Robot,
            Rules = [new RoutingRule { Name = "web robot", Channel = ChannelKind.Web, AllDay = RoutingTarget.Robot(Robot) }],
        });

        var c = await h.OpenAsync();

        Assert.Equal(ConversationState.InService, c.State);
        Assert.Equal(human.Id, c.AgentId);
        Assert.Null(c.RobotId);
        Assert.Equal("default rule", c.Routing[^1].Rule);
        bot.DidNotReceive().Start(Arg.Any<long>(), Arg.Any<long>(), Arg.Any<Conversation>());
    }

    [Fact]
    public async Task HumanFirst_WhenNobodyQueues_AHumanServes_WhenSomeoneQueues_TheRobotTakesTheNewVisitor()
    {
        var bot = RoutingHarness.HandingOffBot();
        await using var h = await RoutingHarness.StartWithBotAsync(bot);
        var human = await h.AddAgentAsync("Human", maxConcurrentChats: 1, online: true);
        await h.SaveRoutingAsync(new RoutingConfiguration { RobotMode = RobotMode.HumanFirst, DefaultRobotId = Robot });

        var first = await h.OpenAsync();   // nobody queued: the human serves
        var second = await h.OpenAsync();  // nobody queued yet, the human is full: it queues
        var third = await h.OpenAsync();   // someone queues: the robot takes the new visitor

        Assert.Equal(ConversationState.InService, first.State);
        Assert.Equal(human.Id, first.AgentId);
        Assert.Equal(ConversationState.Queued, second.State);
        Assert.Equal(ConversationState.Bot, third.State);
        Assert.Equal(Robot, third.RobotId);
        Assert.Equal("human-first mode", third.Routing[^1].Rule);
        Assert.Equal(RoutingOutcome.Bot, third.Routing[^1].Outcome);
    }
}
