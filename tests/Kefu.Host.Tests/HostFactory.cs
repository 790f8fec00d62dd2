using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Host.Infrastructure;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Host.Tests;

/// <summary>The host in process on the in-memory store, with its own upload and key directories.</summary>
public class HostFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kefu-host-tests-" + Guid.NewGuid().ToString("N"));

    public static JsonSerializerOptions Json { get; } = JsonSetup.CreateOptions();

    public int LoginAttemptsPerMinute { get; init; } = 1000;

    public long MaxUploadBytes { get; init; } = 1024 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Kefu:Storage:Provider", "InMemory");
        builder.UseSetting("Kefu:Host:SeedDemo", "false");
        builder.UseSetting("Kefu:Host:LoginAttemptsPerMinute", LoginAttemptsPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Kefu:Host:MaxUploadBytes", MaxUploadBytes.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Kefu:Host:UploadDirectory", Path.Combine(_directory, "uploads"));
        builder.UseSetting("Kefu:Host:KeysDirectory", Path.Combine(_directory, "keys"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DeleteDirectory();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteDirectory();
        GC.SuppressFinalize(this);
    }

    private void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public IKefu Kefu => Services.GetRequiredService<IKefu>();

    /// <summary>A tenant with an administrator, an agent role, two agents, and API keys with every and with no permission.</summary>
    public async Task<TestTenant> CreateTenantAsync(string name)
    {
        _ = Services; // starts the host (TestServer or Kestrel: Server is not available with Kestrel)
        var kefu = Kefu;
        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant
        {
            Name = name,
            Administrator = new NewAgent { Account = "admin@" + name, Password = "admin-123", Name = "Admin", EmployeeNumber = "A1" },
        });
        var t = tenant.Id;
        var role = await kefu.Directory.AddRoleAsync(t, new RoleDefinition("agent", "客服", [KefuPermissions.ServeConversations, KefuPermissions.ViewHistory]));
        var agent = await kefu.Directory.AddAgentAsync(t, new NewAgent { Account = "wang@" + name, Password = "agent-123", Name = "王芳", EmployeeNumber = "E1", RoleIds = [role.Id] });
        var second = await kefu.Directory.AddAgentAsync(t, new NewAgent { Account = "li@" + name, Password = "agent-123", Name = "李明", EmployeeNumber = "E2", RoleIds = [role.Id] });
        var keys = Services.GetRequiredService<ApiKeyStore>();
        var full = await keys.CreateAsync(t, "full", KefuPermissions.All);
        var none = await keys.CreateAsync(t, "none", []);
        var admin = (await kefu.Directory.ListAgentsAsync(t)).First(a => a.Account == "admin@" + name);
        return new TestTenant(this, t, admin.Id, agent.Id, second.Id, role.Id, full.Secret, none.Secret, name);
    }

    /// <summary>A client that signs every request with an API key.</summary>
    public HttpClient ApiKeyClient(string secret)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(HostAuthentication.ApiKeyHeader, secret);
        return client;
    }

    /// <summary>Signs in with a password; the client carries the session cookie and the anti-forgery token.</summary>
    public async Task<CookieSession> LoginAsync(long tenantId, string account, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { tenantId = tenantId.ToString(CultureInfo.InvariantCulture), account, password });
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var cookies = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        client.DefaultRequestHeaders.Add("Cookie", cookies);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", (string)body["antiforgeryToken"]!);
        return new CookieSession(client, cookies, (string)body["antiforgeryToken"]!, body);
    }

    /// <summary>Opens a conversation as an anonymous visitor; the client carries the visitor token.</summary>
    public async Task<(HttpClient Client, string Token, long ConversationId, long VisitorId)> OpenVisitorAsync(long tenantId, string name = "访客")
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var response = await client.PostAsJsonAsync("/api/v1/visitor/conversations", new { tenantId = tenantId.ToString(CultureInfo.InvariantCulture), visitor = new { name } });
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var token = (string)body["token"]!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Visitor", token);
        return (client, token, Id(body["conversation"]!["id"]), Id(body["conversation"]!["visitorId"]));
    }

    public static long Id(JsonNode? node) => long.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    public static string S(long id) => id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A signed-in browser session.</summary>
public sealed record CookieSession(HttpClient Client, string Cookies, string AntiforgeryToken, JsonNode Login);

/// <summary>A tenant made for a test.</summary>
public sealed record TestTenant(HostFactory Factory, long Id, long AdminId, long AgentId, long SecondAgentId, long AgentRoleId, string FullKey, string NoPermissionKey, string Name)
{
    public HttpClient Admin() => Factory.ApiKeyClient(FullKey);

    public HttpClient NoPermission() => Factory.ApiKeyClient(NoPermissionKey);

    public Task<CookieSession> AgentSessionAsync() => Factory.LoginAsync(Id, "wang@" + Name, "agent-123");

    public Task<CookieSession> SecondAgentSessionAsync() => Factory.LoginAsync(Id, "li@" + Name, "agent-123");

    public Task<CookieSession> AdminSessionAsync() => Factory.LoginAsync(Id, "admin@" + Name, "admin-123");
}

internal static class HttpExtensions
{
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(string.IsNullOrEmpty(text) ? "null" : text) ?? JsonValue.Create(0);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object? body)
        => client.PostAsync(url, JsonContent.Create(body, body?.GetType() ?? typeof(object), options: HostFactory.Json));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object? body)
        => client.PutAsync(url, JsonContent.Create(body, body?.GetType() ?? typeof(object), options: HostFactory.Json));
}
