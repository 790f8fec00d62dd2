using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Routing;

/// <summary>Reads of the call centre (R10) and video service (R11) for the agent's and the supervisor's screens.</summary>
public interface ICallCenter
{
    /// <summary>The agent's most recent calls, newest first (R10: the 5 most recent by default; 1–100).</summary>
    ValueTask<IReadOnlyList<Conversation>> RecentCallsAsync(long tenantId, long agentId, int count = 5, CancellationToken cancellationToken = default);

    /// <summary>The video calls created in the last <paramref name="within"/> (R11: 24 hours by default), newest first, at most 100.</summary>
    ValueTask<IReadOnlyList<Conversation>> RecentVideoCallsAsync(long tenantId, TimeSpan? within = null, CancellationToken cancellationToken = default);

    /// <summary>How many voice or video conversations wait in each skill group's queue now (R11: queue counts per group).</summary>
    ValueTask<IReadOnlyDictionary<long, int>> QueuedByGroupAsync(long tenantId, MediaKind media, CancellationToken cancellationToken = default);
}

/// <summary>The call-centre reads over Core's history and queues.</summary>
public sealed class CallCenter(IKefuHistory history, IKefuConversations conversations, TimeProvider time) : ICallCenter
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Conversation>> RecentCallsAsync(long tenantId, long agentId, int count = 5, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > HistoryQuery.MaxPageSize)
        {
            throw new KefuValidationException(nameof(count), $"1–{HistoryQuery.MaxPageSize}");
        }

        var page = await history.SearchAsync(tenantId, new HistoryQuery { AgentId = agentId, ChannelKind = ChannelKind.Phone, PageSize = count }, cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Conversation>> RecentVideoCallsAsync(long tenantId, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var span = within ?? TimeSpan.FromHours(24);
        if (span <= TimeSpan.Zero || span > TimeSpan.FromDays(31))
        {
            throw new KefuValidationException(nameof(within), "more than zero and at most 31 days");
        }

        var page = await history.SearchAsync(tenantId, new HistoryQuery
        {
            ChannelKind = ChannelKind.Video,
            From = time.GetUtcNow() - span,
            PageSize = HistoryQuery.MaxPageSize,
        }, cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<long, int>> QueuedByGroupAsync(long tenantId, MediaKind media, CancellationToken cancellationToken = default)
    {
        var queue = await conversations.GetQueueAsync(tenantId, null, cancellationToken).ConfigureAwait(false);
        return queue.Where(q => q.Media == media && q.GroupId is not null).GroupBy(q => q.GroupId!.Value).ToDictionary(g => g.Key, g => g.Count());
    }
}
