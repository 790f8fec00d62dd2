using Kefu.Adapters.PostgreSql;
using Npgsql;

namespace Kefu.Adapters.Tests.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSchemaTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Migrate_FromEmptyDatabase_AppliesEveryMigration()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(0, await PostgreSqlSchema.GetVersionAsync(dataSource));

        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.MigrateAsync(connectionString));

        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.GetVersionAsync(dataSource));
        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.LatestVersion).Select(v => (object)v), await QueryAsync(dataSource, "SELECT version FROM schema_version ORDER BY version;"));
        Assert.Superset(
            new HashSet<object>
            {
                "configuration_documents", "aggregate_cells", "aggregate_applied_events", "outbox", "tenants", "tenant_template",
                "directory_entities", "visitors", "conversations", "messages", "recalled_messages", "shard_lease",
            },
            new HashSet<object>(await QueryAsync(dataSource, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public';")));
    }

    [Fact]
    public async Task Schema_HasTheShardLeaseTable()
    {
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await PostgreSqlSchema.MigrateAsync(dataSource);

        Assert.Equal<object>(
            ["shard:integer", "owner:text", "epoch:bigint", "expires_at:timestamp with time zone"],
            await QueryAsync(dataSource, "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_name = 'shard_lease' ORDER BY ordinal_position;"));
        await QueryAsync(dataSource, "INSERT INTO shard_lease VALUES (0, 'node-a', 1, now() + interval '10 seconds');");
        await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(dataSource, "INSERT INTO shard_lease VALUES (0, 'node-b', 1, now());"));
    }

    public static TheoryData<int> EarlierVersions() => [.. Enumerable.Range(1, PostgreSqlSchema.LatestVersion - 1)];

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task Migrate_FromEveryEarlierVersion_KeepsDataAndReachesTheLatest(int version)
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(version, await PostgreSqlSchema.MigrateToAsync(dataSource, version));
        Assert.Equal(version, await PostgreSqlSchema.GetVersionAsync(dataSource));
        await QueryAsync(dataSource, "INSERT INTO configuration_documents VALUES (1, 'k', 'key', 3, '{}', 0, 60);");

        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.MigrateAsync(connectionString));

        await using var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString, MigrateOnStart = false });
        Assert.Equal(3, (await store.GetAsync(1, "k", "key"))!.Version);
        Assert.Null(await store.GetTenantAsync(1));
    }

    [Fact]
    public async Task Migrate_ToSearchColumns_FillsThemFromTheStoredConversations()
    {
        const int beforeSearchColumns = 4;
        var connectionString = await server.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await PostgreSqlSchema.MigrateToAsync(dataSource, beforeSearchColumns);
            await using var insert = dataSource.CreateCommand("INSERT INTO conversations (tenant_id, id, visitor_id, closed, conversation) VALUES ($1, 77, 900, true, $2);");
            insert.Parameters.Add(new NpgsqlParameter { Value = Conformance.SearchColumnsBackfill.TenantId });
            insert.Parameters.Add(new NpgsqlParameter { Value = Conformance.SearchColumnsBackfill.Json });
            await insert.ExecuteNonQueryAsync();
        }

        await PostgreSqlSchema.MigrateAsync(connectionString);

        await using var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString, MigrateOnStart = false });
        await Conformance.SearchColumnsBackfill.AssertFoundAsync(store);
    }

    [Fact]
    public async Task Migrate_ToMessageText_FillsItFromTheStoredEvents()
    {
        const int beforeMessageText = 5;
        var connectionString = await server.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await PostgreSqlSchema.MigrateToAsync(dataSource, beforeMessageText);
            await using var batch = dataSource.CreateBatch();
            var conversation = new NpgsqlBatchCommand("INSERT INTO conversations (tenant_id, id, visitor_id, closed, conversation) VALUES ($1, $2, 900, true, $3);");
            conversation.Parameters.Add(new NpgsqlParameter { Value = Conformance.MessageTextBackfill.TenantId });
            conversation.Parameters.Add(new NpgsqlParameter { Value = Conformance.MessageTextBackfill.ConversationId });
            conversation.Parameters.Add(new NpgsqlParameter { Value = Conformance.MessageTextBackfill.Json });
            batch.BatchCommands.Add(conversation);
            foreach (var (id, e) in Conformance.MessageTextBackfill.Messages)
            {
                var message = new NpgsqlBatchCommand("INSERT INTO messages (tenant_id, conversation_id, message_id, event) VALUES ($1, $2, $3, $4);");
                message.Parameters.Add(new NpgsqlParameter { Value = Conformance.MessageTextBackfill.TenantId });
                message.Parameters.Add(new NpgsqlParameter { Value = Conformance.MessageTextBackfill.ConversationId });
                message.Parameters.Add(new NpgsqlParameter { Value = id });
                message.Parameters.Add(new NpgsqlParameter { Value = e });
                batch.BatchCommands.Add(message);
            }

            await batch.ExecuteNonQueryAsync();
        }

        await PostgreSqlSchema.MigrateAsync(connectionString);

        await using var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString, MigrateOnStart = false });
        await Conformance.MessageTextBackfill.AssertFoundAsync(store);
    }

    [Fact]
    public async Task Migrate_Twice_IsANoOp()
    {
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await PostgreSqlSchema.MigrateAsync(dataSource);
        var before = await QueryAsync(dataSource, "SELECT version || ' ' || applied_at FROM schema_version ORDER BY version;");

        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.MigrateAsync(dataSource));

        Assert.Equal(before, await QueryAsync(dataSource, "SELECT version || ' ' || applied_at FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task Migrate_FromSeveralNodesAtOnce_AppliesEachMigrationOnce()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgreSqlSchema.MigrateAsync(connectionString)));

        Assert.All(await Task.WhenAll(nodes), v => Assert.Equal(PostgreSqlSchema.LatestVersion, v));

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.LatestVersion).Select(v => (object)v), await QueryAsync(dataSource, "SELECT version FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task Migrate_WhenDatabaseIsNewer_RefusesWithAClearError()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgreSqlSchema.MigrateAsync(dataSource);
        await QueryAsync(dataSource, $"INSERT INTO schema_version (version) VALUES ({PostgreSqlSchema.LatestVersion + 1});");

        var error = await Assert.ThrowsAsync<KefuException>(() => PostgreSqlSchema.MigrateAsync(connectionString));

        Assert.Equal(KefuErrorKind.InvalidState, error.Kind);
        Assert.Contains($"schema version {PostgreSqlSchema.LatestVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);

        await using var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString });
        var refused = await Assert.ThrowsAsync<KefuException>(() => store.GetAsync(1, "k", "k").AsTask());
        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
        await using var unmigrated = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString, MigrateOnStart = false });
        Assert.Contains("newer", (await Assert.ThrowsAsync<KefuException>(() => unmigrated.GetAsync(1, "k", "k").AsTask())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_MigratesOnFirstUse()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using (var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString }))
        {
            await store.PutAsync(1, "k", "k", "{}", 0, DateTimeOffset.UnixEpoch);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(PostgreSqlSchema.LatestVersion, await PostgreSqlSchema.GetVersionAsync(dataSource));
    }

    [Fact]
    public async Task Store_WithoutMigrateOnStart_RefusesAnOldSchemaUntilMigrated()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using (var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString, MigrateOnStart = false }))
        {
            var error = await Assert.ThrowsAsync<KefuException>(() => store.GetAsync(1, "k", "k").AsTask());
            Assert.Equal(KefuErrorKind.InvalidState, error.Kind);
            Assert.Contains("PostgreSqlSchema.MigrateAsync", error.Message, StringComparison.Ordinal);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(0, await PostgreSqlSchema.GetVersionAsync(dataSource));
        await PostgreSqlSchema.MigrateAsync(connectionString);

        await using var migrated = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString, MigrateOnStart = false });
        Assert.Null(await migrated.GetAsync(1, "k", "k"));
    }

    [Fact]
    public async Task Store_KeepsDataAcrossRestarts_InstantsExactlyAsWritten()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(1234567);
        await using (var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString }))
        {
            await store.PutAsync(1, "k", "key", "{}", 0, now);
        }

        await using var reopened = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString });
        var document = await reopened.GetAsync(1, "k", "key");
        Assert.Equal(new Kefu.Storage.ConfigurationDocument(1, "k", "key", 1, "{}", now), document);
        Assert.Equal(now.Offset, document!.UpdatedAt.Offset);
    }

    [Fact]
    public async Task Store_OnADataSourceOfTheApplication_LeavesItOpen()
    {
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await using (var store = new PostgreSqlKefuStore(new PostgreSqlStoreOptions { DataSource = dataSource }))
        {
            await store.PutAsync(1, "k", "k", "{}", 0, DateTimeOffset.UnixEpoch);
        }

        Assert.Equal<object>([1L], await QueryAsync(dataSource, "SELECT version FROM configuration_documents;"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("Nonsense Key=1")]
    public void Options_WithoutAValidConnectionString_AreRefused(string connectionString)
    {
        var error = Assert.Throws<KefuValidationException>(() => new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = connectionString }));
        Assert.Equal(nameof(PostgreSqlStoreOptions.ConnectionString), error.Field);
    }

    private static async Task<List<object>> QueryAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var rows = new List<object>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetValue(0));
        }

        return rows;
    }
}
