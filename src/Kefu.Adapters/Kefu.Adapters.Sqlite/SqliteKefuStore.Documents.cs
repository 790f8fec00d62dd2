using Kefu.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

internal sealed partial class SqliteKefuStore : IConfigurationDocumentStore
{
    private const string DocumentColumns = "key, version, content, updated_at_ticks, updated_at_offset";

    public ValueTask<ConfigurationDocument?> GetAsync(long tenantId, string kind, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(key);
        return _database.ReadAsync(
            (connection, ct) => ReadDocumentAsync(connection, null, tenantId, kind, key, ct),
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<ConfigurationDocument>> ListAsync(long tenantId, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return _database.ReadAsync<IReadOnlyList<ConfigurationDocument>>(
            async (connection, ct) =>
            {
                using var command = Command(connection, null, $"SELECT {DocumentColumns} FROM configuration_documents WHERE tenant_id = $tenant AND kind = $kind;");
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$kind", kind);
                var documents = new List<ConfigurationDocument>();
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    documents.Add(ReadDocument(reader, tenantId, kind));
                }

                // Ordinal (UTF-16) order, as the in-memory store; SQLite's BINARY collation orders UTF-8 bytes.
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
        return _database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var current = (await ReadDocumentAsync(connection, transaction, tenantId, kind, key, ct).ConfigureAwait(false))?.Version ?? 0;
                if (current != expectedVersion)
                {
                    throw new KefuException(KefuErrorKind.Concurrency, $"Document {kind}/{key} is at version {current}, not {expectedVersion}.");
                }

                var document = new ConfigurationDocument(tenantId, kind, key, current + 1, content, now);
                using var command = Command(
                    connection,
                    transaction,
                    """
                    INSERT INTO configuration_documents (tenant_id, kind, key, version, content, updated_at_ticks, updated_at_offset)
                    VALUES ($tenant, $kind, $key, $version, $content, $ticks, $offset)
                    ON CONFLICT (tenant_id, kind, key) DO UPDATE SET
                        version = excluded.version, content = excluded.content,
                        updated_at_ticks = excluded.updated_at_ticks, updated_at_offset = excluded.updated_at_offset;
                    """);
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$kind", kind);
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$version", document.Version);
                command.Parameters.AddWithValue("$content", content);
                command.Parameters.AddWithValue("$ticks", now.UtcTicks);
                command.Parameters.AddWithValue("$offset", OffsetMinutes(now));
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return document;
            },
            cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(long tenantId, string kind, string key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(key);
        return _database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var document = await ReadDocumentAsync(connection, transaction, tenantId, kind, key, ct).ConfigureAwait(false);
                if (document is null)
                {
                    return false;
                }

                if (document.Version != expectedVersion)
                {
                    throw new KefuException(KefuErrorKind.Concurrency, $"Document {kind}/{key} is at version {document.Version}, not {expectedVersion}.");
                }

                using var command = Command(connection, transaction, "DELETE FROM configuration_documents WHERE tenant_id = $tenant AND kind = $kind AND key = $key;");
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$kind", kind);
                command.Parameters.AddWithValue("$key", key);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    private static async ValueTask<ConfigurationDocument?> ReadDocumentAsync(
        SqliteConnection connection, SqliteTransaction? transaction, long tenantId, string kind, string key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"SELECT {DocumentColumns} FROM configuration_documents WHERE tenant_id = $tenant AND kind = $kind AND key = $key;");
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDocument(reader, tenantId, kind) : null;
    }

    private static ConfigurationDocument ReadDocument(SqliteDataReader reader, long tenantId, string kind)
        => new(tenantId, kind, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), ReadInstant(reader, 3, 4));
}
