using Kefu.Analysis;
using Kefu.Bots;
using Kefu.Events;
using Kefu.Model;
using Kefu.Moderation;
using Kefu.Routing;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NSubstitute;

namespace Kefu.Core.Tests.Seams;

/// <summary>The engines plug in through Core's seams; these tests plug in stand-ins and check Core honours what they decide.</summary>
public class SeamTests
{
    [Fact]
    public async Task Robot_GreetsAnswersAndHandsOffToAHuman_ThroughTheBotSeam()
    {
        var routing = Substitute.For<IRoutingPolicy>();
        var fallback = new FirstAvailableAgentRoutingPolicy();
        routing.Route(Arg.Any<RoutingRequest>(), Arg.Any<IRoutingView>()).Returns(call =>
            call.Arg<RoutingRequest>().FromBot ? fallback.Route(call.Arg<RoutingRequest>(), call.Arg<IRoutingView>()) : RoutingDecision.ToBot(7, "channel rule → robot 7"));
        var bot = Substitute.For<IBotResponder>();
        bot.Start(Arg.Any<long>(), 7, Arg.Any<Conversation>()).Returns(new BotTurn(["您好，我是智能助手"]));
        bot.Respond(Arg.Any<BotInput>()).Returns(call => call.Arg<BotInput>().Text.Contains("转人工", StringComparison.Ordinal)
            ? new BotTurn(["正在为您转接人工客服"], HandOffToHuman: true)
            : new BotTurn(["您可以在设置中修改密码"]));
        await using var h = await KefuTestHarness.StartAsync(build: b =>
        {
            b.Services.Replace(ServiceDescriptor.Singleton(routing));
            b.Services.Replace(ServiceDescriptor.Singleton(bot));
        });
        var agent = await h.AddAgentAsync(online: true);

        var c = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.Bot, c.State);
        Assert.Equal(7, c.RobotId);
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "怎么改密码");
        Assert.Equal(ConversationState.Bot, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).State);
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "转人工");

        var served = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        Assert.Equal(ConversationState.InService, served.State);
        Assert.Equal(agent.Id, served.AgentId);
        var messages = await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 50);
        Assert.Equal(
            ["您好，我是智能助手", "怎么改密码", "您可以在设置中修改密码", "转人工", "正在为您转接人工客服"],
            messages.Where(m => m.SenderKind is ParticipantKind.Bot or ParticipantKind.Visitor).Select(m => m.Text));
        Assert.All(messages.Where(m => m.SenderKind == ParticipantKind.Bot), m => Assert.Equal(7, m.SenderId));
    }

    [Fact]
    public async Task MessageFilter_BlockMaskAndRemind_AreHonoured()
    {
        var filter = Substitute.For<IMessageFilter>();
        filter.Inspect(Arg.Any<long>(), Arg.Any<ParticipantKind>(), Arg.Any<string>()).Returns(call =>
        {
            var text = call.ArgAt<string>(2);
            if (text.Contains("违禁", StringComparison.Ordinal))
            {
                return new MessageFilterResult(MessageFilterAction.Block, Notice: "消息包含敏感词，未发送", Words: ["违禁"]);
            }

            if (text.Contains("傻", StringComparison.Ordinal))
            {
                return new MessageFilterResult(MessageFilterAction.Mask, Text: text.Replace("傻", "*", StringComparison.Ordinal), Words: ["傻"]);
            }

            return text.Contains("加微信", StringComparison.Ordinal)
                ? new MessageFilterResult(MessageFilterAction.Remind, Notice: "请勿引导客户添加私人联系方式", Words: ["加微信"])
                : MessageFilterResult.Allowed;
        });
        await using var h = await KefuTestHarness.StartAsync(build: b => b.UseMessageFilter<AllowAllMessageFilter>().Services.Replace(ServiceDescriptor.Singleton(filter)));
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        h.Events.Clear();

        var blocked = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "这是违禁内容");
        Assert.True(blocked.Blocked);
        Assert.Equal("消息包含敏感词，未发送", blocked.Notice);
        var masked = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "你真傻");
        Assert.Equal("你真*", masked.Text);
        Assert.Equal(MessageFilterAction.Mask, masked.Action);
        var reminded = await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "可以加微信聊");
        Assert.Equal(MessageFilterAction.Remind, reminded.Action);
        Assert.Equal("请勿引导客户添加私人联系方式", reminded.Notice);
        Assert.Equal("可以加微信聊", reminded.Text);

        var stored = await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 50);
        Assert.DoesNotContain(stored, m => m.Text?.Contains("违禁", StringComparison.Ordinal) == true);
        Assert.Contains(stored, m => m.Text == "你真*");
        var blockedEvent = h.Events.Events.Single(e => e.PayloadCase == KefuEvent.PayloadOneofCase.MessageBlocked).MessageBlocked;
        Assert.Equal(["违禁"], blockedEvent.Words);
        Assert.True(h.Events.Events.Single(e => e.PayloadCase == KefuEvent.PayloadOneofCase.Message && e.Message.Masked).Message.Masked);
    }

    [Fact]
    public async Task TextAnalyzer_SentimentIsStoredWithTheMessageAndCarriedOnItsEvent()
    {
        var analyzer = Substitute.For<ITextAnalyzer>();
        analyzer.IsEnabled.Returns(true);
        analyzer.Analyze(Arg.Any<long>(), Arg.Any<ParticipantKind>(), Arg.Any<string>())
            .Returns(call => call.ArgAt<string>(2).Contains("不满意", StringComparison.Ordinal) ? new TextSentiment(-1, -0.8f) : new TextSentiment(0, 0f));
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton(analyzer)));
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var sent = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "我很不满意");
        var stored = await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 50);
        Assert.Equal(new TextSentiment(-1, -0.8f), stored.Single(m => m.Id == sent.MessageId).Sentiment);
        var e = h.Events.Events.Last(x => x.PayloadCase == KefuEvent.PayloadOneofCase.Message).Message;
        Assert.Equal(-1, e.Sentiment);
        Assert.Equal(-0.8f, e.SentimentScore);
    }

    [Fact]
    public async Task DefaultSeams_RouteToHumansWithNoRobotNoFilterAndNoSentiment()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        Assert.Equal(ConversationState.InService, c.State);
        var sent = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "违禁 傻 加微信");
        Assert.Equal(MessageFilterAction.Allow, sent.Action);
        Assert.Null((await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 50)).Single(m => m.Id == sent.MessageId).Sentiment);
        Assert.IsType<FirstAvailableAgentRoutingPolicy>(h.Services.GetRequiredService<IRoutingPolicy>());
        Assert.IsType<NoBotResponder>(h.Services.GetRequiredService<IBotResponder>());
    }
}
