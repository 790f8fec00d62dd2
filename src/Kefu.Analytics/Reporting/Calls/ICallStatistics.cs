using Kefu.Routing;

namespace Kefu.Analytics.Reporting.Calls;

/// <summary>会话类型 of a call: whether the visitor called (inbound) or an agent invited the visitor (proactive, C19).</summary>
public enum CallConversationType
{
    /// <summary>The visitor started the call.</summary>
    Inbound,
    /// <summary>An agent invited the visitor (主动发起).</summary>
    Proactive,
}

/// <summary>
/// A query of the call or video statistics by time of day (E86 视频统计 分时段统计, P5): one row per hour (24 slots)
/// or half-hour (48 slots) of the tenant's day, summed over the days asked for.
/// </summary>
public sealed record CallSlotQuery
{
    /// <summary>The longest period, in days, both ends included.</summary>
    public const int MaxDays = 90;

    /// <summary>Voice calls (call centre) or video calls. Chat is refused.</summary>
    public MediaKind Media { get; init; } = MediaKind.Video;

    /// <summary>One day in the tenant's offset (日期); set this or <see cref="From"/> and <see cref="To"/>.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>The first day of a period, in the tenant's offset.</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last day of a period, included; at most <see cref="MaxDays"/> days from <see cref="From"/>.</summary>
    public DateOnly? To { get; init; }

    /// <summary>24 (hours) or 48 (half-hours).</summary>
    public int Slots { get; init; } = 24;

    /// <summary>渠道: only calls that came through this channel (channel id).</summary>
    public long? ChannelId { get; init; }

    /// <summary>关联: only calls of this association.</summary>
    public long? AssociationId { get; init; }

    /// <summary>会话类型: only inbound or only proactive calls.</summary>
    public CallConversationType? ConversationType { get; init; }

    /// <summary>技能组: only calls whose skill group was this one when they ended.</summary>
    public long? GroupId { get; init; }

    /// <summary>The tenant's offset from UTC: a whole number of half-hours between −14:00 and +14:00.</summary>
    public TimeSpan UtcOffset { get; init; }
}

/// <summary>
/// One time slot of the call or video statistics (E86 分时段统计项). Every observation of a call is in the slot of its
/// request (the conversation's creation), recorded once the call has ended, so the rates of a slot stay between 0
/// and 1. Times are seconds; averages are null when nothing was observed, maxima 0.
/// </summary>
/// <param name="Slot">The slot, 0 to 23 or 0 to 47.</param>
/// <param name="Start">The slot's start, in the tenant's offset.</param>
/// <param name="Requests">视频请求量 / 请求量: calls requested (every call that ended, connected or not).</param>
/// <param name="Connected">视频通话量: calls an agent picked up.</param>
/// <param name="ConnectRate">视频接通率: <paramref name="Connected"/> ÷ <paramref name="Requests"/>.</param>
/// <param name="Abandoned">视频放弃量: calls the visitor ended before any agent picked up.</param>
/// <param name="AbandonRate">视频放弃率: <paramref name="Abandoned"/> ÷ <paramref name="Requests"/>.</param>
/// <param name="WaitAverage">平均等待时长: pick-up − request, averaged over the connected calls.</param>
/// <param name="WaitMax">最大等待时长.</param>
/// <param name="ResponseAverage">平均响应时长: pick-up − the ring (offer) at the agent who picked up, over connected calls that rang.</param>
/// <param name="ResponseMax">最大响应时长.</param>
/// <param name="AbandonWaitAverage">平均放弃等待时长: hang-up − request of the abandoned calls.</param>
/// <param name="AbandonWaitMax">最大放弃等待时长.</param>
/// <param name="TalkAverage">平均通话时长: end − pick-up, over connected calls.</param>
/// <param name="TalkTotal">通话时长: the sum of end − pick-up.</param>
/// <param name="AnsweredWithin10Seconds">10秒应答量: connected calls whose response (the wait when it never rang) was 10 s or less.</param>
/// <param name="AnsweredAfter10Seconds">10秒以上应答量: the other connected calls.</param>
/// <param name="AbandonedWithin10Seconds">10秒放弃量: abandoned calls whose abandon wait was 10 s or less.</param>
/// <param name="AbandonedAfter10Seconds">10秒以上放弃量: the other abandoned calls.</param>
public sealed record CallSlotRow(
    int Slot,
    TimeOnly Start,
    long Requests,
    long Connected,
    double? ConnectRate,
    long Abandoned,
    double? AbandonRate,
    double? WaitAverage,
    double WaitMax,
    double? ResponseAverage,
    double ResponseMax,
    double? AbandonWaitAverage,
    double AbandonWaitMax,
    double? TalkAverage,
    double TalkTotal,
    long AnsweredWithin10Seconds,
    long AnsweredAfter10Seconds,
    long AbandonedWithin10Seconds,
    long AbandonedAfter10Seconds);

