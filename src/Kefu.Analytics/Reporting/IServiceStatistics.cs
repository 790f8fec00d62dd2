using Kefu.Events;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// One day's service figures (IS 7.1 今日大盘, 7.2 数据日报). Closed conversations come from the aggregates; open
/// ones are added from the conversation store, so today's figures move as conversations arrive.
/// </summary>
/// <param name="Day">The day in the tenant's offset.</param>
/// <param name="Visits">总访问量: conversations created.</param>
/// <param name="Visitors">总访客量: distinct visitors with a conversation created.</param>
/// <param name="ConversationsAccepted">会话接入总量: conversations picked up by an agent.</param>
/// <param name="VisitorsAccepted">会话接入人数: distinct visitors among them.</param>
/// <param name="NotAccepted">未接入会话量: conversations created that closed without an agent.</param>
/// <param name="QueueAbandoned">排队放弃量: conversations closed while waiting in a queue.</param>
/// <param name="AgentsServing">Agents who picked up at least one conversation.</param>
/// <param name="PerAgentLoad">人均接待量: conversations accepted ÷ agents serving, null when none served.</param>
/// <param name="FirstResponseAverage">平均首次响应时间 in seconds, null without observations.</param>
/// <param name="DurationAverage">平均会话时长 in seconds (closed conversations), null without observations.</param>
/// <param name="PositiveRatingShare">好评率: ratings of 4 or more on the 1–5 scale ÷ ratings, null without ratings.</param>
public sealed record DayFigures(
    DateOnly Day,
    long Visits,
    long Visitors,
    long ConversationsAccepted,
    long VisitorsAccepted,
    long NotAccepted,
    long QueueAbandoned,
    long AgentsServing,
    double? PerAgentLoad,
    double? FirstResponseAverage,
    double? DurationAverage,
    double? PositiveRatingShare);

/// <summary>Today's dashboard (IS 7.1): live counts, the figures since midnight and the two-week trend.</summary>
/// <param name="At">When it was computed.</param>
/// <param name="InService">咨询中人数: conversations an agent is serving now.</param>
/// <param name="Queued">排队人数: conversations waiting in a queue now.</param>
/// <param name="Today">The figures since the tenant's midnight.</param>
/// <param name="Trend">The last 14 days, today included, oldest first.</param>
public sealed record TodayDashboard(DateTimeOffset At, int InService, int Queued, DayFigures Today, IReadOnlyList<DayFigures> Trend);

/// <summary>One agent's workload over a period (CC 客服的工作量详情), by pick-up time.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Name">The agent's nickname or name, null when the agent was deleted.</param>
/// <param name="Conversations">会话数: conversations picked up (and closed).</param>
/// <param name="Messages">消息数: their visitor and agent messages.</param>
/// <param name="DurationAverage">会话时长 average in seconds, 0 without conversations.</param>
/// <param name="DurationMax">会话时长 maximum in seconds.</param>
/// <param name="MessagesPerConversationAverage">单会话消息数 average.</param>
/// <param name="MessagesPerConversationMax">单会话消息数 maximum.</param>
public sealed record AgentWorkload(long AgentId, string? Name, long Conversations, long Messages, double DurationAverage, double DurationMax, double MessagesPerConversationAverage, double MessagesPerConversationMax);

/// <summary>Distinct visitors of one channel kind (CC 访客统计详情).</summary>
/// <param name="ChannelKind">The channel kind.</param>
/// <param name="Visitors">独立访客数 over the period.</param>
/// <param name="Share">占比: its visitors ÷ the sum over channel kinds (a visitor who came by two kinds counts under each, so the shares add up to 1).</param>
public sealed record ChannelVisitors(ChannelKind ChannelKind, long Visitors, double Share);

/// <summary>Distinct visitors of one channel kind on one day (the trend chart).</summary>
/// <param name="Day">The day.</param>
/// <param name="ChannelKind">The channel kind.</param>
/// <param name="Visitors">Distinct visitors that day.</param>
public sealed record ChannelDay(DateOnly Day, ChannelKind ChannelKind, long Visitors);

