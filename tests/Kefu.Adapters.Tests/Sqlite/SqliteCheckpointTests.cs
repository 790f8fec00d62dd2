using Kefu.Adapters.Sqlite;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Tests.Sqlite;

/// <summary>The write-ahead log is copied into the database in the background, and starts again small afterwards.</summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly string _path = TempDatabase.NewPath();

    public void Dispose() => TempDatabase.Delete(_path);

    [Fact]
    public async Task BackgroundCheckpoint_CopiesTheLog_SoTheNextCommitStartsItAgainFromItsBeginning()
    {
        var clock = new FakeTimeProvider();
        await using var store = new SqliteKefuStore(new SqliteStoreOptions { ConnectionString = TempDatabase.ConnectionString(_path), CheckpointInterval = Interval }, clock);
        await store.InitialiseAsync(default);
        var tenant = TestTenants.Next();
        var delta = new AggregateDelta("s", "", BucketGranularity.Hour, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), 1, 1, 1);
        for (var i = 1; i <= 200; i++)
        {
            await store.ApplyAsync(tenant, "c", i, [delta]);
        }

        // 200 commits sit in the log (at least a page each): SQLite's own checkpoint waits for 65,536 pages. Read
        // from the file's size, since asking SQLite would checkpoint it.
        Assert.True(new FileInfo(_path + "-wal").Length >= 200 * 4096);

        var before = store.CheckpointRounds;
        for (var waited = 0; store.CheckpointRounds == before; waited++)
        {
            Assert.True(waited < 500, "no background checkpoint ran");
            clock.Advance(Interval);
            await Task.Delay(20);
        }

        await store.ApplyAsync(tenant, "c", 201, [delta]);

        Assert.InRange(LogPages(), 1, 20);
        var cells = await store.QueryAsync(tenant, "s", BucketGranularity.Hour, delta.BucketStart, delta.BucketStart.AddHours(1));
        Assert.Equal(201, Assert.Single(cells).Count);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(60_001)]
    public void CheckpointInterval_OutsideItsRange_IsRefusedByName(int milliseconds)
    {
        var options = new SqliteStoreOptions { ConnectionString = "Data Source=x.db", CheckpointInterval = TimeSpan.FromMilliseconds(milliseconds) };

        var error = Assert.Throws<KefuValidationException>(options.Validate);

        Assert.Equal(nameof(SqliteStoreOptions.CheckpointInterval), error.Field);
    }

    /// <summary>The pages in the log now, as a passive checkpoint from another connection reports them (after copying them).</summary>
    private long LogPages()
    {
        using var connection = new SqliteConnection(TempDatabase.ConnectionString(_path));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(1);
    }
}
