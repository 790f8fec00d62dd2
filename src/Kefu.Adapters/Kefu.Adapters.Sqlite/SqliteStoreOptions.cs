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
    }
}
