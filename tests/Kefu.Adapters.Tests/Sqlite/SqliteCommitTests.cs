using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Tests.Sqlite;

public sealed class SqliteCommitTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task Commit_ThatFails_StoresNothingOfTheBatch()
    {
        var store = fixture.Store;
        var tenant = TestTenants.Next();
        var first = new TenantCommit(tenant);
        first.EventList.Add(new KefuEvent { EventId = 1, TenantId = tenant, Sequence = 1, MessageRecalled = new MessageRecalledEvent { MessageId = 5 } });
        await store.CommitAsync(first);

        // The second batch repeats sequence 1 after its other changes: the outbox refuses it, and the batch rolls back.
        var second = new TenantCommit(tenant) { Tenant = new Tenant(tenant, "Never", DateTimeOffset.UnixEpoch) };
        second.VisitorList.Add(new Visitor { Id = 1, Name = "v" });
        second.EventList.Add(new KefuEvent { EventId = 2, TenantId = tenant, Sequence = 1, MessageRecalled = new MessageRecalledEvent { MessageId = 6 } });
        await Assert.ThrowsAsync<SqliteException>(() => store.CommitAsync(second).AsTask());

        Assert.Null(await store.GetTenantAsync(tenant));
        Assert.Null(await store.GetVisitorAsync(tenant, 1));
        Assert.Single(await store.ReadPendingAsync(tenant, 0, 10));

        // The writer connection is still usable.
        var third = new TenantCommit(tenant) { Tenant = new Tenant(tenant, "Later", DateTimeOffset.UnixEpoch) };
        await store.CommitAsync(third);
        Assert.Equal("Later", (await store.GetTenantAsync(tenant))!.Name);
    }

    [Fact]
    public async Task Reads_RunWhileTheWriterCommits()
    {
        var store = fixture.Store;
        var tenant = TestTenants.Next();
        var writes = Enumerable.Range(1, 50).Select(i => Task.Run(async () =>
        {
            var commit = new TenantCommit(tenant);
            commit.VisitorList.Add(new Visitor { Id = i, Name = $"v{i}" });
            await store.CommitAsync(commit);
        }));
        var reads = Enumerable.Range(1, 50).Select(_ => Task.Run(async () => await store.SearchVisitorsAsync(tenant, new VisitorQuery { PageSize = 100 })));

        await Task.WhenAll(writes.Concat<Task>(reads));

        Assert.Equal(50, (await store.SearchVisitorsAsync(tenant, new VisitorQuery { PageSize = 100 })).Total);
    }
}
