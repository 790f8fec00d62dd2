using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Visitors;

/// <summary>Visitors: profile, additional information, browse trail, tags and search (C7, C20 visitor events).</summary>
public class VisitorTests
{
    [Fact]
    public async Task Open_WithVisitorProfile_CreatesTheVisitorAndEmitsVisitorChanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var profile = new VisitorProfile
        {
            Name = "王小明",
            Nickname = "小明",
            Phone = "13800000001",
            Email = "xm@example.test",
            Gender = "男",
            Address = "上海",
            ImId = "im-42",
            Device = new DeviceInfo("10.0.0.8", "中国移动", "iOS 18"),
        };
        h.Events.Clear();

        var conversation = await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { Visitor = profile });

        var visitor = await h.Kefu.History.GetVisitorAsync(h.TenantId, conversation.VisitorId);
        Assert.Equal(("王小明", "小明", "13800000001", "xm@example.test", "男", "上海", "im-42"),
            (visitor.Name, visitor.Nickname, visitor.Phone, visitor.Email, visitor.Gender, visitor.Address, visitor.ImId));
        Assert.Equal(profile.Device, visitor.Device);
        Assert.Equal(h.Clock.GetUtcNow(), visitor.CreatedAt);
        var changed = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.VisitorChanged).VisitorChanged;
        Assert.Equal(visitor.Id, changed.VisitorId);
        Assert.Equal("王小明", changed.Name);
        Assert.Equal("13800000001", changed.Phone);
        Assert.Equal("男", changed.Gender);
        Assert.Equal("上海", changed.Address);
    }

    [Fact]
    public async Task Open_WithoutProfile_CreatesAnAnonymousVisitor()
    {
        await using var h = await KefuTestHarness.StartAsync();

        var conversation = await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest());

        var visitor = await h.Kefu.History.GetVisitorAsync(h.TenantId, conversation.VisitorId);
        Assert.StartsWith("游客 ", visitor.Name, StringComparison.Ordinal);
        Assert.Null(visitor.Phone);
    }

    [Fact]
    public async Task Open_AgainWhileAConversationIsOpen_ReturnsTheSameConversation()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var first = await h.OpenConversationAsync();
        h.Events.Clear();

        var again = await h.Kefu.Conversations.OpenAsync(h.TenantId, h.Data.Conversation(visitorId: first.VisitorId));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, Assert.Single(await h.Kefu.Conversations.ListOpenAsync(h.TenantId)).Id);
        Assert.DoesNotContain(h.Events.Kinds, k => k == PayloadOneofCase.SessionCreated);
    }

    [Fact]
    public async Task Open_AgainWhileOpenWithProfileChanges_ReturnsTheSameConversationAndAppliesTheChanges()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var first = await h.OpenConversationAsync();

        var again = await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { VisitorId = first.VisitorId, Visitor = new VisitorProfile { Phone = "13911112222" } });

        Assert.Equal(first.Id, again.Id);
        Assert.Equal("13911112222", (await h.Kefu.History.GetVisitorAsync(h.TenantId, first.VisitorId)).Phone);
    }

    [Fact]
    public async Task Open_AgainAfterTheFirstClosed_StartsANewConversationForTheSameVisitor()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var first = await h.OpenConversationAsync();
        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Visitor(first.VisitorId));

        var second = await h.Kefu.Conversations.OpenAsync(h.TenantId, h.Data.Conversation(visitorId: first.VisitorId));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.VisitorId, second.VisitorId);
        Assert.Equal(2, (await h.Kefu.History.SearchAsync(h.TenantId, new HistoryQuery { VisitorId = first.VisitorId })).Total);
    }

    [Fact]
    public async Task Open_ExistingVisitorWithProfileChanges_MergesThemAndEmitsVisitorChanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var first = await h.OpenConversationAsync();
        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Visitor(first.VisitorId));
        h.Events.Clear();

        await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { VisitorId = first.VisitorId, Visitor = new VisitorProfile { Phone = "13911112222" } });

        Assert.Equal("13911112222", (await h.Kefu.History.GetVisitorAsync(h.TenantId, first.VisitorId)).Phone);
        var changed = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.VisitorChanged).VisitorChanged;
        Assert.Equal("13911112222", changed.Phone);
    }

    [Fact]
    public async Task Open_UnknownVisitorId_ThrowsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { VisitorId = 777 }));

        Assert.Empty(await h.Kefu.Conversations.ListOpenAsync(h.TenantId));
    }

    [Fact]
    public async Task UpdateVisitor_SomeFields_MergesThemKeepsTheOthersAndEmitsVisitorChanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var conversation = await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest
        {
            Visitor = new VisitorProfile { Name = "王小明", Phone = "13800000001", Email = "xm@example.test" },
        });
        await h.AdvanceAsync(TimeSpan.FromMinutes(3));
        h.Events.Clear();

        var updated = await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, conversation.VisitorId, new VisitorProfile { Email = "new@example.test", Note = "老客户" });

        Assert.Equal(("王小明", "13800000001", "new@example.test", "老客户"), (updated.Name, updated.Phone, updated.Email, updated.Note));
        Assert.Equal(h.Clock.GetUtcNow(), updated.LastSeenAt);
        Assert.Equal(updated, await h.Kefu.History.GetVisitorAsync(h.TenantId, conversation.VisitorId));
        var e = Assert.Single(h.Events.Events);
        Assert.Equal(PayloadOneofCase.VisitorChanged, e.PayloadCase);
        Assert.Equal((conversation.VisitorId, "王小明", "13800000001", "new@example.test", "老客户"),
            (e.VisitorChanged.VisitorId, e.VisitorChanged.Name, e.VisitorChanged.Phone, e.VisitorChanged.Email, e.VisitorChanged.Note));
    }

    [Fact]
    public async Task UpdateVisitor_UnknownVisitor_ThrowsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, 123, new VisitorProfile { Name = "x" }));
    }

    [Fact]
    public async Task UpdateVisitor_AdditionalInfo_MergesKeysAndOverwritesValues()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var conversation = await h.OpenConversationAsync();
        var id = conversation.VisitorId;

        await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, id, new VisitorProfile { AdditionalInfo = new Dictionary<string, string> { ["level"] = "gold", ["city"] = "上海" } });
        var merged = await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, id, new VisitorProfile { AdditionalInfo = new Dictionary<string, string> { ["level"] = "platinum", ["orders"] = "12" } });

        Assert.Equal(3, merged.AdditionalInfo.Count);
        Assert.Equal("platinum", merged.AdditionalInfo["level"]);
        Assert.Equal("上海", merged.AdditionalInfo["city"]);
        Assert.Equal("12", merged.AdditionalInfo["orders"]);
        Assert.Equal("platinum", (await h.Kefu.History.GetVisitorAsync(h.TenantId, id)).AdditionalInfo["level"]);
    }

    [Fact]
    public async Task UpdateVisitor_AdditionalInfoBeyondTenKeysInTotal_IsRefusedAndKeepsTheTen()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var conversation = await h.OpenConversationAsync();
        var id = conversation.VisitorId;
        var ten = Enumerable.Range(1, 10).ToDictionary(i => $"field_{i}", i => $"v{i}");
        await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, id, new VisitorProfile { AdditionalInfo = ten });
        h.Events.Clear();

        var error = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, id, new VisitorProfile { Name = "renamed", AdditionalInfo = new Dictionary<string, string> { ["field_11"] = "v11" } }));
        var overwrite = await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, id, new VisitorProfile { AdditionalInfo = new Dictionary<string, string> { ["field_1"] = "changed" } });

        Assert.Equal("AdditionalInfo", error.Field);
        Assert.Equal(10, overwrite.AdditionalInfo.Count);
        Assert.Equal("changed", overwrite.AdditionalInfo["field_1"]);
        Assert.False(overwrite.AdditionalInfo.ContainsKey("field_11"));
        Assert.NotEqual("renamed", overwrite.Name);
        Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.VisitorChanged);
    }

    [Fact]
    public async Task RecordPageVisit_MoreThanFiftyPages_KeepsTheNewestFiftyOldestFirst()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var conversation = await h.OpenConversationAsync();
        var id = conversation.VisitorId;
        var start = h.Clock.GetUtcNow();

        for (var i = 0; i < 54; i++)
        {
            await h.Kefu.Conversations.RecordPageVisitAsync(h.TenantId, id, $"https://shop.example.test/p/{i}", $"Page {i}");
            await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        var visitor = await h.Kefu.Conversations.RecordPageVisitAsync(h.TenantId, id, "https://shop.example.test/p/54", "Page 54");

        Assert.Equal(Visitor.MaxBrowseTrail, visitor.BrowseTrail.Count);
        Assert.Equal(Enumerable.Range(5, 50).Select(i => $"https://shop.example.test/p/{i}"), visitor.BrowseTrail.Select(p => p.Url));
        Assert.Equal("Page 54", visitor.BrowseTrail[^1].Title);
        Assert.Equal(start.AddSeconds(5), visitor.BrowseTrail[0].At);
        Assert.Equal(start.AddSeconds(54), visitor.BrowseTrail[^1].At);
        Assert.Equal(visitor.BrowseTrail, (await h.Kefu.History.GetVisitorAsync(h.TenantId, id)).BrowseTrail);
    }

    [Fact]
    public async Task RecordPageVisit_FewPages_KeepsThemAllInOrder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var conversation = await h.OpenConversationAsync();

        await h.Kefu.Conversations.RecordPageVisitAsync(h.TenantId, conversation.VisitorId, "https://shop.example.test/");
        var visitor = await h.Kefu.Conversations.RecordPageVisitAsync(h.TenantId, conversation.VisitorId, "https://shop.example.test/cart", "Cart");

        Assert.Equal(["https://shop.example.test/", "https://shop.example.test/cart"], visitor.BrowseTrail.Select(p => p.Url));
        Assert.Null(visitor.BrowseTrail[0].Title);
    }

    [Fact]
    public async Task AddVisitorTag_Twice_AddsItOnceAndEmitsOneVisitorTagAdded()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var tag = await h.Kefu.Directory.AddTagAsync(h.TenantId, TagScope.Visitor, "VIP");
        var conversation = await h.OpenConversationAsync();
        h.Events.Clear();

        await h.Kefu.Conversations.AddVisitorTagAsync(h.TenantId, conversation.VisitorId, tag.Id);
        var twice = await h.Kefu.Conversations.AddVisitorTagAsync(h.TenantId, conversation.VisitorId, tag.Id);

        Assert.Equal([tag.Id], twice.TagIds);
        Assert.Equal([tag.Id], (await h.Kefu.History.GetVisitorAsync(h.TenantId, conversation.VisitorId)).TagIds);
        var added = Assert.Single(h.Events.Events);
        Assert.Equal(PayloadOneofCase.VisitorTagAdded, added.PayloadCase);
        Assert.Equal((conversation.VisitorId, tag.Id), (added.VisitorTagAdded.VisitorId, added.VisitorTagAdded.TagId));
    }

    [Fact]
    public async Task RemoveVisitorTag_Present_RemovesItAndEmitsVisitorTagRemovedOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var vip = await h.Kefu.Directory.AddTagAsync(h.TenantId, TagScope.Visitor, "VIP");
        var loyal = await h.Kefu.Directory.AddTagAsync(h.TenantId, TagScope.Visitor, "老客户");
        var conversation = await h.OpenConversationAsync();
        await h.Kefu.Conversations.AddVisitorTagAsync(h.TenantId, conversation.VisitorId, vip.Id);
        await h.Kefu.Conversations.AddVisitorTagAsync(h.TenantId, conversation.VisitorId, loyal.Id);
        h.Events.Clear();

        var removed = await h.Kefu.Conversations.RemoveVisitorTagAsync(h.TenantId, conversation.VisitorId, vip.Id);
        await h.Kefu.Conversations.RemoveVisitorTagAsync(h.TenantId, conversation.VisitorId, vip.Id);

        Assert.Equal([loyal.Id], removed.TagIds);
        var e = Assert.Single(h.Events.Events);
        Assert.Equal(PayloadOneofCase.VisitorTagRemoved, e.PayloadCase);
        Assert.Equal((conversation.VisitorId, vip.Id), (e.VisitorTagRemoved.VisitorId, e.VisitorTagRemoved.TagId));
    }

    [Fact]
    public async Task DeleteTag_HeldByAVisitor_DoesNotStayStuckOnTheVisitor()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var tag = await h.Kefu.Directory.AddTagAsync(h.TenantId, TagScope.Visitor, "VIP");
        var conversation = await h.OpenConversationAsync();
        await h.Kefu.Conversations.AddVisitorTagAsync(h.TenantId, conversation.VisitorId, tag.Id);

        await h.Kefu.Directory.DeleteTagAsync(h.TenantId, tag.Id);

        // Either deleting the definition removed it from the visitor, or the visitor's tag can still be taken off.
        var visitor = await h.Kefu.History.GetVisitorAsync(h.TenantId, conversation.VisitorId);
        if (visitor.TagIds.Contains(tag.Id))
        {
            visitor = await h.Kefu.Conversations.RemoveVisitorTagAsync(h.TenantId, conversation.VisitorId, tag.Id);
        }

        Assert.DoesNotContain(tag.Id, visitor.TagIds);
    }

    [Fact]
    public async Task AddVisitorTag_SessionScopedTag_ThrowsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var sessionTag = await h.Kefu.Directory.AddTagAsync(h.TenantId, TagScope.Session, "投诉");
        var conversation = await h.OpenConversationAsync();
        h.Events.Clear();

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.AddVisitorTagAsync(h.TenantId, conversation.VisitorId, sessionTag.Id));

        Assert.Empty((await h.Kefu.History.GetVisitorAsync(h.TenantId, conversation.VisitorId)).TagIds);
        Assert.Empty(h.Events.Events);
    }

    [Fact]
    public async Task SearchVisitors_ByPartOfNamePhoneOrEmail_IgnoresCase()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var alice = await OpenAsync(h, new VisitorProfile { Name = "Alice Wang", Phone = "13800001111", Email = "Alice@Example.test" });
        var bob = await OpenAsync(h, new VisitorProfile { Name = "Bob Li", Nickname = "Bobby", Phone = "13900002222", Email = "bob@corp.test" });
        var carol = await OpenAsync(h, new VisitorProfile { Name = "Carol WANG", Phone = "13800003333", Email = "carol@example.test" });

        Assert.Equal([carol, alice], await SearchIdsAsync(h, new VisitorQuery { Name = "wang" }));
        Assert.Equal([bob], await SearchIdsAsync(h, new VisitorQuery { Name = "BOBBY" }));
        Assert.Equal([carol, alice], await SearchIdsAsync(h, new VisitorQuery { Phone = "138000" }));
        Assert.Equal([bob], await SearchIdsAsync(h, new VisitorQuery { Phone = "0002222" }));
        Assert.Equal([carol, alice], await SearchIdsAsync(h, new VisitorQuery { Email = "EXAMPLE.TEST" }));
        Assert.Equal([alice], await SearchIdsAsync(h, new VisitorQuery { Name = "wang", Email = "alice" }));
        Assert.Empty(await SearchIdsAsync(h, new VisitorQuery { Name = "nobody" }));
        Assert.Equal(3, (await h.Kefu.History.SearchVisitorsAsync(t, new VisitorQuery())).Total);
    }

    [Fact]
    public async Task SearchVisitors_ByUpdatedPhone_FindsTheVisitor()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var id = await OpenAsync(h, new VisitorProfile { Name = "Dan", Phone = "13000000000" });

        await h.Kefu.Conversations.UpdateVisitorAsync(h.TenantId, id, new VisitorProfile { Phone = "18612345678" });

        Assert.Equal([id], await SearchIdsAsync(h, new VisitorQuery { Phone = "12345" }));
        Assert.Empty(await SearchIdsAsync(h, new VisitorQuery { Phone = "13000000000" }));
    }

    [Fact]
    public async Task SearchVisitors_WithPageSizeAndOffset_PagesNewestFirstWithTotal()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await OpenAsync(h, new VisitorProfile { Name = $"Page visitor {i}" }));
        }

        await OpenAsync(h, new VisitorProfile { Name = "Someone else" });
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var first = await h.Kefu.History.SearchVisitorsAsync(h.TenantId, new VisitorQuery { Name = "page visitor", PageSize = 3 });
        var second = await h.Kefu.History.SearchVisitorsAsync(h.TenantId, new VisitorQuery { Name = "page visitor", PageSize = 3, Offset = 3 });
        var last = await h.Kefu.History.SearchVisitorsAsync(h.TenantId, new VisitorQuery { Name = "page visitor", PageSize = 3, Offset = 6 });

        Assert.Equal(newestFirst.Take(3), first.Items.Select(v => v.Id));
        Assert.Equal(newestFirst.Skip(3).Take(3), second.Items.Select(v => v.Id));
        Assert.Equal(newestFirst.Skip(6), last.Items.Select(v => v.Id));
        Assert.All(new[] { first, second, last }, p => Assert.Equal(7, p.Total));
        Assert.Equal((true, true, false), (first.HasMore, second.HasMore, last.HasMore));
        Assert.Equal(6, last.Offset);
    }

    private static async Task<long> OpenAsync(KefuTestHarness h, VisitorProfile profile) =>
        (await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { Visitor = profile })).VisitorId;

    private static async Task<IReadOnlyList<long>> SearchIdsAsync(KefuTestHarness h, VisitorQuery query) =>
        [.. (await h.Kefu.History.SearchVisitorsAsync(h.TenantId, query)).Items.Select(v => v.Id)];
}
