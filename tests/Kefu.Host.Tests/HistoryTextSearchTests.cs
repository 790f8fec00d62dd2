using System.Net;
using Kefu.Model;

namespace Kefu.Host.Tests;

/// <summary>History search by message text (<c>GET /api/v1/history?text=…</c> and its export), which the admin console uses.</summary>
public sealed class HistoryTextSearchTests : IClassFixture<HostFactory>
{
    private readonly HostFactory _factory;

    public HistoryTextSearchTests(HostFactory factory) => _factory = factory;

    [Fact]
    public async Task Text_FindsTheConversationsWithAMessageContainingIt_WithTheOtherFiltersAndPaging()
    {
        var tenant = await _factory.CreateTenantAsync("history-text");
        var kefu = _factory.Kefu;
        await kefu.Conversations.SetStatusAsync(tenant.Id, tenant.AgentId, AgentStatus.Online);
        var ids = new List<long>();
        foreach (var text in new[] { "我的快递还没到", "发票怎么开", "Refund please, 快递 lost" })
        {
            var conversation = await kefu.Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = "V" } });
            await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText(text));
            ids.Add(conversation.Id);
        }

        var api = tenant.Admin();
        var found = await (await api.GetAsync("/api/v1/history?text=" + Uri.EscapeDataString("快递"))).JsonAsync();
        Assert.Equal(2, (int)found["total"]!);
        Assert.Equal(
            new[] { HostFactory.S(ids[0]), HostFactory.S(ids[2]) }.Order(),
            found["items"]!.AsArray().Select(c => (string)c!["id"]!).Order());

        var caseInsensitive = await (await api.GetAsync("/api/v1/history?text=REFUND")).JsonAsync();
        Assert.Equal(HostFactory.S(ids[2]), (string?)caseInsensitive["items"]![0]!["id"]);

        var paged = await (await api.GetAsync("/api/v1/history?pageSize=1&offset=1&text=" + Uri.EscapeDataString("快递"))).JsonAsync();
        Assert.Equal(2, (int)paged["total"]!);
        Assert.Single(paged["items"]!.AsArray());

        var otherAgent = await (await api.GetAsync($"/api/v1/history?agentId={tenant.SecondAgentId}&text=" + Uri.EscapeDataString("快递"))).JsonAsync();
        Assert.Equal(0, (int)otherAgent["total"]!);

        var export = await api.GetAsync("/api/v1/history/export?format=Csv&language=En&text=" + Uri.EscapeDataString("快递"));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var csv = await export.Content.ReadAsStringAsync();
        Assert.Contains(HostFactory.S(ids[0]), csv, StringComparison.Ordinal);
        Assert.Contains(HostFactory.S(ids[2]), csv, StringComparison.Ordinal);
        Assert.DoesNotContain(HostFactory.S(ids[1]), csv, StringComparison.Ordinal);

        var tooLong = await api.GetAsync("/api/v1/history?text=" + new string('x', 101));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("Text", (string?)(await tooLong.JsonAsync(HttpStatusCode.BadRequest))["field"]);

        var forbidden = await tenant.NoPermission().GetAsync("/api/v1/history?text=x");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
