using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Storage;

namespace Kefu.Engine;

/// <summary>
/// One tenant's state, owned by its worker: only the worker thread reads or writes it, so nothing here locks.
/// Commands validate first and change state after, so a refused command leaves everything as it was (the worker
/// checks this, see <see cref="ItemRecordedChanges"/>); what they
/// change is recorded in the current batch (<see cref="Commit"/>) and committed with the events they emitted.
/// </summary>
internal sealed partial class TenantState : IRoutingView
{
    private readonly EngineServices _s;
    private readonly List<ConversationRuntime> _dirty = [];
    private readonly List<KefuEvent> _transient = [];
    private readonly Queue<long> _closedOrder = new();
    private Checkpoint _checkpoint;

    public TenantState(long tenantId, EngineServices services)
    {
        TenantId = tenantId;
        _s = services;
        Commit = new TenantCommit(tenantId) { RecordsOutbox = services.Dispatcher.IsNeeded };
        Settings = services.Options.DefaultTenantSettings;
    }

    public long TenantId { get; }
    public Tenant? Tenant { get; private set; }
    public TenantSettings Settings { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public long Sequence { get; private set; }
    public TenantCommit Commit { get; }
    public IReadOnlyList<KefuEvent> TransientEvents => _transient;

    // Directory.
    internal readonly Dictionary<long, Department> Departments = [];
    internal readonly Dictionary<long, Role> Roles = [];
    internal readonly Dictionary<long, AgentRuntime> AgentsById = [];
    internal readonly List<AgentRuntime> AgentList = [];
    internal readonly Dictionary<long, SkillGroup> Groups = [];
    internal readonly Dictionary<long, Channel> Channels = [];
    internal readonly Dictionary<long, Association> Associations = [];
    internal readonly Dictionary<long, TagDefinition> Tags = [];
    internal readonly Dictionary<long, WrapUpCategory> Categories = [];
    internal readonly Dictionary<long, QuickReplyFolder> Folders = [];
    internal readonly Dictionary<long, QuickReply> QuickReplies = [];

    // Conversations.
    internal readonly Dictionary<long, ConversationRuntime> Open = [];
    internal readonly Dictionary<long, long> OpenByVisitor = [];
    internal readonly Dictionary<QueueKey, RoutingQueue> QueuesByKey = [];
    private long _queueOrder;
    internal readonly Dictionary<long, ConversationRuntime> RecentlyClosed = [];
    internal readonly Dictionary<long, Visitor> Visitors = [];

    // IRoutingView
    IReadOnlyList<IRoutingAgent> IRoutingView.Agents => AgentList;
    IRoutingAgent? IRoutingView.FindAgent(long agentId) => AgentsById.GetValueOrDefault(agentId);
    SkillGroup? IRoutingView.FindGroup(long groupId) => Groups.GetValueOrDefault(groupId);
    public int QueuedCount { get; private set; }
    private readonly int[] _queuedByMedia = new int[3];
    public int QueuedCountOf(MediaKind media) => _queuedByMedia[(int)media];
    IRoutingQueue IRoutingView.QueueOf(QueueKey key) => QueueOf(key);
    IEnumerable<IRoutingQueue> IRoutingView.Queues => QueuesByKey.Values.Where(q => q.Count > 0);
    public object? PolicyState { get; set; }

    internal RoutingQueue QueueOf(QueueKey key)
    {
        if (!QueuesByKey.TryGetValue(key, out var queue))
        {
            queue = new RoutingQueue(key);
            QueuesByKey[key] = queue;
        }

        return queue;
    }

    internal void JoinQueue(ConversationRuntime c, QueueKey key, DateTimeOffset queuedAt, long? excludedAgentId)
    {
        var entry = new QueueEntry(c.Id, key, queuedAt, excludedAgentId, ++_queueOrder);
        c.QueueEntry = entry;
        QueueOf(key).Append(entry);
        QueuedCount++;
        _queuedByMedia[(int)key.Media]++;
    }

    internal void LeaveQueue(QueueEntry entry)
    {
        if (entry.Owner is { } owner)
        {
            owner.Remove(entry);
            QueuedCount--;
            _queuedByMedia[(int)owner.Key.Media]--;
        }
    }

    /// <summary>Tells the routing policy that something it may rank the agent by changed.</summary>
    internal void AgentChanged(AgentRuntime agent, bool removed = false) => _s.Routing.AgentChanged(agent, this, removed);

    /// <summary>Loads the tenant from the stores; a tenant that does not exist yet loads empty.</summary>
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        BeginItem(_s.Time.GetUtcNow());
        var snapshot = await _s.Directory.LoadTenantAsync(TenantId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return;
        }

        await _s.Filter.LoadTenantAsync(TenantId, cancellationToken).ConfigureAwait(false);
        await _s.Routing.LoadTenantAsync(TenantId, cancellationToken).ConfigureAwait(false);
        await _s.Bots.LoadTenantAsync(TenantId, cancellationToken).ConfigureAwait(false);
        await _s.Analyzer.LoadTenantAsync(TenantId, cancellationToken).ConfigureAwait(false);
        Tenant = snapshot.Tenant;
        Settings = snapshot.Settings;
        Sequence = snapshot.LastEventSequence;
        foreach (var entity in snapshot.Directory.OrderBy(e => e.Id))
        {
            LoadEntity(entity);
        }

        foreach (var group in Groups.Values)
        {
            foreach (var member in group.MemberIds)
            {
                AgentsById.GetValueOrDefault(member)?.Groups.Add(group.Id);
            }
        }

        var open = await _s.Conversations.ListOpenConversationsAsync(TenantId, cancellationToken).ConfigureAwait(false);
        foreach (var snapshotConversation in open.OrderBy(c => c.QueuedAt ?? c.CreatedAt).ThenBy(c => c.Id))
        {
            var c = ConversationRuntime.FromSnapshot(snapshotConversation);
            Open[c.Id] = c;
            OpenByVisitor[c.VisitorId] = c.Id;
            if (c.State == ConversationState.Queued)
            {
                var key = c.QueuedForAgentId is { } wanted ? QueueKey.Agent(wanted, c.Media)
                    : c.GroupId is null && c.LoadedQueueKind == QueueTargetKind.Ungrouped ? QueueKey.Ungrouped(c.Media)
                    : QueueKey.For(c.GroupId, c.Media);
                JoinQueue(c, key, c.QueuedAt ?? c.CreatedAt, excludedAgentId: null);
            }
            else if (c.AgentId is { } agentId && c.State is ConversationState.InService or ConversationState.Offered && AgentsById.TryGetValue(agentId, out var agent))
            {
                agent.AddLoad(c.Media, 1);
            }

            await LoadMessageIndexAsync(c, cancellationToken).ConfigureAwait(false);
            ArmTimers(c);
        }

        foreach (var agent in AgentList)
        {
            AgentChanged(agent);
        }
    }

