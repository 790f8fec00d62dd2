using Kefu.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

internal sealed partial class SqliteKefuStore : IRetentionStore
{
    public async ValueTask<RetentionPurge> PurgeClosedConversationsAsync(long tenantId, DateTimeOffset closedBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);

        // Find the expired conversations on a reader connection, oldest first, so the writer is held only for the
        // deletes. A conversation created after the cut-off ends the scan: everything after it is newer still.
        var expired = await _database.ReadAsync(
            async (connection, ct) =>
            {
                using var command = Command(
                    connection,
                    null,
                    "SELECT position, conversation FROM conversations WHERE tenant_id = $tenant AND closed = 1 AND position > $after ORDER BY position LIMIT $limit;");
                command.Parameters.AddWithValue("$tenant", tenantId);
                var afterParameter = command.Parameters.Add("$after", SqliteType.Integer);
                command.Parameters.AddWithValue("$limit", RetentionScan.Page);
                return await RetentionScan.CollectAsync(command, afterParameter, closedBefore, max, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        if (expired.Count == 0)
        {
            return default;
        }

        return await _database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                using var recalled = Command(
                    connection,
                    transaction,
                    "DELETE FROM recalled_messages WHERE tenant_id = $tenant AND message_id IN (SELECT message_id FROM messages WHERE tenant_id = $tenant AND conversation_id = $id);");
                using var messages = Command(connection, transaction, "DELETE FROM messages WHERE tenant_id = $tenant AND conversation_id = $id;");
                using var conversations = Command(connection, transaction, "DELETE FROM conversations WHERE tenant_id = $tenant AND id = $id AND closed = 1;");
                var ids = new SqliteParameter[3];
                var commands = new[] { recalled, messages, conversations };
                for (var i = 0; i < commands.Length; i++)
                {
                    commands[i].Parameters.AddWithValue("$tenant", tenantId);
                    ids[i] = commands[i].Parameters.Add("$id", SqliteType.Integer);
                }

                var purge = default(RetentionPurge);
                foreach (var id in expired)
                {
                    foreach (var parameter in ids)
                    {
                        parameter.Value = id;
                    }

                    await recalled.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    var deletedMessages = await messages.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    var deletedConversations = await conversations.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    purge += new RetentionPurge(deletedConversations, deletedMessages);
                }

                return purge;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
