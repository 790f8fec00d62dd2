using Kefu.Model;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Kefu.Bots.Tests.Assist;

/// <summary>Suggested answers for the visitor's latest or a chosen earlier question (E17 4.3.1, 4.3.2).</summary>
public class SuggestionTests
{
    [Fact]
    public async Task Suggest_AnswersTheLatestQuestion_OrTheChosenEarlierOne()
    {
        await using var a = await AssistHarness.StartAsync();
        var c = await a.OpenAsync();
        Assert.Equal(new AssistSuggestions(null, null, []), await a.Assist.SuggestAsync(a.TenantId, c.Id)); // nothing asked yet

        var refund = await a.VisitorAsync(c, "退款多久到账");
        await a.AgentSaysAsync(c, "我帮您看一下");
        var shipping = await a.VisitorAsync(c, "还有，运费怎么算？");

        var latest = await a.Assist.SuggestAsync(a.TenantId, c.Id);
        Assert.Equal(shipping, latest.MessageId);
        Assert.Equal("还有，运费怎么算？", latest.Question);
        Assert.Equal($"rule:{Shop.ShippingRuleId}", latest.Answers[0].Key);
        Assert.Equal(Shop.ShippingRule, latest.Answers[0].Text);
        Assert.Equal(AssistSource.Rule, latest.Answers[0].Source);
        Assert.Equal(Shop.ShippingRuleId, latest.Answers[0].RuleId);

        var earlier = await a.Assist.SuggestAsync(a.TenantId, c.Id, refund);
        Assert.Equal(refund, earlier.MessageId);
        Assert.Equal("退款多久到账", earlier.Question);
        Assert.Equal($"rule:{Shop.RefundRuleId}", earlier.Answers[0].Key);
        Assert.InRange(earlier.Answers.Count, 1, 3);
        Assert.All(earlier.Answers, s => Assert.InRange(s.Score, 0.05, 1));
        Assert.True(earlier.Answers.Zip(earlier.Answers.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public async Task Suggest_OffersRulesAndMinedAnswersTogether_MergingTheSameText()
    {
        await using var a = await AssistHarness.StartAsync();
        await a.MineAsync(("退款要几天才能到账", "退款已经提交，一般1到3天到账，请耐心等待。"));
        await a.MineAsync(("退款几天能到账呀", Shop.RefundRule)); // an agent who pasted the rule's answer

        var c = await a.OpenAsync();
        await a.VisitorAsync(c, "退款几天到账");
        var suggestions = await a.Assist.SuggestAsync(a.TenantId, c.Id);

        Assert.Contains(suggestions.Answers, s => s.Source == AssistSource.Rule && s.Key == $"rule:{Shop.RefundRuleId}");
        var mined = Assert.Single(suggestions.Answers, s => s.Source == AssistSource.History);
        Assert.Equal("退款已经提交，一般1到3天到账，请耐心等待。", mined.Text);
        Assert.StartsWith("pair:", mined.Key, StringComparison.Ordinal);
        Assert.Null(mined.RuleId);
        Assert.Single(suggestions.Answers, s => s.Text == Shop.RefundRule); // the rule and the pasted pair are one answer
        Assert.Equal(suggestions.Answers.Count, suggestions.Answers.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public async Task Suggest_WithoutRobots_OffersMinedAnswers_AndNeverMenuAnswers()
    {
        await using var a = await AssistHarness.StartAsync(withRules: false);
        await a.MineAsync(("营业时间是几点", "我们每天9点到21点在线。"));
        var c = await a.OpenAsync();
        await a.VisitorAsync(c, "你们营业时间是几点到几点");

        var suggestions = await a.Assist.SuggestAsync(a.TenantId, c.Id);

        var only = Assert.Single(suggestions.Answers);
        Assert.Equal("我们每天9点到21点在线。", only.Text);
        Assert.Equal(AssistSource.History, only.Source);
    }

    [Fact]
    public async Task Suggest_PrefersTheConversationsRobot_AndFallsBackToEveryRobot()
    {
        await using var a = await AssistHarness.StartAsync();
        const string otherRefund = "会员退款将优先处理，1个工作日内到账。";
        a.Catalog.Add(Shop.OtherRobotId, new KnowledgeRule { Id = 201, Questions = ["退款多久到账"], Answer = KnowledgeAnswer.FromText(otherRefund) });
        var c = await a.OpenAsync();
        var refundQuestion = await a.VisitorAsync(c, "退款多久到账");
        await a.VisitorAsync(c, "运费怎么算");

        // The conversation was served by the other robot before the agent took it.
        var store = a.H.Services.GetRequiredService<IConversationStore>();
        var served = (await store.GetConversationAsync(a.TenantId, c.Id))! with { RobotId = Shop.OtherRobotId };
        var conversations = Substitute.For<IConversationStore>();
        conversations.GetConversationAsync(a.TenantId, c.Id, Arg.Any<CancellationToken>()).Returns(served);
        conversations.GetMessageAsync(a.TenantId, c.Id, Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(call => store.GetMessageAsync(a.TenantId, c.Id, call.ArgAt<long>(2)));
        conversations.GetMessagesAsync(a.TenantId, c.Id, Arg.Any<long?>(), Arg.Any<int>(), Arg.Any<CancellationToken>())
            .Returns(call => store.GetMessagesAsync(a.TenantId, c.Id, call.ArgAt<long?>(2), call.ArgAt<int>(3)));
        await using var services = a.Restart(conversations);
        var assist = services.GetRequiredService<IAgentAssist>();

        var refund = await assist.SuggestAsync(a.TenantId, c.Id, refundQuestion);
        Assert.Equal(otherRefund, refund.Answers[0].Text);
        Assert.DoesNotContain(refund.Answers, s => s.Text == Shop.RefundRule);

        var fallback = await assist.SuggestAsync(a.TenantId, c.Id); // the other robot knows nothing of shipping
        Assert.Equal(Shop.ShippingRule, fallback.Answers[0].Text);
    }

    [Fact]
    public async Task Suggest_RefusesUnknownIds_AndMessagesThatAreNotTheVisitorsText()
    {
        await using var a = await AssistHarness.StartAsync();
        var c = await a.OpenAsync();
        var question = await a.VisitorAsync(c, "退款多久到账");
        var reply = await a.AgentSaysAsync(c, "3到5个工作日");
        var other = await a.OpenAsync();
        var elsewhere = await a.VisitorAsync(other, "运费怎么算");

        Assert.Equal("Tenant", (await Assert.ThrowsAsync<KefuNotFoundException>(async () => await a.Assist.SuggestAsync(a.TenantId + 1, c.Id))).Entity);
        Assert.Equal("Conversation", (await Assert.ThrowsAsync<KefuNotFoundException>(async () => await a.Assist.SuggestAsync(a.TenantId, c.Id + 1_000_000))).Entity);
        Assert.Equal("Message", (await Assert.ThrowsAsync<KefuNotFoundException>(async () => await a.Assist.SuggestAsync(a.TenantId, c.Id, question + 1_000_000))).Entity);
        Assert.Equal("Message", (await Assert.ThrowsAsync<KefuNotFoundException>(async () => await a.Assist.SuggestAsync(a.TenantId, c.Id, elsewhere))).Entity);
        var notVisitor = await Assert.ThrowsAsync<KefuValidationException>(async () => await a.Assist.SuggestAsync(a.TenantId, c.Id, reply));
        Assert.Equal("messageId", notVisitor.Field);
        Assert.Equal(question, (await a.Assist.SuggestAsync(a.TenantId, c.Id, question)).MessageId);
    }

    [Fact]
    public async Task Options_OutOfRange_FailWithTheFieldAndRange()
    {
        // The mining sink needs the options, so the engine fails to start.
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => AssistHarness.StartAsync(o => o.Suggestions = 0));
        Assert.Contains("AgentAssistOptions.Suggestions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1–10", ex.Message, StringComparison.Ordinal);
    }
}
