using System.Collections.Concurrent;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Storage.InMemory;

/// <summary>
/// The in-memory store: every storage interface of Core, for tests and for trying Kefu out. Messages are kept as
/// compact rows taken from their events (the stored form of a message) and turned into <see cref="Message"/>s when read. Each tenant's data sits
/// in its own partition behind its own lock, so tenants commit in parallel. Nothing survives the process.
/// </summary>
internal sealed partial class InMemoryKefuStore :
    ITenantCommitStore, IDirectoryStore, IConversationStore, IOutboxStore, IConfigurationDocumentStore, IAggregateStore, IAggregateTotalsStore, IRetentionStore
{
    private readonly ConcurrentDictionary<long, Partition> _partitions = new();
    private readonly Lock _organisationLock = new();
    private TenantTemplate? _template;

    private Partition For(long tenantId) => _partitions.GetOrAdd(tenantId, static _ => new Partition());

    private bool TryGet(long tenantId, out Partition partition) => _partitions.TryGetValue(tenantId, out partition!);

    // ---- ITenantCommitStore

    public ValueTask CommitAsync(TenantCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Lease is { } lease)
        {
            // Fenced: the lease is checked and the batch applied under the lease table's lock, so a take-over cannot
            // slip in between the two.
            lock (_leaseGate)
            {
                if (!IsCurrent(lease))
                {
                    return ValueTask.FromException(new Cluster.KefuLeaseLostException(lease));
                }

                Apply(commit);
            }

            return ValueTask.CompletedTask;
        }

        Apply(commit);
        return ValueTask.CompletedTask;
    }

    private void Apply(TenantCommit commit)
    {
        var p = For(commit.TenantId);
        lock (p.Gate)
        {
            if (commit.Tenant is not null)
            {
                p.Tenant = commit.Tenant;
            }

            if (commit.Settings is not null)
            {
                p.Settings = commit.Settings;
            }

            foreach (var change in commit.DirectoryList)
            {
                if (change.Entity is null)
                {
                    p.Directory.Remove(change.Id);
                }
                else
                {
                    p.Directory[change.Id] = change.Entity;
                }
            }

            foreach (var visitor in commit.VisitorList)
            {
                p.Visitors[visitor.Id] = visitor;
            }

            foreach (var conversation in commit.ConversationList)
            {
                if (!p.Conversations.ContainsKey(conversation.Id))
                {
                    p.ConversationOrder.Add(conversation.Id);
                    if (!p.VisitorConversations.TryGetValue(conversation.VisitorId, out var list))
                    {
                        p.VisitorConversations[conversation.VisitorId] = list = [];
                    }

                    list.Add(conversation.Id);
                }

                p.Conversations[conversation.Id] = conversation;
            }

            foreach (var e in commit.EventList)
            {
                switch (e.PayloadCase)
                {
                    case KefuEvent.PayloadOneofCase.Message:
                        if (!p.Messages.TryGetValue(e.ConversationId, out var log))
                        {
                            p.Messages[e.ConversationId] = log = new MessageLog();
                        }

                        log.Add(e);
                        break;
                    case KefuEvent.PayloadOneofCase.MessageRecalled:
                        p.Recalled.Add(e.MessageRecalled.MessageId);
                        break;
                }

                if (commit.RecordsOutbox)
                {
                    p.Outbox.Enqueue(e);
                }

                p.LastSequence = e.Sequence;
            }
        }
    }

    // ---- IDirectoryStore

    public ValueTask<TenantSnapshot?> LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<TenantSnapshot?>(null);
        }

        lock (p.Gate)
        {
            if (p.Tenant is null)
            {
                return ValueTask.FromResult<TenantSnapshot?>(null);
            }

            return ValueTask.FromResult<TenantSnapshot?>(new TenantSnapshot
            {
                Tenant = p.Tenant,
                Settings = p.Settings ?? new TenantSettings(),
                Directory = [.. p.Directory.Values],
                LastEventSequence = p.LastSequence,
            });
        }
    }

    public ValueTask<Tenant?> GetTenantAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<Tenant?>(null);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult(p.Tenant);
        }
    }

    public ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        var tenants = new List<Tenant>();
        foreach (var p in _partitions.Values)
        {
            lock (p.Gate)
            {
                if (p.Tenant is not null)
                {
                    tenants.Add(p.Tenant);
                }
            }
        }

        tenants.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return ValueTask.FromResult<IReadOnlyList<Tenant>>(tenants);
    }

    public ValueTask<TenantTemplate?> GetTenantTemplateAsync(CancellationToken cancellationToken = default)
    {
        lock (_organisationLock)
        {
            return ValueTask.FromResult(_template);
        }
    }

    public ValueTask SaveTenantTemplateAsync(TenantTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        lock (_organisationLock)
        {
            _template = template;
        }

        return ValueTask.CompletedTask;
    }

    // ---- IConversationStore

    public ValueTask<Conversation?> GetConversationAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<Conversation?>(null);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult(p.Conversations.GetValueOrDefault(conversationId));
        }
    }

    public ValueTask<IReadOnlyList<Conversation>> ListOpenConversationsAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<IReadOnlyList<Conversation>>([]);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Conversation>>([.. p.ConversationOrder.Select(id => p.Conversations[id]).Where(c => !c.IsClosed)]);
        }
    }

    public ValueTask<Message?> GetMessageAsync(long tenantId, long conversationId, long messageId, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<Message?>(null);
        }

        lock (p.Gate)
        {
            if (p.Messages.TryGetValue(conversationId, out var log))
            {
                var index = log.IndexOf(messageId);
                if (index >= 0)
                {
                    return ValueTask.FromResult<Message?>(log.ToMessage(index, conversationId, p.Recalled));
                }
            }

            return ValueTask.FromResult<Message?>(null);
        }
    }

    public ValueTask<IReadOnlyList<Message>> GetMessagesAsync(long tenantId, long conversationId, long? beforeMessageId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<IReadOnlyList<Message>>([]);
        }

        lock (p.Gate)
        {
            if (!p.Messages.TryGetValue(conversationId, out var log))
            {
                return ValueTask.FromResult<IReadOnlyList<Message>>([]);
            }

            var end = beforeMessageId is null ? log.Count : log.IndexOf(beforeMessageId.Value) is var i && i >= 0 ? i : ~i;
            var start = Math.Max(0, end - limit);
            var page = new Message[end - start];
            for (var k = 0; k < page.Length; k++)
            {
                page[k] = log.ToMessage(start + k, conversationId, p.Recalled);
            }

            return ValueTask.FromResult<IReadOnlyList<Message>>(page);
        }
    }

    public ValueTask<IReadOnlyList<Message>> GetVisitorMessagesAsync(long tenantId, long visitorId, long? beforeMessageId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<IReadOnlyList<Message>>([]);
        }

        lock (p.Gate)
        {
            if (!p.VisitorConversations.TryGetValue(visitorId, out var conversations))
            {
                return ValueTask.FromResult<IReadOnlyList<Message>>([]);
            }

            var before = beforeMessageId ?? long.MaxValue;
            var page = conversations
                .Where(p.Messages.ContainsKey)
                .SelectMany(id => Enumerable.Range(0, p.Messages[id].Count).Select(index => (Conversation: id, Index: index, MessageId: p.Messages[id].IdAt(index))))
                .Where(x => x.MessageId < before)
                .OrderByDescending(x => x.MessageId)
                .Take(limit)
                .OrderBy(x => x.MessageId)
                .Select(x => p.Messages[x.Conversation].ToMessage(x.Index, x.Conversation, p.Recalled))
                .ToList();
            return ValueTask.FromResult<IReadOnlyList<Message>>(page);
        }
    }

    public ValueTask<Page<Conversation>> SearchConversationsAsync(long tenantId, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult(new Page<Conversation>([], 0, query.Offset));
        }

        lock (p.Gate)
        {
            var matches = new List<Conversation>();
            for (var i = p.ConversationOrder.Count - 1; i >= 0; i--)
            {
                var conversation = p.Conversations[p.ConversationOrder[i]];
                if (query.Matches(conversation) && (query.Text is not { } text || HasMessageContaining(p, conversation.Id, text)))
                {
                    matches.Add(conversation);
                }
            }

            return ValueTask.FromResult(new Page<Conversation>([.. matches.Skip(query.Offset).Take(query.PageSize)], matches.Count, query.Offset));
        }
    }

    private static bool HasMessageContaining(Partition p, long conversationId, string text)
        => p.Messages.TryGetValue(conversationId, out var log) && log.AnyTextContains(text, p.Recalled);

    public ValueTask<Visitor?> GetVisitorAsync(long tenantId, long visitorId, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<Visitor?>(null);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult(p.Visitors.GetValueOrDefault(visitorId));
        }
    }

    public ValueTask<Page<Visitor>> SearchVisitorsAsync(long tenantId, VisitorQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult(new Page<Visitor>([], 0, query.Offset));
        }

        lock (p.Gate)
        {
            var matches = p.Visitors.Values.Where(query.Matches).OrderByDescending(v => v.Id).ToList();
            return ValueTask.FromResult(new Page<Visitor>([.. matches.Skip(query.Offset).Take(query.PageSize)], matches.Count, query.Offset));
        }
    }

    // ---- IOutboxStore

    public ValueTask<IReadOnlyList<KefuEvent>> ReadPendingAsync(long tenantId, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<IReadOnlyList<KefuEvent>>([]);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<KefuEvent>>([.. p.Outbox.Where(e => e.Sequence > afterSequence).Take(max)]);
        }
    }

    public ValueTask MarkDispatchedAsync(long tenantId, long throughSequence, CancellationToken cancellationToken = default)
    {
        if (TryGet(tenantId, out var p))
        {
            lock (p.Gate)
            {
                while (p.Outbox.TryPeek(out var e) && e.Sequence <= throughSequence)
                {
                    p.Outbox.Dequeue();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    // ---- IConfigurationDocumentStore

    public ValueTask<ConfigurationDocument?> GetAsync(long tenantId, string kind, string key, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<ConfigurationDocument?>(null);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult(p.Documents.GetValueOrDefault((kind, key)));
        }
    }

    public ValueTask<IReadOnlyList<ConfigurationDocument>> ListAsync(long tenantId, string kind, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<IReadOnlyList<ConfigurationDocument>>([]);
        }

        lock (p.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<ConfigurationDocument>>(
                [.. p.Documents.Values.Where(d => d.Kind == kind).OrderBy(d => d.Key, StringComparer.Ordinal)]);
        }
    }

    public ValueTask<ConfigurationDocument> PutAsync(long tenantId, string kind, string key, string content, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Guard.Text(kind, 100, nameof(kind));
        Guard.Text(key, 200, nameof(key));
        ArgumentNullException.ThrowIfNull(content);
        var p = For(tenantId);
        lock (p.Gate)
        {
            var current = p.Documents.GetValueOrDefault((kind, key))?.Version ?? 0;
            if (current != expectedVersion)
            {
                throw new KefuException(KefuErrorKind.Concurrency, $"Document {kind}/{key} is at version {current}, not {expectedVersion}.");
            }

            var document = new ConfigurationDocument(tenantId, kind, key, current + 1, content, now);
            p.Documents[(kind, key)] = document;
            return ValueTask.FromResult(document);
        }
    }

    public ValueTask<bool> DeleteAsync(long tenantId, string kind, string key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult(false);
        }

        lock (p.Gate)
        {
            if (!p.Documents.TryGetValue((kind, key), out var document))
            {
                return ValueTask.FromResult(false);
            }

            if (document.Version != expectedVersion)
            {
                throw new KefuException(KefuErrorKind.Concurrency, $"Document {kind}/{key} is at version {document.Version}, not {expectedVersion}.");
            }

            p.Documents.Remove((kind, key));
            return ValueTask.FromResult(true);
        }
    }

    // ---- IAggregateStore

    public ValueTask<bool> ApplyAsync(long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(deltas);
        var p = For(tenantId);
        lock (p.Gate)
        {
            if (!p.AppliedEvents.Add((consumer, eventId)))
            {
                return ValueTask.FromResult(false);
            }

            var index = p.Aggregates;
            for (var i = 0; i < deltas.Count; i++)
            {
                index.Add(deltas[i]);
            }

            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<IReadOnlyList<AggregateCell>> QueryAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult<IReadOnlyList<AggregateCell>>([]);
        }

        lock (p.Gate)
        {
            if (p.Aggregates.Series(series, granularity) is not { } index)
            {
                return ValueTask.FromResult<IReadOnlyList<AggregateCell>>([]);
            }

            var start = from.UtcTicks;
            var end = to.UtcTicks;
            var result = new List<AggregateCell>();
            foreach (var (dimension, cells) in index.Dimensions)
            {
                for (var i = cells.LowerBound(start); i < cells.Length && cells.BucketTicks(i) < end; i++)
                {
                    result.Add(new AggregateCell(series, dimension, granularity, new DateTimeOffset(cells.BucketTicks(i), TimeSpan.Zero), cells.Count(i), cells.Sum(i), cells.Max(i)));
                }
            }

            result.Sort(static (a, b) =>
            {
                var byTime = a.BucketStart.UtcTicks.CompareTo(b.BucketStart.UtcTicks);
                return byTime != 0 ? byTime : string.CompareOrdinal(a.Dimension, b.Dimension);
            });
            return ValueTask.FromResult<IReadOnlyList<AggregateCell>>(result);
        }
    }

    public ValueTask<IReadOnlyList<AggregateCell>> QueryTotalsAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var totals = new AggregateTotals();
        FoldTotals(tenantId, series, granularity, from, to, totals);
        var result = new AggregateCell[totals.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new AggregateCell(series, totals.Dimensions[i], granularity, from, totals.Counts[i], totals.Sums[i], totals.Maxes[i]);
        }

        return ValueTask.FromResult<IReadOnlyList<AggregateCell>>(result);
    }

    public ValueTask FoldTotalsAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, AggregateTotals into, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(into);
        FoldTotals(tenantId, series, granularity, from, to, into);
        return ValueTask.CompletedTask;
    }

    private void FoldTotals(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, AggregateTotals into)
    {
        if (!TryGet(tenantId, out var p))
        {
            return;
        }

        lock (p.Gate)
        {
            if (p.Aggregates.Series(series, granularity) is not { } index || index.TryFold(granularity, from, to, into))
            {
                return;
            }

            var start = from.UtcTicks;
            var end = to.UtcTicks;
            into.EnsureRoom(index.Dimensions.Count);
            foreach (var (dimension, cells) in index.Dimensions)
            {
                var lo = cells.LowerBound(start);
                var hi = cells.LowerBound(end);
                if (hi > lo)
                {
                    var (count, sum, max) = cells.Fold(lo, hi);
                    into.Add(dimension, count, sum, max);
                }
            }
        }
    }

    // ---- IRetentionStore

    public ValueTask<RetentionPurge> PurgeClosedConversationsAsync(long tenantId, DateTimeOffset closedBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (!TryGet(tenantId, out var p))
        {
            return ValueTask.FromResult(default(RetentionPurge));
        }

        lock (p.Gate)
        {
            var expired = new HashSet<long>();
            var messages = 0;
            foreach (var id in p.ConversationOrder)
            {
                var conversation = p.Conversations[id];
                if (conversation.CreatedAt >= closedBefore || expired.Count == max)
                {
                    break;
                }

                if (conversation.ClosedAt is { } closedAt && closedAt < closedBefore)
                {
                    expired.Add(id);
                }
            }

            if (expired.Count == 0)
            {
                return ValueTask.FromResult(default(RetentionPurge));
            }

            foreach (var id in expired)
            {
                var conversation = p.Conversations[id];
                p.Conversations.Remove(id);
                if (p.VisitorConversations.TryGetValue(conversation.VisitorId, out var ofVisitor))
                {
                    ofVisitor.Remove(id);
                }

                if (p.Messages.Remove(id, out var log))
                {
                    messages += log.Count;
                    for (var i = 0; i < log.Count; i++)
                    {
                        p.Recalled.Remove(log.IdAt(i));
                    }
                }
            }

            p.ConversationOrder.RemoveAll(expired.Contains);
            return ValueTask.FromResult(new RetentionPurge(expired.Count, messages));
        }
    }

    private sealed class Partition
    {
        public readonly Lock Gate = new();
        public Tenant? Tenant;
        public TenantSettings? Settings;
        public long LastSequence;
        public readonly Dictionary<long, IDirectoryEntity> Directory = [];
        public readonly Dictionary<long, Visitor> Visitors = [];
        public readonly Dictionary<long, Conversation> Conversations = [];
        public readonly List<long> ConversationOrder = [];
        public readonly Dictionary<long, List<long>> VisitorConversations = [];
        public readonly Dictionary<long, MessageLog> Messages = [];
        public readonly HashSet<long> Recalled = [];
        public readonly Queue<KefuEvent> Outbox = new();
        public readonly Dictionary<(string Kind, string Key), ConfigurationDocument> Documents = [];
        public readonly HashSet<(string Consumer, long EventId)> AppliedEvents = [];
        // Each series' cells by dimension, each dimension's in time order: a query reads only its own series.
        public readonly AggregateIndex Aggregates = new();
    }
}
