using Kefu.Bots.Assist;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kefu.Bots.Tests.Assist;

/// <summary>Agents' clicks on the suggestions change later rankings (E17 4.3.1: 每次点选都会反馈至系统后台).</summary>
public class FeedbackTests(ITestOutputHelper output)
{
    private const string LookUp = "请提供一下订单号，我帮您查一下退款进度。";
    private const string Wait = "退款原路返回，银行处理需要1到3个工作日，请再等等。";

    /// <summary>Two mined answers to "where is my refund": <see cref="LookUp"/> given twice, <see cref="Wait"/> once.</summary>
    private static async Task<AssistHarness> RefundHistoryAsync()
    {
        var a = await AssistHarness.StartAsync(withRules: false);
        await a.MineAsync(("退款怎么还没到", LookUp));
        await a.MineAsync(("退款为什么还没到账", LookUp));
        await a.MineAsync(("退款还没收到怎么办", Wait));
        return a;
    }

    private void Print(AssistSuggestions s)
    {
        output.WriteLine($"Q {s.Question}");
        foreach (var x in s.Answers)
        {
            output.WriteLine($"   {x.Key} {x.Score:F3} {x.Text}");
        }
    }

    private static string KeyOf(AssistSuggestions s, string text) => s.Answers.Single(x => x.Text == text).Key;

    private static int RankOf(AssistSuggestions s, string text) => s.Answers.ToList().FindIndex(x => x.Text == text);

    [Fact]
    public async Task RepeatedlyPickedAnswer_RisesToFirst_ForSimilarQuestions()
    {
        await using var a = await RefundHistoryAsync();
        var c = await a.OpenAsync();
        await a.VisitorAsync(c, "我的退款怎么还没到账");
        var before = await a.Assist.SuggestAsync(a.TenantId, c.Id);
        Print(before);
        Assert.Equal(LookUp, before.Answers[0].Text);
        Assert.Equal(1, RankOf(before, Wait));
        var wait = KeyOf(before, Wait);

        foreach (var question in new[] { "退款还没到账", "退款怎么还没收到", "退款一直没到账怎么回事", "退款还没到怎么办" })
        {
            var asked = await a.VisitorAsync(c, question);
            Print(await a.Assist.SuggestAsync(a.TenantId, c.Id));
            await a.Assist.RecordFeedbackAsync(a.TenantId, c.Id, new AssistFeedback(wait, AssistAction.Picked, MessageId: asked));
            await a.AgentSaysAsync(c, Wait);
        }

        await a.VisitorAsync(c, "退款怎么还没到账呢");
        var after = await a.Assist.SuggestAsync(a.TenantId, c.Id);
        Print(after);
        Assert.Equal(Wait, after.Answers[0].Text);
        Assert.Equal(wait, after.Answers[0].Key);
        Assert.True(after.Answers[0].Score > before.Answers.Single(x => x.Key == wait).Score);
    }

    [Fact]
    public async Task IgnoredAnswer_Sinks()
    {
        await using var a = await RefundHistoryAsync();
        var c = await a.OpenAsync();
        var asked = await a.VisitorAsync(c, "退款怎么还没到");
        var before = await a.Assist.SuggestAsync(a.TenantId, c.Id);
        Print(before);
        Assert.Equal(LookUp, before.Answers[0].Text);
        var lookUp = before.Answers[0].Key;

        for (var i = 0; i < 3; i++)
        {
            await a.Assist.RecordFeedbackAsync(a.TenantId, c.Id, new AssistFeedback(lookUp, AssistAction.Ignored, MessageId: asked));
        }

        var after = await a.Assist.SuggestAsync(a.TenantId, c.Id, asked);
        Print(after);
        Assert.True(after.Answers.Single(x => x.Key == lookUp).Score < before.Answers[0].Score);
        Assert.Equal(Wait, after.Answers[0].Text);
        Assert.Equal(1, RankOf(after, LookUp));
    }

    [Fact]
    public async Task EditedAnswer_IsSuggestedLater_AsAMinedAnswer()
    {
        await using var a = await AssistHarness.StartAsync();
        const string edited = "可以开增值税专用发票，请提供公司抬头、税号和开户行。";
        var c = await a.OpenAsync();
        var asked = await a.VisitorAsync(c, "可以开增值税专用发票吗");
        var suggestions = await a.Assist.SuggestAsync(a.TenantId, c.Id);
        Assert.Equal($"rule:{Shop.InvoiceRuleId}", suggestions.Answers[0].Key);
        Assert.DoesNotContain(suggestions.Answers, s => s.Text == edited);

        await a.Assist.RecordFeedbackAsync(a.TenantId, c.Id, new AssistFeedback($"rule:{Shop.InvoiceRuleId}", AssistAction.Edited, edited, asked));
        await a.AgentSaysAsync(c, edited);
        await a.State.WhenIndexedAsync(a.TenantId);

        var later = await a.OpenAsync();
        await a.VisitorAsync(later, "能开增值税专用发票吗？");
        var next = await a.Assist.SuggestAsync(a.TenantId, later.Id);
        Print(next);
        var mined = Assert.Single(next.Answers, s => s.Text == edited);
        Assert.Equal(AssistSource.History, mined.Source);

        // The agent sent the edited text: mining the conversation does not count the pair a second time.
        await a.CloseAsync(c);
        Assert.Equal(1, (await a.PairsAsync())[("可以开增值税专用发票吗", edited)]);
    }

