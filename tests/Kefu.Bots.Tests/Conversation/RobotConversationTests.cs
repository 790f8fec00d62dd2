using Kefu.Events;
using Kefu.Model;
using Kefu.Bots.Matching;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>Conversations routed to a robot, end to end: the engine, Kefu.Bots' catalog and the responder together.</summary>
public class RobotConversationTests
{
    [Fact]
    public async Task Conversation_RoutedToTheRobot_GetsTheWelcomeThenAnswers()
    {
        await using var h = await BotHarness.StartAsync();
        var (robot, _) = await h.CreateShopRobotAsync(handOffGroupId: null);

        var c = await h.OpenWithRobotAsync(robot.Id);

        Assert.Equal(ConversationState.Bot, c.State);
        Assert.Equal(robot.Id, c.RobotId);
        Assert.Equal([robot.Replies.Welcome.Text], (await h.BotMessagesAsync(c.Id)).Select(m => m.Text));
        Assert.Equal([ShopRobot.RefundAnswer], (await h.AskAsync(c, "退款多久到账")).Select(m => m.Text)); // exact
        Assert.Equal([ShopRobot.ShippingAnswer], (await h.AskAsync(c, "运费多少")).Select(m => m.Text)); // keyword
        Assert.Equal([ShopRobot.AddressAnswer], (await h.AskAsync(c, "地址写错了能改吗")).Select(m => m.Text)); // statistical
    }

    [Fact]
    public async Task MenuAndMediaAnswers_AreSentAsMenuImageAndFileMessages()
    {
        await using var h = await BotHarness.StartAsync();
        var (robot, _) = await h.CreateShopRobotAsync(handOffGroupId: null);
        var c = await h.OpenWithRobotAsync(robot.Id);

        var menu = await h.AskAsync(c, "营业时间");
        Assert.Equal([(MessageKind.Text, ShopRobot.HoursIntro), (MessageKind.Menu, "请选择您想了解的时间")], menu.Select(m => (m.Kind, m.Text)));
        Assert.Equal(["工作日时间", "节假日安排"], menu[1].MenuItems);
        Assert.Equal([ShopRobot.WeekdayAnswer], (await h.AskAsync(c, "工作日时间")).Select(m => m.Text)); // the item's rule

        var image = await h.AskAsync(c, "怎么开发票");
        Assert.Equal([MessageKind.Text, MessageKind.Image], image.Select(m => m.Kind));
        Assert.Equal(ShopRobot.InvoiceImage.Url, image[1].Media?.Url);

        var file = Assert.Single(await h.AskAsync(c, "下载说明书"));
        Assert.Equal(MessageKind.File, file.Kind);
        Assert.Equal("manual.pdf", file.Media?.Name);
    }

    [Fact]
    public async Task DidYouMean_OffersChoicesAndAnswersTheOnePicked()
    {
        await using var h = await BotHarness.StartAsync(b => b.Services.Replace(ServiceDescriptor.Singleton<IQuestionMatcher>(ShopRobot.Scripted())));
        var (robot, _) = await h.CreateShopRobotAsync(handOffGroupId: null);
        var c = await h.OpenWithRobotAsync(robot.Id);

        var offer = await h.AskAsync(c, "节假日工作日时间");

        Assert.Equal([(MessageKind.Text, new MatchSettings().SuggestText), (MessageKind.Menu, "")], offer.Select(m => (m.Kind, m.Text ?? "")));
        Assert.Equal(["节假日安排", "工作日客服时间"], offer[1].MenuItems);
        Assert.Equal([ShopRobot.WeekdayAnswer], (await h.AskAsync(c, "2")).Select(m => m.Text));
    }

    [Fact]
    public async Task ConsecutiveMisses_HandTheVisitorToTheRobotsGroup()
    {
        await using var h = await BotHarness.StartAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "售后");
        var (robot, _) = await h.CreateShopRobotAsync(group.Id);
        var c = await h.OpenWithRobotAsync(robot.Id);

