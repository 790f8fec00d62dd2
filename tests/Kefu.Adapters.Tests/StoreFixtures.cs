using Kefu.Adapters.Sqlite;
using Kefu.Storage.InMemory;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Tests;

/// <summary>One in-memory store per test class.</summary>
public sealed class InMemoryStoreFixture
{
    internal InMemoryKefuStore Store { get; } = new();
}

/// <summary>A fresh SQLite database in a temporary file per test class, deleted afterwards.</summary>
public sealed class SqliteStoreFixture : IDisposable
{
    public SqliteStoreFixture()
    {
        Path = TempDatabase.NewPath();
        ConnectionString = TempDatabase.ConnectionString(Path);
        Store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = ConnectionString });
    }

    public string Path { get; }

    public string ConnectionString { get; }

    internal SqliteKefuStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        TempDatabase.Delete(Path);
    }
}

internal static class TempDatabase
{
    public static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kefu-test-{Guid.NewGuid():N}.db");

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

/// <summary>Tenant ids unique in the test run, so tests sharing a store never see each other's data.</summary>
internal static class TestTenants
{
    private static long _next = 1000;

    public static long Next() => Interlocked.Increment(ref _next);
}
