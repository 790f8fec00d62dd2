using Kefu.Adapters.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores Kefu's data in PostgreSQL.</summary>
public static class PostgreSqlKefuBuilderExtensions
{
    /// <summary>
    /// Stores everything in the PostgreSQL database of <paramref name="connectionString"/> (for example
    /// <c>Host=db;Database=kefu;Username=kefu</c>), replacing the in-memory store. The schema is migrated when the host starts.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public static IKefuBuilder UsePostgreSql(this IKefuBuilder builder, string connectionString)
        => builder.UsePostgreSql(options => options.ConnectionString = connectionString);

    /// <summary>
    /// Stores everything in the database of <paramref name="dataSource"/>, which the application owns and disposes,
    /// replacing the in-memory store. The schema is migrated when the host starts.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="dataSource">The data source (connection pool) of the database.</param>
    public static IKefuBuilder UsePostgreSql(this IKefuBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgreSql(options => options.DataSource = dataSource);
    }

    /// <summary>Stores everything in PostgreSQL, configured by <paramref name="configure"/>, replacing the in-memory store.</summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="configure">Sets the connection string or data source and the other options; validated when the host starts.</param>
    public static IKefuBuilder UsePostgreSql(this IKefuBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgreSqlStoreOptions>()
            .Configure(configure)
            .Validate(
                static options =>
                {
                    options.Validate();
                    return true;
                })
            .ValidateOnStart();

        builder.UseStore(
            static sp => sp.GetRequiredService<PostgreSqlKefuStore>(),
            static services => services.TryAddSingleton(static sp => new PostgreSqlKefuStore(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlStoreInitializer>());
        return builder;
    }
}

/// <summary>Migrates the schema when the host starts, so a bad database fails the start rather than the first request.</summary>
internal sealed class PostgreSqlStoreInitializer(PostgreSqlKefuStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitialiseAsync(cancellationToken).AsTask();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
