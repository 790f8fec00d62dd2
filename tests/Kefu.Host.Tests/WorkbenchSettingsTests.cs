using System.Net;

namespace Kefu.Host.Tests;

/// <summary>GET /api/v1/workbench/settings: what the workbench page reads of the tenant's settings, for any agent who serves.</summary>
public sealed class WorkbenchSettingsTests : IClassFixture<HostFactory>
{
    private readonly HostFactory _factory;

    public WorkbenchSettingsTests(HostFactory factory) => _factory = factory;

    [Fact]
    public async Task AnAgent_ReadsTheRecallWindowRatingLevelsAndAdditionalInfo_ThatOnlyAdministratorsMayChange()
    {
        var tenant = await _factory.CreateTenantAsync("wb-settings");
        var admin = tenant.Admin();
        await (await admin.PutJsonAsync("/api/v1/settings/ratings", new { levels = 3, tagsByLevel = new[] { new[] { "太慢" } } })).JsonAsync();
        await (await admin.PutJsonAsync("/api/v1/settings/additional-info", new { enabled = true, title = "订单", fields = new[] { new { key = "order", displayName = "订单编号" } } })).JsonAsync();
        var agent = await tenant.AgentSessionAsync();

        var settings = await (await agent.Client.GetAsync("/api/v1/workbench/settings")).JsonAsync();

        Assert.Equal(120, (int)settings["recallWindowSeconds"]!);
        Assert.Equal(3, (int)settings["rating"]!["levels"]!);
        Assert.Equal("太慢", (string?)settings["rating"]!["tagsByLevel"]![0]![0]);
        Assert.True((bool)settings["additionalInfo"]!["enabled"]!);
        Assert.Equal("订单编号", (string?)settings["additionalInfo"]!["fields"]![0]!["displayName"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync("/api/v1/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.NoPermission().GetAsync("/api/v1/workbench/settings")).StatusCode);
    }
}
