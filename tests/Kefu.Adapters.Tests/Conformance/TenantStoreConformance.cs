using System.Text.Json;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>
/// What every store answers after the same tenant commits: <see cref="ITenantCommitStore"/> read back through
/// <see cref="IDirectoryStore"/> and <see cref="IConversationStore"/>.
/// </summary>
public abstract class TenantStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 8, 0, 0, TimeSpan.FromHours(8));

    private protected abstract ITenantCommitStore Commits { get; }

    private protected abstract IDirectoryStore Directory { get; }

    private protected abstract IConversationStore Conversations { get; }

    private static void AssertSame<T>(T expected, T actual)
        => Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    private static TenantCommit Commit(long tenantId, Action<TenantCommit> fill)
    {
        var commit = new TenantCommit(tenantId);
        fill(commit);
        return commit;
    }

    private static Conversation Conversation(long tenantId, long id, long visitorId, ConversationState state = ConversationState.InService, long? agentId = 7, int minutes = 0) => new()
    {
        Id = id,
        TenantId = tenantId,
        VisitorId = visitorId,
        ChannelKind = ChannelKind.Web,
        State = state,
        AgentId = agentId,
        CreatedAt = T0.AddMinutes(minutes),
        ClosedAt = state == ConversationState.Closed ? T0.AddMinutes(minutes + 5) : null,
        TagIds = [3, 4],
        Rating = state == ConversationState.Closed ? new Rating(5, 5, ["fast"], "thanks", T0.AddMinutes(minutes + 6)) : null,
        WrapUp = new WrapUp { ProblemTypeId = 11, Resolved = true, AgentId = 7, SavedAt = T0 },
        Routing = [new RoutingRecord(T0, default, default, 7, 2, null, "rule", "why", "longest-idle", 3, [new Kefu.Routing.RoutingCandidate(7, 0.5)])],
    };

    [Fact]
    public async Task Tenant_WhenNeverCommitted_IsNull()
    {
        var tenant = TestTenants.Next();
        Assert.Null(await Directory.GetTenantAsync(tenant));
        Assert.Null(await Directory.LoadTenantAsync(tenant));
        Assert.DoesNotContain(await Directory.ListTenantsAsync(), t => t.Id == tenant);
    }

    [Fact]
    public async Task Commit_TenantSettingsAndDirectory_LoadBack()
    {
        var id = TestTenants.Next();
        var tenant = new Tenant(id, "Acme", T0);
        var settings = new TenantSettings { Limits = new TenantLimits() };
        IDirectoryEntity[] entities =
        [
            new Department(30, null, "Sales", "desc"),
            new Agent { Id = 10, Account = "a@x", PasswordHash = "h", Name = "Ann", EmployeeNumber = "E1", RoleIds = [1, 2], CreatedAt = T0 },
            new SkillGroup(20, "Group", [10]),
            new Role(40, "admin", "Admin", null, ["team.manage"], true),
        ];
        await Commits.CommitAsync(Commit(id, c =>
        {
            c.Tenant = tenant;
            c.Settings = settings;
            c.DirectoryList.AddRange(entities.Select(e => new DirectoryChange(e.GetType().Name, e.Id, e)));
            c.EventList.Add(ConformanceEvents.Recall(T0, id, 1, 0, 1));
            c.EventList.Add(ConformanceEvents.Recall(T0, id, 2, 0, 2));
        }));

        var snapshot = await Directory.LoadTenantAsync(id);

        Assert.NotNull(snapshot);
        Assert.Equal(tenant, snapshot.Tenant);
        AssertSame(settings, snapshot.Settings);
        Assert.Equal(2, snapshot.LastEventSequence);
        Assert.Equal(entities.OrderBy(e => e.Id).Select(e => e.GetType()), snapshot.Directory.OrderBy(e => e.Id).Select(e => e.GetType()));
        AssertSame(entities.OrderBy(e => e.Id).Select(e => (object)e).ToList(), snapshot.Directory.OrderBy(e => e.Id).Select(e => (object)e).ToList());
        Assert.Equal(tenant, await Directory.GetTenantAsync(id));
        Assert.Contains(tenant, await Directory.ListTenantsAsync());
    }

    [Fact]
    public async Task Commit_LaterChanges_SupersedeAndDeleteDirectoryEntries()
    {
        var id = TestTenants.Next();
        await Commits.CommitAsync(Commit(id, c =>
        {
            c.Tenant = new Tenant(id, "Old", T0);
            c.DirectoryList.Add(new DirectoryChange("Department", 1, new Department(1, null, "A", null)));
            c.DirectoryList.Add(new DirectoryChange("Department", 2, new Department(2, null, "B", null)));
            c.DirectoryList.Add(new DirectoryChange("Department", 1, new Department(1, null, "A2", null)));
        }));
        await Commits.CommitAsync(Commit(id, c =>
        {
            c.Tenant = new Tenant(id, "New", T0);
            c.DirectoryList.Add(new DirectoryChange("Department", 2, null));
            c.EventList.Add(ConformanceEvents.Recall(T0, id, 1, 0, 1));
        }));

        var snapshot = await Directory.LoadTenantAsync(id);

        Assert.Equal("New", snapshot!.Tenant.Name);
        Assert.Equal([new Department(1, null, "A2", null)], snapshot.Directory);
        AssertSame(new TenantSettings(), snapshot.Settings);
        Assert.Equal(1, snapshot.LastEventSequence);
    }

    [Fact]
    public async Task ListTenants_IsOrderedById()
    {
        var ids = new[] { TestTenants.Next(), TestTenants.Next(), TestTenants.Next() };
        foreach (var id in ids.Reverse())
        {
            await Commits.CommitAsync(Commit(id, c => c.Tenant = new Tenant(id, $"T{id}", T0)));
        }

        var listed = (await Directory.ListTenantsAsync()).Select(t => t.Id).ToList();

        Assert.Equal(listed.Order(), listed);
        Assert.Superset(new HashSet<long>(ids), new HashSet<long>(listed));
    }

    [Fact]
    public async Task TenantTemplate_SavesAndReplaces()
    {
        await Directory.SaveTenantTemplateAsync(new TenantTemplate { MaxAgents = 5 });
        Assert.Equal(new TenantTemplate { MaxAgents = 5 }, await Directory.GetTenantTemplateAsync());
        await Directory.SaveTenantTemplateAsync(new TenantTemplate { MaxAgents = 7, VisitorNoReplyAutoClose = true });
        Assert.Equal(new TenantTemplate { MaxAgents = 7, VisitorNoReplyAutoClose = true }, await Directory.GetTenantTemplateAsync());
    }

    [Fact]
    public async Task Conversations_ReadBackAndListOpenInFirstCommitOrder()
    {
        var id = TestTenants.Next();
        var first = Conversation(id, 101, 1);
        var second = Conversation(id, 102, 2);
        var third = Conversation(id, 103, 1, ConversationState.Closed);
        await Commits.CommitAsync(Commit(id, c => c.ConversationList.AddRange([first, second, third])));
        var firstUpdated = first with { Note = "updated", MessageCount = 3 };
        await Commits.CommitAsync(Commit(id, c => c.ConversationList.Add(firstUpdated)));

        AssertSame(firstUpdated, await Conversations.GetConversationAsync(id, 101));
        AssertSame(third, await Conversations.GetConversationAsync(id, 103));
        Assert.Null(await Conversations.GetConversationAsync(id, 999));
        Assert.Null(await Conversations.GetConversationAsync(TestTenants.Next(), 101));
        AssertSame(new[] { firstUpdated, second }, (await Conversations.ListOpenConversationsAsync(id)).ToArray());
    }

    [Fact]
    public async Task Conversations_LaterCommits_MoveThemBetweenTheOpenListAndTheFilters()
    {
        var id = TestTenants.Next();
        var open = Conversation(id, 150, 1, agentId: 7) with { Rating = null, WrapUp = null };
        await Commits.CommitAsync(Commit(id, c => c.ConversationList.Add(open)));

        async Task<long[]> Ids(HistoryQuery query) => [.. (await Conversations.SearchConversationsAsync(id, query)).Items.Select(c => c.Id)];
        async Task Then(Conversation changed, bool isOpen, long agentId, int ratingLevel, long? problemTypeId)
        {
            await Commits.CommitAsync(Commit(id, c => c.ConversationList.Add(changed)));
            AssertSame(changed, await Conversations.GetConversationAsync(id, 150));
            var listed = (await Conversations.ListOpenConversationsAsync(id)).Select(c => c.Id).ToArray();
            Assert.Equal(isOpen ? [150L] : [], listed);
            var found = await Ids(new HistoryQuery { Closed = !isOpen, AgentId = agentId, RatingLevel = ratingLevel, ProblemTypeId = problemTypeId });
            Assert.Equal([150L], found);
            Assert.Empty(await Ids(new HistoryQuery { Closed = isOpen }));
            Assert.Empty(await Ids(new HistoryQuery { AgentId = agentId + 100 }));
        }

        // A message (nothing any list or filter looks at), a transfer, a wrap-up, the end, a rating.
        var counted = open with { MessageCount = 1, LastVisitorMessageAt = T0.AddMinutes(1) };
        await Then(counted, isOpen: true, agentId: 7, ratingLevel: 0, problemTypeId: null);
        var transferred = counted with { AgentId = 8, MessageCount = 2 };
        await Then(transferred, isOpen: true, agentId: 8, ratingLevel: 0, problemTypeId: null);
        var wrapped = transferred with { WrapUp = new WrapUp { ProblemTypeId = 12, Resolved = true, AgentId = 8, SavedAt = T0 } };
        await Then(wrapped, isOpen: true, agentId: 8, ratingLevel: 0, problemTypeId: 12);
        var closed = wrapped with { State = ConversationState.Closed, ClosedAt = T0.AddMinutes(5) };
        await Then(closed, isOpen: false, agentId: 8, ratingLevel: 0, problemTypeId: 12);
        var rated = closed with { Rating = new Rating(4, 4, [], null, T0.AddMinutes(6)) };
        await Then(rated, isOpen: false, agentId: 8, ratingLevel: 4, problemTypeId: 12);
    }

    [Fact]
    public async Task SearchConversations_FiltersNewestFirstAndPages()
    {
        var id = TestTenants.Next();
        var all = Enumerable.Range(0, 7)
            .Select(i => Conversation(id, 200 + i, 1 + (i % 2), i % 3 == 0 ? ConversationState.Closed : ConversationState.InService, agentId: 7 + (i % 2), minutes: i))
            .ToList();
        await Commits.CommitAsync(Commit(id, c => c.ConversationList.AddRange(all)));
        var newestFirst = Enumerable.Reverse(all).ToList();

        async Task Check(HistoryQuery query)
        {
            var page = await Conversations.SearchConversationsAsync(id, query);
            var expected = newestFirst.Where(query.Matches).ToList();
            Assert.Equal(expected.Count, page.Total);
            Assert.Equal(query.Offset, page.Offset);
            Assert.Equal(expected.Skip(query.Offset).Take(query.PageSize).Select(c => c.Id), page.Items.Select(c => c.Id));
        }

        await Check(new HistoryQuery());
        await Check(new HistoryQuery { PageSize = 2, Offset = 3 });
        await Check(new HistoryQuery { Closed = true });
        await Check(new HistoryQuery { Closed = false, VisitorId = 2 });
        await Check(new HistoryQuery { AgentId = 8 });
        await Check(new HistoryQuery { ConversationId = 203 });
        await Check(new HistoryQuery { From = T0.AddMinutes(2), To = T0.AddMinutes(5) });
        await Check(new HistoryQuery { RatingLevel = 5, ChannelKind = ChannelKind.Web });
        await Check(new HistoryQuery { RatingLevel = 0 });
        await Check(new HistoryQuery { ProblemTypeId = 12 });

        var paged = await Conversations.SearchConversationsAsync(id, new HistoryQuery { PageSize = 3 });
        Assert.True(paged.HasMore);
        Assert.Equal(7, paged.Total);
        var empty = await Conversations.SearchConversationsAsync(TestTenants.Next(), new HistoryQuery { Offset = 4 });
        Assert.Equal((0, 4), (empty.Total, empty.Offset));
        Assert.Empty(empty.Items);
    }

    [Fact]
    public async Task SearchConversations_ByText_MatchesMessagesNotRecalled_WithTheOtherFiltersAndPaging()
    {
        var id = TestTenants.Next();
        string[][] texts =
        [
            ["我的快递还没到"],                         // 301, agent 7
            [],                                         // 302, agent 8: the agent's message below
            ["Refund please"],                          // 303, agent 7
            ["100% sure", "file_name.txt"],             // 304, agent 8
            ["快递 by mistake", "hello"],               // 305, agent 7: the first is recalled
            ["100 percent", "fileXname", ""],           // 306, agent 8
            [@"back\slash"],                           // 307, agent 7
        ];
        var sequence = 0L;
        await Commits.CommitAsync(Commit(id, c =>
        {
            for (var i = 0; i < texts.Length; i++)
            {
                c.ConversationList.Add(Conversation(id, 301 + i, 1, agentId: 7 + (i % 2), minutes: i));
                foreach (var text in texts[i])
                {
                    c.EventList.Add(ConformanceEvents.Message(T0, id, ++sequence, 301 + i, 1000 + sequence, text));
                }
            }

            c.EventList.Add(ConformanceEvents.Message(T0, id, ++sequence, 302, 1000 + sequence, "您的快递已发出", ParticipantKind.Agent));
        }));
        await Commits.CommitAsync(Commit(id, c => c.EventList.Add(ConformanceEvents.Recall(T0, id, ++sequence, 305, 1005))));
        var other = TestTenants.Next();
        await Commits.CommitAsync(Commit(other, c =>
        {
            c.ConversationList.Add(Conversation(other, 301, 1));
            c.EventList.Add(ConformanceEvents.Message(T0, other, 1, 301, 1001, "快递 refund 100% file_name"));
        }));

        async Task<IEnumerable<long>> Ids(HistoryQuery query)
        {
            var page = await Conversations.SearchConversationsAsync(id, query);
            var all = await Conversations.SearchConversationsAsync(id, query with { Offset = 0, PageSize = HistoryQuery.MaxPageSize });
            Assert.Equal(all.Items.Count, page.Total);
            return page.Items.Select(c => c.Id);
        }

        Assert.Equal([302L, 301], await Ids(new HistoryQuery { Text = "快递" }));
        Assert.Equal([303L], await Ids(new HistoryQuery { Text = "REFUND" }));
        Assert.Equal([303L], await Ids(new HistoryQuery { Text = "refund P" }));
        Assert.Equal([304L], await Ids(new HistoryQuery { Text = "100%" }));
        Assert.Equal([304L], await Ids(new HistoryQuery { Text = "%" }));
        Assert.Equal([304L], await Ids(new HistoryQuery { Text = "file_name" }));
        Assert.Equal([304L], await Ids(new HistoryQuery { Text = "_" }));
        Assert.Equal([307L], await Ids(new HistoryQuery { Text = @"k\s" }));
        Assert.Equal([307L], await Ids(new HistoryQuery { Text = @"\" }));
        Assert.Equal([305L], await Ids(new HistoryQuery { Text = "hello" }));
        Assert.Empty(await Ids(new HistoryQuery { Text = "mistake" }));
        Assert.Empty(await Ids(new HistoryQuery { Text = "nothing like it" }));
        Assert.Equal([302L], await Ids(new HistoryQuery { Text = "快递", AgentId = 8 }));
        Assert.Equal([301L], await Ids(new HistoryQuery { Text = "快递", To = T0.AddMinutes(1) }));
        var combined = await Conversations.SearchConversationsAsync(id, new HistoryQuery { Text = "E", AgentId = 8, PageSize = 1 });
        Assert.Equal((2, 306L, true), (combined.Total, Assert.Single(combined.Items).Id, combined.HasMore));

        var second = await Conversations.SearchConversationsAsync(id, new HistoryQuery { Text = "快递", PageSize = 1, Offset = 1 });
        Assert.Equal((2, 1, 301L), (second.Total, second.Offset, Assert.Single(second.Items).Id));
        Assert.False(second.HasMore);
        var firstPage = await Conversations.SearchConversationsAsync(id, new HistoryQuery { Text = "快递", PageSize = 1 });
        Assert.Equal((2, 302L, true), (firstPage.Total, Assert.Single(firstPage.Items).Id, firstPage.HasMore));
    }

    [Fact]
    public async Task Messages_ArePagedOldestFirstBeforeAMessage_WithRecalls()
    {
        var id = TestTenants.Next();
        await Commits.CommitAsync(Commit(id, c =>
        {
            c.ConversationList.Add(Conversation(id, 1, 900));
            c.ConversationList.Add(Conversation(id, 2, 900));
            c.ConversationList.Add(Conversation(id, 3, 901));
            c.EventList.Add(ConformanceEvents.Message(T0, id, 1, 1, 11, "hello"));
            c.EventList.Add(ConformanceEvents.Message(T0, id, 2, 2, 12, "other conversation"));
            c.EventList.Add(ConformanceEvents.Message(T0, id, 3, 1, 13, "second"));
            c.EventList.Add(ConformanceEvents.Message(T0, id, 4, 3, 14, "other visitor"));
        }));
        await Commits.CommitAsync(Commit(id, c =>
        {
            c.EventList.Add(ConformanceEvents.Message(T0, id, 5, 1, 15, "third"));
            c.EventList.Add(ConformanceEvents.Recall(T0, id, 6, 1, 13));
            c.EventList.Add(ConformanceEvents.Message(T0, id, 7, 2, 16, ""));
        }));

        var thirteen = await Conversations.GetMessageAsync(id, 1, 13);
        AssertSame(ConformanceEvents.Message(T0, id, 3, 1, 13, "second").ToMessage(recalled: true), thirteen);
        Assert.Null(await Conversations.GetMessageAsync(id, 2, 13));
        Assert.Null(await Conversations.GetMessageAsync(TestTenants.Next(), 1, 13));

        Assert.Equal([11L, 13, 15], (await Conversations.GetMessagesAsync(id, 1, null, 10)).Select(m => m.Id));
        Assert.Equal([13L, 15], (await Conversations.GetMessagesAsync(id, 1, null, 2)).Select(m => m.Id));
        Assert.Equal([11L], (await Conversations.GetMessagesAsync(id, 1, 13, 10)).Select(m => m.Id));
        Assert.Equal([11L, 13], (await Conversations.GetMessagesAsync(id, 1, 14, 10)).Select(m => m.Id));
        Assert.Empty(await Conversations.GetMessagesAsync(id, 1, 11, 10));
        Assert.Empty(await Conversations.GetMessagesAsync(id, 99, null, 10));
        AssertSame(
            new[] { ConformanceEvents.Message(T0, id, 1, 1, 11, "hello").ToMessage(), ConformanceEvents.Message(T0, id, 3, 1, 13, "second").ToMessage(recalled: true), ConformanceEvents.Message(T0, id, 5, 1, 15, "third").ToMessage() },
            (await Conversations.GetMessagesAsync(id, 1, null, 10)).ToArray());
        Assert.Null((await Conversations.GetMessageAsync(id, 2, 16))!.Text);

        Assert.Equal([11L, 12, 13, 15, 16], (await Conversations.GetVisitorMessagesAsync(id, 900, null, 10)).Select(m => m.Id));
        Assert.Equal([12L, 13], (await Conversations.GetVisitorMessagesAsync(id, 900, 15, 2)).Select(m => m.Id));
        Assert.Equal([14L], (await Conversations.GetVisitorMessagesAsync(id, 901, null, 10)).Select(m => m.Id));
        Assert.Empty(await Conversations.GetVisitorMessagesAsync(id, 902, null, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Conversations.GetMessagesAsync(id, 1, null, 0).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Conversations.GetVisitorMessagesAsync(id, 900, null, 0).AsTask());
    }

    [Fact]
    public async Task Visitors_ReadBackAndSearchNewestFirst()
    {
        var id = TestTenants.Next();
        Visitor[] visitors =
        [
            new Visitor { Id = 1, Name = "游客 1", Phone = "13800000001", Email = "ONE@example.test", TagIds = [1], AdditionalInfo = new Dictionary<string, string> { ["crm"] = "42" }, BrowseTrail = [new PageVisit("https://x", "X", T0)], CreatedAt = T0, LastSeenAt = T0 },
            new Visitor { Id = 2, Name = "Bob", Nickname = "bobby", Phone = "13900000002", CreatedAt = T0, LastSeenAt = T0 },
            new Visitor { Id = 3, Name = "Alice", Email = "alice@example.test", Device = new DeviceInfo("1.2.3.4", null, "iOS"), CreatedAt = T0, LastSeenAt = T0 },
        ];
        await Commits.CommitAsync(Commit(id, c => c.VisitorList.AddRange(visitors)));
        var renamed = visitors[1] with { Name = "Robert" };
        await Commits.CommitAsync(Commit(id, c => c.VisitorList.Add(renamed)));

        AssertSame(visitors[0], await Conversations.GetVisitorAsync(id, 1));
        AssertSame(renamed, await Conversations.GetVisitorAsync(id, 2));
        Assert.Null(await Conversations.GetVisitorAsync(id, 4));

        async Task Check(VisitorQuery query, params long[] expected)
        {
            var page = await Conversations.SearchVisitorsAsync(id, query);
            Assert.Equal(expected, page.Items.Select(v => v.Id));
        }

        await Check(new VisitorQuery(), 3, 2, 1);
        await Check(new VisitorQuery { Name = "BOB" }, 2);
        await Check(new VisitorQuery { Name = "游客" }, 1);
        await Check(new VisitorQuery { Email = "example.TEST" }, 3, 1);
        await Check(new VisitorQuery { Phone = "138" }, 1);
        await Check(new VisitorQuery { PageSize = 1, Offset = 1 }, 2);
        var page = await Conversations.SearchVisitorsAsync(id, new VisitorQuery { PageSize = 2 });
        Assert.Equal((3, true), (page.Total, page.HasMore));
    }
}
