using Npgsql;

namespace Kefu.Adapters.PostgreSql;

/// <summary>Options of the PostgreSQL store: a connection string, or a data source the application built.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>
    /// The Npgsql connection string, for example <c>Host=db;Database=kefu;Username=kefu</c>. The store builds its own
    /// <see cref="NpgsqlDataSource"/> from it and disposes it; unless the string sets <c>Max Auto Prepare</c>, the
    /// store's statements are prepared automatically (up to 64 per connection). Ignored when <see cref="DataSource"/> is set.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>A data source the application owns (and disposes); when set, <see cref="ConnectionString"/> is ignored.</summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Whether the schema is migrated to this package's version on first use (and when the host starts). When false
    /// the store refuses a database whose schema is older, and an operator applies the migrations with
    /// <see cref="PostgreSqlSchema.MigrateAsync(string, CancellationToken)"/>. <value>Default true.</value>
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    internal void Validate()
    {
        if (DataSource is null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new KefuValidationException(nameof(ConnectionString), "an Npgsql connection string, for example 'Host=localhost;Database=kefu;Username=kefu', or a DataSource");
        }

        if (DataSource is null)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new KefuValidationException(nameof(ConnectionString), "a valid Npgsql connection string", e.Message);
            }
        }
    }
}
