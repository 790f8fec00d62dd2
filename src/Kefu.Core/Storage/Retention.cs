namespace Kefu.Storage;

/// <summary>What one retention batch removed.</summary>
/// <param name="Conversations">Closed conversations deleted.</param>
/// <param name="Messages">Messages of those conversations deleted.</param>
public readonly record struct RetentionPurge(int Conversations, int Messages)
{
    /// <summary>Adds two purges.</summary>
    public static RetentionPurge operator +(RetentionPurge a, RetentionPurge b) => new(a.Conversations + b.Conversations, a.Messages + b.Messages);
}

/// <summary>
/// Deletes history past a tenant's retention period (C18). A store implements it next to its other interfaces; it
/// is optional for third-party stores (without it, nothing is purged).
/// </summary>
public interface IRetentionStore
{
    /// <summary>
    /// Deletes up to <paramref name="max"/> conversations of a tenant that closed before <paramref name="closedBefore"/>,
    /// oldest first, with their messages and recall marks, in one short transaction. Open conversations and
    /// conversations closed since are kept. Visitors, aggregates (reports) and configuration are never touched.
    /// </summary>
    /// <returns>What was deleted; fewer than <paramref name="max"/> conversations means none is left to purge.</returns>
    ValueTask<RetentionPurge> PurgeClosedConversationsAsync(long tenantId, DateTimeOffset closedBefore, int max, CancellationToken cancellationToken = default);
}

/// <summary>
/// Applies each tenant's retention period (C18, <see cref="Model.ConversationSettings.Retention"/>, default 180 days):
/// closed conversations older than it are deleted with their messages in small batches, each its own transaction,
/// so the engine's commits interleave with a purge instead of waiting for it. In a host, a background service runs it
/// every <see cref="KefuOptions.RetentionSweepInterval"/>; operators can also run it now.
/// </summary>
public interface IKefuRetention
{
    /// <summary>Purges one tenant's expired history now.</summary>
    /// <exception cref="KefuException">The tenant does not exist (<see cref="KefuErrorKind.NotFound"/>).</exception>
    ValueTask<RetentionPurge> PurgeTenantAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Purges every tenant's expired history now, tenant by tenant.</summary>
    ValueTask<RetentionPurge> PurgeAllAsync(CancellationToken cancellationToken = default);
}
