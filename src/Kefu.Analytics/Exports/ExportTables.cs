using System.Globalization;
using Kefu.Analytics.Quality;
using Kefu.Analytics.Reporting;
using Kefu.Analytics.Reporting.Calls;
using Kefu.Analytics.Voice;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analytics.Exports;

/// <summary>
/// Turns reports, statistics, voice-of-the-customer and quality results and history search results into
/// <see cref="ExportTable"/>s, with headers in Chinese (the product documents' names) or English. Metric headers come
/// from <see cref="MetricCatalog"/>; seconds carry the unit 秒/s, shares are percentage cells, times are shown in the
/// offset the caller names (the column's unit, for example <c>UTC+08:00</c>). Ids are text, so 18-digit ids keep
/// every digit in xlsx.
/// </summary>
public static class ExportTables
{
    /// <summary>A custom report: the time bucket (when the report has a granularity), the dimensions, then the metrics in the query's order; a line chart of the metrics sharing the first one's unit when the rows are a time series without dimensions.</summary>
    public static ExportTable FromReport(ReportResult report, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = new List<ExportColumn>();
        var timed = report.Granularity != ReportGranularity.None;
        var offset = report.Rows.FirstOrDefault(r => r.BucketStart is not null)?.BucketStart?.Offset ?? report.From.Offset;
        if (timed)
        {
            columns.Add(new(L(language, "时间", "Time"), report.Granularity == ReportGranularity.Hour ? ExportCellKind.DateTime : ExportCellKind.Date, OffsetName(offset)));
        }

        columns.AddRange(report.Dimensions.Select(d => new ExportColumn(DimensionName(d, language))));
        var first = columns.Count;
        columns.AddRange(report.Metrics.Select(m => MetricColumn(m, language)));
        var rows = report.Rows.Select(row =>
        {
            var cells = new List<ExportCell>(columns.Count);
            if (timed)
            {
                cells.Add(report.Granularity == ReportGranularity.Hour
                    ? ExportCell.FromDateTime(row.BucketStart, offset)
                    : ExportCell.FromDate(row.BucketStart is { } b ? DateOnly.FromDateTime(b.ToOffset(offset).DateTime) : null));
            }

            for (var d = 0; d < report.Dimensions.Count; d++)
            {
                cells.Add(ExportCell.FromText(d < row.DimensionValues.Count ? DimensionValue(report.Dimensions[d], row.DimensionValues[d], language) : null));
            }

            for (var m = 0; m < report.Metrics.Count; m++)
            {
                var value = m < row.Values.Count ? row.Values[m] : null;
                cells.Add(report.Metrics[m].Unit == MetricUnit.Ratio ? ExportCell.FromPercentage(value) : ExportCell.FromNumber(value));
            }

            return (IReadOnlyList<ExportCell>)cells;
        }).ToList();
        ExportChart? chart = null;
        if (timed && report.Dimensions.Count == 0 && report.Metrics.Count > 0)
        {
            var unit = report.Metrics[0].Unit;
            chart = new(0, [.. Enumerable.Range(0, report.Metrics.Count).Where(m => report.Metrics[m].Unit == unit).Select(m => first + m)]);
        }

        return new ExportTable(title ?? L(language, "自定义报表", "Custom report"), columns, rows) { Chart = chart };
    }

    /// <summary>The daily report (数据日报): one row per day, with a line chart of visits, visitors and conversations accepted.</summary>
    public static ExportTable FromDailyFigures(IReadOnlyList<DayFigures> days, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        ExportColumn[] columns =
        [
            new(L(language, "日期", "Date"), ExportCellKind.Date),
            .. DayFigureColumns(language),
        ];
        var rows = days.Select(d => (IReadOnlyList<ExportCell>)[ExportCell.FromDate(d.Day), .. DayFigureCells(d)]).ToList();
        return new ExportTable(title ?? L(language, "数据日报", "Daily report"), columns, rows) { Chart = new(0, [1, 2, 3]) };
    }

