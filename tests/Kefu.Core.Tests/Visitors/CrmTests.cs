using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Visitors;

/// <summary>CRM hand-off parameters and ticket requests (C21).</summary>
public class CrmTests
{
    private static async Task<(KefuTestHarness H, Agent Agent, Conversation Conversation)> ServedAsync(string? nickname)
    {
        var h = await KefuTestHarness.StartAsync();
        var agent = await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent("Jane Doe") with { Nickname = nickname, Email = "jane@corp.test" });
        await h.Kefu.Conversations.SetStatusAsync(h.TenantId, agent.Id, AgentStatus.Online);
        var conversation = await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { Visitor = new VisitorProfile { Name = "王小明", ImId = "im-visitor-7" } });
        return (h, agent, conversation);
    }

    [Fact]
    public async Task GetCrmParameters_AgentWithNickname_ReturnsEveryParameterWithTheNickname()
    {
        var (h, agent, conversation) = await ServedAsync("小简");
        await using var _ = h;

        var crm = await h.Kefu.History.GetCrmParametersAsync(h.TenantId, conversation.Id, agent.Id);

        Assert.Equal(new CrmParameters(agent.Id, conversation.VisitorId, "jane@corp.test", h.TenantId, "小简", "im-visitor-7"), crm);
    }

    [Fact]
    public async Task GetCrmParameters_AgentWithoutNickname_UsesTheName()
    {
        var (h, agent, conversation) = await ServedAsync(null);
        await using var _ = h;

        var crm = await h.Kefu.History.GetCrmParametersAsync(h.TenantId, conversation.Id, agent.Id);

        Assert.Equal("Jane Doe", crm.AgentName);
    }

    [Fact]
    public async Task GetCrmParameters_AfterTheConversationClosed_StillReturnsThem()
    {
        var (h, agent, conversation) = await ServedAsync("小简");
        await using var _ = h;
        await h.Kefu.Conversations.EndAsync(h.TenantId, conversation.Id, Participant.Agent(agent.Id));

        var crm = await h.Kefu.History.GetCrmParametersAsync(h.TenantId, conversation.Id, agent.Id);

        Assert.Equal((conversation.VisitorId, "im-visitor-7"), (crm.UserId, crm.VisitorImId));
    }

    [Fact]
    public async Task GetCrmParameters_UnknownConversation_ThrowsNotFound()
    {
        var (h, agent, _) = await ServedAsync(null);
        await using var __ = h;

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.History.GetCrmParametersAsync(h.TenantId, 98765, agent.Id));
    }

    [Fact]
    public async Task RequestTicket_EmitsTicketRequestedWithTheCrmParametersAndReturnsItsEventId()
    {
        var (h, agent, conversation) = await ServedAsync("小简");
        await using var _ = h;
        h.Events.Clear();

        var eventId = await h.Kefu.Conversations.RequestTicketAsync(h.TenantId, conversation.Id, agent.Id, "退款失败", "订单 1234 退款未到账");

        var e = Assert.Single(h.Events.Events);
        Assert.Equal(PayloadOneofCase.TicketRequested, e.PayloadCase);
        Assert.Equal(eventId, e.EventId);
        Assert.Equal(conversation.Id, e.ConversationId);
        Assert.Equal(h.TenantId, e.TenantId);
        var ticket = e.TicketRequested;
        Assert.Equal((agent.Id, conversation.VisitorId), (ticket.AgentId, ticket.VisitorId));
        Assert.Equal(("退款失败", "订单 1234 退款未到账"), (ticket.Title, ticket.Description));
        Assert.Equal(("jane@corp.test", "小简", "im-visitor-7"), (ticket.CrmAgentEmail, ticket.CrmAgentName, ticket.VisitorImId));
    }

    [Fact]
    public async Task RequestTicket_Twice_ReturnsDistinctEventIds()
    {
        var (h, agent, conversation) = await ServedAsync(null);
        await using var _ = h;

        var first = await h.Kefu.Conversations.RequestTicketAsync(h.TenantId, conversation.Id, agent.Id, "one");
        var second = await h.Kefu.Conversations.RequestTicketAsync(h.TenantId, conversation.Id, agent.Id, "two");

        Assert.NotEqual(first, second);
        Assert.Equal([first, second], h.Events.Events.Where(e => e.PayloadCase == PayloadOneofCase.TicketRequested).Select(e => e.EventId));
    }

    [Fact]
    public async Task RequestTicket_WithoutTitle_ThrowsValidationAndEmitsNothing()
    {
        var (h, agent, conversation) = await ServedAsync(null);
        await using var _ = h;
        h.Events.Clear();

        await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Kefu.Conversations.RequestTicketAsync(h.TenantId, conversation.Id, agent.Id, "  "));

        Assert.Empty(h.Events.Events);
    }
}
