using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

/// <summary>
/// The connections of one SQLite database: a single writer connection behind an async lock, so writes never wait on
/// SQLite's own locks inside the process and concurrent writes share one transaction (group commit), and pooled
/// reader connections opened per read, which WAL mode lets read while the writer commits. The schema is migrated (or checked) once, before the first read or write.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task _checkpointer = Task.CompletedTask;
    private long _checkpointRounds;

    // The safety net behind the background checkpoints: SQLite checkpoints on commit once the log holds this many
    // pages (256 MB of 4 KB pages), as it would at 1,000 pages by default.
    private const int AutoCheckpointPages = 65536;

    // When a round finds the log longer than this (64 MB of 4 KB pages), it starts the log again from its beginning.
    private const int RestartAfterPages = 16384;
    private const int MaxBatch = 256;
    private const string SavepointName = "kefu_write";
    private readonly ConcurrentQueue<WriteItem> _pending = new();
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private readonly SemaphoreSlim _initialiseGate = new(1, 1);
    private volatile bool _initialised;
    private SqliteConnection? _writer;
    // The writer's statements, prepared once and reused by every write (only touched under the writer gate).
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private bool _disposed;

    public SqliteDatabase(SqliteStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true }.ToString();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection inside a transaction, committed before this returns.
    /// Writes that queue up while another transaction commits are grouped into the next transaction (group commit),
    /// each behind a savepoint of its own: a write that throws is rolled back alone and the others commit.
    /// </summary>
    public async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await EnsureInitialisedAsync(cancellationToken).ConfigureAwait(false);
        var item = new WriteItem<T>(work, cancellationToken);
        _pending.Enqueue(item);

        // Whoever holds the gate commits everything queued so far; a caller whose write was committed meanwhile
        // only passes through.
        await _writerGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            while (!item.IsCompleted)
            {
                await CommitQueuedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writerGate.Release();
        }

        return await item.Task.ConfigureAwait(false);
    }

    private async ValueTask CommitQueuedAsync()
    {
        var batch = new List<WriteItem>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var queued))
        {
            if (queued.CancellationToken.IsCancellationRequested)
            {
                queued.Cancel();
            }
            else
            {
                batch.Add(queued);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        if (_disposed)
        {
            batch.ForEach(static i => i.Fail(new ObjectDisposedException(nameof(SqliteDatabase))));
            return;
        }

        var succeeded = new List<WriteItem>(batch.Count);
        try
        {
            var connection = _writer ??= await OpenAsync(writer: true, CancellationToken.None).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            var grouped = batch.Count > 1;
            foreach (var item in batch)
            {
                if (grouped)
                {
                    transaction.Save(SavepointName);
                }

                try
                {
                    await item.RunAsync(connection, transaction).ConfigureAwait(false);
                    if (grouped)
                    {
                        transaction.Release(SavepointName);
                    }

                    succeeded.Add(item);
                }
                catch (Exception e) when (grouped)
                {
                    transaction.Rollback(SavepointName);
                    transaction.Release(SavepointName);
                    item.Fail(e);
                }
            }

            transaction.Commit();
        }
#pragma warning disable CA1031 // Every failure goes to the callers whose writes it undid.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var item in batch)
            {
                item.Fail(e);
            }

            return;
        }

        foreach (var item in succeeded)
        {
            item.Complete();
        }
    }

    /// <summary>
    /// A command on the writer connection for <paramref name="sql"/>, prepared on first use and kept: only for use
    /// inside a write's work, with its parameters cleared; the caller must not dispose it.
    /// </summary>
    public SqliteCommand WriterCommand(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        if (!ReferenceEquals(connection, _writer))
        {
            throw new InvalidOperationException("Writer commands exist only on the writer connection, inside a write.");
        }

        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _writerCommands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>Runs <paramref name="work"/> on a reader connection of its own.</summary>
    public async ValueTask<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await EnsureInitialisedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenAsync(writer: false, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask EnsureInitialisedAsync(CancellationToken cancellationToken)
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

            var connection = await OpenAsync(writer: true, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                if (_options.MigrateOnStart)
                {
                    await SqliteSchema.MigrateConnectionAsync(connection, null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await SqliteSchema.EnsureCurrentAsync(connection, cancellationToken).ConfigureAwait(false);
                }
            }

            _initialised = true;
            _checkpointer = Task.Run(() => CheckpointLoopAsync(_stopping.Token), CancellationToken.None);
        }
        finally
        {
            _initialiseGate.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(bool writer, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var busy = ((long)_options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            // WAL with synchronous=NORMAL survives a killed process; only a power loss may drop the last commits.
            var pragmas = writer
                ? $"PRAGMA busy_timeout = {busy}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {AutoCheckpointPages};"
                : $"PRAGMA busy_timeout = {busy};";
            await ExecuteAsync(connection, null, pragmas, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>How many background checkpoint rounds have run.</summary>
    public long CheckpointRounds => Interlocked.Read(ref _checkpointRounds);

    /// <summary>
    /// Copies the write-ahead log into the database every <see cref="SqliteStoreOptions.CheckpointInterval"/> from a
    /// connection of its own: a passive checkpoint, which neither waits for readers nor blocks commits. Readers that
    /// come and go all the time keep SQLite from starting the log again by itself, so once the log is longer than
    /// <see cref="RestartAfterPages"/> the round also restarts it, holding the writer for as long as copying the few
    /// pages committed since the passive copy and waiting out the readers take.
    /// </summary>
    private async Task CheckpointLoopAsync(CancellationToken stopping)
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await Task.Delay(_options.CheckpointInterval, _time, stopping).ConfigureAwait(false);
                try
                {
                    connection ??= await OpenAsync(writer: false, stopping).ConfigureAwait(false);
                    if (await CheckpointAsync(connection, "PASSIVE", stopping).ConfigureAwait(false) > RestartAfterPages)
                    {
                        await RestartLogAsync(stopping).ConfigureAwait(false);
                    }
                }
                catch (SqliteException)
                {
                    // Busy or interrupted: the next round tries again, and SQLite's own checkpoint stays as the net.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }
                }

                Interlocked.Increment(ref _checkpointRounds);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A checkpoint of the given mode; returns the pages in the log when it started (-1 outside WAL mode).</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        // busy, pages in the log, pages copied.
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(1) : -1;
    }

    /// <summary>A restarting checkpoint on the writer connection, with no write in flight.</summary>
    private async Task RestartLogAsync(CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is { } writer && !_disposed)
            {
                await CheckpointAsync(writer, "RESTART", cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public void Dispose()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            // The loop only awaits cancellable delays and short checkpoints.
            _checkpointer.Wait(TimeSpan.FromSeconds(10));
        }

        _writerGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var command in _writerCommands.Values)
            {
                command.Dispose();
            }

            _writerCommands.Clear();
            if (_writer is not null)
            {
                SqliteConnection.ClearPool(_writer);
                _writer.Dispose();
                _writer = null;
            }

            // Closes the pooled readers too, so the database files can be deleted or moved.
            using var any = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(any);
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private abstract class WriteItem
    {
        public abstract CancellationToken CancellationToken { get; }

        public abstract bool IsCompleted { get; }

        public abstract ValueTask RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception error);

        public abstract void Cancel();
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override CancellationToken CancellationToken => cancellationToken;

        public override bool IsCompleted => _completion.Task.IsCompleted;

        public override async ValueTask RunAsync(SqliteConnection connection, SqliteTransaction transaction)
            => _result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);

        // Set only after the transaction committed: the result is then durable.
        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception error) => _completion.TrySetException(error);

        public override void Cancel() => _completion.TrySetCanceled(cancellationToken);
    }
}
