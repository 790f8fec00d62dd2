using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Npgsql;

namespace Kefu.Adapters.Tests.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlCommitTests(PostgreSqlServer server, PostgreSqlStoreFixture fixture) : IClassFixture<PostgreSqlStoreFixture>
{
    [Fact]
    public async Task Commit_ThatFails_StoresNothingOfTheBatch()
    {
        var store = fixture.StoreOn(server);
        var tenant = TestTenants.Next();
        var first = new TenantCommit(tenant);
        first.EventList.Add(new KefuEvent { EventId = 1, TenantId = tenant, Sequence = 1, MessageRecalled = new MessageRecalledEvent { MessageId = 5 } });
        await store.CommitAsync(first);

        // The second batch repeats sequence 1 after its other changes: the outbox refuses it, and the batch rolls back.
        var second = new TenantCommit(tenant) { Tenant = new Tenant(tenant, "Never", DateTimeOffset.UnixEpoch) };
        second.VisitorList.Add(new Visitor { Id = 1, Name = "v" });
        second.EventList.Add(new KefuEvent { EventId = 2, TenantId = tenant, Sequence = 1, MessageRecalled = new MessageRecalledEvent { MessageId = 6 } });
        var error = await Assert.ThrowsAsync<PostgresException>(() => store.CommitAsync(second).AsTask());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);

        Assert.Null(await store.GetTenantAsync(tenant));
        Assert.Null(await store.GetVisitorAsync(tenant, 1));
        Assert.Single(await store.ReadPendingAsync(tenant, 0, 10));

        // The pool's connections are still usable.
        var third = new TenantCommit(tenant) { Tenant = new Tenant(tenant, "Later", DateTimeOffset.UnixEpoch) };
        await store.CommitAsync(third);
        Assert.Equal("Later", (await store.GetTenantAsync(tenant))!.Name);
    }

    [Fact]
    public async Task Reads_RunWhileCommitsGoOn()
    {
        var store = fixture.StoreOn(server);
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

    [Fact]
    public async Task ConcurrentPuts_OfOneVersion_ExactlyOneWins()
    {
        var store = fixture.StoreOn(server);
        var tenant = TestTenants.Next();
        await store.PutAsync(tenant, "k", "doc", "v1", 0, DateTimeOffset.UnixEpoch);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.PutAsync(tenant, "k", "doc", $"v2-{i}", 1, DateTimeOffset.UnixEpoch);
                return true;
            }
            catch (KefuException e) when (e.Kind == KefuErrorKind.Concurrency)
            {
                return false;
            }
        })));

        Assert.Equal(1, attempts.Count(won => won));
        Assert.Equal(2, (await store.GetAsync(tenant, "k", "doc"))!.Version);
    }

    [Fact]
    public async Task ConcurrentApplies_OfOneEvent_CountOnce()
    {
        var store = fixture.StoreOn(server);
        var tenant = TestTenants.Next();
        var bucket = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        AggregateDelta[] deltas = [new("s", "", BucketGranularity.Hour, bucket, 1, 2.5, 2.5)];

        var applied = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await store.ApplyAsync(tenant, "c", 42, deltas))));

        Assert.Equal(1, applied.Count(a => a));
        var cell = Assert.Single(await store.QueryAsync(tenant, "s", BucketGranularity.Hour, bucket, bucket.AddHours(1)));
        Assert.Equal(1, cell.Count);
        Assert.Equal(2.5, cell.Sum);
    }
}
