using Kefu.Adapters.PostgreSql;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kefu.Adapters.Tests.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class UsePostgreSqlTests(PostgreSqlServer server)
{
    [Fact]
    public async Task UsePostgreSql_RegistersOneStoreForEveryStorageInterface()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddKefu().UsePostgreSql(connectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<PostgreSqlKefuStore>();
        Assert.Same(store, provider.GetRequiredService<ITenantCommitStore>());
        Assert.Same(store, provider.GetRequiredService<IDirectoryStore>());
        Assert.Same(store, provider.GetRequiredService<IConversationStore>());
        Assert.Same(store, provider.GetRequiredService<IOutboxStore>());
        Assert.Same(store, provider.GetRequiredService<IConfigurationDocumentStore>());
        Assert.Same(store, provider.GetRequiredService<IAggregateStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IConversationStore));

        var initializer = Assert.Single(provider.GetServices<IHostedService>().OfType<PostgreSqlStoreInitializer>());
        await initializer.StartAsync(CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.GetVersionAsync(dataSource));
    }

    [Fact]
    public async Task UsePostgreSql_WithADataSource_UsesItAndLeavesItOpen()
    {
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await using (var provider = new ServiceCollection().AddKefu().UsePostgreSql(dataSource).Services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IConfigurationDocumentStore>().PutAsync(1, "k", "k", "{}", 0, DateTimeOffset.UnixEpoch);
        }

        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.GetVersionAsync(dataSource));
    }

    [Fact]
    public async Task UsePostgreSql_WithoutConnectionString_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddKefu().UsePostgreSql(_ => { });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value);
        Assert.Contains(nameof(PostgreSqlStoreOptions.ConnectionString), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_OnPostgreSql_KeepsTenantConversationAndMessagesAcrossARestart()
    {
        var connectionString = await server.CreateDatabaseAsync();
        long tenantId;
        long conversationId;
        long messageId;
        await using (var first = await KefuTestHarness.StartAsync(build: b => b.UsePostgreSql(connectionString)))
        {
            tenantId = first.TenantId;
            var conversation = await first.OpenConversationAsync();
            conversationId = conversation.Id;
            messageId = (await first.SendTextAsync(conversation.Id, Participant.Visitor(conversation.VisitorId), "你好, PostgreSQL")).MessageId;
            await first.FlushAsync();
        }

        // A new process would start a new engine; the harness's fake clock would repeat the first run's ids, so
        // this reads through a plain registration instead.
        var services = new ServiceCollection();
        services.AddKefu().UsePostgreSql(connectionString);
        await using var second = services.BuildServiceProvider();
        var directory = second.GetRequiredService<IDirectoryStore>();
        var conversations = second.GetRequiredService<IConversationStore>();

        Assert.Equal("Test tenant", (await directory.GetTenantAsync(tenantId))!.Name);
        Assert.True((await directory.LoadTenantAsync(tenantId))!.LastEventSequence > 0);
        Assert.Equal(conversationId, (await conversations.GetConversationAsync(tenantId, conversationId))!.Id);
        var message = Assert.Single(await conversations.GetMessagesAsync(tenantId, conversationId, null, 10), m => m.Id == messageId);
        Assert.Equal("你好, PostgreSQL", message.Text);
        Assert.Equal(tenantId, Assert.Single(await directory.ListTenantsAsync()).Id);
    }
}
