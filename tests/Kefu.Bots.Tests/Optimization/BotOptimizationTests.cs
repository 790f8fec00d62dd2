using Kefu.Bots.Knowledge;
using Kefu.Bots.Optimization;
using Kefu.Bots.Tests.Conversations;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Bots.Tests.Optimization;

/// <summary>Q&amp;A optimisation (B6, E17 2.13) end to end: visitors' unmatched questions, grouped, then handled three ways.</summary>
public class BotOptimizationTests
{
    /// <summary>Visitors ask what the shop's robot cannot answer well, each question in its own conversation.</summary>
    private static async Task AskAllAsync(KefuTestHarness h, long robotId, params (string Question, int Times)[] questions)
    {
        foreach (var (question, times) in questions)
        {
            for (var i = 0; i < times; i++)
            {
                var c = await h.OpenWithRobotAsync(robotId);
                await h.AskAsync(c, question);
                h.Clock.Advance(TimeSpan.FromMinutes(1));
            }
        }
    }

    /// <summary>
    /// The shop's robot answering only exact and keyword matches (its answer threshold is 1): whatever the statistical
    /// matcher's calibration, every other question is unmatched, and is recorded.
    /// </summary>
    private static async Task<(KefuTestHarness H, Robot Robot, IReadOnlyDictionary<string, KnowledgeRule> Rules)> StartAsync()
    {
        var h = await BotHarness.StartAsync();
        var (robot, rules) = await h.CreateShopRobotAsync(handOffGroupId: null, r => r with
        {
            HandOff = r.HandOff with { AfterConsecutiveMisses = 0 },
            Matching = r.Matching with { AnswerThreshold = 1, SuggestThreshold = 0.01 },
        });
        await AskAllAsync(h, robot.Id,
            ("发票抬头怎么开", 3), ("发票抬头怎么开啊？", 2), // like the invoice rule
            ("优惠券怎么用", 2), ("优惠券怎么使用", 1), // like no rule
            ("积分兑换", 1), // nothing at all
            ("退款多久到账", 4)); // answered: not recorded
        return (h, robot, rules);
    }

    [Fact]
    public async Task ListUnmatched_GroupsSimilarQuestions_MostAskedFirst_WithRecommendedRules()
    {
        var (h, robot, rules) = await StartAsync();
        await using var _ = h;

        var groups = await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id);

        Assert.Equal(["发票抬头怎么开", "优惠券怎么用", "积分兑换"], groups.Select(g => g.Representative));
        Assert.Equal([5L, 3L, 1L], groups.Select(g => g.Count));
        Assert.Equal([("发票抬头怎么开", 3L), ("发票抬头怎么开啊？", 2L)], groups[0].Questions.Select(q => (q.Text, q.Count)));
        Assert.Equal([("优惠券怎么用", 2L), ("优惠券怎么使用", 1L)], groups[1].Questions.Select(q => (q.Text, q.Count)));
        var invoice = groups[0].Recommendations[0];
        Assert.Equal((rules["怎么开发票"].Id, "怎么开发票"), (invoice.RuleId, invoice.Title));
        Assert.InRange(invoice.Similarity, 0.3, 1);
        Assert.All(groups, g => Assert.InRange(g.Recommendations.Count, 0, 3));
        Assert.Empty(groups[2].Recommendations); // nothing in common with any rule
        Assert.Distinct(groups.Select(g => g.Key));

