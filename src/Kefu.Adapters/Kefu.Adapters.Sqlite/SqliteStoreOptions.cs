namespace Kefu.Adapters.Sqlite;

/// <summary>Options of the SQLite store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// The Microsoft.Data.Sqlite connection string, for example <c>Data Source=kefu.db</c>. It must name a file:
    /// the store opens one writer and several reader connections, which an in-memory database cannot share.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Whether the schema is migrated to this package's version on first use. When false the store refuses a
    /// database whose schema is older, and an operator applies the migrations with <see cref="SqliteSchema.MigrateAsync"/>.
    /// <value>Default true.</value>
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long a connection waits for a lock held by another connection or process. <value>Default 5 seconds; 0–10 minutes.</value></summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a background connection copies the write-ahead log into the database (a passive checkpoint), so
    /// commits do not wait for that copy and its flush to disk, as they do with SQLite's own checkpoint on commit.
    /// When the log passes 64 MB the round also restarts it, holding writes for one short checkpoint (the pages
    /// committed since the passive copy, and one flush); should the background copy fall behind, SQLite's own
    /// checkpoint on commit takes over at 256 MB.
    /// <value>Default 200 milliseconds; 10 milliseconds–1 minute.</value>
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new KefuValidationException(nameof(ConnectionString), "a SQLite connection string naming a file, for example 'Data Source=kefu.db'");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(10))
        {
            throw new KefuValidationException(nameof(BusyTimeout), "between 0 and 10 minutes", $"was {BusyTimeout}");
        }

        if (CheckpointInterval < TimeSpan.FromMilliseconds(10) || CheckpointInterval > TimeSpan.FromMinutes(1))
        {
            throw new KefuValidationException(nameof(CheckpointInterval), "between 10 milliseconds and 1 minute", $"was {CheckpointInterval}");
        }
    }
}