    /// <summary>Today's dashboard (今日大盘): a table of the live counts and today's figures (指标, 值), and the two-week trend.</summary>
    public static IReadOnlyList<ExportTable> FromDashboard(TodayDashboard dashboard, TimeSpan utcOffset = default, ExportLanguage language = ExportLanguage.Zh)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var names = DayFigureColumns(language);
        var values = DayFigureCells(dashboard.Today);
        var rows = new List<IReadOnlyList<ExportCell>>
        {
            Pair(L(language, "统计时间", "Computed at") + $" ({OffsetName(utcOffset)})", ExportCell.FromDateTime(dashboard.At, utcOffset)),
            Pair(L(language, "日期", "Date"), ExportCell.FromDate(dashboard.Today.Day)),
            Pair(L(language, "咨询中人数", "In service now"), ExportCell.FromNumber(dashboard.InService)),
            Pair(L(language, "排队人数", "Queued now"), ExportCell.FromNumber(dashboard.Queued)),
        };
        for (var i = 0; i < names.Length; i++)
        {
            rows.Add(Pair(names[i].FullHeader, values[i]));
        }

        ExportColumn[] columns = [new(L(language, "指标", "Figure")), new(L(language, "值", "Value"))];
        return
        [
            new ExportTable(L(language, "今日大盘", "Today"), columns, rows),
            FromDailyFigures(dashboard.Trend, language, L(language, "两周趋势", "Two-week trend")),
        ];

