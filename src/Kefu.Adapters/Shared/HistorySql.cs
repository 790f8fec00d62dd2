using System.Data.Common;
using Kefu.Storage;

namespace Kefu.Adapters;

/// <summary>
/// History search (<see cref="HistoryQuery"/>) as SQL over the conversations table's search columns, shared by the
/// SQL adapters (compiled into each): every filter is a column, or for <see cref="HistoryQuery.Text"/> an
/// <c>EXISTS</c> over the messages' text column (<see cref="MessageText"/>), so the database counts and pages.
/// </summary>
internal static class HistorySql
{
    /// <summary>
    /// Adds the query's filters to <paramref name="count"/> and <paramref name="page"/>: both get
    /// <c>SELECT count(*)</c> and <c>SELECT conversation … ORDER BY position DESC LIMIT … OFFSET …</c> over the
    /// tenant's matching conversations. <paramref name="prefix"/> is how the provider's SQL names a parameter
    /// (<c>$</c> or <c>@</c>); <paramref name="parameter"/> makes a parameter of that provider from its bare name.
    /// <paramref name="like"/> is the provider's operator for <see cref="HistoryQuery.Text"/>, which must ignore the case
    /// of Latin letters at least (<c>LIKE</c> in SQLite, <c>ILIKE</c> in PostgreSQL).
    /// </summary>
    public static void Build(HistoryQuery query, long tenantId, char prefix, string like, Func<string, object, DbParameter> parameter, DbCommand count, DbCommand page)
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

        if (query.Text is { } text)
        {
            where.Append(" AND ").Append(HasMessageLike(prefix, like));
            values.Add(("text", ContainsPattern(text)));
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

    /// <summary>
    /// Whether the conversation of the outer row has a message, not recalled, whose text matches the pattern in the
    /// parameter <c>text</c> (made by <see cref="ContainsPattern"/>, so <c>\</c> escapes).
    /// </summary>
    private static string HasMessageLike(char prefix, string like) =>
        $"""
        EXISTS (SELECT 1 FROM messages m
            WHERE m.tenant_id = conversations.tenant_id AND m.conversation_id = conversations.id AND m.text {like} {prefix}text ESCAPE '\'
            AND NOT EXISTS (SELECT 1 FROM recalled_messages r WHERE r.tenant_id = m.tenant_id AND r.message_id = m.message_id))
        """;

    /// <summary>A LIKE pattern matching any text that contains <paramref name="text"/>, whose <c>%</c>, <c>_</c> and <c>\</c> are taken literally.</summary>
    private static string ContainsPattern(string text)
        => "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
