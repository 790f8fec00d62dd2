using Kefu.Storage;
using NpgsqlTypes;

namespace Kefu.Adapters.PostgreSql;

internal sealed partial class PostgreSqlKefuStore : IRetentionStore
{
    public async ValueTask<RetentionPurge> PurgeClosedConversationsAsync(long tenantId, DateTimeOffset closedBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);

        // Find the expired conversations outside the deleting transaction, oldest first; a conversation created after
        // the cut-off ends the scan.
        var expired = await ReadAsync(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    null,
                    "SELECT position, conversation FROM conversations WHERE tenant_id = @tenant AND closed AND position > @after ORDER BY position LIMIT @limit;");
                command.Parameters.AddWithValue("tenant", tenantId);
                var afterParameter = command.Parameters.Add("after", NpgsqlDbType.Bigint);
                command.Parameters.AddWithValue("limit", RetentionScan.Page);
                return await RetentionScan.CollectAsync(command, afterParameter, closedBefore, max, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        if (expired.Count == 0)
        {
            return default;
        }

        return await WriteAsync(
            async (connection, transaction, ct) =>
            {
                var ids = expired.ToArray();
                await using var recalled = Command(
                    connection,
                    transaction,
                    """
                    DELETE FROM recalled_messages r USING messages m
                    WHERE r.tenant_id = @tenant AND m.tenant_id = @tenant AND m.conversation_id = ANY(@ids) AND r.message_id = m.message_id;
                    """);
                await using var messages = Command(connection, transaction, "DELETE FROM messages WHERE tenant_id = @tenant AND conversation_id = ANY(@ids);");
                await using var conversations = Command(connection, transaction, "DELETE FROM conversations WHERE tenant_id = @tenant AND id = ANY(@ids) AND closed;");
                foreach (var command in (ReadOnlySpan<Npgsql.NpgsqlCommand>)[recalled, messages, conversations])
                {
                    command.Parameters.AddWithValue("tenant", tenantId);
                    command.Parameters.AddWithValue("ids", ids);
                }

                await recalled.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                var deletedMessages = await messages.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                var deletedConversations = await conversations.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return new RetentionPurge(deletedConversations, deletedMessages);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
