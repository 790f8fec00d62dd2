namespace Kefu.Analytics.Reporting;

/// <summary>Which timestamp puts an observation into a time bucket (E17 1.8).</summary>
public enum MetricTime
{
    /// <summary>The conversation's creation (按会话创建时间计算).</summary>
    ConversationCreated,
    /// <summary>The conversation's first pick-up by an agent (按会话接起时间计算).</summary>
    PickedUp,
    /// <summary>The time of the event itself (a call ringing, an agent's status change).</summary>
    EventTime,
}

/// <summary>The unit of a metric's value.</summary>
public enum MetricUnit
{
    /// <summary>A number of things.</summary>
    Count,
    /// <summary>Seconds.</summary>
    Seconds,
    /// <summary>A share between 0 and 1.</summary>
    Ratio,
    /// <summary>A score (satisfaction on 1–5, quality on 0–100).</summary>
    Score,
}

/// <summary>How a metric's observations combine over a time bucket and over several buckets.</summary>
public enum MetricAggregation
{
    /// <summary>The number of observations.</summary>
    Count,
    /// <summary>The sum of the observations.</summary>
    Sum,
    /// <summary>Sum ÷ count, over all the observations of the range (not an average of averages).</summary>
    Average,
    /// <summary>The largest observation.</summary>
    Max,
    /// <summary>Distinct values (visitors), exact: a multi-day range counts each one once.</summary>
    DistinctCount,
    /// <summary>One series' total divided by another's.</summary>
    Ratio,
}

/// <summary>Which part of the reporting features a metric belongs to.</summary>
public enum MetricArea
{
    /// <summary>Chat conversations: custom reports, dashboard, workload, visitor statistics (P1–P4).</summary>
    Conversation,
    /// <summary>Video and call statistics (P5, P6); catalogued, not computed yet.</summary>
    Call,
}

/// <summary>One metric of the catalogue, with its exact definition.</summary>
/// <param name="Id">The stable id used in report queries, for example <c>queue_wait_avg</c>.</param>
/// <param name="ChineseName">The name in the product documents, for example 排队时长平均值.</param>
/// <param name="EnglishName">The English name.</param>
/// <param name="Definition">What exactly is measured.</param>
/// <param name="Time">Which timestamp buckets it.</param>
/// <param name="Unit">The unit of its value.</param>
/// <param name="Aggregation">How observations combine.</param>
/// <param name="Area">The area.</param>
/// <param name="Source">The seed section that names it.</param>
/// <param name="IsComputed">Whether the reporting engine computes it today (false: catalogued for a later feature or a missing input).</param>
public sealed record MetricDefinition(
    string Id,
    string ChineseName,
    string EnglishName,
    string Definition,
    MetricTime Time,
    MetricUnit Unit,
    MetricAggregation Aggregation,
    MetricArea Area,
    string Source,
    bool IsComputed = true);
