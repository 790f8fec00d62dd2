using Kefu.Bots.Matching;
using Kefu.Model;

namespace Kefu.Bots.Tests.Knowledge;

public sealed class KnowledgeBaseTests
{
    [Fact]
    public async Task AddRule_ThenGet_ReturnsTheNormalisedRule()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();

        var rule = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, new KnowledgeRule
        {
            Questions = ["  退款要多久？ ", "", "   ", "How long does a refund take?"],
            Answer = new KnowledgeAnswer(AnswerKind.Text, "  3 to 5 working days. "),
            Keywords = ["退款+多久", " "],
            Category = "  Payments ",
        });

        Assert.True(rule.Id > 0);
        Assert.Equal(1, rule.Version);
        Assert.Equal(robot.Id, rule.RobotId);
        Assert.Equal(["退款要多久？", "How long does a refund take?"], rule.Questions);
        Assert.Equal("3 to 5 working days.", rule.Answer.Text);
        Assert.Equal(["退款+多久"], rule.Keywords);
        Assert.Equal("Payments", rule.Category);
        var read = await f.Knowledge.GetRuleAsync(f.TenantId, rule.Id);
        Assert.Equal(rule.Questions, read.Questions);
        Assert.Equal(rule.Answer, read.Answer);
        Assert.Equal(rule.Keywords, read.Keywords);
        Assert.Equal(1, read.Version);
        Assert.NotNull(await f.Documents.GetAsync(f.TenantId, "bots.rule", rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task MenuAndMediaAnswers_RoundTrip()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();

        var menu = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, new KnowledgeRule
        {
            Questions = ["My order"],
            Answer = new KnowledgeAnswer(AnswerKind.Menu, null, MenuId: 2),
        });
        var media = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, new KnowledgeRule
        {
            Questions = ["Size chart"],
            Answer = new KnowledgeAnswer(AnswerKind.Media, "Here it is:", Media: new MediaAttachment("https://cdn.example.test/size.png", "size.png", 2048, "image/png")),
        });

        Assert.Equal(2, (await f.Knowledge.GetRuleAsync(f.TenantId, menu.Id)).Answer.MenuId);
        Assert.Equal(new MediaAttachment("https://cdn.example.test/size.png", "size.png", 2048, "image/png"), (await f.Knowledge.GetRuleAsync(f.TenantId, media.Id)).Answer.Media);
    }

    public static TheoryData<string, Func<KnowledgeRule, KnowledgeRule>, string, string> InvalidRules() => new()
    {
        { "no questions", r => r with { Questions = [" ", ""] }, "Questions", "1–200 questions" },
        { "too many questions", r => r with { Questions = [.. Enumerable.Range(0, 201).Select(i => $"question {i}")] }, "Questions", "1–200 questions" },
        { "long question", r => r with { Questions = ["ok", new string('问', 501)] }, "Questions[1]", "1–500 characters" },
        { "duplicate question", r => r with { Questions = ["退款要多久？", "How?", "退款要多久"] }, "Questions[2]", "different from the rule's other questions" },
        { "duplicate by case and width", r => r with { Questions = ["Refund time", "ＲＥＦＵＮＤ  time!"] }, "Questions[1]", "different from the rule's other questions" },
        { "punctuation only", r => r with { Questions = ["？？？"] }, "Questions[0]", "at least one letter or digit" },
        { "empty text answer", r => r with { Answer = new KnowledgeAnswer(AnswerKind.Text, "  ") }, "Answer.Text", "1–5000 characters" },
        { "long answer", r => r with { Answer = KnowledgeAnswer.FromText(new string('x', 5001)) }, "Answer.Text", "at most 5000 characters" },
        { "unknown menu", r => r with { Answer = new KnowledgeAnswer(AnswerKind.Menu, null, MenuId: 9) }, "Answer.MenuId", "one of the robot's menus (1, 2)" },
        { "menu without id", r => r with { Answer = new KnowledgeAnswer(AnswerKind.Menu, null) }, "Answer.MenuId", "one of the robot's menus" },
        { "media without attachment", r => r with { Answer = new KnowledgeAnswer(AnswerKind.Media, null) }, "Answer.Media", "an address and a name" },
        { "media without url", r => r with { Answer = new KnowledgeAnswer(AnswerKind.Media, null, Media: new MediaAttachment(" ", "a.png", 1, null)) }, "Answer.Media.Url", "characters" },
        { "media without name", r => r with { Answer = new KnowledgeAnswer(AnswerKind.Media, null, Media: new MediaAttachment("https://x.test/a.png", "", 1, null)) }, "Answer.Media.Name", "characters" },
        { "too many keywords", r => r with { Keywords = [.. Enumerable.Range(0, 51).Select(i => $"word{i}")] }, "Keywords", "at most 50 entries" },
        { "keyword without words", r => r with { Keywords = ["refund", "+ +"] }, "Keywords[1]", "at least one with a letter or digit" },
        { "long category", r => r with { Category = new string('c', 101) }, "Category", "at most 100 characters" },
        { "another robot", r => r with { RobotId = 424242 }, "RobotId", "a rule stays with its robot" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task AddRule_WithAFieldOutOfRange_NamesTheField_AndStoresNothing(string _, Func<KnowledgeRule, KnowledgeRule> change, string field, string allowed)
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var before = await f.StoredAsync();

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, change(KnowledgeFixture.Rule("Where is my parcel?"))));

        Assert.Equal(field, ex.Field);
        Assert.Contains(allowed, ex.Allowed, StringComparison.Ordinal);
        Assert.Equal(before, await f.StoredAsync());
        Assert.Empty(f.Catalog.RulesOf(f.TenantId, robot.Id));
    }

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task UpdateRule_WithAFieldOutOfRange_NamesTheField_AndKeepsTheRule(string _, Func<KnowledgeRule, KnowledgeRule> change, string field, string allowed)
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var rule = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        var before = await f.StoredAsync();

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () => await f.Knowledge.UpdateRuleAsync(f.TenantId, change(rule)));

        Assert.Equal(field, ex.Field);
        Assert.Contains(allowed, ex.Allowed, StringComparison.Ordinal);
        Assert.Equal(before, await f.StoredAsync());
        Assert.Equal(rule.Questions, (await f.Knowledge.GetRuleAsync(f.TenantId, rule.Id)).Questions);
    }

    [Fact]
    public async Task UpdateRule_StoresTheChange_AndAStaleVersionIsRefused()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var rule = await f.AddRuleAsync(robot.Id, "Where is my parcel?");

        var updated = await f.Knowledge.UpdateRuleAsync(f.TenantId, rule with { Questions = ["Where is my order?"], Enabled = false });
        var ex = await Assert.ThrowsAsync<KefuException>(async () => await f.Knowledge.UpdateRuleAsync(f.TenantId, rule with { Category = "Late" }));
        var delete = await Assert.ThrowsAsync<KefuException>(async () => await f.Knowledge.DeleteRuleAsync(f.TenantId, rule.Id, rule.Version));

        Assert.Equal(2, updated.Version);
        Assert.Equal(KefuErrorKind.Concurrency, ex.Kind);
        Assert.Equal(KefuErrorKind.Concurrency, delete.Kind);
        var read = await f.Knowledge.GetRuleAsync(f.TenantId, rule.Id);
        Assert.Equal(["Where is my order?"], read.Questions);
        Assert.False(read.Enabled);
        Assert.Null(read.Category);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task DeleteRule_RemovesIt()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var rule = await f.AddRuleAsync(robot.Id, "Where is my parcel?");

        await f.Knowledge.DeleteRuleAsync(f.TenantId, rule.Id, rule.Version);

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Knowledge.GetRuleAsync(f.TenantId, rule.Id));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Knowledge.DeleteRuleAsync(f.TenantId, rule.Id, rule.Version));
        Assert.Null(await f.Documents.GetAsync(f.TenantId, "bots.rule", rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ListRules_FiltersBySearchAndCategory_AndPages()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var other = await f.CreateRobotAsync("Other");
        var refund = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, KnowledgeFixture.Rule("How long does a REFUND take?") with { Category = "Payments" });
        var parcel = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, new KnowledgeRule
        {
            Questions = ["Where is my parcel?"],
            Answer = KnowledgeAnswer.FromText("Refunds are separate; parcels arrive in 3 days."),
            Category = "Orders",
        });
        var hours = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, KnowledgeFixture.Rule("Opening hours?") with { Category = "payments" });
        await f.Knowledge.AddRuleAsync(f.TenantId, other.Id, KnowledgeFixture.Rule("refund elsewhere"));

        var all = await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id);
        var search = await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id, new KnowledgeQuery { Search = "refund" });
        var category = await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id, new KnowledgeQuery { Category = "PAYMENTS" });
        var both = await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id, new KnowledgeQuery { Search = "refund", Category = "Payments" });
        var page = await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id, new KnowledgeQuery { Offset = 1, Limit = 1 });

        Assert.Equal([refund.Id, parcel.Id, hours.Id], all.Items.Select(r => r.Id));
        Assert.Equal([refund.Id, parcel.Id], search.Items.Select(r => r.Id));
        Assert.Equal([refund.Id, hours.Id], category.Items.Select(r => r.Id));
        Assert.Equal([refund.Id], both.Items.Select(r => r.Id));
        Assert.Equal([parcel.Id], page.Items.Select(r => r.Id));
        Assert.Equal(3, page.Total);
        Assert.True(page.HasMore);
        var limit = await Assert.ThrowsAsync<KefuValidationException>(async () => await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id, new KnowledgeQuery { Limit = 501 }));
        var offset = await Assert.ThrowsAsync<KefuValidationException>(async () => await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id, new KnowledgeQuery { Offset = -1 }));
        Assert.Equal("Limit", limit.Field);
        Assert.Equal("Offset", offset.Field);
    }

    [Fact]
    public async Task Index_IsRebuilt_AfterAddUpdateAndDelete()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        var refund = await f.AddRuleAsync(robot.Id, "How long does a refund take?");
        await f.WhenIndexedAsync(robot.Id);

        var added = await f.MatchAsync(robot.Id, "how long does a refund take");
        Assert.Equal(MatchKind.Exact, added.Kind);
        Assert.Equal(refund.Id, added.BestRuleId);

        refund = await f.Knowledge.UpdateRuleAsync(f.TenantId, refund with { Questions = ["When do I get my money back?"] });
        await f.WhenIndexedAsync(robot.Id);
        var renamed = await f.MatchAsync(robot.Id, "When do I get my money back?");
        var old = await f.MatchAsync(robot.Id, "How long does a refund take?");
        Assert.Equal((MatchKind.Exact, refund.Id), (renamed.Kind, renamed.BestRuleId));
        Assert.NotEqual(MatchKind.Exact, old.Kind);

        await f.Knowledge.DeleteRuleAsync(f.TenantId, refund.Id, refund.Version);
        await f.WhenIndexedAsync(robot.Id);
        var deleted = await f.MatchAsync(robot.Id, "When do I get my money back?");
        Assert.DoesNotContain(deleted.Candidates, c => c.RuleId == refund.Id);
        Assert.Equal(parcel.Id, (await f.MatchAsync(robot.Id, "where is my parcel")).BestRuleId);
        Assert.Equal(1, f.Catalog.IndexOf(f.TenantId, robot.Id).RuleCount);
    }

    [Fact]
    public async Task KeywordsAndDisabledRules_AreReflectedInTheIndex()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var refund = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, KnowledgeFixture.Rule("退款要多久") with { Keywords = ["退款+几天"] });
        var hidden = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, KnowledgeFixture.Rule("营业时间") with { Enabled = false });
        await f.WhenIndexedAsync(robot.Id);

        var keyword = await f.MatchAsync(robot.Id, "请问退款一般几天到账");
        var disabled = await f.MatchAsync(robot.Id, "营业时间");

        Assert.Equal((MatchKind.Keyword, refund.Id), (keyword.Kind, keyword.BestRuleId));
        Assert.DoesNotContain(disabled.Candidates, c => c.RuleId == hidden.Id);
    }

    [Fact]
    public async Task Match_OfAnUnknownRobot_IsNotFound_AndMaxIsChecked()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Knowledge.MatchAsync(f.TenantId, robot.Id + 1, "hello"));
        var max = await Assert.ThrowsAsync<KefuValidationException>(async () => await f.Knowledge.MatchAsync(f.TenantId, robot.Id, "hello", max: 11));
        Assert.Equal("max", max.Field);
        Assert.Equal(MatchKind.None, (await f.MatchAsync(robot.Id, "hello")).Kind);
    }
}
