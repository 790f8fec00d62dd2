using Kefu.Events;
using Kefu.Model;

namespace Kefu.Storage;

/// <summary>A change to one directory entity: an upsert when <see cref="Entity"/> is set, a delete otherwise.</summary>
/// <param name="Kind">The entity's kind (its type name: Agent, Department …).</param>
/// <param name="Id">The entity id.</param>
/// <param name="Entity">The new value, or null to delete.</param>
public readonly record struct DirectoryChange(string Kind, long Id, IDirectoryEntity? Entity);

/// <summary>
/// One batch of a tenant's worker: every state change of the batch's commands and the events they produced.
/// A store applies it in one transaction: all of it or nothing. Entries of the same id later in a list supersede
/// earlier ones. Messages are not listed separately: a new message is its <see cref="ServiceSessionMessageEvent"/>
/// (see <see cref="MessageEventExtensions.ToMessage"/>) and a recall its <see cref="MessageRecalledEvent"/>, so a
/// store persists messages from <see cref="Events"/>.
/// </summary>
public sealed class TenantCommit
{
    internal TenantCommit(long tenantId) => TenantId = tenantId;

    /// <summary>The tenant.</summary>
    public long TenantId { get; }

    /// <summary>
    /// In a cluster, the lease of the tenant's shard the batch was made under (the fencing token): a store that shares
    /// its lease table with other nodes commits the batch only if this lease is still current, checked in the same
    /// transaction, and throws <see cref="Cluster.KefuLeaseLostException"/> otherwise, writing nothing. Null on a single node.
    /// </summary>
    public Cluster.ShardLease? Lease { get; internal set; }

    /// <summary>The tenant record, when it was created or changed in this batch.</summary>
    public Tenant? Tenant { get; internal set; }

    /// <summary>The settings, when they changed in this batch.</summary>
    public TenantSettings? Settings { get; internal set; }

    /// <summary>Directory upserts and deletes, in order.</summary>
    public IReadOnlyList<DirectoryChange> Directory => DirectoryList;

    /// <summary>Conversations created or changed (latest state, once each).</summary>
    public IReadOnlyList<Conversation> Conversations => ConversationList;

    /// <summary>Visitors created or changed (latest state).</summary>
    public IReadOnlyList<Visitor> Visitors => VisitorList;

    /// <summary>The events of the batch, in sequence order: the outbox entries (when <see cref="RecordsOutbox"/>).</summary>
    public IReadOnlyList<KefuEvent> Events => EventList;

    /// <summary>
    /// Whether the store adds <see cref="Events"/> to its outbox. False when nothing would read them back: no
    /// <see cref="Transport.IEventSink"/> takes events out and the transport is in-process, so there is nothing to hand
    /// on, and nothing to publish again after a restart. Messages and recalls are stored from <see cref="Events"/>
    /// either way, and the tenant's last sequence advances.
    /// </summary>
    public bool RecordsOutbox { get; internal set; } = true;

    internal List<DirectoryChange> DirectoryList { get; } = [];
    internal List<Conversation> ConversationList { get; } = [];
    internal List<Visitor> VisitorList { get; } = [];
    internal List<KefuEvent> EventList { get; } = [];

    /// <summary>Whether the batch changed nothing.</summary>
    public bool IsEmpty => Tenant is null && Settings is null && DirectoryList.Count == 0 && ConversationList.Count == 0
        && VisitorList.Count == 0 && EventList.Count == 0;

    internal void Clear()
    {
        Tenant = null;
        Settings = null;
        DirectoryList.Clear();
        ConversationList.Clear();
        VisitorList.Clear();
        EventList.Clear();
    }
}

/// <summary>Everything a tenant's worker loads when it starts.</summary>
public sealed record TenantSnapshot
{
    /// <summary>The tenant.</summary>
    public required Tenant Tenant { get; init; }
    /// <summary>Its settings.</summary>
    public required TenantSettings Settings { get; init; }
    /// <summary>Every directory entity of the tenant.</summary>
    public required IReadOnlyList<IDirectoryEntity> Directory { get; init; }
    /// <summary>The sequence of the tenant's last committed event (0 when none).</summary>
    public long LastEventSequence { get; init; }
}
