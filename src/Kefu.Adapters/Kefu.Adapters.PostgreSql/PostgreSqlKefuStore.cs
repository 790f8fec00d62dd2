using Npgsql;

namespace Kefu.Adapters.PostgreSql;

/// <summary>
/// Core's storage interfaces on one PostgreSQL database through an <see cref="NpgsqlDataSource"/> (its connection
/// pool). Each write is one transaction on a pooled connection; a tenant commit sends all of its statements as one
/// <see cref="NpgsqlBatch"/> (one round trip). Reads use connections of their own. On a data source it builds from a
/// connection string, statements are prepared automatically (Npgsql's Max Auto Prepare, 64 unless the connection
/// string sets it). Instants are stored as UTC ticks
/// with their offset, so they read back exactly as written.
/// </summary>
internal sealed partial class PostgreSqlKefuStore : IAsyncDisposable, IDisposable
{
    /// <summary>Statements Npgsql prepares per connection when the connection string does not set Max Auto Prepare.</summary>
    internal const int AutoPreparedStatements = 64;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly bool _migrateOnStart;
    private readonly SemaphoreSlim _initialiseGate = new(1, 1);
    private volatile bool _initialised;

    public PostgreSqlKefuStore(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _migrateOnStart = options.MigrateOnStart;
        if (options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else
        {
            // The store sends the same few statements over and over: let Npgsql prepare them on each connection
            // unless the connection string says otherwise.
            var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (connectionString.MaxAutoPrepare == 0)
            {
                connectionString.MaxAutoPrepare = AutoPreparedStatements;
            }

            _dataSource = NpgsqlDataSource.Create(connectionString);
            _ownsDataSource = true;
        }
    }

    /// <summary>Migrates (or checks) the schema now rather than on first use.</summary>
    public async ValueTask InitialiseAsync(CancellationToken cancellationToken)
    {
        if (_initialised)
        {
            return;
        }

        await _initialiseGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialised)
            {
                return;
            }

            if (_migrateOnStart)
            {
                await PostgreSqlSchema.MigrateToAsync(_dataSource, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PostgreSqlSchema.EnsureCurrentAsync(_dataSource, cancellationToken).ConfigureAwait(false);
            }

            _initialised = true;
        }
        finally
        {
            _initialiseGate.Release();
        }
    }

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection of its own.</summary>
    private async ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await InitialiseAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction committed before this returns; when it throws nothing is written.</summary>
    private async ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await InitialiseAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) => new(sql, connection, transaction);

    private static DateTimeOffset ReadInstant(NpgsqlDataReader reader, int ticksOrdinal, int offsetOrdinal)
        => new DateTimeOffset(reader.GetInt64(ticksOrdinal), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt16(offsetOrdinal)));

    private static short OffsetMinutes(DateTimeOffset instant) => (short)instant.Offset.TotalMinutes;

    private static async ValueTask<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(read(reader));
        }

        return items;
    }

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
