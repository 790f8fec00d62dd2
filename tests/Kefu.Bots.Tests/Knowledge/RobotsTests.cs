using Kefu.Bots.Knowledge;

namespace Kefu.Bots.Tests.Knowledge;

public sealed class RobotsTests
{
    [Fact]
    public async Task Create_ThenGetAndList_ReturnTheStoredRobot()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var draft = KnowledgeFixture.Draft("  Shop assistant  ") with
        {
            Id = 99,
            Version = 42,
            Replies = new RobotReplies { RepeatThreshold = 3, TimeoutAfter = TimeSpan.FromMinutes(5) },
            HandOff = new HandOffSettings { Keywords = ["人工", " agent "], AfterConsecutiveMisses = 0 },
            Matching = new MatchSettings { AnswerThreshold = 0.7, SuggestThreshold = 0.7, MaxSuggestions = 1 },
        };

        var robot = await f.Robots.CreateAsync(f.TenantId, draft);

        Assert.NotEqual(99, robot.Id);
        Assert.True(robot.Id > 0);
        Assert.Equal(1, robot.Version);
        Assert.Equal("Shop assistant", robot.Name);
        Assert.Equal(["人工", "agent"], robot.HandOff.Keywords);
        var read = await f.Robots.GetAsync(f.TenantId, robot.Id);
        Assert.Equal(robot.Name, read.Name);
        Assert.Equal(1, read.Version);
        Assert.Equal(TimeSpan.FromMinutes(5), read.Replies.TimeoutAfter);
        Assert.Equal(3, read.Replies.RepeatThreshold);
        Assert.Equal(0.7, read.Matching.AnswerThreshold);
        Assert.Equal([1L, 2L], read.Menus.Select(m => m.Id));
        Assert.Equal("Where is my parcel?", read.Menus[0].Items[0].Text);
        var document = await f.Documents.GetAsync(f.TenantId, "bots.robot", robot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(document);
        Assert.Equal(1, document.Version);
        Assert.Contains("Shop assistant", document.Content, StringComparison.Ordinal);

        var second = await f.CreateRobotAsync("After-sales");
        var list = await f.Robots.ListAsync(f.TenantId);
        Assert.Equal([robot.Id, second.Id], list.Select(r => r.Id));
    }

    [Fact]
    public async Task Update_StoresTheChange_AndBumpsTheVersion()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();

        var updated = await f.Robots.UpdateAsync(f.TenantId, robot with
        {
            Name = "Renamed",
            Enabled = false,
            Replies = robot.Replies with { Welcome = new AutoReply(false, "Hi there") },
        });

        Assert.Equal(2, updated.Version);
        var read = await f.Robots.GetAsync(f.TenantId, robot.Id);
        Assert.Equal("Renamed", read.Name);
        Assert.False(read.Enabled);
        Assert.Equal(new AutoReply(false, "Hi there"), read.Replies.Welcome);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Update_WithAStaleVersion_IsRefused_AndKeepsTheStoredRobot()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        await f.Robots.UpdateAsync(f.TenantId, robot with { Name = "First writer" });

        var ex = await Assert.ThrowsAsync<KefuException>(async () => await f.Robots.UpdateAsync(f.TenantId, robot with { Name = "Second writer" }));

