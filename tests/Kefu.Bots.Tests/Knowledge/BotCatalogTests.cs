using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Bots.Tests.Knowledge;

public sealed class BotCatalogTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Readers_AreNotBlocked_WhileTheIndexRebuilds()
    {
        using var matcher = new GatedMatcher();
        await using var f = await KnowledgeFixture.StartAsync(matcher);
        var robot = await f.CreateRobotAsync();
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        await f.WhenIndexedAsync(robot.Id);
        var builds = matcher.Builds;

        matcher.Close();
        // On another thread, so that a writer blocked by the build fails the test instead of hanging it.
        var refund = await Task.Run(() => f.AddRuleAsync(robot.Id, "How long does a refund take?")).WaitAsync(Soon);
        await matcher.WaitForBuildsAsync(builds + 1);
        var indexed = f.Catalog.WhenIndexedAsync(f.TenantId, robot.Id);

        // The build is stuck inside the matcher: the writer returned, and readers answer from the previous index.
        var old = await f.MatchAsync(robot.Id, "where is my parcel").WaitAsync(Soon);
        var notYet = await f.MatchAsync(robot.Id, "How long does a refund take?").WaitAsync(Soon);
        Assert.Equal((MatchKind.Exact, parcel.Id), (old.Kind, old.BestRuleId));
        Assert.DoesNotContain(notYet.Candidates, c => c.RuleId == refund.Id);
        Assert.Equal(1, f.Catalog.IndexOf(f.TenantId, robot.Id).RuleCount);
        Assert.False(indexed.IsCompleted);
        Assert.True(f.Catalog.TryGetRule(f.TenantId, refund.Id, out _));

        matcher.Open();
        await indexed.WaitAsync(Soon);
        var now = await f.MatchAsync(robot.Id, "How long does a refund take?");
        Assert.Equal((MatchKind.Exact, refund.Id), (now.Kind, now.BestRuleId));
        Assert.Equal(2, f.Catalog.IndexOf(f.TenantId, robot.Id).RuleCount);
    }

    [Fact]
    public async Task ChangesDuringARebuild_AreCoalescedIntoOneMoreBuild()
    {
        using var matcher = new GatedMatcher();
        await using var f = await KnowledgeFixture.StartAsync(matcher);
        var robot = await f.CreateRobotAsync();
        await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        await f.WhenIndexedAsync(robot.Id);
        var builds = matcher.Builds;
        var before = f.Catalog.IndexOf(f.TenantId, robot.Id).Version;

        matcher.Close();
        await f.AddRuleAsync(robot.Id, "How long does a refund take?");
        await matcher.WaitForBuildsAsync(builds + 1);
        var c = await f.AddRuleAsync(robot.Id, "Opening hours?");
        var d = await f.AddRuleAsync(robot.Id, "Do you ship abroad?");
        var e = await f.AddRuleAsync(robot.Id, "Can I pay by card?");
        matcher.Open();
        await f.WhenIndexedAsync(robot.Id);

        Assert.Equal(builds + 2, matcher.Builds);
        Assert.Equal(before + 2, f.Catalog.IndexOf(f.TenantId, robot.Id).Version);
        foreach (var rule in new[] { c, d, e })
        {
            Assert.Equal(rule.Id, (await f.MatchAsync(robot.Id, rule.Title)).BestRuleId);
        }
    }

    [Fact]
    public async Task AFailedBuild_KeepsThePreviousIndex_AndTheNextChangeRebuilds()
    {
        using var matcher = new GatedMatcher();
        await using var f = await KnowledgeFixture.StartAsync(matcher);
        var robot = await f.CreateRobotAsync();
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        await f.WhenIndexedAsync(robot.Id);
        var index = f.Catalog.IndexOf(f.TenantId, robot.Id);

        matcher.FailNext();
        var refund = await f.AddRuleAsync(robot.Id, "How long does a refund take?");
        await f.WhenIndexedAsync(robot.Id);

        Assert.Same(index, f.Catalog.IndexOf(f.TenantId, robot.Id));
        Assert.Equal(parcel.Id, (await f.MatchAsync(robot.Id, "Where is my parcel?")).BestRuleId);
        Assert.NotEqual(MatchKind.Exact, (await f.MatchAsync(robot.Id, refund.Title)).Kind);

        var hours = await f.AddRuleAsync(robot.Id, "Opening hours?");
        await f.WhenIndexedAsync(robot.Id);
        Assert.Equal(refund.Id, (await f.MatchAsync(robot.Id, refund.Title)).BestRuleId);
        Assert.Equal(hours.Id, (await f.MatchAsync(robot.Id, hours.Title)).BestRuleId);
    }

    [Fact]
    public async Task ANewCatalogOverTheSameStore_SeesTheSameRobotsAndRules()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var group = await f.AddGroupAsync("After-sales");
        var robot = await f.Robots.CreateAsync(f.TenantId, KnowledgeFixture.Draft() with
        {
            HandOff = new HandOffSettings { TargetGroupId = group.Id, Keywords = ["人工"] },
            Replies = new RobotReplies { TimeoutAfter = TimeSpan.FromSeconds(90) },
        });
        var other = await f.CreateRobotAsync("Other");
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?", "快递到哪了");
        var refund = await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, KnowledgeFixture.Rule("How long does a refund take?") with
        {
            Answer = new KnowledgeAnswer(AnswerKind.Menu, "Choose one:", MenuId: 2),
            Keywords = ["refund+days"],
            Category = "Payments",
            Enabled = false,
        });
        refund = await f.Knowledge.UpdateRuleAsync(f.TenantId, refund with { Enabled = true });
        var elsewhere = await f.AddRuleAsync(other.Id, "Opening hours?");

        using var restarted = new BotCatalog(f.Documents, new NgramQuestionMatcher(), NullLogger<BotCatalog>.Instance);
        Assert.Empty(restarted.RobotsOf(f.TenantId));
        await restarted.LoadTenantAsync(f.TenantId);

        Assert.Equal([robot.Id, other.Id], restarted.RobotsOf(f.TenantId).Select(r => r.Id));
        Assert.True(restarted.TryGetRobot(f.TenantId, robot.Id, out var reloaded));
        Assert.Equal((robot.Name, robot.Version, group.Id, TimeSpan.FromSeconds(90)),
            (reloaded.Name, reloaded.Version, reloaded.HandOff.TargetGroupId, reloaded.Replies.TimeoutAfter));
        Assert.Equal(["人工"], reloaded.HandOff.Keywords);
        Assert.Equal(robot.Menus.Select(m => (m.Id, m.Title, string.Join("/", m.Items.Select(i => i.Text)))),
            reloaded.Menus.Select(m => (m.Id, m.Title, string.Join("/", m.Items.Select(i => i.Text)))));
        Assert.Equal([parcel.Id, refund.Id], restarted.RulesOf(f.TenantId, robot.Id).Select(r => r.Id));
        Assert.True(restarted.TryGetRule(f.TenantId, refund.Id, out var rule));
        Assert.Equal((refund.Version, refund.RobotId, refund.Answer, refund.Category, true), (rule.Version, rule.RobotId, rule.Answer, rule.Category, rule.Enabled));
        Assert.Equal(refund.Keywords, rule.Keywords);
        Assert.Equal([elsewhere.Id], restarted.RulesOf(f.TenantId, other.Id).Select(r => r.Id));

        // The first build ran during the load: the index answers at once.
        Assert.Equal(parcel.Id, restarted.IndexOf(f.TenantId, robot.Id).Match("快递到哪了").BestRuleId);
        Assert.Equal(refund.Id, restarted.IndexOf(f.TenantId, robot.Id).Match("refund in how many days").BestRuleId);
        Assert.True(restarted.WhenIndexedAsync(f.TenantId, robot.Id).IsCompleted);
    }

    [Fact]
    public async Task Loading_SkipsUnreadableDocumentsAndRulesOfMissingRobots()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        var now = f.Harness.Clock.GetUtcNow();
        await f.Documents.PutAsync(f.TenantId, BotDocuments.RuleKind, "1", "{ not json", 0, now);
        await f.Documents.PutAsync(f.TenantId, BotDocuments.RuleKind, "2",
            BotDocuments.Serialize(KnowledgeFixture.Rule("Orphan") with { Id = 2, RobotId = 999 }), 0, now);

        using var restarted = new BotCatalog(f.Documents, new NgramQuestionMatcher(), NullLogger<BotCatalog>.Instance);
        await restarted.LoadTenantAsync(f.TenantId);

        Assert.Equal([parcel.Id], restarted.RulesOf(f.TenantId, robot.Id).Select(r => r.Id));
        Assert.False(restarted.TryGetRule(f.TenantId, 2, out _));
    }

    [Fact]
    public async Task WhenIndexed_OfAnUnknownRobotOrTenant_CompletesAtOnce()
    {
        await using var f = await KnowledgeFixture.StartAsync();

        Assert.True(f.Catalog.WhenIndexedAsync(f.TenantId, 12345).IsCompleted);
        Assert.True(f.Catalog.WhenIndexedAsync(f.TenantId + 1, 1).IsCompleted);
        Assert.Same(KnowledgeIndex.Empty, f.Catalog.IndexOf(f.TenantId + 1, 1));
    }
}