/// <summary>Visitors by channel over a period (P4): the table and the daily trend.</summary>
/// <param name="Visitors">Distinct visitors over the period, every channel together.</param>
/// <param name="Channels">Per channel kind, most visitors first.</param>
/// <param name="Trend">Per day and channel kind, oldest first.</param>
public sealed record VisitorStatistics(long Visitors, IReadOnlyList<ChannelVisitors> Channels, IReadOnlyList<ChannelDay> Trend);

/// <summary>Which tenants a multi-tenant roll-up lists (E17 3.8): a period, tenant ids and thresholds on the averages.</summary>
public sealed record TenantSummaryQuery
{
    /// <summary>The first day (UTC).</summary>
    public required DateOnly From { get; init; }
    /// <summary>The last day (UTC), included; at most 90 days after <see cref="From"/>.</summary>
    public required DateOnly To { get; init; }
    /// <summary>Only these tenants; every tenant when null.</summary>
    public IReadOnlyList<long>? TenantIds { get; init; }
    /// <summary>Only tenants whose average duration (seconds) is at least this.</summary>
    public double? MinDurationAverage { get; init; }
    /// <summary>Only tenants whose average duration (seconds) is at most this.</summary>
    public double? MaxDurationAverage { get; init; }
    /// <summary>Only tenants whose average first response (seconds) is at most this.</summary>
    public double? MaxFirstResponseAverage { get; init; }
    /// <summary>Only tenants whose average response (seconds) is at most this.</summary>
    public double? MaxResponseAverage { get; init; }
    /// <summary>Only tenants whose average satisfaction (1–5) is at least this.</summary>
    public double? MinSatisfactionAverage { get; init; }
}

/// <summary>One tenant's figures in a multi-tenant roll-up (E17 3.7, 3.8): workload, quality and unique visitors.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Name">Its name.</param>
/// <param name="Conversations">Conversations picked up.</param>
/// <param name="Messages">Their visitor and agent messages.</param>
/// <param name="UniqueVisitors">Distinct visitors with a conversation created.</param>
/// <param name="DurationAverage">Average duration in seconds, null without conversations.</param>
/// <param name="FirstResponseAverage">Average first response in seconds.</param>
/// <param name="ResponseAverage">Average response in seconds.</param>
/// <param name="SatisfactionAverage">Average satisfaction on 1–5.</param>
public sealed record TenantSummary(long TenantId, string Name, long Conversations, long Messages, long UniqueVisitors, double? DurationAverage, double? FirstResponseAverage, double? ResponseAverage, double? SatisfactionAverage);

/// <summary>
/// The fixed statistics pages over the reporting aggregates: today's dashboard and daily report (P2, IS 7), agent
/// workload (P3, CC), visitors by channel and multi-tenant roll-ups (P4, CC, E17 3.8). Days are in the tenant's
/// offset from UTC, whole hours from −12 to +14; periods are at most 90 days.
/// </summary>
public interface IServiceStatistics
{
    /// <summary>Today's dashboard: live in-service and queued counts, the figures since midnight and the last 14 days.</summary>
    ValueTask<TodayDashboard> GetTodayAsync(long tenantId, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>The daily report: one <see cref="DayFigures"/> per day from <paramref name="from"/> to <paramref name="to"/> included.</summary>
    /// <exception cref="KefuValidationException">The period is longer than 90 days or reversed, or the offset is not whole hours in range.</exception>
    ValueTask<IReadOnlyList<DayFigures>> GetDailyAsync(long tenantId, DateOnly from, DateOnly to, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Every agent's workload over the days, including agents with none, most conversations first.</summary>
    ValueTask<IReadOnlyList<AgentWorkload>> GetWorkloadAsync(long tenantId, DateOnly from, DateOnly to, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Distinct visitors by channel kind with their shares and the daily trend, optionally of one association (关联).</summary>
    ValueTask<VisitorStatistics> GetVisitorsByChannelAsync(long tenantId, DateOnly from, DateOnly to, long? associationId = null, TimeSpan utcOffset = default, CancellationToken cancellationToken = default);

    /// <summary>Every tenant's figures that pass the query's filters, by tenant id.</summary>
    ValueTask<IReadOnlyList<TenantSummary>> GetTenantSummariesAsync(TenantSummaryQuery query, CancellationToken cancellationToken = default);
}
