using Kefu.Model;

namespace Kefu.Routing.Tests.Rules;

public class SmokeTests
{
    [Fact]
    public async Task ChannelRule_SendsWebVisitorsToItsGroup_AndExplainsTheChoice()
    {
        await using var h = await RoutingHarness.StartAsync();
        var outsider = await h.AddAgentAsync("Out", online: true);
        var a = await h.AddAgentAsync("A", online: true);
        var b = await h.AddAgentAsync("B", online: true);
        var web = await h.AddGroupAsync("Web", a, b);
        await h.Rules().SaveAsync(h.TenantId, new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = Kefu.Events.ChannelKind.Web, AllDay = RoutingTarget.Group(web.Id) }],
        });

        var c1 = await h.OpenAsync();
        var c2 = await h.OpenAsync();

        Assert.Equal(web.Id, c1.GroupId);
        Assert.Contains(c1.AgentId, new long?[] { a.Id, b.Id });
        Assert.NotEqual(c1.AgentId, c2.AgentId);
        var record = Assert.Single(c1.Routing);
        Assert.Equal("channel rule 'web'", record.Rule);
        Assert.Equal(LeastLoadedStrategy.StrategyName, record.Strategy);
        Assert.Equal(2, record.Eligible);
        Assert.Equal(2, record.Candidates.Count);
        Assert.NotEqual(outsider.Id, c2.AgentId);
    }
}
