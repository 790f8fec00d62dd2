using Kefu.Adapters.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores Kefu's data in SQLite.</summary>
public static class SqliteKefuBuilderExtensions
{
    /// <summary>
    /// Stores everything in the SQLite database of <paramref name="connectionString"/> (for example
    /// <c>Data Source=kefu.db</c>), replacing the in-memory store. The schema is migrated when the host starts.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file.</param>
    public static IKefuBuilder UseSqlite(this IKefuBuilder builder, string connectionString)
        => builder.UseSqlite(options => options.ConnectionString = connectionString);

    /// <summary>Stores everything in SQLite, configured by <paramref name="configure"/>, replacing the in-memory store.</summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="configure">Sets the connection string and the other options; validated when the host starts.</param>
    public static IKefuBuilder UseSqlite(this IKefuBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SqliteStoreOptions>()
            .Configure(configure)
            .Validate(
                static options =>
                {
                    options.Validate();
                    return true;
                })
            .ValidateOnStart();

        builder.UseStore(
            static sp => sp.GetRequiredService<SqliteKefuStore>(),
            static services => services.TryAddSingleton(static sp => new SqliteKefuStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, sp.GetService<TimeProvider>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteStoreInitializer>());
        return builder;
    }
}

/// <summary>Migrates the schema when the host starts, so a bad database fails the start rather than the first request.</summary>
internal sealed class SqliteStoreInitializer(SqliteKefuStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitialiseAsync(cancellationToken).AsTask();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
