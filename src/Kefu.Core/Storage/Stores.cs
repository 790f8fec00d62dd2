using Kefu.Events;
using Kefu.Model;

namespace Kefu.Storage;

/// <summary>Commits the batches of the tenants' workers: state and outbox in one transaction (the write side).</summary>
public interface ITenantCommitStore
{
    /// <summary>Applies a batch atomically. When this throws, nothing of the batch is stored.</summary>
    ValueTask CommitAsync(TenantCommit commit, CancellationToken cancellationToken = default);
}

/// <summary>Directory and settings: tenants, the organisation's tenant template, and what a tenant's worker loads.</summary>
public interface IDirectoryStore
{
    /// <summary>Loads a tenant's directory and settings, or null when the tenant does not exist.</summary>
    ValueTask<TenantSnapshot?> LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>A tenant, or null when it does not exist: a cheap existence check.</summary>
    ValueTask<Tenant?> GetTenantAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Every tenant, oldest first.</summary>
    ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>The organisation's template for new tenants, or null when never saved.</summary>
    ValueTask<TenantTemplate?> GetTenantTemplateAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the organisation's template for new tenants.</summary>
    ValueTask SaveTenantTemplateAsync(TenantTemplate template, CancellationToken cancellationToken = default);
}

/// <summary>A page of results.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="Total">How many items match in all.</param>
/// <param name="Offset">The offset of the first item.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset)
{
    /// <summary>Whether more items follow this page.</summary>
    public bool HasMore => Offset + Items.Count < Total;
}

/// <summary>History search (C18, IS 5.6): every filter is optional; results are newest first.</summary>
public sealed record HistoryQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The longest <see cref="Text"/>, in characters.</summary>
    public const int MaxTextLength = 100;

    /// <summary>One conversation by id (会话编号).</summary>
    public long? ConversationId { get; init; }
    /// <summary>Created at or after.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>Created before.</summary>
    public DateTimeOffset? To { get; init; }
    /// <summary>Only open (false) or only closed (true) conversations (话务状态).</summary>
    public bool? Closed { get; init; }
    /// <summary>Rated with this level (评价类型); 0 for unrated.</summary>
    public int? RatingLevel { get; init; }
    /// <summary>Wrapped up with this problem type (问题类型).</summary>
    public long? ProblemTypeId { get; init; }
    /// <summary>From this channel kind.</summary>
    public ChannelKind? ChannelKind { get; init; }
    /// <summary>Served by this agent.</summary>
    public long? AgentId { get; init; }
    /// <summary>Of this visitor.</summary>
    public long? VisitorId { get; init; }
    /// <summary>
    /// With at least one message, not recalled, whose text contains this (消息内容): a substring, so Chinese matches
    /// anywhere in a message; Latin letters A–Z match in either case (whether other letters do depends on the store:
    /// SQLite compares them exactly). <c>%</c>, <c>_</c> and every other character are taken literally.
    /// <value>Trimmed when set; 1–100 characters (<see cref="MaxTextLength"/>).</value>
    /// </summary>
    public string? Text { get; init => field = value?.Trim(); }
    /// <summary>Items to skip.</summary>
    public int Offset { get; init; }
    /// <summary>Page size. <value>Default 20; 1–100.</value></summary>
    public int PageSize { get; init; } = 20;

    /// <summary>
    /// Whether a conversation matches every filter on its own fields: all but <see cref="Text"/>, which the store
    /// checks against the conversation's messages.
    /// </summary>
    public bool Matches(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return (ConversationId is null || conversation.Id == ConversationId)
            && (From is null || conversation.CreatedAt >= From)
            && (To is null || conversation.CreatedAt < To)
            && (Closed is null || conversation.IsClosed == Closed)
            && (RatingLevel is null || (conversation.Rating?.Level ?? 0) == RatingLevel)
            && (ProblemTypeId is null || conversation.WrapUp?.ProblemTypeId == ProblemTypeId)
            && (ChannelKind is null || conversation.ChannelKind == ChannelKind)
            && (AgentId is null || conversation.AgentId == AgentId)
            && (VisitorId is null || conversation.VisitorId == VisitorId);
    }

    internal void Validate()
    {
        Guard.Range(PageSize, 1, MaxPageSize, nameof(PageSize));
        if (Offset < 0)
        {
            throw new KefuValidationException(nameof(Offset), "0 or more");
        }

        if (From is not null && To is not null && From > To)
        {
            throw new KefuValidationException(nameof(To), "later than From");
        }

        if (Text is not null)
        {
            Guard.Length(Text, 1, MaxTextLength, nameof(Text));
        }
    }
}