/// <summary>A query of the agents' call or video workload (E86 客服工作量, P6) over a period.</summary>
public sealed record CallWorkloadQuery
{
    /// <summary>The longest period, in days.</summary>
    public const int MaxDays = 90;

    /// <summary>Voice calls or video calls. Chat is refused.</summary>
    public MediaKind Media { get; init; } = MediaKind.Video;

    /// <summary>The start of the period: a whole half-hour.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>The end of the period, excluded: a whole half-hour after <see cref="From"/>, at most <see cref="MaxDays"/> days later.</summary>
    public DateTimeOffset To { get; init; }

    /// <summary>坐席: only this agent.</summary>
    public long? AgentId { get; init; }

    /// <summary>
    /// 技能组: the call figures count only calls of this group, and the rows are the group's current members plus
    /// the agents who had calls of the group; presence figures (login, not ready) are the agents' own.
    /// </summary>
    public long? GroupId { get; init; }

    /// <summary>渠道: the call figures count only calls of this channel (channel id).</summary>
    public long? ChannelId { get; init; }

    /// <summary>关联: the call figures count only calls of this association.</summary>
    public long? AssociationId { get; init; }

    /// <summary>会话类型: the call figures count only inbound or only proactive calls.</summary>
    public CallConversationType? ConversationType { get; init; }
}

/// <summary>
/// One agent's call or video workload over a period (E86 客服工作量统计项). Times are seconds; averages are null when
/// their denominator is 0. Call figures are in the period of the call's request; presence figures (login, not ready)
/// are the parts of the intervals inside the period, the interval still open now included.
/// </summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Name">The agent's nickname or name, null when the agent was deleted.</param>
/// <param name="CustomerEnded">客户主动结束量: connected calls the visitor ended first.</param>
/// <param name="LoginTime">登录时长: time the agent's voice or video presence was not offline.</param>
/// <param name="TalkTime">通话时长: end − pick-up of the agent's calls.</param>
/// <param name="TalkAverage">平均通话时长: <paramref name="TalkTime"/> ÷ <paramref name="Connected"/>.</param>
/// <param name="VisitorWait">访客等待时长: pick-up − request of the agent's calls.</param>
/// <param name="VisitorWaitAverage">平均访客等待时长: <paramref name="VisitorWait"/> ÷ <paramref name="Connected"/>.</param>
/// <param name="AgentResponse">坐席响应时长: pick-up − ring of the agent's calls that rang.</param>
/// <param name="AgentResponseAverage">平均坐席响应时长: <paramref name="AgentResponse"/> ÷ the calls that rang before pick-up.</param>
/// <param name="Requests">视频请求量: calls offered (rung) to the agent, answered or not.</param>
/// <param name="ProactiveInvites">主动发起量: calls the agent started by inviting the visitor.</param>
/// <param name="Connected">视频通话量: the agent's connected calls.</param>
/// <param name="AgentEnded">坐席主动结束量: connected calls the agent ended first.</param>
/// <param name="NotReadyCount">未就绪次数: changes into away, invisible or busy (busy the agent chose; not the busy a call sets).</param>
/// <param name="NotReadyTime">未就绪时长: time away, invisible or busy by choice.</param>
/// <param name="NotReadyAverage">平均未就绪时长: <paramref name="NotReadyTime"/> ÷ <paramref name="NotReadyCount"/>.</param>
/// <param name="AfterCallWork">视频话后处理时长: from each call's end to the agent's next call ringing or connecting (or going offline).</param>
/// <param name="AfterCallWorkAverage">平均话后处理时长: <paramref name="AfterCallWork"/> ÷ <paramref name="Connected"/>.</param>
/// <param name="Workload">工作负荷: <paramref name="TalkTime"/> ÷ <paramref name="LoginTime"/>.</param>
public sealed record CallAgentWorkload(
    long AgentId,
    string? Name,
    long CustomerEnded,
    double LoginTime,
    double TalkTime,
    double? TalkAverage,
    double VisitorWait,
    double? VisitorWaitAverage,
    double AgentResponse,
    double? AgentResponseAverage,
    long Requests,
    long ProactiveInvites,
    long Connected,
    long AgentEnded,
    long NotReadyCount,
    double NotReadyTime,
    double? NotReadyAverage,
    double AfterCallWork,
    double? AfterCallWorkAverage,
    double? Workload);

/// <summary>Call-centre and video statistics (E86 视频统计, P5 and P6), answered from aggregates.</summary>
public interface ICallStatistics
{
    /// <summary>The figures per hour or half-hour of the day (P5); always <see cref="CallSlotQuery.Slots"/> rows, in order.</summary>
    ValueTask<IReadOnlyList<CallSlotRow>> GetSlotsAsync(long tenantId, CallSlotQuery query, CancellationToken cancellationToken = default);

    /// <summary>The workload per agent (P6), by agent id; agents without any figure in the period are left out.</summary>
    ValueTask<IReadOnlyList<CallAgentWorkload>> GetAgentWorkloadAsync(long tenantId, CallWorkloadQuery query, CancellationToken cancellationToken = default);
}