    /// <summary>Rebuilds the client ids of an open conversation's recent messages, for idempotent sends after a restart.</summary>
    internal async ValueTask LoadMessageIndexAsync(ConversationRuntime c, CancellationToken cancellationToken)
    {
        var page = await _s.Conversations.GetMessagesAsync(TenantId, c.Id, null, _s.Options.DeduplicationWindow, cancellationToken).ConfigureAwait(false);
        foreach (var m in page)
        {
            if (m.ClientMessageId is not null)
            {
                var key = ClientIdKey.Of(m.SenderKind, m.SenderId, m.ClientMessageId);
                var window = ClientIdsOf(c);
                if (!window.TryGet(key, out _))
                {
                    window.Add(key, new ClientIdWindow.Entry(m.Id, m.SentAt));
                }
            }
        }
    }

    private void LoadEntity(IDirectoryEntity entity)
    {
        switch (entity)
        {
            case Department d: Departments[d.Id] = d; break;
            case Role r: Roles[r.Id] = r; break;
            case Agent a:
                var runtime = new AgentRuntime(a, Now);
                AgentsById[a.Id] = runtime;
                AgentList.Add(runtime);
                break;
            case SkillGroup g: Groups[g.Id] = g; break;
            case Channel ch: Channels[ch.Id] = ch; break;
            case Association a: Associations[a.Id] = a; break;
            case TagDefinition t: Tags[t.Id] = t; break;
            case WrapUpCategory w: Categories[w.Id] = w; break;
            case QuickReplyFolder f: Folders[f.Id] = f; break;
            case QuickReply q: QuickReplies[q.Id] = q; break;
            default: throw new InvalidOperationException($"Unknown directory entity {entity.GetType().Name}.");
        }
    }

    public bool Exists => Tenant is not null;

    public void RequireTenant()
    {
        if (Tenant is null)
        {
            throw new KefuNotFoundException("Tenant", TenantId);
        }
    }

    // ---- Batch bookkeeping

    private readonly record struct Checkpoint(int Directory, int Visitors, int Events, int Dirty, int Transient, long Sequence, Tenant? Tenant, TenantSettings? Settings);

