using Kefu.Adapters.Sqlite;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Tests.Sqlite;

public sealed class UseSqliteTests : IDisposable
{
    private readonly string _path = TempDatabase.NewPath();

    private string ConnectionString => TempDatabase.ConnectionString(_path);

    public void Dispose() => TempDatabase.Delete(_path);

    [Fact]
    public async Task UseSqlite_RegistersOneSqliteStoreForEveryStorageInterface()
    {
        var services = new ServiceCollection();
        services.AddKefu().UseSqlite(ConnectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<SqliteKefuStore>();
        Assert.Same(store, provider.GetRequiredService<ITenantCommitStore>());
        Assert.Same(store, provider.GetRequiredService<IDirectoryStore>());
        Assert.Same(store, provider.GetRequiredService<IConversationStore>());
        Assert.Same(store, provider.GetRequiredService<IOutboxStore>());
        Assert.Same(store, provider.GetRequiredService<IConfigurationDocumentStore>());
        Assert.Same(store, provider.GetRequiredService<IAggregateStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IConversationStore));

        var initializer = Assert.Single(provider.GetServices<IHostedService>().OfType<SqliteStoreInitializer>());
        await initializer.StartAsync(CancellationToken.None);
        Assert.Equal(SqliteSchema.LatestVersion, await SqliteSchema.GetVersionAsync(ConnectionString));
    }

    [Fact]
    public async Task UseSqlite_WithoutConnectionString_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddKefu().UseSqlite(_ => { });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);
        Assert.Contains(nameof(SqliteStoreOptions.ConnectionString), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_OnSqlite_KeepsTenantConversationAndMessagesAcrossARestart()
    {
        long tenantId;
        long conversationId;
        long messageId;
        await using (var first = await KefuTestHarness.StartAsync(build: b => b.UseSqlite(ConnectionString)))
        {
            tenantId = first.TenantId;
            var conversation = await first.OpenConversationAsync();
            conversationId = conversation.Id;
            messageId = (await first.SendTextAsync(conversation.Id, Participant.Visitor(conversation.VisitorId), "你好, SQLite")).MessageId;
            await first.FlushAsync();
        }

        // A new process would start a new engine; the harness's fake clock would repeat the first run's ids, so
        // this reads through a plain registration instead.
        var services = new ServiceCollection();
        services.AddKefu().UseSqlite(ConnectionString);
        await using var second = services.BuildServiceProvider();
        var directory = second.GetRequiredService<IDirectoryStore>();
        var conversations = second.GetRequiredService<IConversationStore>();

        Assert.Equal("Test tenant", (await directory.GetTenantAsync(tenantId))!.Name);
        Assert.True((await directory.LoadTenantAsync(tenantId))!.LastEventSequence > 0);
        Assert.Equal(conversationId, (await conversations.GetConversationAsync(tenantId, conversationId))!.Id);
        var message = Assert.Single(await conversations.GetMessagesAsync(tenantId, conversationId, null, 10), m => m.Id == messageId);
        Assert.Equal("你好, SQLite", message.Text);
        Assert.Equal(tenantId, Assert.Single(await directory.ListTenantsAsync()).Id);
    }
}
