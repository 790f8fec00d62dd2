using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

/// <summary>
/// The versioned, forward-only schema of the SQLite store. The migrations ship in this package as numbered scripts;
/// the <c>schema_version</c> table records the ones applied. The store applies them on first use unless
/// <see cref="SqliteStoreOptions.MigrateOnStart"/> is false; operators who prefer to migrate by hand call <see cref="MigrateAsync"/>.
/// </summary>
public static class SqliteSchema
{
    private const string ResourcePrefix = "Kefu.Adapters.Sqlite.Migrations.";

    /// <summary>The migration that adds the messages' text column, which code then fills from the stored events.</summary>
    private const int MessageTextVersion = 4;

    private static readonly Lazy<IReadOnlyList<MigrationScript>> AllMigrations = new(() => MigrationScript.Load(typeof(SqliteSchema).Assembly, ResourcePrefix, "SQLite"));

    /// <summary>The schema version this package writes: the number of its last migration.</summary>
    public static int LatestVersion => AllMigrations.Value[^1].Version;

    /// <summary>
    /// Applies every migration the database lacks, in order, in one transaction, and returns the resulting version.
    /// Applying twice changes nothing. Also switches the database to WAL mode.
    /// </summary>
    /// <param name="connectionString">The connection string of the database.</param>
    /// <param name="cancellationToken">Cancels before the transaction commits.</param>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.InvalidState"/> when the database was written by a newer version of this package.</exception>
    public static async Task<int> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = new SqliteConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await SqliteDatabase.ExecuteAsync(connection, null, "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            return await MigrateConnectionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The schema version of a database: 0 when no migration was applied.</summary>
    /// <param name="connectionString">The connection string of the database.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<int> GetVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = new SqliteConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Migrates only up to <paramref name="targetVersion"/>: tests start from every earlier version with it.</summary>
    internal static async Task<int> MigrateToAsync(string connectionString, int targetVersion, CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await MigrateConnectionAsync(connection, targetVersion, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<int> MigrateConnectionAsync(SqliteConnection connection, int? targetVersion, CancellationToken cancellationToken)
    {
        var target = targetVersion ?? LatestVersion;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, LatestVersion, nameof(targetVersion));
        var transaction = connection.BeginTransaction(deferred: false);
        await using (transaction.ConfigureAwait(false))
        {
            var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            EnsureNotNewer(current);
            if (current >= target)
            {
                return current;
            }

            await SqliteDatabase.ExecuteAsync(
                connection,
                transaction,
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);",
                cancellationToken).ConfigureAwait(false);
            foreach (var migration in AllMigrations.Value)
            {
                if (migration.Version <= current || migration.Version > target)
                {
                    continue;
                }

                await SqliteDatabase.ExecuteAsync(connection, transaction, migration.Script, cancellationToken).ConfigureAwait(false);
                if (migration.Version == MessageTextVersion)
                {
                    await MessageText.BackfillAsync(connection, transaction, '$', static (name, value) => new SqliteParameter("$" + name, value), cancellationToken).ConfigureAwait(false);
                }

                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
                record.Parameters.AddWithValue("$version", migration.Version);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return target;
        }
    }

    internal static async Task EnsureCurrentAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var current = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        EnsureNotNewer(current);
        if (current < LatestVersion)
        {
            throw new KefuException(
                KefuErrorKind.InvalidState,
                $"The SQLite database is at schema version {current}; this version of Kefu.Adapters.Sqlite needs {LatestVersion}. " +
                $"Apply the migrations with SqliteSchema.MigrateAsync, or set {nameof(SqliteStoreOptions.MigrateOnStart)}.");
        }
    }

    private static void EnsureNotNewer(int current)
    {
        if (current > LatestVersion)
        {
            throw new KefuException(
                KefuErrorKind.InvalidState,
                $"The SQLite database is at schema version {current}, newer than the {LatestVersion} this version of Kefu.Adapters.Sqlite knows. " +
                "Upgrade the package: migrations are forward only.");
        }
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
