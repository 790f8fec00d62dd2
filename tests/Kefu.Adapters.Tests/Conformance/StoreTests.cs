using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

// Each conformance suite, once per store. A store lives as long as its test class; tests use tenants of their own.

public sealed class InMemoryConfigurationDocumentStoreTests(InMemoryStoreFixture fixture)
    : ConfigurationDocumentStoreConformance, IClassFixture<InMemoryStoreFixture>
{
    private protected override IConfigurationDocumentStore Store => fixture.Store;
}

public sealed class SqliteConfigurationDocumentStoreTests(SqliteStoreFixture fixture)
    : ConfigurationDocumentStoreConformance, IClassFixture<SqliteStoreFixture>
{
    private protected override IConfigurationDocumentStore Store => fixture.Store;
}

public sealed class InMemoryAggregateStoreTests(InMemoryStoreFixture fixture)
    : AggregateStoreConformance, IClassFixture<InMemoryStoreFixture>
{
    private protected override IAggregateStore Store => fixture.Store;
}

public sealed class SqliteAggregateStoreTests(SqliteStoreFixture fixture)
    : AggregateStoreConformance, IClassFixture<SqliteStoreFixture>
{
    private protected override IAggregateStore Store => fixture.Store;
}

public sealed class InMemoryOutboxStoreTests(InMemoryStoreFixture fixture)
    : OutboxStoreConformance, IClassFixture<InMemoryStoreFixture>
{
    private protected override IOutboxStore Store => fixture.Store;

    private protected override ITenantCommitStore Commits => fixture.Store;
}

public sealed class SqliteOutboxStoreTests(SqliteStoreFixture fixture)
    : OutboxStoreConformance, IClassFixture<SqliteStoreFixture>
{
    private protected override IOutboxStore Store => fixture.Store;

    private protected override ITenantCommitStore Commits => fixture.Store;
}

public sealed class InMemoryTenantStoreTests(InMemoryStoreFixture fixture)
    : TenantStoreConformance, IClassFixture<InMemoryStoreFixture>
{
    private protected override ITenantCommitStore Commits => fixture.Store;

    private protected override IDirectoryStore Directory => fixture.Store;

    private protected override IConversationStore Conversations => fixture.Store;
}

public sealed class SqliteTenantStoreTests(SqliteStoreFixture fixture)
    : TenantStoreConformance, IClassFixture<SqliteStoreFixture>
{
    private protected override ITenantCommitStore Commits => fixture.Store;

    private protected override IDirectoryStore Directory => fixture.Store;

    private protected override IConversationStore Conversations => fixture.Store;
}

// PostgreSQL: one private server for the run (PostgreSqlServer), one database per test class.

[Collection(PostgreSql.PostgreSqlCollection.Name)]
public sealed class PostgreSqlConfigurationDocumentStoreTests(PostgreSql.PostgreSqlServer server, PostgreSql.PostgreSqlStoreFixture fixture)
    : ConfigurationDocumentStoreConformance, IClassFixture<PostgreSql.PostgreSqlStoreFixture>
{
    private protected override IConfigurationDocumentStore Store => fixture.StoreOn(server);
}

[Collection(PostgreSql.PostgreSqlCollection.Name)]
public sealed class PostgreSqlAggregateStoreTests(PostgreSql.PostgreSqlServer server, PostgreSql.PostgreSqlStoreFixture fixture)
    : AggregateStoreConformance, IClassFixture<PostgreSql.PostgreSqlStoreFixture>
{
    private protected override IAggregateStore Store => fixture.StoreOn(server);
}

[Collection(PostgreSql.PostgreSqlCollection.Name)]
public sealed class PostgreSqlOutboxStoreTests(PostgreSql.PostgreSqlServer server, PostgreSql.PostgreSqlStoreFixture fixture)
    : OutboxStoreConformance, IClassFixture<PostgreSql.PostgreSqlStoreFixture>
{
    private protected override IOutboxStore Store => fixture.StoreOn(server);

    private protected override ITenantCommitStore Commits => fixture.StoreOn(server);
}

[Collection(PostgreSql.PostgreSqlCollection.Name)]
public sealed class PostgreSqlTenantStoreTests(PostgreSql.PostgreSqlServer server, PostgreSql.PostgreSqlStoreFixture fixture)
    : TenantStoreConformance, IClassFixture<PostgreSql.PostgreSqlStoreFixture>
{
    private protected override ITenantCommitStore Commits => fixture.StoreOn(server);

    private protected override IDirectoryStore Directory => fixture.StoreOn(server);

    private protected override IConversationStore Conversations => fixture.StoreOn(server);
}

public sealed class InMemoryRetentionStoreTests(InMemoryStoreFixture fixture)
    : RetentionStoreConformance, IClassFixture<InMemoryStoreFixture>
{
    private protected override ITenantCommitStore Commits => fixture.Store;

    private protected override IConversationStore Conversations => fixture.Store;

    private protected override IRetentionStore Retention => fixture.Store;
}

public sealed class SqliteRetentionStoreTests(SqliteStoreFixture fixture)
    : RetentionStoreConformance, IClassFixture<SqliteStoreFixture>
{
    private protected override ITenantCommitStore Commits => fixture.Store;

    private protected override IConversationStore Conversations => fixture.Store;

    private protected override IRetentionStore Retention => fixture.Store;
}

[Collection(PostgreSql.PostgreSqlCollection.Name)]
public sealed class PostgreSqlRetentionStoreTests(PostgreSql.PostgreSqlServer server, PostgreSql.PostgreSqlStoreFixture fixture)
    : RetentionStoreConformance, IClassFixture<PostgreSql.PostgreSqlStoreFixture>
{
    private protected override ITenantCommitStore Commits => fixture.StoreOn(server);

    private protected override IConversationStore Conversations => fixture.StoreOn(server);

    private protected override IRetentionStore Retention => fixture.StoreOn(server);
}
