using Kefu.Adapters.PostgreSql;
using Kefu.Testing;
using Npgsql;

namespace Kefu.Adapters.Tests.PostgreSql;

/// <summary>
/// The private PostgreSQL server of the test run (<see cref="PrivatePostgreSqlServer"/>, from Kefu.Testing): tests
/// fail, never skip, when PostgreSQL is missing; <c>./test.sh</c> installs it.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private PrivatePostgreSqlServer? _server;

    private PrivatePostgreSqlServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The loopback port the server listens on.</summary>
    public int Port => Server.Port;

    /// <summary>A connection string for <paramref name="database"/> on this server, as the superuser.</summary>
    public string ConnectionString(string database) => Server.ConnectionString(database);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "kefu")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await using (admin.ConfigureAwait(false))
        {
            await admin.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", admin);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    /// <summary>
    /// Creates an empty database and a store on it, migrated on first use. Synchronous (Npgsql's synchronous I/O), so
    /// test classes that first touch their store from many thread-pool tasks at once do not starve the pool.
    /// </summary>
    internal PostgreSqlKefuStore CreateStore()
    {
        var name = $"kefu_{Guid.NewGuid():N}";
        using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            admin.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", admin);
            command.ExecuteNonQuery();
        }

        return new PostgreSqlKefuStore(new PostgreSqlStoreOptions { ConnectionString = ConnectionString(name) });
    }

    public async Task InitializeAsync() => _server = await PrivatePostgreSqlServer.StartAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share the private PostgreSQL server (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSql";
}

/// <summary>One store on a database of its own per test class, created on first use on the shared server.</summary>
public sealed class PostgreSqlStoreFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private PostgreSqlKefuStore? _store;

    internal PostgreSqlKefuStore StoreOn(PostgreSqlServer server)
    {
        lock (_gate)
        {
            return _store ??= server.CreateStore();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
