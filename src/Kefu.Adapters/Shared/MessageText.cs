using System.Data.Common;
using Kefu.Events;

namespace Kefu.Adapters;

/// <summary>
/// The <c>text</c> column of the messages table, shared by the SQL adapters (compiled into each): a message's text
/// beside its protobuf event, so history search (<see cref="Kefu.Storage.HistoryQuery.Text"/>) matches it in the
/// database.
/// </summary>
internal static class MessageText
{
    private const int BackfillBatch = 1000;

    /// <summary>What a message event stores in the <c>text</c> column: its text, or <see cref="DBNull"/> when it has none.</summary>
    public static object Of(KefuEvent e) => e.Message.Text is { Length: > 0 } text ? text : DBNull.Value;

    /// <summary>
    /// Fills the <c>text</c> column of every stored message from its event, in key order and in batches (the
    /// migration that adds the column calls this in its transaction). <paramref name="prefix"/> and
    /// <paramref name="parameter"/> are as in <see cref="HistorySql.Build"/>.
    /// </summary>
    public static async Task BackfillAsync(DbConnection connection, DbTransaction transaction, char prefix, Func<string, object, DbParameter> parameter, CancellationToken cancellationToken)
    {
        using var read = Command(
            connection,
            transaction,
            $"""
            SELECT tenant_id, conversation_id, message_id, event FROM messages
            WHERE (tenant_id, conversation_id, message_id) > ({prefix}tenant, {prefix}conversation, {prefix}message)
            ORDER BY tenant_id, conversation_id, message_id LIMIT {BackfillBatch};
            """,
            Key(parameter));
        using var update = Command(
            connection,
            transaction,
            $"UPDATE messages SET text = {prefix}text WHERE tenant_id = {prefix}tenant AND conversation_id = {prefix}conversation AND message_id = {prefix}message;",
            [.. Key(parameter), parameter("text", string.Empty)]);
        List<Row> batch;
        do
        {
            batch = await ReadBatchAsync(read, cancellationToken).ConfigureAwait(false);
            foreach (var row in batch.Where(static r => r.Text is string))
            {
                SetKey(update, row);
                update.Parameters[3].Value = row.Text;
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (batch.Count > 0)
            {
                SetKey(read, batch[^1]);
            }
        }
        while (batch.Count == BackfillBatch);
    }

    /// <summary>The key parameters of a message row, at the lowest key.</summary>
    private static DbParameter[] Key(Func<string, object, DbParameter> parameter)
        => [parameter("tenant", long.MinValue), parameter("conversation", long.MinValue), parameter("message", long.MinValue)];

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, DbParameter[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static void SetKey(DbCommand command, Row row)
    {
        command.Parameters[0].Value = row.Tenant;
        command.Parameters[1].Value = row.Conversation;
        command.Parameters[2].Value = row.Message;
    }

    private static async Task<List<Row>> ReadBatchAsync(DbCommand read, CancellationToken cancellationToken)
    {
        var batch = new List<Row>(BackfillBatch);
        using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var e = KefuEvent.Parser.ParseFrom((byte[])reader.GetValue(3));
            batch.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), Of(e)));
        }

        return batch;
    }

    private readonly record struct Row(long Tenant, long Conversation, long Message, object Text);
}