        Assert.Equal([robot.Replies.Fallback.Text], (await h.AskAsync(c, ShopRobot.Unknown[0])).Select(m => m.Text));
        Assert.Equal([robot.Replies.Fallback.Text], (await h.AskAsync(c, ShopRobot.Unknown[1])).Select(m => m.Text));
        Assert.Equal(ConversationState.Bot, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).State);
        Assert.Equal([robot.HandOff.Text], (await h.AskAsync(c, ShopRobot.Unknown[2])).Select(m => m.Text));

        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(ConversationState.Queued, after.State);
        Assert.Equal(group.Id, after.GroupId);
    }

    [Fact]
    public async Task HandOffKeyword_GivesTheVisitorToAnAgentOfTheGroup()
    {
        await using var h = await BotHarness.StartAsync();
        var agent = await h.AddAgentAsync("王芳", online: true);
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "售后");
        await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [agent.Id], []);
        var (robot, _) = await h.CreateShopRobotAsync(group.Id);
        var c = await h.OpenWithRobotAsync(robot.Id);

        Assert.Equal([robot.HandOff.Text], (await h.AskAsync(c, "我要轉人工")).Select(m => m.Text));

        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(ConversationState.InService, after.State);
        Assert.Equal((agent.Id, group.Id), (after.AgentId, after.GroupId));
    }

    [Fact]
    public async Task RepeatedQuestion_GetsTheRepeatedReply()
    {
        await using var h = await BotHarness.StartAsync();
        var (robot, _) = await h.CreateShopRobotAsync(handOffGroupId: null);
        var c = await h.OpenWithRobotAsync(robot.Id);

        await h.AskAsync(c, "退款多久到账");

        Assert.Equal([robot.Replies.Repeated.Text], (await h.AskAsync(c, "退款多久到账？")).Select(m => m.Text));
    }

    [Fact]
    public async Task TimeOutReply_ComesOnceAfterTheVisitorsSilence()
    {
        await using var h = await BotHarness.StartAsync();
        var (robot, _) = await h.CreateShopRobotAsync(handOffGroupId: null,
            r => r with { Replies = r.Replies with { TimeoutAfter = TimeSpan.FromMinutes(2) } });
        var c = await h.OpenWithRobotAsync(robot.Id);
        var start = h.Clock.GetUtcNow();
        await h.AskAsync(c, "退款多久到账");

        await h.AdvanceAsync(TimeSpan.FromSeconds(119));
        Assert.DoesNotContain(await h.BotMessagesAsync(c.Id), m => m.Text == robot.Replies.Timeout.Text);

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var timeOut = Assert.Single(await h.BotMessagesAsync(c.Id), m => m.Text == robot.Replies.Timeout.Text);
        Assert.Equal(start + TimeSpan.FromMinutes(2), timeOut.SentAt);

        await h.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Single(await h.BotMessagesAsync(c.Id), m => m.Text == robot.Replies.Timeout.Text);
    }

    [Fact]
    public async Task TimeOutReply_WhenOff_NeverComes()
    {
        await using var h = await BotHarness.StartAsync();
        var (robot, _) = await h.CreateShopRobotAsync(handOffGroupId: null,
            r => r with { Replies = r.Replies with { Timeout = r.Replies.Timeout with { Enabled = false } } });
        var c = await h.OpenWithRobotAsync(robot.Id);

        await h.AdvanceAsync(TimeSpan.FromMinutes(30));

        Assert.Equal([robot.Replies.Welcome.Text], (await h.BotMessagesAsync(c.Id)).Select(m => m.Text));
    }

    [Fact]
    public async Task DisabledRobot_HandsEveryConversationOverAtOnce()
    {
        await using var h = await BotHarness.StartAsync();
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "售后");
        var (robot, _) = await h.CreateShopRobotAsync(group.Id, r => r with { Enabled = false });

        var c = await h.OpenWithRobotAsync(robot.Id);

        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(ConversationState.Queued, after.State);
        Assert.Equal(group.Id, after.GroupId);
        Assert.Empty(await h.BotMessagesAsync(c.Id));
    }
}
