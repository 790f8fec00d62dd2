using System.Globalization;
using Npgsql;

namespace Kefu.Adapters.PostgreSql;

/// <summary>
/// The versioned, forward-only schema of the PostgreSQL store. The migrations ship in this package as numbered
/// scripts; the <c>schema_version</c> table records the ones applied. Migrating takes a transaction-scoped advisory
/// lock first, so two nodes starting together migrate one after the other (the second finds nothing left to do).
/// The store migrates on first use unless <see cref="PostgreSqlStoreOptions.MigrateOnStart"/> is false; operators
/// who prefer to migrate by hand call <see cref="MigrateAsync(string, CancellationToken)"/>.
/// </summary>
public static class PostgreSqlSchema
{
    /// <summary>The key of the advisory lock held while migrating (<c>pg_advisory_xact_lock</c>).</summary>
    public const long MigrationLockKey = 0x4B6566755F6D6967; // "Kefu_mig"

    private const string ResourcePrefix = "Kefu.Adapters.PostgreSql.Migrations.";

    /// <summary>The migration that adds the messages' text column, which code then fills from the stored events.</summary>
    private const int MessageTextVersion = 6;

    private static readonly Lazy<IReadOnlyList<MigrationScript>> AllMigrations = new(() => MigrationScript.Load(typeof(PostgreSqlSchema).Assembly, ResourcePrefix, "PostgreSQL"));

    /// <summary>The schema version this package writes: the number of its last migration.</summary>
    public static int LatestVersion => AllMigrations.Value[^1].Version;

    /// <summary>
    /// Applies every migration the database lacks, in order, in one transaction under an advisory lock, and returns
    /// the resulting version. Applying twice changes nothing.
    /// </summary>
    /// <param name="connectionString">The Npgsql connection string of the database.</param>
    /// <param name="cancellationToken">Cancels before the transaction commits.</param>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.InvalidState"/> when the database was written by a newer version of this package.</exception>
    public static async Task<int> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            return await MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="MigrateAsync(string, CancellationToken)"/>, on a connection of <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The data source of the database.</param>
    /// <param name="cancellationToken">Cancels before the transaction commits.</param>
    public static Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return MigrateToAsync(dataSource, null, cancellationToken);
    }

    /// <summary>The schema version of a database: 0 when no migration was applied.</summary>
    /// <param name="dataSource">The data source of the database.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Migrates only up to <paramref name="targetVersion"/> (all when null): tests start from every earlier version with it.</summary>
    internal static async Task<int> MigrateToAsync(NpgsqlDataSource dataSource, int? targetVersion, CancellationToken cancellationToken = default)
    {
        var target = targetVersion ?? LatestVersion;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, LatestVersion, nameof(targetVersion));
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", connection, transaction))
                {
                    lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                EnsureNotNewer(current);
                if (current >= target)
                {
                    return current;
                }

                await ExecuteAsync(
                    connection,
                    transaction,
                    "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
                    cancellationToken).ConfigureAwait(false);
                foreach (var migration in AllMigrations.Value)
                {
                    if (migration.Version <= current || migration.Version > target)
                    {
                        continue;
                    }

                    await ExecuteAsync(connection, transaction, migration.Script, cancellationToken).ConfigureAwait(false);
                    if (migration.Version == MessageTextVersion)
                    {
                        await MessageText.BackfillAsync(connection, transaction, '@', static (name, value) => new NpgsqlParameter(name, value), cancellationToken).ConfigureAwait(false);
                    }

                    await using var record = new NpgsqlCommand("INSERT INTO schema_version (version) VALUES (@version);", connection, transaction);
                    record.Parameters.AddWithValue("version", migration.Version);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return target;
            }
        }
    }

    internal static async Task EnsureCurrentAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var current = await GetVersionAsync(dataSource, cancellationToken).ConfigureAwait(false);
        EnsureNotNewer(current);
        if (current < LatestVersion)
        {
            throw new KefuException(
                KefuErrorKind.InvalidState,
                $"The PostgreSQL database is at schema version {current}; this version of Kefu.Adapters.PostgreSql needs {LatestVersion}. " +
                $"Apply the migrations with PostgreSqlSchema.MigrateAsync, or set {nameof(PostgreSqlStoreOptions.MigrateOnStart)}.");
        }
    }

    private static void EnsureNotNewer(int current)
    {
        if (current > LatestVersion)
        {
            throw new KefuException(
                KefuErrorKind.InvalidState,
                $"The PostgreSQL database is at schema version {current}, newer than the {LatestVersion} this version of Kefu.Adapters.PostgreSql knows. " +
                "Upgrade the package: migrations are forward only.");
        }
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL;", connection, transaction))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return 0;
            }
        }

        await using var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version;", connection, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