    /// <summary>
    /// Starts applying one work item at <paramref name="now"/>, truncated to the millisecond (the precision of
    /// event times), and never before the previous item's time.
    /// </summary>
    public void BeginItem(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond);
        Now = ticks < Now.UtcTicks ? Now : new DateTimeOffset(ticks, TimeSpan.Zero);
        _checkpoint = new Checkpoint(Commit.DirectoryList.Count, Commit.VisitorList.Count, Commit.EventList.Count,
            _dirty.Count, _transient.Count, Sequence, Commit.Tenant, Commit.Settings);
    }

    /// <summary>
    /// Whether the current item recorded any change. Commands validate before they change anything, so a refusal
    /// after a recorded change means memory may be half-changed: the worker then discards the batch and reloads.
    /// </summary>
    public bool ItemRecordedChanges
    {
        get
        {
            var cp = _checkpoint;
            return Commit.DirectoryList.Count != cp.Directory || Commit.VisitorList.Count != cp.Visitors
                || Commit.EventList.Count != cp.Events || _dirty.Count != cp.Dirty || _transient.Count != cp.Transient || Sequence != cp.Sequence
                || !ReferenceEquals(Commit.Tenant, cp.Tenant) || !ReferenceEquals(Commit.Settings, cp.Settings);
        }
    }

    /// <summary>Completes the batch: snapshots every conversation it changed.</summary>
    public TenantCommit PrepareCommit()
    {
        foreach (var c in _dirty)
        {
            Commit.ConversationList.Add(c.ToSnapshot());
            c.Dirty = false;
        }

        _dirty.Clear();
        return Commit;
    }

    /// <summary>After a commit: clears the batch, forgets old closed conversations, and sets the timer.</summary>
    public void AfterCommit()
    {
        Commit.Clear();
        _transient.Clear();
        var limit = _s.Options.ClosedConversationCacheSize;
        while (_closedOrder.Count > limit)
        {
            RecentlyClosed.Remove(_closedOrder.Dequeue());
        }

        ScheduleTimer();
    }

    // ---- Recording changes

    internal KefuEvent Emit(long conversationId = 0)
    {
        var e = new KefuEvent
        {
            EventId = _s.Ids.NextId(Now),
            TenantId = TenantId,
            Sequence = ++Sequence,
            OccurredAtMs = Now.ToUnixTimeMilliseconds(),
            ConversationId = conversationId,
        };
        Commit.EventList.Add(e);
        return e;
    }

    /// <summary>An event that is published but not stored (typing previews): it has sequence 0.</summary>
    internal KefuEvent EmitTransient(long conversationId)
    {
        var e = new KefuEvent
        {
            EventId = _s.Ids.NextId(Now),
            TenantId = TenantId,
            OccurredAtMs = Now.ToUnixTimeMilliseconds(),
            ConversationId = conversationId,
        };
        _transient.Add(e);
        return e;
    }

    internal void Save(IDirectoryEntity entity) => Commit.DirectoryList.Add(new DirectoryChange(entity.GetType().Name, entity.Id, entity));

    internal void Deleted(string kind, long id) => Commit.DirectoryList.Add(new DirectoryChange(kind, id, null));

    internal void DirectoryChanged(string kind, long id, ChangeKind change = ChangeKind.Upserted)
        => Emit().DirectoryChanged = new DirectoryChangedEvent { EntityKind = kind, EntityId = id, Change = change };

    internal void Touch(ConversationRuntime c)
    {
        if (!c.Dirty)
        {
            c.Dirty = true;
            _dirty.Add(c);
        }
    }

    internal void SaveVisitor(Visitor visitor)
    {
        Visitors[visitor.Id] = visitor;
        Commit.VisitorList.Add(visitor);
    }

    internal void SaveSettings(TenantSettings settings)
    {
        Settings = settings;
        Commit.Settings = settings;
    }

    internal void SaveTenant(Tenant tenant)
    {
        Tenant = tenant;
        Commit.Tenant = tenant;
    }

    /// <summary>The conversation's de-duplication window, made on its first client message id.</summary>
    internal ClientIdWindow ClientIdsOf(ConversationRuntime c) => c.ClientIds ??= new ClientIdWindow(_s.Options.DeduplicationWindow);

    internal long NewId() => _s.Ids.NextId(Now);

    internal void RememberClosed(ConversationRuntime c)
    {
        if (RecentlyClosed.TryAdd(c.Id, c))
        {
            _closedOrder.Enqueue(c.Id);
        }
    }

    // ---- Lookups

    internal AgentRuntime GetAgent(long agentId) =>
        AgentsById.TryGetValue(agentId, out var agent) ? agent : throw new KefuNotFoundException("Agent", agentId);

    internal SkillGroup GetGroup(long groupId) =>
        Groups.TryGetValue(groupId, out var group) ? group : throw new KefuNotFoundException("SkillGroup", groupId);

    internal ConversationRuntime? FindLoaded(long conversationId) =>
        Open.TryGetValue(conversationId, out var c) ? c : RecentlyClosed.GetValueOrDefault(conversationId);

    internal async ValueTask<ConversationRuntime> GetConversationAsync(long conversationId)
    {
        var loaded = FindLoaded(conversationId);
        if (loaded is not null)
        {
            return loaded;
        }

        var stored = await _s.Conversations.GetConversationAsync(TenantId, conversationId).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Conversation", conversationId);
        var c = ConversationRuntime.FromSnapshot(stored);
        if (c.IsClosed)
        {
            RememberClosed(c);
        }
        else
        {
            Open[c.Id] = c;
        }

        return c;
    }

    internal async ValueTask<Visitor> GetVisitorAsync(long visitorId)
    {
        if (Visitors.TryGetValue(visitorId, out var visitor))
        {
            return visitor;
        }

        visitor = await _s.Conversations.GetVisitorAsync(TenantId, visitorId).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Visitor", visitorId);
        Visitors[visitorId] = visitor;
        return visitor;
    }
}
