using System.Net;
using System.Net.Http.Json;
using Kefu.Model;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kefu.Host.Tests;

public sealed class SecurityTests : IClassFixture<HostFactory>
{
    private readonly HostFactory _factory;

    public SecurityTests(HostFactory factory) => _factory = factory;

    [Fact]
    public async Task Login_WithTheRightPassword_GivesASessionWithTheAgentsPermissions()
    {
        var tenant = await _factory.CreateTenantAsync("login");
        var session = await tenant.AgentSessionAsync();

        var me = await (await session.Client.GetAsync("/api/v1/auth/me")).JsonAsync();
        Assert.Equal("agent", (string?)me["kind"]);
        Assert.Equal(tenant.AgentId, HostFactory.Id(me["agent"]!["id"]));
        Assert.Contains(KefuPermissions.ServeConversations, me["permissions"]!.AsArray().Select(p => (string?)p));
        Assert.DoesNotContain(KefuPermissions.ManageTeam, me["permissions"]!.AsArray().Select(p => (string?)p));
        Assert.Null(me["agent"]!["passwordHash"]);
    }

    [Fact]
    public async Task Login_WithAWrongPasswordOrTenant_Is401ProblemDetails()
    {
        var tenant = await _factory.CreateTenantAsync("wrongpw");
        var client = _factory.CreateClient();

        var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { tenantId = HostFactory.S(tenant.Id), account = "wang@wrongpw", password = "nope-nope" });
        var otherTenant = await client.PostAsJsonAsync("/api/v1/auth/login", new { tenantId = "12345", account = "wang@wrongpw", password = "agent-123" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, otherTenant.StatusCode);
    }

    [Fact]
    public async Task CookieWrites_WithoutTheAntiforgeryToken_AreRefused()
    {
        var tenant = await _factory.CreateTenantAsync("xsrf");
        var session = await tenant.AdminSessionAsync();
        var forged = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        forged.DefaultRequestHeaders.Add("Cookie", session.Cookies);

        var refused = await forged.PostJsonAsync("/api/v1/departments", new { name = "Forged" });
        var accepted = await session.Client.PostJsonAsync("/api/v1/departments", new { name = "Real" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var departments = await _factory.Kefu.Directory.ListDepartmentsAsync(tenant.Id);
        Assert.Equal(["Real"], departments.Select(d => d.Name));
    }

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOne_AndTheNewOneSignsIn()
    {
        var tenant = await _factory.CreateTenantAsync("passwd");
        var session = await tenant.AgentSessionAsync();

        var wrong = await session.Client.PostJsonAsync("/api/v1/auth/password", new { currentPassword = "not-it", newPassword = "brand-new-1" });
        var right = await session.Client.PostJsonAsync("/api/v1/auth/password", new { currentPassword = "agent-123", newPassword = "brand-new-1" });

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => tenant.AgentSessionAsync());
        var again = await _factory.LoginAsync(tenant.Id, "wang@passwd", "brand-new-1");
        Assert.Equal(tenant.AgentId, HostFactory.Id(again.Login["agent"]!["id"]));
    }

    [Fact]
    public async Task DisablingAnAgent_RejectsItsSession_AndTakesItOffline()
    {
        var tenant = await _factory.CreateTenantAsync("disable");
        var session = await tenant.AgentSessionAsync();
        (await session.Client.PutJsonAsync("/api/v1/workbench/presence", new { status = "online" })).EnsureSuccessStatusCode();

        (await tenant.Admin().PutJsonAsync($"/api/v1/agents/{tenant.AgentId}/enabled", new { enabled = false })).EnsureSuccessStatusCode();

        var after = await session.Client.GetAsync("/api/v1/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var presence = (await _factory.Kefu.Conversations.ListPresenceAsync(tenant.Id)).Single(p => p.AgentId == tenant.AgentId);
        Assert.Equal(AgentStatus.Offline, presence.Status);
        await Assert.ThrowsAsync<HttpRequestException>(() => tenant.AgentSessionAsync());
    }

    [Fact]
    public async Task AnAgentWithoutTeamPermission_Gets403OnTheAgentsList()
    {
        var tenant = await _factory.CreateTenantAsync("agent403");
        var session = await tenant.AgentSessionAsync();

        var response = await session.Client.GetAsync("/api/v1/agents");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ARoleChange_AppliesToAnOpenSession()
    {
        var tenant = await _factory.CreateTenantAsync("rolechange");
        var session = await tenant.AgentSessionAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync("/api/v1/reports/metrics")).StatusCode);

        await _factory.Kefu.Directory.UpdateRoleAsync(tenant.Id, tenant.AgentRoleId, new RoleDefinition("agent", "客服", [KefuPermissions.ServeConversations, KefuPermissions.ViewReports]));

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/reports/metrics")).StatusCode);
    }

    [Fact]
    public async Task ApiKeys_CannotGrantMoreThanTheirCreatorHolds_AndRevokedKeysStopWorking()
    {
        var tenant = await _factory.CreateTenantAsync("keys");
        var admin = tenant.Admin();
        var limited = await (await admin.PostJsonAsync("/api/v1/api-keys", new { name = "reports", permissions = new[] { KefuPermissions.ViewReports, KefuPermissions.ManageConfiguration } })).JsonAsync(HttpStatusCode.Created);
        var limitedClient = _factory.ApiKeyClient((string)limited["secret"]!);

        var escalation = await limitedClient.PostJsonAsync("/api/v1/api-keys", new { name = "team", permissions = new[] { KefuPermissions.ManageTeam } });
        Assert.Equal(HttpStatusCode.Forbidden, escalation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await limitedClient.GetAsync("/api/v1/reports/metrics")).StatusCode);

        (await admin.DeleteAsync($"/api/v1/api-keys/{(string)limited["key"]!["id"]!}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await limitedClient.GetAsync("/api/v1/reports/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.ApiKeyClient("kf_1_2_forged").GetAsync("/api/v1/reports/metrics")).StatusCode);
    }

    [Fact]
    public async Task Login_IsRateLimitedPerClient()
    {
        using var factory = new HostFactory { LoginAttemptsPerMinute = 3 };
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { tenantId = "1", account = "x", password = "wrong-one" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Operator_SignsInWithIdentityHashedPassword_AndManagesTenants()
    {
        var operators = (Kefu.Host.Security.OperatorAccounts)_factory.Services.GetService(typeof(Kefu.Host.Security.OperatorAccounts))!;
        await operators.SetAsync("root", "operator-123");
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var wrong = await client.PostAsJsonAsync("/api/v1/auth/operator/login", new { account = "root", password = "operator-124" });
        var right = await client.PostAsJsonAsync("/api/v1/auth/operator/login", new { account = "root", password = "operator-123" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var body = await right.JsonAsync();
        client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", right.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", (string)body["antiforgeryToken"]!);

        var created = await (await client.PostJsonAsync("/api/v1/organisation/tenants", new { name = "Operated" })).JsonAsync(HttpStatusCode.Created);
        var tenants = await (await client.GetAsync("/api/v1/organisation/tenants")).JsonAsync();
        Assert.Contains(tenants.AsArray(), t => (string?)t!["id"] == (string?)created["id"]);
        var limits = await (await client.PutJsonAsync($"/api/v1/organisation/tenants/{(string)created["id"]!}/limits", new { maxAgents = 5 })).JsonAsync();
        Assert.Equal(5, (int)limits["maxAgents"]!);

        // An administrator of a tenant is not the operator.
        var tenant = await _factory.CreateTenantAsync("notoperator");
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Admin().GetAsync("/api/v1/organisation/tenants")).StatusCode);
    }
}
