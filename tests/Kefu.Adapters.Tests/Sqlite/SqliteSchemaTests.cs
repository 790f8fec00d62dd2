using Kefu.Adapters.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Tests.Sqlite;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly string _path = TempDatabase.NewPath();

    private string ConnectionString => TempDatabase.ConnectionString(_path);

    public void Dispose() => TempDatabase.Delete(_path);

    [Fact]
    public async Task Migrate_FromEmptyDatabase_AppliesEveryMigration()
    {
        Assert.Equal(0, await SqliteSchema.GetVersionAsync(ConnectionString));

        Assert.Equal(SqliteSchema.LatestVersion, await SqliteSchema.MigrateAsync(ConnectionString));

        Assert.Equal(SqliteSchema.LatestVersion, await SqliteSchema.GetVersionAsync(ConnectionString));
        Assert.Equal(Enumerable.Range(1, SqliteSchema.LatestVersion).Select(v => (object)(long)v), await QueryAsync("SELECT version FROM schema_version ORDER BY version;"));
        Assert.Equal<object>(["wal"], await QueryAsync("PRAGMA journal_mode;"));
        Assert.Superset(
            new HashSet<object> { "configuration_documents", "aggregate_cells", "aggregate_applied_events", "outbox" },
            new HashSet<object>(await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table';")));
    }

    public static TheoryData<int> EarlierVersions() => [.. Enumerable.Range(1, SqliteSchema.LatestVersion - 1)];

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task Migrate_FromEveryEarlierVersion_KeepsDataAndReachesTheLatest(int version)
    {
        Assert.Equal(version, await SqliteSchema.MigrateToAsync(ConnectionString, version));
        Assert.Equal(version, await SqliteSchema.GetVersionAsync(ConnectionString));
        await QueryAsync("INSERT INTO configuration_documents VALUES (1, 'k', 'key', 3, '{}', 0, 60);");

        Assert.Equal(SqliteSchema.LatestVersion, await SqliteSchema.MigrateAsync(ConnectionString));

        using var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString, MigrateOnStart = false });
        Assert.Equal(3, (await store.GetAsync(1, "k", "key"))!.Version);
        Assert.Null(await store.GetTenantAsync(1));
    }

    [Fact]
    public async Task Migrate_ToSearchColumns_FillsThemFromTheStoredConversations()
    {
        const int beforeSearchColumns = 2;
        await SqliteSchema.MigrateToAsync(ConnectionString, beforeSearchColumns);
        using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO conversations (tenant_id, id, position, visitor_id, closed, conversation) VALUES ($tenant, 77, 1, 900, 1, $json);";
            insert.Parameters.AddWithValue("$tenant", Conformance.SearchColumnsBackfill.TenantId);
            insert.Parameters.AddWithValue("$json", Conformance.SearchColumnsBackfill.Json);
            await insert.ExecuteNonQueryAsync();
        }

        await SqliteSchema.MigrateAsync(ConnectionString);

        using var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString, MigrateOnStart = false });
        await Conformance.SearchColumnsBackfill.AssertFoundAsync(store);
    }

    [Fact]
    public async Task Migrate_ToMessageText_FillsItFromTheStoredEvents()
    {
        const int beforeMessageText = 3;
        await SqliteSchema.MigrateToAsync(ConnectionString, beforeMessageText);
        using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            using var transaction = connection.BeginTransaction();
            using var conversation = connection.CreateCommand();
            conversation.CommandText = "INSERT INTO conversations (tenant_id, id, position, visitor_id, closed, conversation) VALUES ($tenant, $id, 1, 900, 1, $json);";
            conversation.Parameters.AddWithValue("$tenant", Conformance.MessageTextBackfill.TenantId);
            conversation.Parameters.AddWithValue("$id", Conformance.MessageTextBackfill.ConversationId);
            conversation.Parameters.AddWithValue("$json", Conformance.MessageTextBackfill.Json);
            await conversation.ExecuteNonQueryAsync();
            foreach (var (id, e) in Conformance.MessageTextBackfill.Messages)
            {
                using var message = connection.CreateCommand();
                message.CommandText = "INSERT INTO messages (tenant_id, conversation_id, message_id, event) VALUES ($tenant, $conversation, $id, $event);";
                message.Parameters.AddWithValue("$tenant", Conformance.MessageTextBackfill.TenantId);
                message.Parameters.AddWithValue("$conversation", Conformance.MessageTextBackfill.ConversationId);
                message.Parameters.AddWithValue("$id", id);
                message.Parameters.AddWithValue("$event", e);
                await message.ExecuteNonQueryAsync();
            }

            transaction.Commit();
        }

        await SqliteSchema.MigrateAsync(ConnectionString);

        using var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString, MigrateOnStart = false });
        await Conformance.MessageTextBackfill.AssertFoundAsync(store);
    }

    [Fact]
    public async Task Migrate_Twice_IsANoOp()
    {
        await SqliteSchema.MigrateAsync(ConnectionString);
        var before = await QueryAsync("SELECT version || ' ' || applied_at FROM schema_version ORDER BY version;");

        Assert.Equal(SqliteSchema.LatestVersion, await SqliteSchema.MigrateAsync(ConnectionString));

        Assert.Equal(before, await QueryAsync("SELECT version || ' ' || applied_at FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task Migrate_WhenDatabaseIsNewer_RefusesWithAClearError()
    {
        await SqliteSchema.MigrateAsync(ConnectionString);
        await QueryAsync($"INSERT INTO schema_version (version, applied_at) VALUES ({SqliteSchema.LatestVersion + 1}, 'later');");

        var error = await Assert.ThrowsAsync<KefuException>(() => SqliteSchema.MigrateAsync(ConnectionString));

        Assert.Equal(KefuErrorKind.InvalidState, error.Kind);
        Assert.Contains($"schema version {SqliteSchema.LatestVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);

        using var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString });
        var refused = await Assert.ThrowsAsync<KefuException>(() => store.GetAsync(1, "k", "k").AsTask());
        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_MigratesOnFirstUse()
    {
        using (var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString }))
        {
            await store.PutAsync(1, "k", "k", "{}", 0, DateTimeOffset.UnixEpoch);
        }

        Assert.Equal(SqliteSchema.LatestVersion, await SqliteSchema.GetVersionAsync(ConnectionString));
    }

    [Fact]
    public async Task Store_WithoutMigrateOnStart_RefusesAnOldSchemaUntilMigrated()
    {
        using (var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString, MigrateOnStart = false }))
        {
            var error = await Assert.ThrowsAsync<KefuException>(() => store.GetAsync(1, "k", "k").AsTask());
            Assert.Equal(KefuErrorKind.InvalidState, error.Kind);
            Assert.Contains("SqliteSchema.MigrateAsync", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await SqliteSchema.GetVersionAsync(ConnectionString));
        await SqliteSchema.MigrateAsync(ConnectionString);

        using var migrated = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString, MigrateOnStart = false });
        Assert.Null(await migrated.GetAsync(1, "k", "k"));
    }

    [Fact]
    public async Task Store_KeepsDataAcrossRestarts()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5));
        using (var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString }))
        {
            await store.PutAsync(1, "k", "key", "{}", 0, now);
        }

        using var reopened = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString });
        Assert.Equal(new Kefu.Storage.ConfigurationDocument(1, "k", "key", 1, "{}", now), await reopened.GetAsync(1, "k", "key"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Options_WithoutConnectionString_AreRefused(string connectionString)
    {
        var error = Assert.Throws<KefuValidationException>(() => new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = connectionString }));
        Assert.Equal(nameof(SqliteStoreOptions.ConnectionString), error.Field);
    }

    private async Task<List<object>> QueryAsync(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<object>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetValue(0));
        }

        return rows;
    }
}