/// <summary>Visitor search (IS 6.1): by name, phone or e-mail, each a case-insensitive substring; results newest first.</summary>
public sealed record VisitorQuery
{
    /// <summary>Part of the name or nickname.</summary>
    public string? Name { get; init; }
    /// <summary>Part of the phone number.</summary>
    public string? Phone { get; init; }
    /// <summary>Part of the e-mail address.</summary>
    public string? Email { get; init; }
    /// <summary>Items to skip.</summary>
    public int Offset { get; init; }
    /// <summary>Page size. <value>Default 10; 1–100.</value></summary>
    public int PageSize { get; init; } = 10;

    /// <summary>Whether a visitor matches every filter.</summary>
    public bool Matches(Visitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return (Name is null || Contains(visitor.Name, Name) || Contains(visitor.Nickname, Name))
            && (Phone is null || Contains(visitor.Phone, Phone))
            && (Email is null || Contains(visitor.Email, Email));

        static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);
    }

    internal void Validate()
    {
        Guard.Range(PageSize, 1, 100, nameof(PageSize));
        if (Offset < 0)
        {
            throw new KefuValidationException(nameof(Offset), "0 or more");
        }
    }
}

/// <summary>Conversations, messages and visitors: what the worker commits and what history reads.</summary>
public interface IConversationStore
{
    /// <summary>A conversation, or null.</summary>
    ValueTask<Conversation?> GetConversationAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Conversations of the tenant that are not closed.</summary>
    ValueTask<IReadOnlyList<Conversation>> ListOpenConversationsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>A message, or null.</summary>
    ValueTask<Message?> GetMessageAsync(long tenantId, long conversationId, long messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> messages of a conversation older than <paramref name="beforeMessageId"/>
    /// (all when null), returned oldest first: the page just before the given message.
    /// </summary>
    ValueTask<IReadOnlyList<Message>> GetMessagesAsync(long tenantId, long conversationId, long? beforeMessageId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="GetMessagesAsync"/>, across all of a visitor's conversations (IS 5.4.4).</summary>
    ValueTask<IReadOnlyList<Message>> GetVisitorMessagesAsync(long tenantId, long visitorId, long? beforeMessageId, int limit, CancellationToken cancellationToken = default);

    /// <summary>History search, newest first: every filter of the query, <see cref="HistoryQuery.Text"/> included.</summary>
    ValueTask<Page<Conversation>> SearchConversationsAsync(long tenantId, HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>A visitor, or null.</summary>
    ValueTask<Visitor?> GetVisitorAsync(long tenantId, long visitorId, CancellationToken cancellationToken = default);

    /// <summary>Visitor search, newest first.</summary>
    ValueTask<Page<Visitor>> SearchVisitorsAsync(long tenantId, VisitorQuery query, CancellationToken cancellationToken = default);
}

/// <summary>The outbox: events committed with their batch and not yet handed on.</summary>
public interface IOutboxStore
{
    /// <summary>Up to <paramref name="max"/> undispatched events of a tenant with a sequence above <paramref name="afterSequence"/>, in order.</summary>
    ValueTask<IReadOnlyList<KefuEvent>> ReadPendingAsync(long tenantId, long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>Marks a tenant's events up to and including <paramref name="throughSequence"/> as dispatched.</summary>
    ValueTask MarkDispatchedAsync(long tenantId, long throughSequence, CancellationToken cancellationToken = default);
}

/// <summary>A versioned configuration document an engine keeps (routing rules, robots, word lists, report definitions).</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Kind">The kind of document, for example <c>routing.rules</c>.</param>
/// <param name="Key">The document's key within its kind.</param>
/// <param name="Version">1 for the first version; each put adds one.</param>
/// <param name="Content">The document (JSON, as the engine writes it).</param>
/// <param name="UpdatedAt">When this version was written.</param>
public sealed record ConfigurationDocument(long TenantId, string Kind, string Key, long Version, string Content, DateTimeOffset UpdatedAt);

/// <summary>Configuration documents with optimistic concurrency.</summary>
public interface IConfigurationDocumentStore
{
    /// <summary>The current version of a document, or null.</summary>
    ValueTask<ConfigurationDocument?> GetAsync(long tenantId, string kind, string key, CancellationToken cancellationToken = default);

    /// <summary>Every document of a kind, by key.</summary>
    ValueTask<IReadOnlyList<ConfigurationDocument>> ListAsync(long tenantId, string kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a new version. <paramref name="expectedVersion"/> is the version read before (0 for a new document);
    /// when the stored version differs a <see cref="KefuException"/> of kind <see cref="KefuErrorKind.Concurrency"/> is thrown
    /// and nothing is written. Returns the stored document.
    /// </summary>
    ValueTask<ConfigurationDocument> PutAsync(long tenantId, string kind, string key, string content, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document if its version is <paramref name="expectedVersion"/>; false when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(long tenantId, string kind, string key, long expectedVersion, CancellationToken cancellationToken = default);
}

/// <summary>The width of an aggregate's time bucket.</summary>
public enum BucketGranularity
{
    /// <summary>One minute.</summary>
    Minute,
    /// <summary>One hour.</summary>
    Hour,
    /// <summary>One day (UTC).</summary>
    Day,
}

/// <summary>An addition to one time-bucketed aggregate cell.</summary>
/// <param name="Series">The metric series, for example <c>conversations.duration</c>.</param>
/// <param name="Dimension">The dimension value, for example <c>agent:42</c>; empty for the total.</param>
/// <param name="Granularity">The bucket width.</param>
/// <param name="BucketStart">The start of the bucket.</param>
/// <param name="Count">Observations to add.</param>
/// <param name="Sum">Sum to add.</param>
/// <param name="Max">A maximum to merge.</param>
public readonly record struct AggregateDelta(string Series, string Dimension, BucketGranularity Granularity, DateTimeOffset BucketStart, long Count, double Sum, double Max);

/// <summary>One aggregate cell.</summary>
/// <param name="Series">The metric series.</param>
/// <param name="Dimension">The dimension value.</param>
/// <param name="Granularity">The bucket width.</param>
/// <param name="BucketStart">The start of the bucket, as an instant: stores may return it in UTC or in the offset it was written with.</param>
/// <param name="Count">Observations.</param>
/// <param name="Sum">Sum of the observations.</param>
/// <param name="Max">Largest observation.</param>
public sealed record AggregateCell(string Series, string Dimension, BucketGranularity Granularity, DateTimeOffset BucketStart, long Count, double Sum, double Max);

/// <summary>The aggregate deltas of one event, for <see cref="IAggregateStore.ApplyManyAsync"/>.</summary>
/// <param name="EventId">The event's id: applied once per consumer.</param>
/// <param name="Deltas">What the event adds.</param>
public sealed record AggregateEventDeltas(long EventId, IReadOnlyList<AggregateDelta> Deltas);

/// <summary>Time-bucketed aggregates that reporting and the voice of the customer read, idempotent by event id.</summary>
public interface IAggregateStore
{
    /// <summary>
    /// Adds the deltas of one event for a consumer, once: when <paramref name="consumer"/> already applied
    /// <paramref name="eventId"/>, nothing changes and false is returned.
    /// </summary>
    ValueTask<bool> ApplyAsync(long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the deltas of several events of one consumer, each once as <see cref="ApplyAsync"/> does, in one write: a
    /// sink that handles a batch of events pays one transaction, not one per event. Returns how many events were new.
    /// The default applies them one by one; stores with transactions override it.
    /// </summary>
    async ValueTask<int> ApplyManyAsync(long tenantId, string consumer, IReadOnlyList<AggregateEventDeltas> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var applied = 0;
        foreach (var e in events)
        {
            if (await ApplyAsync(tenantId, consumer, e.EventId, e.Deltas, cancellationToken).ConfigureAwait(false))
            {
                applied++;
            }
        }

        return applied;
    }

    /// <summary>The cells of a series in [<paramref name="from"/>, <paramref name="to"/>), every dimension, ordered by bucket.</summary>
    ValueTask<IReadOnlyList<AggregateCell>> QueryAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

/// <summary>
/// Optional for an <see cref="IAggregateStore"/>: a series' cells folded over a period, one cell per dimension, so a
/// report over a long period reads one value per dimension instead of one per bucket. Readers use it when the store
/// implements it and read <see cref="IAggregateStore.QueryAsync"/> otherwise; both give the same numbers.
/// </summary>
public interface IAggregateTotalsStore
{
    /// <summary>
    /// For each dimension with cells of <paramref name="series"/> at <paramref name="granularity"/> in
    /// [<paramref name="from"/>, <paramref name="to"/>), one cell: the counts and sums added, the largest maximum,
    /// <see cref="AggregateCell.BucketStart"/> <paramref name="from"/>. In no particular order.
    /// </summary>
    ValueTask<IReadOnlyList<AggregateCell>> QueryTotalsAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same totals as <see cref="QueryTotalsAsync"/>, added to <paramref name="into"/> column by column instead
    /// of as one <see cref="AggregateCell"/> each (what is already in <paramref name="into"/> stays). The default
    /// copies <see cref="QueryTotalsAsync"/>'s cells; the in-memory store writes them directly.
    /// </summary>
    async ValueTask FoldTotalsAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, AggregateTotals into, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(into);
        var cells = await QueryTotalsAsync(tenantId, series, granularity, from, to, cancellationToken).ConfigureAwait(false);
        into.EnsureRoom(cells.Count);
        foreach (var cell in cells)
        {
            into.Add(cell.Dimension, cell.Count, cell.Sum, cell.Max);
        }
    }
}
