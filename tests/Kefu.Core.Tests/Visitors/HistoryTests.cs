using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;

namespace Kefu.Core.Tests.Visitors;

/// <summary>History search: filters, paging and order (C18).</summary>
public class HistoryTests
{
    /// <summary>Five conversations over five minutes, with known status, channel, agent and visitor.</summary>
    private sealed record Scenario(KefuTestHarness H, Agent A, Agent B, long RepeatVisitor, Conversation C1, Conversation C2, Conversation C3, Conversation C4, Conversation C5) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => H.DisposeAsync();

        public async Task<IReadOnlyList<long>> IdsAsync(HistoryQuery query) =>
            [.. (await H.Kefu.History.SearchAsync(H.TenantId, query)).Items.Select(c => c.Id)];
    }

    private static async Task<Scenario> ScenarioAsync()
    {
        var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var conversations = h.Kefu.Conversations;
        var a = await h.AddAgentAsync("A", online: true);
        var b = await h.AddAgentAsync("B");

        var c1 = await conversations.OpenAsync(t, h.Data.Conversation());                              // web, A, closed later
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var c2 = await conversations.OpenAsync(t, h.Data.Conversation(channel: ChannelKind.Wechat));   // wechat, A, open
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await conversations.SetStatusAsync(t, a.Id, AgentStatus.Busy);
        await conversations.SetStatusAsync(t, b.Id, AgentStatus.Online);
        var c3 = await conversations.OpenAsync(t, h.Data.Conversation());                              // web, B, closed later
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await conversations.EndAsync(t, c1.Id, Participant.Agent(a.Id));
        await conversations.EndAsync(t, c3.Id, Participant.Visitor(c3.VisitorId));
        var c4 = await conversations.OpenAsync(t, h.Data.Conversation(visitorId: c1.VisitorId));       // web, B, c1's visitor, open
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await conversations.SetStatusAsync(t, b.Id, AgentStatus.Busy);
        var c5 = await conversations.OpenAsync(t, h.Data.Conversation(channel: ChannelKind.App));      // app, queued
        Assert.Equal([a.Id, a.Id, b.Id, b.Id], new[] { c1, c2, c3, c4 }.Select(c => c.AgentId ?? 0));
        Assert.Equal(ConversationState.Queued, c5.State);
        return new Scenario(h, a, b, c1.VisitorId, c1, c2, c3, c4, c5);
    }

    [Fact]
    public async Task Search_WithoutFilters_ReturnsEveryConversationNewestFirst()
    {
        await using var s = await ScenarioAsync();

        var page = await s.H.Kefu.History.SearchAsync(s.H.TenantId, new HistoryQuery());

        Assert.Equal([s.C5.Id, s.C4.Id, s.C3.Id, s.C2.Id, s.C1.Id], page.Items.Select(c => c.Id));
        Assert.Equal(5, page.Total);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task Search_ByStatus_ReturnsOnlyClosedOrOnlyOpen()
    {
        await using var s = await ScenarioAsync();

        var closed = await s.H.Kefu.History.SearchAsync(s.H.TenantId, new HistoryQuery { Closed = true });

        Assert.Equal([s.C3.Id, s.C1.Id], closed.Items.Select(c => c.Id));
        Assert.All(closed.Items, c => Assert.Equal(ConversationState.Closed, c.State));
        Assert.Equal([CloseReason.VisitorEnded, CloseReason.AgentEnded], closed.Items.Select(c => c.CloseReason));
        Assert.Equal([s.C5.Id, s.C4.Id, s.C2.Id], await s.IdsAsync(new HistoryQuery { Closed = false }));
    }

    [Fact]
    public async Task Search_ByChannelKind_ReturnsOnlyThatChannel()
    {
        await using var s = await ScenarioAsync();

        Assert.Equal([s.C2.Id], await s.IdsAsync(new HistoryQuery { ChannelKind = ChannelKind.Wechat }));
        Assert.Equal([s.C4.Id, s.C3.Id, s.C1.Id], await s.IdsAsync(new HistoryQuery { ChannelKind = ChannelKind.Web }));
        Assert.Equal([s.C5.Id], await s.IdsAsync(new HistoryQuery { ChannelKind = ChannelKind.App }));
        Assert.Empty(await s.IdsAsync(new HistoryQuery { ChannelKind = ChannelKind.Phone }));
    }

    [Fact]
    public async Task Search_ByAgent_ReturnsTheConversationsItServed()
    {
        await using var s = await ScenarioAsync();

        Assert.Equal([s.C2.Id, s.C1.Id], await s.IdsAsync(new HistoryQuery { AgentId = s.A.Id }));
        Assert.Equal([s.C4.Id, s.C3.Id], await s.IdsAsync(new HistoryQuery { AgentId = s.B.Id }));
    }

    [Fact]
    public async Task Search_ByVisitor_ReturnsAllTheirConversations()
    {
        await using var s = await ScenarioAsync();

        Assert.Equal([s.C4.Id, s.C1.Id], await s.IdsAsync(new HistoryQuery { VisitorId = s.RepeatVisitor }));
        Assert.Equal([s.C5.Id], await s.IdsAsync(new HistoryQuery { VisitorId = s.C5.VisitorId }));
    }

    [Fact]
    public async Task Search_WithSeveralFilters_ReturnsConversationsMatchingAll()
    {
        await using var s = await ScenarioAsync();

        Assert.Equal([s.C3.Id], await s.IdsAsync(new HistoryQuery { Closed = true, AgentId = s.B.Id }));
        Assert.Equal([s.C1.Id], await s.IdsAsync(new HistoryQuery { Closed = true, VisitorId = s.RepeatVisitor, ChannelKind = ChannelKind.Web }));
        Assert.Empty(await s.IdsAsync(new HistoryQuery { Closed = true, ChannelKind = ChannelKind.Wechat }));
    }

    [Fact]
    public async Task Search_ByTimeRange_UsesCreationTime()
    {
        await using var s = await ScenarioAsync();
        var start = s.C1.CreatedAt;

        Assert.Equal([s.C3.Id, s.C2.Id], await s.IdsAsync(new HistoryQuery { From = start.AddMinutes(1), To = start.AddMinutes(3) }));
    }

    [Fact]
    public async Task Search_WithPageSizeAndOffset_PagesNewestFirstWithTotalAndHasMore()
    {
        await using var s = await ScenarioAsync();
        var t = s.H.TenantId;

        var first = await s.H.Kefu.History.SearchAsync(t, new HistoryQuery { PageSize = 2 });
        var second = await s.H.Kefu.History.SearchAsync(t, new HistoryQuery { PageSize = 2, Offset = 2 });
        var third = await s.H.Kefu.History.SearchAsync(t, new HistoryQuery { PageSize = 2, Offset = 4 });
        var beyond = await s.H.Kefu.History.SearchAsync(t, new HistoryQuery { PageSize = 2, Offset = 10 });
        var filtered = await s.H.Kefu.History.SearchAsync(t, new HistoryQuery { ChannelKind = ChannelKind.Web, PageSize = 2 });

        Assert.Equal([s.C5.Id, s.C4.Id], first.Items.Select(c => c.Id));
        Assert.Equal([s.C3.Id, s.C2.Id], second.Items.Select(c => c.Id));
        Assert.Equal([s.C1.Id], third.Items.Select(c => c.Id));
        Assert.Empty(beyond.Items);
        Assert.All(new[] { first, second, third, beyond }, p => Assert.Equal(5, p.Total));
        Assert.Equal((true, true, false, false), (first.HasMore, second.HasMore, third.HasMore, beyond.HasMore));
        Assert.Equal((3, true), (filtered.Total, filtered.HasMore));
        Assert.Equal([s.C4.Id, s.C3.Id], filtered.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Search_ClosedConversation_ReturnsItsFinalState()
    {
        await using var s = await ScenarioAsync();

        var c1 = Assert.Single((await s.H.Kefu.History.SearchAsync(s.H.TenantId, new HistoryQuery { ConversationId = s.C1.Id })).Items);

        Assert.Equal(ConversationState.Closed, c1.State);
        Assert.Equal(s.A.Id, c1.AgentId);
        Assert.Equal(s.C1.CreatedAt.AddMinutes(3), c1.ClosedAt);
        Assert.True(c1.RatingInvited);
    }

    [Fact]
    public async Task Search_ByText_FindsConversationsWithAMessageContainingIt_NotRecalled()
    {
        await using var s = await ScenarioAsync();
        var (t, conversations) = (s.H.TenantId, s.H.Kefu.Conversations);
        await conversations.SendAsync(t, s.C2.Id, Participant.Visitor(s.C2.VisitorId), MessageContent.FromText("我的快递还没到"));
        await conversations.SendAsync(t, s.C4.Id, Participant.Agent(s.B.Id), MessageContent.FromText("Your REFUND of 快递费 is on its way"));
        var recalled = await conversations.SendAsync(t, s.C4.Id, Participant.Agent(s.B.Id), MessageContent.FromText("sent by mistake"));
        await conversations.RecallAsync(t, s.C4.Id, s.B.Id, recalled.MessageId);

        Assert.Equal([s.C4.Id, s.C2.Id], await s.IdsAsync(new HistoryQuery { Text = "快递" }));
        Assert.Equal([s.C4.Id], await s.IdsAsync(new HistoryQuery { Text = "  refund " }));
        Assert.Equal([s.C2.Id], await s.IdsAsync(new HistoryQuery { Text = "快递", AgentId = s.A.Id }));
        Assert.Empty(await s.IdsAsync(new HistoryQuery { Text = "mistake" }));
        var second = await s.H.Kefu.History.SearchAsync(t, new HistoryQuery { Text = "快递", PageSize = 1, Offset = 1 });
        Assert.Equal((2, s.C2.Id), (second.Total, Assert.Single(second.Items).Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("x", 101)]
    public async Task Search_WithTextBlankOrLongerThan100_IsRefusedNamingText(string text, int repeat = 1)
    {
        await using var h = await KefuTestHarness.StartAsync();

        var error = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await h.Kefu.History.SearchAsync(h.TenantId, new HistoryQuery { Text = string.Concat(Enumerable.Repeat(text, repeat)) }));

        Assert.Equal(nameof(HistoryQuery.Text), error.Field);
        Assert.Equal("1–100 characters", error.Allowed);
    }

    [Fact]
    public async Task Search_WithText_IsTrimmedAndAccepts100Characters()
    {
        await using var h = await KefuTestHarness.StartAsync();

        Assert.Equal("abc", new HistoryQuery { Text = " abc\t" }.Text);
        Assert.Equal(0, (await h.Kefu.History.SearchAsync(h.TenantId, new HistoryQuery { Text = " " + new string('x', 100) + " " })).Total);
    }
}
