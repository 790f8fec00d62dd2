using Kefu.Storage;
using Npgsql;

namespace Kefu.Adapters.PostgreSql;

/// <summary>
/// Configuration documents with optimistic concurrency done by the database: a new document is an
/// <c>INSERT … ON CONFLICT DO NOTHING</c>, a new version an <c>UPDATE … WHERE version = expected</c>, so of two
/// writers that read the same version exactly one succeeds and the other gets a
/// <see cref="KefuErrorKind.Concurrency"/> error, across processes and nodes.
/// </summary>
internal sealed partial class PostgreSqlKefuStore : IConfigurationDocumentStore
{
    private const string DocumentColumns = "key, version, content, updated_at_ticks, updated_at_offset";

    public ValueTask<ConfigurationDocument?> GetAsync(long tenantId, string kind, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(key);
        return ReadAsync((connection, ct) => ReadDocumentAsync(connection, null, tenantId, kind, key, ct), cancellationToken);
    }

    public ValueTask<IReadOnlyList<ConfigurationDocument>> ListAsync(long tenantId, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return ReadAsync<IReadOnlyList<ConfigurationDocument>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, $"SELECT {DocumentColumns} FROM configuration_documents WHERE tenant_id = @tenant AND kind = @kind;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("kind", kind);
                var documents = await ReadAllAsync(command, r => ReadDocument(r, tenantId, kind), ct).ConfigureAwait(false);

                // Ordinal (UTF-16) order, as the in-memory store, whatever the database's collation.
                documents.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                return documents;
            },
            cancellationToken);
    }

    public ValueTask<ConfigurationDocument> PutAsync(long tenantId, string kind, string key, string content, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ValidateText(kind, 100, nameof(kind));
        ValidateText(key, 200, nameof(key));
        ArgumentNullException.ThrowIfNull(content);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                var sql = expectedVersion == 0
                    ? """
                      INSERT INTO configuration_documents (tenant_id, kind, key, version, content, updated_at_ticks, updated_at_offset)
                      VALUES (@tenant, @kind, @key, 1, @content, @ticks, @offset)
                      ON CONFLICT (tenant_id, kind, key) DO NOTHING;
                      """
                    : """
                      UPDATE configuration_documents SET version = version + 1, content = @content, updated_at_ticks = @ticks, updated_at_offset = @offset
                      WHERE tenant_id = @tenant AND kind = @kind AND key = @key AND version = @expected;
                      """;
                await using var command = Command(connection, transaction, sql);
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("kind", kind);
                command.Parameters.AddWithValue("key", key);
                command.Parameters.AddWithValue("content", content);
                command.Parameters.AddWithValue("ticks", now.UtcTicks);
                command.Parameters.AddWithValue("offset", OffsetMinutes(now));
                command.Parameters.AddWithValue("expected", expectedVersion);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
                {
                    var current = (await ReadDocumentAsync(connection, transaction, tenantId, kind, key, ct).ConfigureAwait(false))?.Version ?? 0;
                    throw Conflict(kind, key, current, expectedVersion);
                }

                return new ConfigurationDocument(tenantId, kind, key, expectedVersion + 1, content, now);
            },
            cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(long tenantId, string kind, string key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, "DELETE FROM configuration_documents WHERE tenant_id = @tenant AND kind = @kind AND key = @key AND version = @expected;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("kind", kind);
                command.Parameters.AddWithValue("key", key);
                command.Parameters.AddWithValue("expected", expectedVersion);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    return true;
                }

                var document = await ReadDocumentAsync(connection, transaction, tenantId, kind, key, ct).ConfigureAwait(false);
                return document is null ? false : throw Conflict(kind, key, document.Version, expectedVersion);
            },
            cancellationToken);
    }

    private static KefuException Conflict(string kind, string key, long current, long expected)
        => new(KefuErrorKind.Concurrency, $"Document {kind}/{key} is at version {current}, not {expected}.");

    private static async ValueTask<ConfigurationDocument?> ReadDocumentAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long tenantId, string kind, string key, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {DocumentColumns} FROM configuration_documents WHERE tenant_id = @tenant AND kind = @kind AND key = @key;");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDocument(reader, tenantId, kind) : null;
    }

    private static ConfigurationDocument ReadDocument(NpgsqlDataReader reader, long tenantId, string kind)
        => new(tenantId, kind, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), ReadInstant(reader, 3, 4));
}