        static IReadOnlyList<ExportCell> Pair(string name, ExportCell value) => [ExportCell.FromText(name), value];
    }

    /// <summary>Agent workload (客服工作量): one row per agent.</summary>
    public static ExportTable FromWorkload(IReadOnlyList<AgentWorkload> workload, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ExportColumn[] columns =
        [
            new(L(language, "客服ID", "Agent id")),
            new(L(language, "客服", "Agent")),
            Metric("conversations", language),
            Metric("messages", language),
            Metric("duration_avg", language),
            Metric("duration_max", language),
            Metric("messages_per_conversation_avg", language),
            Metric("messages_per_conversation_max", language),
        ];
        var rows = workload.Select(w => (IReadOnlyList<ExportCell>)
        [
            Id(w.AgentId),
            ExportCell.FromText(w.Name),
            ExportCell.FromNumber(w.Conversations),
            ExportCell.FromNumber(w.Messages),
            ExportCell.FromNumber(w.DurationAverage),
            ExportCell.FromNumber(w.DurationMax),
            ExportCell.FromNumber(w.MessagesPerConversationAverage),
            ExportCell.FromNumber(w.MessagesPerConversationMax),
        ]).ToList();
        return new ExportTable(title ?? L(language, "客服工作量", "Agent workload"), columns, rows);
    }

    /// <summary>Call or video statistics by time slot (E86 分时段统计, P5): one row per slot.</summary>
    public static ExportTable FromCallSlots(IReadOnlyList<CallSlotRow> slots, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var seconds = L(language, "秒", "s");
        ExportColumn[] columns =
        [
            new(L(language, "时段", "Slot")),
            new(L(language, "请求量", "Requests"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "通话量", "Connected"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "接通率", "Connect rate"), ExportCellKind.Percentage),
            new(L(language, "放弃量", "Abandoned"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "放弃率", "Abandon rate"), ExportCellKind.Percentage),
            new(L(language, "平均等待时长", "Average wait"), ExportCellKind.Number, seconds, 1),
            new(L(language, "最大等待时长", "Longest wait"), ExportCellKind.Number, seconds, 1),
            new(L(language, "平均响应时长", "Average response"), ExportCellKind.Number, seconds, 1),
            new(L(language, "最大响应时长", "Longest response"), ExportCellKind.Number, seconds, 1),
            new(L(language, "平均放弃等待时长", "Average abandoned wait"), ExportCellKind.Number, seconds, 1),
            new(L(language, "最大放弃等待时长", "Longest abandoned wait"), ExportCellKind.Number, seconds, 1),
            new(L(language, "平均通话时长", "Average talk time"), ExportCellKind.Number, seconds, 1),
            new(L(language, "通话时长", "Talk time"), ExportCellKind.Number, seconds, 1),
            new(L(language, "10秒应答量", "Answered within 10 s"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "10秒以上应答量", "Answered after 10 s"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "10秒放弃量", "Abandoned within 10 s"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "10秒以上放弃量", "Abandoned after 10 s"), ExportCellKind.Number, Decimals: 0),
        ];
        var rows = slots.Select(r => (IReadOnlyList<ExportCell>)
        [
            ExportCell.FromText(r.Start.ToString("HH:mm", CultureInfo.InvariantCulture)),
            ExportCell.FromNumber(r.Requests),
            ExportCell.FromNumber(r.Connected),
            ExportCell.FromPercentage(r.ConnectRate),
            ExportCell.FromNumber(r.Abandoned),
            ExportCell.FromPercentage(r.AbandonRate),
            ExportCell.FromNumber(r.WaitAverage),
            ExportCell.FromNumber(r.WaitMax),
            ExportCell.FromNumber(r.ResponseAverage),
            ExportCell.FromNumber(r.ResponseMax),
            ExportCell.FromNumber(r.AbandonWaitAverage),
            ExportCell.FromNumber(r.AbandonWaitMax),
            ExportCell.FromNumber(r.TalkAverage),
            ExportCell.FromNumber(r.TalkTotal),
            ExportCell.FromNumber(r.AnsweredWithin10Seconds),
            ExportCell.FromNumber(r.AnsweredAfter10Seconds),
            ExportCell.FromNumber(r.AbandonedWithin10Seconds),
            ExportCell.FromNumber(r.AbandonedAfter10Seconds),
        ]).ToList();
        return new ExportTable(title ?? L(language, "分时段统计", "Statistics by time slot"), columns, rows);
    }

    /// <summary>The agents' call or video workload (E86 客服工作量, P6): one row per agent.</summary>
    public static ExportTable FromCallWorkload(IReadOnlyList<CallAgentWorkload> workload, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var seconds = L(language, "秒", "s");
        ExportColumn[] columns =
        [
            new(L(language, "客服ID", "Agent id")),
            new(L(language, "客服", "Agent")),
            new(L(language, "客户主动结束量", "Ended by the customer"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "登录时长", "Login time"), ExportCellKind.Number, seconds, 0),
            new(L(language, "通话时长", "Talk time"), ExportCellKind.Number, seconds, 0),
            new(L(language, "平均通话时长", "Average talk time"), ExportCellKind.Number, seconds, 1),
            new(L(language, "访客等待时长", "Visitor wait"), ExportCellKind.Number, seconds, 0),
            new(L(language, "平均访客等待时长", "Average visitor wait"), ExportCellKind.Number, seconds, 1),
            new(L(language, "坐席响应时长", "Agent response"), ExportCellKind.Number, seconds, 0),
            new(L(language, "平均坐席响应时长", "Average agent response"), ExportCellKind.Number, seconds, 1),
            new(L(language, "请求量", "Requests"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "主动发起量", "Proactive invites"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "通话量", "Connected"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "坐席主动结束量", "Ended by the agent"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "未就绪次数", "Not-ready count"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "未就绪时长", "Not-ready time"), ExportCellKind.Number, seconds, 0),
            new(L(language, "平均未就绪时长", "Average not-ready time"), ExportCellKind.Number, seconds, 1),
            new(L(language, "话后处理时长", "After-call work"), ExportCellKind.Number, seconds, 0),
            new(L(language, "平均话后处理时长", "Average after-call work"), ExportCellKind.Number, seconds, 1),
            new(L(language, "工作负荷", "Workload"), ExportCellKind.Percentage),
        ];
        var rows = workload.Select(w => (IReadOnlyList<ExportCell>)
        [
            Id(w.AgentId),
            ExportCell.FromText(w.Name),
            ExportCell.FromNumber(w.CustomerEnded),
            ExportCell.FromNumber(w.LoginTime),
            ExportCell.FromNumber(w.TalkTime),
            ExportCell.FromNumber(w.TalkAverage),
            ExportCell.FromNumber(w.VisitorWait),
            ExportCell.FromNumber(w.VisitorWaitAverage),
            ExportCell.FromNumber(w.AgentResponse),
            ExportCell.FromNumber(w.AgentResponseAverage),
            ExportCell.FromNumber(w.Requests),
            ExportCell.FromNumber(w.ProactiveInvites),
            ExportCell.FromNumber(w.Connected),
            ExportCell.FromNumber(w.AgentEnded),
            ExportCell.FromNumber(w.NotReadyCount),
            ExportCell.FromNumber(w.NotReadyTime),
            ExportCell.FromNumber(w.NotReadyAverage),
            ExportCell.FromNumber(w.AfterCallWork),
            ExportCell.FromNumber(w.AfterCallWorkAverage),
            ExportCell.FromPercentage(w.Workload),
        ]).ToList();
        return new ExportTable(title ?? L(language, "客服工作量（通话）", "Agent call workload"), columns, rows);
    }

    /// <summary>Visitors by channel (访客统计): the channels with their shares and a total row, and the daily trend with one column per channel kind and a line chart.</summary>
    public static IReadOnlyList<ExportTable> FromVisitorStatistics(VisitorStatistics statistics, ExportLanguage language = ExportLanguage.Zh)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ExportColumn[] columns =
        [
            new(L(language, "渠道类型", "Channel")),
            new(L(language, "独立访客数", "Unique visitors"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "占比", "Share"), ExportCellKind.Percentage),
        ];
        var rows = statistics.Channels
            .Select(c => (IReadOnlyList<ExportCell>)[ExportCell.FromText(ChannelName(c.ChannelKind, language)), ExportCell.FromNumber(c.Visitors), ExportCell.FromPercentage(c.Share)])
            .Append([ExportCell.FromText(L(language, "合计（去重）", "Total (distinct)")), ExportCell.FromNumber(statistics.Visitors), ExportCell.Empty])
            .ToList();
        var kinds = statistics.Trend.Select(t => t.ChannelKind).Distinct().Order().ToList();
        ExportColumn[] trendColumns =
        [
            new(L(language, "日期", "Date"), ExportCellKind.Date),
            .. kinds.Select(k => new ExportColumn(ChannelName(k, language), ExportCellKind.Number, Decimals: 0)),
        ];
        var trendRows = statistics.Trend.GroupBy(t => t.Day).OrderBy(g => g.Key).Select(g =>
        {
            var byKind = g.ToDictionary(t => t.ChannelKind, t => t.Visitors);
            return (IReadOnlyList<ExportCell>)[ExportCell.FromDate(g.Key), .. kinds.Select(k => ExportCell.FromNumber(byKind.GetValueOrDefault(k)))];
        }).ToList();
        return
        [
            new ExportTable(L(language, "渠道访客", "Visitors by channel"), columns, rows),
            new ExportTable(L(language, "访客趋势", "Visitor trend"), trendColumns, trendRows)
            {
                Chart = kinds.Count > 0 ? new(0, [.. Enumerable.Range(1, kinds.Count)]) : null,
            },
        ];
    }

    /// <summary>A multi-tenant roll-up (多租户汇总): one row per tenant.</summary>
    public static ExportTable FromTenantSummaries(IReadOnlyList<TenantSummary> tenants, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ExportColumn[] columns =
        [
            new(L(language, "租户ID", "Tenant id")),
            new(L(language, "租户", "Tenant")),
            Metric("conversations", language),
            Metric("messages", language),
            Metric("unique_visitors", language),
            Metric("duration_avg", language),
            Metric("first_response_avg", language),
            Metric("response_avg", language),
            Metric("satisfaction_avg", language),
        ];
        var rows = tenants.Select(t => (IReadOnlyList<ExportCell>)
        [
            Id(t.TenantId),
            ExportCell.FromText(t.Name),
            ExportCell.FromNumber(t.Conversations),
            ExportCell.FromNumber(t.Messages),
            ExportCell.FromNumber(t.UniqueVisitors),
            ExportCell.FromNumber(t.DurationAverage),
            ExportCell.FromNumber(t.FirstResponseAverage),
            ExportCell.FromNumber(t.ResponseAverage),
            ExportCell.FromNumber(t.SatisfactionAverage),
        ]).ToList();
        return new ExportTable(title ?? L(language, "多租户汇总", "Tenants"), columns, rows);
    }

    /// <summary>Hot keywords (热门关键词): word, frequency, sentiment, composite, focus word.</summary>
    public static ExportTable FromKeywords(IReadOnlyList<KeywordStat> keywords, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        ExportColumn[] columns =
        [
            new(L(language, "关键词", "Keyword")),
            new(L(language, "频次", "Frequency"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "情感值", "Sentiment"), ExportCellKind.Number, "−1~1", 3),
            new(L(language, "综合值", "Composite"), ExportCellKind.Number, Decimals: 2),
            new(L(language, "关注词", "Focus word")),
        ];
        var rows = keywords.Select(k => (IReadOnlyList<ExportCell>)
        [
            ExportCell.FromText(k.Word),
            ExportCell.FromNumber(k.Frequency),
            ExportCell.FromNumber(k.Sentiment),
            ExportCell.FromNumber(k.Composite),
            ExportCell.FromText(YesNo(k.IsFocusWord, language)),
        ]).ToList();
        return new ExportTable(title ?? L(language, "热门关键词", "Hot keywords"), columns, rows);
    }

    /// <summary>The sentiment trend (情感趋势): messages by sentiment per day and their shares, with a line chart of the counts.</summary>
    public static ExportTable FromSentimentTrend(IReadOnlyList<SentimentDay> days, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        ExportColumn[] columns =
        [
            new(L(language, "日期", "Date"), ExportCellKind.Date),
            new(L(language, "正面", "Positive"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "中性", "Neutral"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "负面", "Negative"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "合计", "Total"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "正面占比", "Positive share"), ExportCellKind.Percentage),
            new(L(language, "中性占比", "Neutral share"), ExportCellKind.Percentage),
            new(L(language, "负面占比", "Negative share"), ExportCellKind.Percentage),
        ];
        var rows = days.Select(d => (IReadOnlyList<ExportCell>)
        [
            ExportCell.FromDate(d.Day),
            ExportCell.FromNumber(d.Positive),
            ExportCell.FromNumber(d.Neutral),
            ExportCell.FromNumber(d.Negative),
            ExportCell.FromNumber(d.Total),
            ExportCell.FromPercentage(d.PositiveShare),
            ExportCell.FromPercentage(d.NeutralShare),
            ExportCell.FromPercentage(d.NegativeShare),
        ]).ToList();
        return new ExportTable(title ?? L(language, "情感趋势", "Sentiment trend"), columns, rows) { Chart = new(0, [1, 2, 3]) };
    }

    /// <summary>Quality inspection results (质检结果): one row per conversation, its reasons joined by <c>; </c>.</summary>
    public static ExportTable FromInspections(IAsyncEnumerable<InspectionResult> results, TimeSpan utcOffset = default, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var time = OffsetName(utcOffset);
        ExportColumn[] columns =
        [
            new(L(language, "会话ID", "Conversation id")),
            new(L(language, "客服ID", "Agent id")),
            new(L(language, "访客ID", "Visitor id")),
            new(L(language, "会话创建时间", "Created"), ExportCellKind.DateTime, time),
            new(L(language, "结束时间", "Closed"), ExportCellKind.DateTime, time),
            new(L(language, "质检时间", "Inspected"), ExportCellKind.DateTime, time),
            new(L(language, "质检得分", "Score"), ExportCellKind.Number, "0–100", 0),
            new(L(language, "有问题", "Flagged")),
            new(L(language, "原因", "Reasons")),
            new(L(language, "规则版本", "Rules version"), ExportCellKind.Number, Decimals: 0),
        ];
        return new ExportTable(title ?? L(language, "质检结果", "Quality inspection"), columns, Rows(results, utcOffset, language));

        static async IAsyncEnumerable<IReadOnlyList<ExportCell>> Rows(IAsyncEnumerable<InspectionResult> results, TimeSpan offset, ExportLanguage language)
        {
            await foreach (var r in results.ConfigureAwait(false))
            {
                yield return
                [
                    Id(r.ConversationId),
                    Id(r.AgentId),
                    Id(r.VisitorId),
                    ExportCell.FromDateTime(r.ConversationCreatedAt, offset),
                    ExportCell.FromDateTime(r.ClosedAt, offset),
                    ExportCell.FromDateTime(r.InspectedAt, offset),
                    ExportCell.FromNumber(r.Score),
                    ExportCell.FromText(YesNo(r.Flagged, language)),
                    ExportCell.FromText(string.Join("; ", r.Reasons.Select(x => language == ExportLanguage.Zh ? x.Message : x.MessageEn))),
                    ExportCell.FromNumber(r.RulesVersion),
                ];
            }
        }
    }

    /// <summary>History search results (历史会话): one row per conversation as the rows arrive, times in <paramref name="utcOffset"/>.</summary>
    public static ExportTable FromConversations(IAsyncEnumerable<Conversation> conversations, TimeSpan utcOffset = default, ExportLanguage language = ExportLanguage.Zh, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var time = OffsetName(utcOffset);
        var seconds = L(language, "秒", "s");
        ExportColumn[] columns =
        [
            new(L(language, "会话ID", "Conversation id")),
            new(L(language, "访客ID", "Visitor id")),
            new(L(language, "渠道类型", "Channel")),
            new(L(language, "关联ID", "Association id")),
            new(L(language, "状态", "State")),
            new(L(language, "客服ID", "Agent id")),
            new(L(language, "技能组ID", "Group id")),
            new(L(language, "创建时间", "Created"), ExportCellKind.DateTime, time),
            new(L(language, "接起时间", "Picked up"), ExportCellKind.DateTime, time),
            new(L(language, "首次回复时间", "First agent reply"), ExportCellKind.DateTime, time),
            new(L(language, "结束时间", "Closed"), ExportCellKind.DateTime, time),
            new(L(language, "结束原因", "Close reason")),
            new(L(language, "排队时长", "Queue wait"), ExportCellKind.Number, seconds, 3),
            new(L(language, "会话时长", "Duration"), ExportCellKind.Number, seconds, 3),
            new(L(language, "消息数", "Messages"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "访客消息数", "Visitor messages"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "客服消息数", "Agent messages"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "评价", "Rating")),
            new(L(language, "评价内容", "Rating comment")),
            new(L(language, "是否解决", "Resolved")),
            new(L(language, "备注", "Note")),
        ];
        return new ExportTable(title ?? L(language, "历史会话", "Conversations"), columns, Rows(conversations, utcOffset, language));

        static async IAsyncEnumerable<IReadOnlyList<ExportCell>> Rows(IAsyncEnumerable<Conversation> conversations, TimeSpan offset, ExportLanguage language)
        {
            await foreach (var c in conversations.ConfigureAwait(false))
            {
                yield return
                [
                    Id(c.Id),
                    Id(c.VisitorId),
                    ExportCell.FromText(ChannelName(c.ChannelKind, language)),
                    Id(c.AssociationId),
                    ExportCell.FromText(StateName(c.State, language)),
                    Id(c.AgentId),
                    Id(c.GroupId),
                    ExportCell.FromDateTime(c.CreatedAt, offset),
                    ExportCell.FromDateTime(c.AssignedAt, offset),
                    ExportCell.FromDateTime(c.FirstAgentMessageAt, offset),
                    ExportCell.FromDateTime(c.ClosedAt, offset),
                    ExportCell.FromText(c.IsClosed ? CloseReasonName(c.CloseReason, language) : null),
                    ExportCell.FromNumber(c.QueueWaitMilliseconds / 1000.0),
                    ExportCell.FromNumber(c.AssignedAt is { } a && c.ClosedAt is { } z ? (z - a).TotalSeconds : null),
                    ExportCell.FromNumber(c.MessageCount),
                    ExportCell.FromNumber(c.VisitorMessageCount),
                    ExportCell.FromNumber(c.AgentMessageCount),
                    ExportCell.FromText(c.Rating is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r.Level}/{r.LevelCount}") : null),
                    ExportCell.FromText(c.Rating?.Comment),
                    ExportCell.FromText(c.WrapUp?.Resolved is { } resolved ? YesNo(resolved, language) : null),
                    ExportCell.FromText(c.Note),
                ];
            }
        }
    }

    /// <summary>The column of a catalogued metric: its name, 秒/s for seconds, a percentage for ratios, whole numbers for counts, two decimals otherwise.</summary>
    public static ExportColumn MetricColumn(MetricDefinition metric, ExportLanguage language = ExportLanguage.Zh)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var name = language == ExportLanguage.Zh ? metric.ChineseName : metric.EnglishName;
        return metric.Unit switch
        {
            MetricUnit.Ratio => new(name, ExportCellKind.Percentage),
            MetricUnit.Seconds => new(name, ExportCellKind.Number, L(language, "秒", "s"), 2),
            MetricUnit.Count when metric.Aggregation is not (MetricAggregation.Average or MetricAggregation.Ratio) => new(name, ExportCellKind.Number, Decimals: 0),
            _ => new(name, ExportCellKind.Number, Decimals: 2),
        };
    }

    /// <summary><c>UTC+08:00</c>, <c>UTC−05:00</c> or <c>UTC</c>.</summary>
    internal static string OffsetName(TimeSpan offset) =>
        offset == TimeSpan.Zero ? "UTC" : string.Create(CultureInfo.InvariantCulture, $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm}");

    private static ExportColumn Metric(string id, ExportLanguage language) =>
        MetricColumn(MetricCatalog.Find(id) ?? throw new InvalidOperationException($"The metric catalogue lacks {id}."), language);

    private static ExportColumn[] DayFigureColumns(ExportLanguage language)
    {
        var seconds = L(language, "秒", "s");
        return
        [
            new(L(language, "总访问量", "Visits"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "总访客量", "Visitors"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "会话接入总量", "Conversations accepted"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "会话接入人数", "Visitors accepted"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "未接入会话量", "Not accepted"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "排队放弃量", "Queue abandoned"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "接待客服数", "Agents serving"), ExportCellKind.Number, Decimals: 0),
            new(L(language, "人均接待量", "Per-agent load"), ExportCellKind.Number, Decimals: 2),
            new(L(language, "平均首次响应时间", "Average first response"), ExportCellKind.Number, seconds, 2),
            new(L(language, "平均会话时长", "Average duration"), ExportCellKind.Number, seconds, 2),
            new(L(language, "好评率", "Positive rating share"), ExportCellKind.Percentage),
        ];
    }

    private static ExportCell[] DayFigureCells(DayFigures d) =>
    [
        ExportCell.FromNumber(d.Visits),
        ExportCell.FromNumber(d.Visitors),
        ExportCell.FromNumber(d.ConversationsAccepted),
        ExportCell.FromNumber(d.VisitorsAccepted),
        ExportCell.FromNumber(d.NotAccepted),
        ExportCell.FromNumber(d.QueueAbandoned),
        ExportCell.FromNumber(d.AgentsServing),
        ExportCell.FromNumber(d.PerAgentLoad),
        ExportCell.FromNumber(d.FirstResponseAverage),
        ExportCell.FromNumber(d.DurationAverage),
        ExportCell.FromPercentage(d.PositiveRatingShare),
    ];

    private static ExportCell Id(long? id) => ExportCell.FromText(id?.ToString(CultureInfo.InvariantCulture));

    private static string L(ExportLanguage language, string zh, string en) => language == ExportLanguage.Zh ? zh : en;

    private static string YesNo(bool value, ExportLanguage language) => value ? L(language, "是", "yes") : L(language, "否", "no");

    private static string DimensionName(ReportDimension dimension, ExportLanguage language) => dimension switch
    {
        ReportDimension.Agent => L(language, "客服", "Agent"),
        ReportDimension.VisitorTag => L(language, "访客标签", "Visitor tag"),
        ReportDimension.ChannelKind => L(language, "渠道类型", "Channel"),
        ReportDimension.Association => L(language, "关联", "Association"),
        ReportDimension.ConversationType => L(language, "会话类型", "Conversation type"),
        ReportDimension.Validity => L(language, "会话有效类型", "Validity"),
        _ => dimension.ToString(),
    };

    private static string DimensionValue(ReportDimension dimension, string value, ExportLanguage language) => (dimension, value) switch
    {
        (_, "none") => L(language, "无", "none"),
        (ReportDimension.ChannelKind, _) when Enum.TryParse<ChannelKind>(value, out var kind) => ChannelName(kind, language),
        (ReportDimension.ConversationType, "inbound") => L(language, "访客发起", "inbound"),
        (ReportDimension.ConversationType, "proactive") => L(language, "主动邀请", "proactive"),
        (ReportDimension.Validity, "valid") => L(language, "有效会话", "valid"),
        (ReportDimension.Validity, "no_visitor_message") => L(language, "访客无消息", "no visitor message"),
        (ReportDimension.Validity, "no_agent_reply") => L(language, "客服未回复", "no agent reply"),
        _ => value,
    };

    private static string ChannelName(ChannelKind kind, ExportLanguage language) => kind switch
    {
        ChannelKind.Web => L(language, "网页", "Web"),
        ChannelKind.H5 => "H5",
        ChannelKind.App => "App",
        ChannelKind.Wechat => L(language, "微信", "WeChat"),
        ChannelKind.Weibo => L(language, "微博", "Weibo"),
        ChannelKind.MiniProgram => L(language, "小程序", "Mini program"),
        ChannelKind.Phone => L(language, "电话", "Phone"),
        ChannelKind.Video => L(language, "视频", "Video"),
        _ => L(language, "未知", "unknown"),
    };

    private static string StateName(ConversationState state, ExportLanguage language) => state switch
    {
        ConversationState.Created => L(language, "已创建", "created"),
        ConversationState.Bot => L(language, "机器人服务中", "with a robot"),
        ConversationState.Queued => L(language, "排队中", "queued"),
        ConversationState.Offered => L(language, "待接起", "offered"),
        ConversationState.InService => L(language, "服务中", "in service"),
        ConversationState.Closed => L(language, "已结束", "closed"),
        _ => state.ToString(),
    };

    private static string CloseReasonName(CloseReason reason, ExportLanguage language) => reason switch
    {
        CloseReason.AgentEnded => L(language, "客服结束", "agent ended"),
        CloseReason.VisitorEnded => L(language, "访客结束", "visitor ended"),
        CloseReason.VisitorNoReply => L(language, "访客无应答", "visitor did not reply"),
        CloseReason.Inactive => L(language, "超时结束", "inactive"),
        CloseReason.AgentOffline => L(language, "客服离线", "agent offline"),
        CloseReason.QueueAbandoned => L(language, "排队放弃", "abandoned in queue"),
        CloseReason.BotEnded => L(language, "机器人结束", "robot ended"),
        _ => L(language, "其他", "other"),
    };
}
