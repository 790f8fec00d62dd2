using System.Data.Common;
using Kefu.Storage;

namespace Kefu.Adapters;

/// <summary>
/// History search (<see cref="HistoryQuery"/>) as SQL over the conversations table's search columns, shared by the
/// SQL adapters (compiled into each): every filter is a column, so the database counts and pages.
/// </summary>
internal static class HistorySql
{
    /// <summary>
    /// Adds the query's filters to <paramref name="count"/> and <paramref name="page"/>: both get
    /// <c>SELECT count(*)</c> and <c>SELECT conversation … ORDER BY position DESC LIMIT … OFFSET …</c> over the
    /// tenant's matching conversations. <paramref name="prefix"/> is how the provider's SQL names a parameter
    /// (<c>$</c> or <c>@</c>); <paramref name="parameter"/> makes a parameter of that provider from its bare name.
    /// </summary>
    public static void Build(HistoryQuery query, long tenantId, char prefix, Func<string, object, DbParameter> parameter, DbCommand count, DbCommand page)
    {
        var where = new System.Text.StringBuilder($"tenant_id = {prefix}tenant");
        var values = new List<(string Name, object Value)> { ("tenant", tenantId) };
        void Filter(string column, string name, object value, string op = "=")
        {
            where.Append($" AND {column} {op} {prefix}{name}");
            values.Add((name, value));
        }

        if (query.ConversationId is { } id)
        {
            Filter("id", "id", id);
        }

        if (query.From is { } from)
        {
            Filter("created_ticks", "from", from.UtcTicks, ">=");
        }

        if (query.To is { } to)
        {
            Filter("created_ticks", "to", to.UtcTicks, "<");
        }

        if (query.Closed is { } closed)
        {
            Filter("closed", "closed", closed);
        }

        if (query.RatingLevel is { } level)
        {
            Filter("rating_level", "rating", level);
        }

        if (query.ProblemTypeId is { } problemType)
        {
            Filter("problem_type_id", "problem", problemType);
        }

        if (query.ChannelKind is { } channel)
        {
            Filter("channel_kind", "channel", (int)channel);
        }

        if (query.AgentId is { } agent)
        {
            Filter("agent_id", "agent", agent);
        }

        if (query.VisitorId is { } visitor)
        {
            Filter("visitor_id", "visitor", visitor);
        }

        count.CommandText = $"SELECT count(*) FROM conversations WHERE {where};";
        page.CommandText = $"SELECT conversation FROM conversations WHERE {where} ORDER BY position DESC LIMIT {prefix}limit OFFSET {prefix}offset;";
        foreach (var (name, value) in values)
        {
            count.Parameters.Add(parameter(name, value));
            page.Parameters.Add(parameter(name, value));
        }

        page.Parameters.Add(parameter("limit", query.PageSize));
        page.Parameters.Add(parameter("offset", query.Offset));
    }
}
