using System.Collections.Frozen;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// Every metric the product documents name for reports, with its exact definition. Custom reports (P1) accept the
/// ids of the computed metrics. Choices where the documents are vague:
/// <list type="bullet">
/// <item>A conversation enters the reports when it closes: its timings are final then. Open conversations show on the live dashboard only.</item>
/// <item>Pick-up (接起) is the first time an agent took the conversation; transfers keep it.</item>
/// <item>The agent of a conversation is the one serving it when it closed.</item>
/// <item>Queue wait is the conversation's total time in queues (several stays add up), abandoned waits included; a queued conversation counts once in 排队总次数.</item>
/// <item>Messages are the visitor's and the agents' messages; robot messages and system notices are not counted.</item>
/// <item>Satisfaction is the visitor's rating on a 1–5 scale: level ℓ of n levels scores 1 + 4(ℓ − 1)/(n − 1), so every rating mode shares one scale.</item>
/// </list>
/// </summary>
public static class MetricCatalog
{
    private const string E17 = "E17 1.8";
    private const string IS = "IS 7.1";
    private const string CC = "CC 工作量";
    private const string E86 = "E86 统计";

    /// <summary>Every catalogued metric: P1 first, then the dashboard, workload, visitor and call metrics.</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        // ---- P1, by conversation creation time
        new("queue_wait_avg", "排队时长平均值", "Average queue wait",
            "Total seconds a queued conversation spent in queues (joined a queue until picked up, moved or abandoned; several stays add up), averaged over the conversations that queued.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Conversation, E17),
        new("queue_wait_max", "排队时长最大值", "Longest queue wait",
            "The largest total queue wait of one conversation, in seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Conversation, E17),
        new("queue_count", "排队总次数", "Queued conversations",
            "Conversations that joined a queue at least once, picked up or abandoned.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Conversation, E17),
        new("unique_visitors", "独立访客总数", "Unique visitors",
            "Distinct visitors with a conversation created in the period (robot-only and abandoned conversations included), exact over the whole period: a visitor who came on two days counts once.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.DistinctCount, MetricArea.Conversation, E17),

        // ---- P1, by pick-up time
        new("quality_score_avg", "质检评分平均值", "Average quality score",
            "The quality-inspection score (0–100) of the inspected conversations, averaged; the first score of a conversation counts. Quality inspection feeds it (QualityScores); empty until a conversation is scored.",
            MetricTime.PickedUp, MetricUnit.Score, MetricAggregation.Average, MetricArea.Conversation, E17),
        new("satisfaction_avg", "满意度评分平均值", "Average satisfaction",
            "The visitor's rating on 1–5 (level ℓ of n scores 1 + 4(ℓ − 1)/(n − 1)), averaged over rated conversations; a rating given after the close counts too.",
            MetricTime.PickedUp, MetricUnit.Score, MetricAggregation.Average, MetricArea.Conversation, E17),
        new("conversations", "会话总数", "Conversations",
            "Conversations an agent picked up.",
            MetricTime.PickedUp, MetricUnit.Count, MetricAggregation.Count, MetricArea.Conversation, E17),
        new("messages", "消息总数", "Messages",
            "Visitor and agent messages of the picked-up conversations, over their whole life (robot messages and system notices excluded).",
            MetricTime.PickedUp, MetricUnit.Count, MetricAggregation.Sum, MetricArea.Conversation, E17),
        new("duration_avg", "会话时长平均值", "Average duration",
            "Close − pick-up, in seconds, averaged over picked-up conversations.",
            MetricTime.PickedUp, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Conversation, E17),
        new("duration_max", "会话时长最大值", "Longest duration",
            "The largest close − pick-up, in seconds.",
            MetricTime.PickedUp, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Conversation, E17),
        new("first_response_avg", "首次响应时长平均值", "Average first response",
            "First agent message − pick-up, in seconds, averaged over the conversations where an agent wrote.",
            MetricTime.PickedUp, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Conversation, E17),
        new("first_response_max", "首次响应时长最大值", "Longest first response",
            "The largest first agent message − pick-up, in seconds.",
            MetricTime.PickedUp, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Conversation, E17),
        new("response_avg", "响应时长平均值", "Average response",
            "For each agent message that answers visitor messages (one or more visitor messages since the agent's previous message): its time − the first of those visitor messages (− the pick-up when that message came before it), in seconds; averaged over all such replies.",
            MetricTime.PickedUp, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Conversation, E17),
        new("response_max", "响应时长最大值", "Longest response",
            "The largest response time of one reply, in seconds.",
            MetricTime.PickedUp, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Conversation, E17),

        // ---- P2 and P3 additions
        new("messages_per_conversation_avg", "单会话消息数平均值", "Messages per conversation",
            "Visitor and agent messages ÷ picked-up conversations.",
            MetricTime.PickedUp, MetricUnit.Count, MetricAggregation.Average, MetricArea.Conversation, CC),
        new("messages_per_conversation_max", "单会话消息数最大值", "Most messages in a conversation",
            "The largest number of visitor and agent messages in one picked-up conversation.",
            MetricTime.PickedUp, MetricUnit.Count, MetricAggregation.Max, MetricArea.Conversation, CC),
        new("positive_rating_share", "好评率", "Positive rating share",
            "Ratings scoring 4 or more on the 1–5 scale (the top level of 2 or 3, the top two of 5) ÷ all ratings.",
            MetricTime.PickedUp, MetricUnit.Ratio, MetricAggregation.Ratio, MetricArea.Conversation, IS),
        new("queue_abandoned", "排队放弃量", "Queue abandonments",
            "Conversations closed while waiting in a queue (the visitor left).",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Conversation, IS),
        new("conversations_created", "总访问量", "Conversations created",
            "Conversations created: every visit to customer service, robot-only and abandoned ones included (Kefu has no page-view events, so a visit is a conversation).",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Conversation, IS),
        new("conversations_not_accepted", "未接入会话量", "Conversations not accepted",
            "Conversations created that closed without an agent picking them up (robot-only, abandoned in the queue, ended before routing).",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Conversation, IS),
        new("visitors_served", "会话接入人数", "Visitors served",
            "Distinct visitors among the picked-up conversations.",
            MetricTime.PickedUp, MetricUnit.Count, MetricAggregation.DistinctCount, MetricArea.Conversation, IS),

        // ---- P5 and P6 (video and call): computed by ICallStatistics (Reporting/Calls), not by custom reports
        new("call_requests", "请求量", "Call requests", "Calls and video calls requested (created on a phone or video channel), counted once ended, in the slot of the request.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("call_connected", "通话量", "Calls connected", "Calls an agent picked up, in the slot of the request.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("call_connect_rate", "接通率", "Connect rate", "Calls connected ÷ call requests.",
            MetricTime.ConversationCreated, MetricUnit.Ratio, MetricAggregation.Ratio, MetricArea.Call, E86, IsComputed: false),
        new("call_abandoned", "放弃量", "Calls abandoned", "Calls the visitor hung up before pick-up.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("call_abandon_rate", "放弃率", "Abandon rate", "Calls abandoned ÷ call requests.",
            MetricTime.ConversationCreated, MetricUnit.Ratio, MetricAggregation.Ratio, MetricArea.Call, E86, IsComputed: false),
        new("call_wait_avg", "等待时长平均值", "Average call wait", "Pick-up − request, seconds, over connected calls.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Call, E86, IsComputed: false),
        new("call_wait_max", "等待时长最大值", "Longest call wait", "The largest pick-up − request, seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Call, E86, IsComputed: false),
        new("call_response_avg", "响应时长平均值", "Average agent response", "Pick-up − the last ring at the agent before it, seconds, over connected calls that rang.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Call, E86, IsComputed: false),
        new("call_response_max", "响应时长最大值", "Longest agent response", "The largest pick-up − last ring, seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Call, E86, IsComputed: false),
        new("call_abandon_wait_avg", "放弃等待时长平均值", "Average abandoned wait", "Hang-up − request of abandoned calls, seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Call, E86, IsComputed: false),
        new("call_abandon_wait_max", "放弃等待时长最大值", "Longest abandoned wait", "The largest hang-up − request of an abandoned call, seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Max, MetricArea.Call, E86, IsComputed: false),
        new("call_talk_time_avg", "通话时长平均值", "Average talk time", "Close − pick-up of connected calls, seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Average, MetricArea.Call, E86, IsComputed: false),
        new("call_talk_time_total", "通话总时长", "Total talk time", "Sum of close − pick-up of connected calls, seconds.",
            MetricTime.ConversationCreated, MetricUnit.Seconds, MetricAggregation.Sum, MetricArea.Call, E86, IsComputed: false),
        new("call_answered_within_10s", "10秒内接通量", "Answered within 10 s", "Connected calls answered ≤ 10 s after ringing at the agent (E86: 坐席收到视频请求到坐席接受); the wait for calls that never rang.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("call_answered_after_10s", "10秒后接通量", "Answered after 10 s", "Connected calls answered > 10 s after ringing at the agent; the wait for calls that never rang.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("call_abandoned_within_10s", "10秒内放弃量", "Abandoned within 10 s", "Abandoned calls with hang-up − request ≤ 10 s.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("call_abandoned_after_10s", "10秒后放弃量", "Abandoned after 10 s", "Abandoned calls with hang-up − request > 10 s.",
            MetricTime.ConversationCreated, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("agent_customer_ended", "客户挂断量", "Ended by the customer", "Connected calls the visitor ended, per agent.",
            MetricTime.EventTime, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("agent_ended", "坐席挂断量", "Ended by the agent", "Connected calls the agent ended.",
            MetricTime.EventTime, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("agent_login_time", "登录时长", "Login time", "Seconds the agent's voice/video presence was not offline.",
            MetricTime.EventTime, MetricUnit.Seconds, MetricAggregation.Sum, MetricArea.Call, E86, IsComputed: false),
        new("agent_not_ready_count", "未就绪次数", "Not-ready count", "Changes into away, invisible or a busy the agent chose (not the busy the engine sets while a call rings or is connected); rest is not counted.",
            MetricTime.EventTime, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("agent_not_ready_time", "未就绪时长", "Not-ready time", "Seconds spent away, invisible or in a busy the agent chose.",
            MetricTime.EventTime, MetricUnit.Seconds, MetricAggregation.Sum, MetricArea.Call, E86, IsComputed: false),
        new("agent_after_call_work", "话后处理时长", "After-call work", "Seconds from a connected call's end to the agent's next ring or pick-up on that media, or to going offline.",
            MetricTime.EventTime, MetricUnit.Seconds, MetricAggregation.Sum, MetricArea.Call, E86, IsComputed: false),
        new("agent_proactive_invites", "主动邀请量", "Proactive invites", "Calls the agent started (C19).",
            MetricTime.EventTime, MetricUnit.Count, MetricAggregation.Count, MetricArea.Call, E86, IsComputed: false),
        new("agent_workload", "工作负荷", "Workload", "Talk time ÷ login time.",
            MetricTime.EventTime, MetricUnit.Ratio, MetricAggregation.Ratio, MetricArea.Call, E86, IsComputed: false),
    ];

    /// <summary>The ids of the fourteen custom-report metrics E17 1.8 lists, in its order.</summary>
    public static IReadOnlyList<string> CustomReportIds { get; } =
    [
        "queue_wait_avg", "queue_wait_max", "queue_count", "unique_visitors",
        "quality_score_avg", "satisfaction_avg", "conversations", "messages", "duration_avg", "duration_max",
        "first_response_avg", "first_response_max", "response_avg", "response_max",
    ];

    private static readonly FrozenDictionary<string, MetricDefinition> ById = All.ToFrozenDictionary(m => m.Id, StringComparer.Ordinal);

    /// <summary>The metric with this id, or null.</summary>
    public static MetricDefinition? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ById.GetValueOrDefault(id);
    }
}
