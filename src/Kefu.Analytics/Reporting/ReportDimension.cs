namespace Kefu.Analytics.Reporting;

/// <summary>A dimension a custom report can break its metrics down by (E17 1.8 指标维度); time granularity is <see cref="ReportGranularity"/>.</summary>
public enum ReportDimension
{
    /// <summary>客服: the agent serving the conversation when it closed; <c>none</c> when no agent took it. Values are agent ids.</summary>
    Agent,
    /// <summary>访客标签: the visitor's tags when the conversation closed; a conversation with two tags counts under each, one without under <c>none</c>. Values are tag ids.</summary>
    VisitorTag,
    /// <summary>渠道类型: the channel kind, for example <c>Web</c> or <c>Wechat</c>.</summary>
    ChannelKind,
    /// <summary>关联: the association id, <c>none</c> when unknown.</summary>
    Association,
    /// <summary>会话类型: <c>inbound</c> (the visitor started it) or <c>proactive</c> (an agent invited the visitor, C19).</summary>
    ConversationType,
    /// <summary>
    /// 会话有效类型: <c>valid</c> (the visitor and an agent both wrote), <c>no_visitor_message</c> (the visitor never
    /// wrote) or <c>no_agent_reply</c> (the visitor wrote and no agent did).
    /// </summary>
    Validity,
}

/// <summary>The time buckets of a report's rows (UTC).</summary>
public enum ReportGranularity
{
    /// <summary>One row per dimension value for the whole period.</summary>
    None,
    /// <summary>Hours.</summary>
    Hour,
    /// <summary>Days.</summary>
    Day,
    /// <summary>ISO weeks, starting on Monday.</summary>
    Week,
    /// <summary>Calendar months.</summary>
    Month,
}