        Assert.Equal(KefuErrorKind.Concurrency, ex.Kind);
        var read = await f.Robots.GetAsync(f.TenantId, robot.Id);
        Assert.Equal("First writer", read.Name);
        Assert.Equal(2, read.Version);
    }

    public static TheoryData<string, Func<Robot, Robot>, string, string> InvalidRobots() => new()
    {
        { "blank name", r => r with { Name = "   " }, "Name", "1–50 characters" },
        { "long name", r => r with { Name = new string('x', 51) }, "Name", "1–50 characters" },
        { "empty welcome", r => r with { Replies = r.Replies with { Welcome = new AutoReply(true, "") } }, "Replies.Welcome.Text", "1–1000 characters" },
        { "long fallback", r => r with { Replies = r.Replies with { Fallback = new AutoReply(true, new string('x', 1001)) } }, "Replies.Fallback.Text", "1–1000 characters" },
        { "repeat threshold", r => r with { Replies = r.Replies with { RepeatThreshold = 1 } }, "Replies.RepeatThreshold", "between 2 and 10" },
        { "short time-out", r => r with { Replies = r.Replies with { TimeoutAfter = TimeSpan.FromSeconds(9) } }, "Replies.TimeoutAfter", "between 10 seconds and 1 hour" },
        { "long time-out", r => r with { Replies = r.Replies with { TimeoutAfter = TimeSpan.FromMinutes(61) } }, "Replies.TimeoutAfter", "between 10 seconds and 1 hour" },
        { "long keyword", r => r with { HandOff = r.HandOff with { Keywords = ["人工", new string('x', 21)] } }, "HandOff.Keywords[1]", "1–20 characters" },
        { "too many keywords", r => r with { HandOff = r.HandOff with { Keywords = [.. Enumerable.Range(0, 51).Select(i => $"k{i}")] } }, "HandOff.Keywords", "at most 50 keywords" },
        { "misses", r => r with { HandOff = r.HandOff with { AfterConsecutiveMisses = 21 } }, "HandOff.AfterConsecutiveMisses", "between 0 and 20" },
        { "hand-off text", r => r with { HandOff = r.HandOff with { Text = "" } }, "HandOff.Text", "1–1000 characters" },
        { "answer threshold", r => r with { Matching = r.Matching with { AnswerThreshold = 0.04 } }, "Matching.AnswerThreshold", "between 0.05 and 1" },
        { "NaN threshold", r => r with { Matching = r.Matching with { AnswerThreshold = double.NaN } }, "Matching.AnswerThreshold", "between 0.05 and 1" },
        { "suggest above answer", r => r with { Matching = r.Matching with { AnswerThreshold = 0.5, SuggestThreshold = 0.6 } }, "Matching.SuggestThreshold", "between 0.01 and the answer threshold (0.5)" },
        { "suggest too low", r => r with { Matching = r.Matching with { SuggestThreshold = 0.001 } }, "Matching.SuggestThreshold", "between 0.01" },
        { "suggestions", r => r with { Matching = r.Matching with { MaxSuggestions = 4 } }, "Matching.MaxSuggestions", "between 1 and 3" },
        { "suggest text", r => r with { Matching = r.Matching with { SuggestText = new string('x', 201) } }, "Matching.SuggestText", "1–200 characters" },
        { "menu id", r => r with { Menus = [r.Menus[0] with { Id = 0 }] }, "Menus[0].Id", "1 or more" },
        { "duplicate menu id", r => r with { Menus = [r.Menus[0], r.Menus[1] with { Id = 1 }] }, "Menus[1].Id", "unique among the robot's menus" },
        { "menu title", r => r with { Menus = [r.Menus[0], r.Menus[1] with { Title = "" }] }, "Menus[1].Title", "1–200 characters" },
        { "no items", r => r with { Menus = [r.Menus[0] with { Items = [] }] }, "Menus[0].Items", "1–20 items" },
        {
            "item text", r => r with { Menus = [r.Menus[0], r.Menus[1], new RobotMenu(3, "More", [new RobotMenuItem(new string('x', 101))])] },
            "Menus[2].Items[0].Text", "1–100 characters"
        },
        { "too many menus", r => r with { Menus = [.. Enumerable.Range(1, 51).Select(i => new RobotMenu(i, $"Menu {i}", [new RobotMenuItem("x")]))] }, "Menus", "at most 50 menus" },
        { "unknown group", r => r with { HandOff = r.HandOff with { TargetGroupId = 123456 } }, "HandOff.TargetGroupId", "one of the tenant's skill groups" },
        { "unknown rule", r => r with { Menus = [new RobotMenu(1, "Orders", [new RobotMenuItem("x"), new RobotMenuItem("y", 777)])] }, "Menus[0].Items[1].RuleId", "one of the robot's knowledge rules" },
    };

    [Theory]
    [MemberData(nameof(InvalidRobots))]
    public async Task Create_WithAFieldOutOfRange_NamesTheFieldAndTheRange_AndStoresNothing(string _, Func<Robot, Robot> change, string field, string allowed)
    {
        await using var f = await KnowledgeFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () => await f.Robots.CreateAsync(f.TenantId, change(KnowledgeFixture.Draft())));

        Assert.Equal(field, ex.Field);
        Assert.Contains(allowed, ex.Allowed, StringComparison.Ordinal);
        Assert.StartsWith(field + " must be", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await f.StoredAsync());
        Assert.Empty(await f.Robots.ListAsync(f.TenantId));
    }

    [Theory]
    [MemberData(nameof(InvalidRobots))]
    public async Task Update_WithAFieldOutOfRange_NamesTheField_AndKeepsTheStoredRobot(string _, Func<Robot, Robot> change, string field, string allowed)
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var before = await f.StoredAsync();

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () => await f.Robots.UpdateAsync(f.TenantId, change(robot)));

        Assert.Equal(field, ex.Field);
        Assert.Contains(allowed, ex.Allowed, StringComparison.Ordinal);
        Assert.Equal(before, await f.StoredAsync());
        Assert.Equal(1, (await f.Robots.GetAsync(f.TenantId, robot.Id)).Version);
    }

    [Fact]
    public async Task HandOffGroup_OfTheTenant_IsAccepted()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var group = await f.AddGroupAsync("After-sales");

        var robot = await f.Robots.CreateAsync(f.TenantId, KnowledgeFixture.Draft() with { HandOff = new HandOffSettings { TargetGroupId = group.Id } });

        Assert.Equal(group.Id, (await f.Robots.GetAsync(f.TenantId, robot.Id)).HandOff.TargetGroupId);
    }

    [Fact]
    public async Task MenuItemRule_MustBeARuleOfThisRobot()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var other = await f.CreateRobotAsync("Other");
        var own = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        var foreign = await f.AddRuleAsync(other.Id, "How do refunds work?");

        var updated = await f.Robots.UpdateAsync(f.TenantId, robot with { Menus = [new RobotMenu(1, "Orders", [new RobotMenuItem("Parcel", own.Id)])] });
        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await f.Robots.UpdateAsync(f.TenantId, updated with { Menus = [new RobotMenu(1, "Orders", [new RobotMenuItem("Parcel", own.Id), new RobotMenuItem("Refunds", foreign.Id)])] }));

        Assert.Equal(own.Id, updated.Menus[0].Items[0].RuleId);
        Assert.Equal("Menus[0].Items[1].RuleId", ex.Field);
    }

    [Fact]
    public async Task Delete_RemovesTheRobotAndItsRules_ButNotOtherRobots()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var other = await f.CreateRobotAsync("Other");
        var a = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        var b = await f.AddRuleAsync(robot.Id, "How do refunds work?");
        var kept = await f.AddRuleAsync(other.Id, "Opening hours?");

        await f.Robots.DeleteAsync(f.TenantId, robot.Id, robot.Version);

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Robots.GetAsync(f.TenantId, robot.Id));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Knowledge.GetRuleAsync(f.TenantId, a.Id));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Knowledge.ListRulesAsync(f.TenantId, robot.Id));
        var stored = await f.StoredAsync();
        Assert.Equal([other.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), kept.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            stored.Select(d => d.Key));
        Assert.DoesNotContain(stored, d => d.Key == b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(kept.Id, (await f.Knowledge.GetRuleAsync(f.TenantId, kept.Id)).Id);
        Assert.Same(Kefu.Bots.Matching.KnowledgeIndex.Empty, f.Catalog.IndexOf(f.TenantId, robot.Id));
    }

    [Fact]
    public async Task Delete_WithAStaleVersion_IsRefused_AndDeletesNothing()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        await f.Robots.UpdateAsync(f.TenantId, robot with { Name = "Changed" });
        var before = await f.StoredAsync();

        var ex = await Assert.ThrowsAsync<KefuException>(async () => await f.Robots.DeleteAsync(f.TenantId, robot.Id, robot.Version));

        Assert.Equal(KefuErrorKind.Concurrency, ex.Kind);
        Assert.Equal(before, await f.StoredAsync());
    }

    [Fact]
    public async Task UnknownTenantOrRobot_IsNotFound()
    {
        await using var f = await KnowledgeFixture.StartAsync();

        var tenant = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Robots.CreateAsync(f.TenantId + 1, KnowledgeFixture.Draft()));
        var robot = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Robots.GetAsync(f.TenantId, 12345));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Robots.DeleteAsync(f.TenantId, 12345, 1));

        Assert.Equal("Tenant", tenant.Entity);
        Assert.Equal("Robot", robot.Entity);
    }
}
