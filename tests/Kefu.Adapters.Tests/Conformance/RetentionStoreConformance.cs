using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>What every store deletes, and keeps, when a tenant's history passes its retention period (C18).</summary>
public abstract class RetentionStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));

    private protected abstract ITenantCommitStore Commits { get; }

    private protected abstract IConversationStore Conversations { get; }

    private protected abstract IRetentionStore Retention { get; }

    // A conversation created at T0 + createdDay days and, unless open, closed closedAfterDays later.
    private static Conversation Conversation(long tenantId, long id, int createdDay, int? closedAfterDays, long visitorId = 1) => new()
    {
        Id = id,
        TenantId = tenantId,
        VisitorId = visitorId,
        ChannelKind = ChannelKind.Web,
        State = closedAfterDays is null ? ConversationState.InService : ConversationState.Closed,
        AgentId = 7,
        CreatedAt = T0.AddDays(createdDay),
        ClosedAt = closedAfterDays is { } days ? T0.AddDays(createdDay + days) : null,
    };

    // Commits the conversations, each with two messages (ids conversation id × 10 + 1 and + 2).
    private Task CommitAsync(long tenantId, params Conversation[] conversations) => CommitAsync(tenantId, 0, conversations);

    private async Task CommitAsync(long tenantId, long lastSequence, params Conversation[] conversations)
    {
        var commit = new TenantCommit(tenantId);
        commit.ConversationList.AddRange(conversations);
        var sequence = lastSequence;
        foreach (var c in conversations)
        {
            commit.EventList.Add(ConformanceEvents.Message(T0, tenantId, ++sequence, c.Id, (c.Id * 10) + 1, "first"));
            commit.EventList.Add(ConformanceEvents.Message(T0, tenantId, ++sequence, c.Id, (c.Id * 10) + 2, "second"));
        }

        await Commits.CommitAsync(commit);
    }

    private async Task<long[]> RemainingAsync(long tenantId)
    {
        var page = await Conversations.SearchConversationsAsync(tenantId, new HistoryQuery { PageSize = 100 });
        return [.. page.Items.Select(c => c.Id).Order()];
    }

    [Fact]
    public async Task Purge_DeletesConversationsClosedBeforeTheCutOffWithTheirMessages_AndKeepsTheRest()
    {
        var id = TestTenants.Next();
        await CommitAsync(
            id,
            Conversation(id, 1, createdDay: 0, closedAfterDays: 0),
            Conversation(id, 2, createdDay: 1, closedAfterDays: null),
            Conversation(id, 3, createdDay: 2, closedAfterDays: 1),
            Conversation(id, 4, createdDay: 5, closedAfterDays: 0),
            Conversation(id, 5, createdDay: 20, closedAfterDays: 0));

        var purge = await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(10), max: 100);

        Assert.Equal(new RetentionPurge(3, 6), purge);
        Assert.Equal(new long[] { 2L, 5L }, await RemainingAsync(id));
        Assert.Null(await Conversations.GetConversationAsync(id, 1));
        Assert.Empty(await Conversations.GetMessagesAsync(id, 1, null, 10));
        Assert.Equal(2, (await Conversations.GetMessagesAsync(id, 2, null, 10)).Count);
        Assert.Equal([21L, 22L, 51L, 52L], (await Conversations.GetVisitorMessagesAsync(id, 1, null, 10)).Select(m => m.Id));
        Assert.Equal(default, await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(10), max: 100));
    }

    [Fact]
    public async Task Purge_KeepsAConversationCreatedBeforeTheCutOffButClosedAfterIt_AndGoesOnPastIt()
    {
        var id = TestTenants.Next();
        await CommitAsync(
            id,
            Conversation(id, 1, createdDay: 0, closedAfterDays: 30),
            Conversation(id, 2, createdDay: 1, closedAfterDays: 0),
            Conversation(id, 3, createdDay: 2, closedAfterDays: 0));

        var purge = await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(10), max: 100);

        Assert.Equal(new RetentionPurge(2, 4), purge);
        Assert.Equal(new long[] { 1L }, await RemainingAsync(id));
    }

    [Fact]
    public async Task Purge_TakesAtMostTheBatchSize_OldestFirst()
    {
        var id = TestTenants.Next();
        await CommitAsync(id, [.. Enumerable.Range(1, 5).Select(i => Conversation(id, i, createdDay: i, closedAfterDays: 0))]);

        Assert.Equal(new RetentionPurge(2, 4), await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(30), max: 2));
        Assert.Equal(new long[] { 3L, 4L, 5L }, await RemainingAsync(id));
        Assert.Equal(new RetentionPurge(2, 4), await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(30), max: 2));
        Assert.Equal(new RetentionPurge(1, 2), await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(30), max: 2));
        Assert.Empty(await RemainingAsync(id));
    }

    [Fact]
    public async Task Purge_RemovesRecallMarks_AndLeavesOtherTenantsAlone()
    {
        var id = TestTenants.Next();
        var other = TestTenants.Next();
        await CommitAsync(id, Conversation(id, 1, createdDay: 0, closedAfterDays: 0));
        await CommitAsync(other, Conversation(other, 1, createdDay: 0, closedAfterDays: 0));
        var recall = new TenantCommit(id);
        recall.EventList.Add(ConformanceEvents.Recall(T0, id, 3, 1, 11));
        await Commits.CommitAsync(recall);

        Assert.Equal(new RetentionPurge(1, 2), await Retention.PurgeClosedConversationsAsync(id, T0.AddDays(10), max: 10));

        // The same message id committed again is a new message, not a recalled one.
        await CommitAsync(id, 3, Conversation(id, 1, createdDay: 40, closedAfterDays: null));
        Assert.All(await Conversations.GetMessagesAsync(id, 1, null, 10), m => Assert.False(m.Recalled));
        Assert.Equal(new long[] { 1L }, await RemainingAsync(other));
        Assert.Equal(2, (await Conversations.GetMessagesAsync(other, 1, null, 10)).Count);
        Assert.Equal(default, await Retention.PurgeClosedConversationsAsync(TestTenants.Next(), T0.AddDays(10), max: 10));
    }

    [Fact]
    public async Task Purge_RefusesABatchSizeBelowOne()
    {
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(async () => await Retention.PurgeClosedConversationsAsync(TestTenants.Next(), T0, max: 0));
    }
}