        // The key stays the same from one listing to the next.
        Assert.Equal(groups.Select(g => g.Key), (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id)).Select(g => g.Key));
    }

    [Fact]
    public async Task ListUnmatched_FiltersByCountTimeAndLimit()
    {
        var (h, robot, _) = await StartAsync();
        await using var _ = h;
        var optimization = h.Optimization();
        var now = h.Clock.GetUtcNow(); // the questions were asked one a minute, from now - 13 minutes

        Assert.Equal(2, (await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { MinCount = 2 })).Count);
        Assert.Single(await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { Limit = 1 }));
        var recent = await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { From = now - TimeSpan.FromMinutes(7) });
        Assert.Equal(["优惠券怎么用", "积分兑换"], recent.Select(g => g.Representative));
        var early = await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { To = now - TimeSpan.FromMinutes(11) });
        Assert.Equal(["发票抬头怎么开"], early.Select(g => g.Representative));
        Assert.Equal(3, early[0].Count); // a question is counted whole once it was asked in the window

        await Assert.ThrowsAsync<KefuValidationException>(async () => await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { Limit = 201 }));
        await Assert.ThrowsAsync<KefuValidationException>(async () => await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { Limit = 0 }));
        await Assert.ThrowsAsync<KefuValidationException>(async () => await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { MinCount = 0 }));
        await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await optimization.ListUnmatchedAsync(h.TenantId, robot.Id, new UnmatchedQuery { From = now, To = now - TimeSpan.FromMinutes(1) }));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await optimization.ListUnmatchedAsync(h.TenantId, robot.Id + 1));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await optimization.ListUnmatchedAsync(h.TenantId + 1, robot.Id));
    }

    [Fact]
    public async Task AddToRule_AddsTheGroupsQuestionsToTheRecommendedRule_AndTheRobotAnswersThemFromThen()
    {
        var (h, robot, rules) = await StartAsync();
        await using var _ = h;
        var invoice = rules["怎么开发票"];
        var group = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[0];

        var updated = await h.Optimization().AddToRuleAsync(h.TenantId, robot.Id, group.Key, group.Recommendations[0].RuleId);

        Assert.Equal([.. invoice.Questions, "发票抬头怎么开", "发票抬头怎么开啊？"], updated.Questions);
        Assert.Equal(updated, await h.Knowledge().GetRuleAsync(h.TenantId, invoice.Id));
        Assert.DoesNotContain(await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id), g => g.Key == group.Key);
        await h.WhenIndexedAsync(robot.Id);
        var c = await h.OpenWithRobotAsync(robot.Id);
        Assert.Equal([ShopRobot.InvoiceIntro, null], (await h.AskAsync(c, "发票抬头怎么开")).Select(m => m.Kind == Kefu.Events.MessageKind.Image ? null : m.Text));
    }

    [Fact]
    public async Task AddToRule_AddsToAnyRuleOfTheRobot_SkippingQuestionsTheRuleAlreadyHas()
    {
        var (h, robot, rules) = await StartAsync();
        await using var _ = h;
        var group = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[1];
        var shipping = rules["运费怎么算"];
        shipping = await h.Knowledge().UpdateRuleAsync(h.TenantId, shipping with { Questions = [.. shipping.Questions, "优惠券 怎么用"] });

        var updated = await h.Optimization().AddToRuleAsync(h.TenantId, robot.Id, group.Key, shipping.Id);

        Assert.Equal([.. shipping.Questions, "优惠券怎么使用"], updated.Questions);
        Assert.Equal(2, (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id)).Count);
    }

    [Fact]
    public async Task AddToRule_OfAnotherRobotsRuleOrAnUnknownGroup_IsNotFound()
    {
        var (h, robot, _) = await StartAsync();
        await using var _ = h;
        var other = await h.Robots().CreateAsync(h.TenantId, new Robot { Name = "另一个" });
        var foreign = await h.Knowledge().AddRuleAsync(h.TenantId, other.Id, new KnowledgeRule { Questions = ["你好"], Answer = KnowledgeAnswer.FromText("你好！") });
        var group = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[0];

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Optimization().AddToRuleAsync(h.TenantId, robot.Id, group.Key, foreign.Id));
        var unknown = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Optimization().AddToRuleAsync(h.TenantId, robot.Id, 12345, foreign.Id));
        Assert.Equal("UnmatchedGroup", unknown.Entity);
        Assert.Equal(3, (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id)).Count);
    }

    [Fact]
    public async Task CreateRule_MakesARuleOfTheGroupWithTheAnswerGiven()
    {
        var (h, robot, _) = await StartAsync();
        await using var _ = h;
        var group = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[1];

        var rule = await h.Optimization().CreateRuleAsync(h.TenantId, robot.Id, group.Key, KnowledgeAnswer.FromText("下单时在“优惠”一栏选择优惠券即可。"));

        Assert.Equal(robot.Id, rule.RobotId);
        Assert.Equal(["优惠券怎么用", "优惠券怎么使用"], rule.Questions);
        Assert.Equal(["发票抬头怎么开", "积分兑换"], (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id)).Select(g => g.Representative));
        await h.WhenIndexedAsync(robot.Id);
        var c = await h.OpenWithRobotAsync(robot.Id);
        Assert.Equal(["下单时在“优惠”一栏选择优惠券即可。"], (await h.AskAsync(c, "优惠券怎么使用")).Select(m => m.Text));
    }

    [Fact]
    public async Task CreateRule_WithAnEmptyAnswer_IsRefusedAndTheGroupStays()
    {
        var (h, robot, _) = await StartAsync();
        await using var _ = h;
        var group = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[1];

        await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await h.Optimization().CreateRuleAsync(h.TenantId, robot.Id, group.Key, KnowledgeAnswer.FromText("")));

        Assert.Contains(await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id), g => g.Key == group.Key);
    }

    [Fact]
    public async Task Dismiss_RemovesTheGroup()
    {
        var (h, robot, _) = await StartAsync();
        await using var _ = h;
        var group = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[2];

        await h.Optimization().DismissAsync(h.TenantId, robot.Id, group.Key);

        Assert.Equal(["发票抬头怎么开", "优惠券怎么用"], (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id)).Select(g => g.Representative));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Optimization().DismissAsync(h.TenantId, robot.Id, group.Key));
    }

    [Fact]
    public async Task Actions_OnAGroupNotListedYet_FindItInTheWholeLog()
    {
        var (h, robot, _) = await StartAsync();
        await using var _ = h;
        var key = (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id))[1].Key;
        var otherNode = new BotOptimization(h.Services.GetRequiredService<IBotCatalog>(), h.Services.GetRequiredService<UnmatchedQuestionLog>(),
            h.Knowledge(), h.Services.GetRequiredService<IDirectoryStore>(), Options.Create(new BotOptimizationOptions()));

        await otherNode.DismissAsync(h.TenantId, robot.Id, key); // it never listed the groups

        Assert.Equal(["发票抬头怎么开", "积分兑换"], (await h.Optimization().ListUnmatchedAsync(h.TenantId, robot.Id)).Select(g => g.Representative));
    }

    [Fact]
    public async Task UnmatchedQuestions_SurviveARestartOnceFlushed()
    {
        var clock = new FakeTimeProvider();
        object[]? kept = null;
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            if (kept is not null)
            {
                services.AddSingleton((ITenantCommitStore)kept[0]);
                services.AddSingleton((IDirectoryStore)kept[1]);
                services.AddSingleton((IConversationStore)kept[2]);
                services.AddSingleton((IOutboxStore)kept[3]);
                services.AddSingleton((IConfigurationDocumentStore)kept[4]);
                services.AddSingleton((IAggregateStore)kept[5]);
            }

            BotHarness.AddBotServices(services.AddKefu(o => o.PasswordHashIterations = 1_000));
            return services.BuildServiceProvider();
        }

        var first = Build();
        kept =
        [
            first.GetRequiredService<ITenantCommitStore>(), first.GetRequiredService<IDirectoryStore>(), first.GetRequiredService<IConversationStore>(),
            first.GetRequiredService<IOutboxStore>(), first.GetRequiredService<IConfigurationDocumentStore>(), first.GetRequiredService<IAggregateStore>(),
        ];
        var kefu = first.GetRequiredService<IKefu>();
        var tenant = (await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Restart" })).Id;
        var robot = await first.GetRequiredService<IRobots>().CreateAsync(tenant, new Robot { Name = "小智" });
        await first.GetRequiredService<IKnowledgeBase>().AddRuleAsync(tenant, robot.Id, new KnowledgeRule { Questions = ["退款多久到账"], Answer = KnowledgeAnswer.FromText("3-5天") });
        foreach (var question in new[] { "优惠券", "优惠券", "优惠券呢", "积分兑换" })
        {
            var c = await kefu.Conversations.OpenAsync(tenant, new ConversationRequest { Entry = EntryRobotRouting.EntryOf(robot.Id) });
            await kefu.Conversations.SendAsync(tenant, c.Id, Participant.Visitor(c.VisitorId), MessageContent.FromText(question));
        }

        var before = await first.GetRequiredService<IBotOptimization>().ListUnmatchedAsync(tenant, robot.Id);
        Assert.Equal([3L, 1L], before.Select(g => g.Count));
        await first.GetRequiredService<UnmatchedQuestionLog>().FlushAsync();
        await first.DisposeAsync();

        await using var second = Build();
        var after = await second.GetRequiredService<IBotOptimization>().ListUnmatchedAsync(tenant, robot.Id);

        Assert.Equal(before.Select(g => (g.Key, g.Representative, g.Count)), after.Select(g => (g.Key, g.Representative, g.Count)));
        Assert.Equal(before[0].Questions, after[0].Questions);
    }
}
