using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kefu.Host.Tests;

/// <summary>The demo seed on a temporary SQLite file, as <c>dotnet run</c> does on a fresh machine.</summary>
public sealed class DemoSeedTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kefu-seed-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AFreshSqliteStore_IsSeededOnce_WithHistoryThatReportsShow()
    {
        Directory.CreateDirectory(_directory);
        var database = Path.Combine(_directory, "kefu.db");
        JsonNode first;
        using (var factory = Create(database))
        {
            var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
            var state = (Kefu.Host.Seeding.DemoState)factory.Services.GetService(typeof(Kefu.Host.Seeding.DemoState))!;
            Assert.NotNull(state.Demo);
            var tenantId = state.Demo!.TenantId.ToString(CultureInfo.InvariantCulture);
            var admin = await factory.LoginAsync(state.Demo.TenantId, "admin@demo.kefu", "admin-123");
            await factory.LoginAsync(state.Demo.TenantId, "wang@demo.kefu", "agent-123");

            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            first = await (await admin.Client.GetAsync($"/api/v1/reports/daily?from={today.AddDays(-3):yyyy-MM-dd}&to={today:yyyy-MM-dd}")).JsonAsync();
            var pastDays = first.AsArray().Where(d => (string?)d!["day"] != today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Assert.All(pastDays.Take(2), d => Assert.NotEqual("0", (string?)d!["conversationsAccepted"]));
            var robots = await (await admin.Client.GetAsync("/api/v1/robots")).JsonAsync();
            Assert.Equal("小K", (string?)robots[0]!["name"]);
            var operatorLogin = await client.PostJsonAsync("/api/v1/auth/operator/login", new { account = "operator", password = "operator-123" });
            Assert.Equal(HttpStatusCode.OK, operatorLogin.StatusCode);
            Assert.NotEmpty(tenantId);
        }

        using (var again = Create(database))
        {
            // A second start finds the tenant and seeds nothing more.
            var kefu = again.Kefu;
            Assert.Single(await kefu.Organisation.ListTenantsAsync());
            var state = (Kefu.Host.Seeding.DemoState)again.Services.GetService(typeof(Kefu.Host.Seeding.DemoState))!;
            Assert.Equal("admin@demo.kefu", state.Demo!.Logins.Single(l => l.Role == "admin").Account);
        }
    }

    private HostFactory Create(string database) => new SqliteHostFactory(database, _directory);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed class SqliteHostFactory(string database, string directory) : HostFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Kefu:Storage:Provider", "Sqlite");
            builder.UseSetting("Kefu:Storage:ConnectionString", "Data Source=" + database);
            builder.UseSetting("Kefu:Host:SeedDemo", "true");
            builder.UseSetting("Kefu:Host:SeedDays", "3");
            builder.UseSetting("Kefu:Host:SeedConversationsPerDay", "4");
            builder.UseSetting("Kefu:Host:KeysDirectory", Path.Combine(directory, "keys"));
        }
    }
}