    [Fact]
    public async Task Feedback_SurvivesARestart()
    {
        await using var a = await RefundHistoryAsync();
        var c = await a.OpenAsync();
        var asked = await a.VisitorAsync(c, "退款怎么还没到");
        var wait = KeyOf(await a.Assist.SuggestAsync(a.TenantId, c.Id), Wait);
        for (var i = 0; i < 4; i++)
        {
            await a.Assist.RecordFeedbackAsync(a.TenantId, c.Id, new AssistFeedback(wait, AssistAction.Picked, MessageId: asked));
        }

        var ranked = await a.Assist.SuggestAsync(a.TenantId, c.Id);
        Assert.Equal(Wait, ranked.Answers[0].Text);

        await using var restarted = a.Restart();
        var again = await restarted.GetRequiredService<IAgentAssist>().SuggestAsync(a.TenantId, c.Id);
        Assert.Equal((ranked.MessageId, ranked.Question), (again.MessageId, again.Question));
        Assert.Equal(ranked.Answers, again.Answers); // the same answers, scores and order
        var stats = (await restarted.GetRequiredService<AssistState>().GetAsync(a.TenantId, default)).Feedback[wait];
        Assert.Equal((4, 0, 0), (stats.Picks, stats.Edits, stats.Ignores));
    }

    [Fact]
    public async Task FeedbackOnTooManyAnswers_TheAnswerWithTheOldestFeedbackIsForgotten()
    {
        await using var a = await AssistHarness.StartAsync(o => o.MaxFeedbackAnswersPerTenant = 100);
        for (var i = 1; i <= 101; i++)
        {
            a.H.Clock.Advance(TimeSpan.FromSeconds(1));
            await a.State.RecordFeedbackAsync(a.TenantId, $"pair:{i}", AssistAction.Picked, "退款", default);
        }

        var feedback = (await a.State.GetAsync(a.TenantId, default)).Feedback;
        Assert.Equal(100, feedback.Count);
        Assert.False(feedback.ContainsKey("pair:1"));
        Assert.True(feedback.ContainsKey("pair:101"));
        var documents = await a.H.Services.GetRequiredService<Kefu.Storage.IConfigurationDocumentStore>().ListAsync(a.TenantId, "bots.assist");
        Assert.Equal(100, documents.Count(d => d.Key.StartsWith("feedback:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Feedback_RefusesBadKeysActionsAndIds()
    {
        await using var a = await RefundHistoryAsync();
        var c = await a.OpenAsync();
        var asked = await a.VisitorAsync(c, "退款怎么还没到");
        var reply = await a.AgentSaysAsync(c, "稍等我查一下");
        var pair = (await a.Assist.SuggestAsync(a.TenantId, c.Id)).Answers[0].Key;

        async Task<T> Refused<T>(long tenantId, long conversationId, AssistFeedback feedback) where T : Exception =>
            await Assert.ThrowsAsync<T>(async () => await a.Assist.RecordFeedbackAsync(tenantId, conversationId, feedback));

        foreach (var key in new[] { "", "rule:", "rule:0", "rule:-3", "pair:x", "faq:12", "RULE:1", "pair:1 " })
        {
            Assert.Equal("SuggestionKey", (await Refused<KefuValidationException>(a.TenantId, c.Id, new AssistFeedback(key, AssistAction.Picked))).Field);
        }

        Assert.Equal("Action", (await Refused<KefuValidationException>(a.TenantId, c.Id, new AssistFeedback(pair, (AssistAction)9))).Field);
        Assert.Equal("EditedText", (await Refused<KefuValidationException>(a.TenantId, c.Id, new AssistFeedback(pair, AssistAction.Edited, "  "))).Field);
        Assert.Equal("EditedText", (await Refused<KefuValidationException>(a.TenantId, c.Id, new AssistFeedback(pair, AssistAction.Edited, new string('长', 5001)))).Field);
        Assert.Equal("messageId", (await Refused<KefuValidationException>(a.TenantId, c.Id, new AssistFeedback(pair, AssistAction.Picked, MessageId: reply))).Field);
        Assert.Equal("Tenant", (await Refused<KefuNotFoundException>(a.TenantId + 1, c.Id, new AssistFeedback(pair, AssistAction.Picked))).Entity);
        Assert.Equal("Conversation", (await Refused<KefuNotFoundException>(a.TenantId, c.Id + 1_000_000, new AssistFeedback(pair, AssistAction.Picked))).Entity);
        Assert.Equal("Message", (await Refused<KefuNotFoundException>(a.TenantId, c.Id, new AssistFeedback(pair, AssistAction.Picked, MessageId: asked + 1_000_000))).Entity);
        Assert.Equal("KnowledgeRule", (await Refused<KefuNotFoundException>(a.TenantId, c.Id, new AssistFeedback("rule:99999", AssistAction.Picked))).Entity);
        Assert.Equal("AssistPair", (await Refused<KefuNotFoundException>(a.TenantId, c.Id, new AssistFeedback("pair:12345", AssistAction.Picked))).Entity);
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await a.Assist.RecordFeedbackAsync(a.TenantId, c.Id, null!));

        Assert.Empty((await a.State.GetAsync(a.TenantId, default)).Feedback); // nothing refused was recorded
        await a.Assist.RecordFeedbackAsync(a.TenantId, c.Id, new AssistFeedback(pair, AssistAction.Ignored));
        Assert.Equal(1, (await a.State.GetAsync(a.TenantId, default)).Feedback[pair].Ignores);
    }
}
