using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

/// <summary>
/// Core's storage interfaces on one SQLite database. Writes go through the database's single writer connection, each
/// call atomic (concurrent calls share a transaction, each behind a savepoint); reads use connections of their own.
/// Instants are stored as UTC ticks with their offset.
/// </summary>
internal sealed partial class SqliteKefuStore : IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabase _database;

    /// <summary>The store on the database the options name; <paramref name="time"/> paces its background checkpoints.</summary>
    public SqliteKefuStore(SqliteStoreOptions options, TimeProvider? time = null) => _database = new SqliteDatabase(options, time ?? TimeProvider.System);

    /// <summary>How many background checkpoint rounds have run (for tests).</summary>
    internal long CheckpointRounds => _database.CheckpointRounds;

    /// <summary>Migrates (or checks) the schema now rather than on first use.</summary>
    public ValueTask InitialiseAsync(CancellationToken cancellationToken) => _database.EnsureInitialisedAsync(cancellationToken);

    public void Dispose() => _database.Dispose();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DateTimeOffset ReadInstant(SqliteDataReader reader, int ticksOrdinal, int offsetOrdinal)
        => new DateTimeOffset(reader.GetInt64(ticksOrdinal), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt64(offsetOrdinal)));

    private static long OffsetMinutes(DateTimeOffset instant) => (long)instant.Offset.TotalMinutes;

    private static void ValidateText(string? value, int maxLength, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            var allowed = $"a non-empty text of at most {maxLength} characters";
            throw value is null || string.IsNullOrWhiteSpace(value)
                ? new KefuValidationException(field, allowed)
                : new KefuValidationException(field, allowed, $"had {value.Trim().Length} characters");
        }
    }
}
