using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Npgsql;

namespace Kefu.Adapters.PostgreSql;

internal sealed partial class PostgreSqlKefuStore : IConversationStore
{
    private const string MessageSelect =
        """
        SELECT m.event, r.message_id IS NOT NULL FROM messages m
        LEFT JOIN recalled_messages r ON r.tenant_id = m.tenant_id AND r.message_id = m.message_id
        """;

    public ValueTask<Conversation?> GetConversationAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default)
        => ReadAsync<Conversation?>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT conversation FROM conversations WHERE tenant_id = @tenant AND id = @id;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("id", conversationId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? StoreJson.Read<Conversation>(json) : null;
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<Conversation>> ListOpenConversationsAsync(long tenantId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<Conversation>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT conversation FROM conversations WHERE tenant_id = @tenant AND NOT closed ORDER BY position;");
                command.Parameters.AddWithValue("tenant", tenantId);
                return await ReadAllAsync(command, static r => StoreJson.Read<Conversation>(r.GetString(0)), ct).ConfigureAwait(false);
            },
            cancellationToken);

    public ValueTask<Message?> GetMessageAsync(long tenantId, long conversationId, long messageId, CancellationToken cancellationToken = default)
        => ReadAsync<Message?>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, $"{MessageSelect} WHERE m.tenant_id = @tenant AND m.conversation_id = @conversation AND m.message_id = @message;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("conversation", conversationId);
                command.Parameters.AddWithValue("message", messageId);
                var messages = await ReadAllAsync(command, ReadMessage, ct).ConfigureAwait(false);
                return messages.Count == 0 ? null : messages[0];
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<Message>> GetMessagesAsync(long tenantId, long conversationId, long? beforeMessageId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<Message>>(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    null,
                    $"{MessageSelect} WHERE m.tenant_id = @tenant AND m.conversation_id = @conversation AND m.message_id < @before ORDER BY m.message_id DESC LIMIT @limit;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("conversation", conversationId);
                command.Parameters.AddWithValue("before", beforeMessageId ?? long.MaxValue);
                command.Parameters.AddWithValue("limit", (long)limit);
                var page = await ReadAllAsync(command, ReadMessage, ct).ConfigureAwait(false);
                page.Reverse();
                return page;
            },
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<Message>> GetVisitorMessagesAsync(long tenantId, long visitorId, long? beforeMessageId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<Message>>(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    null,
                    $"""
                    {MessageSelect}
                    JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
                    WHERE m.tenant_id = @tenant AND c.visitor_id = @visitor AND m.message_id < @before
                    ORDER BY m.message_id DESC LIMIT @limit;
                    """);
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("visitor", visitorId);
                command.Parameters.AddWithValue("before", beforeMessageId ?? long.MaxValue);
                command.Parameters.AddWithValue("limit", (long)limit);
                var page = await ReadAllAsync(command, ReadMessage, ct).ConfigureAwait(false);
                page.Reverse();
                return page;
            },
            cancellationToken);
    }

    public ValueTask<Page<Conversation>> SearchConversationsAsync(long tenantId, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(
            async (connection, ct) =>
            {
                // One repeatable-read transaction, so the count and the page see the same snapshot.
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
                await using var count = Command(connection, transaction, string.Empty);
                await using var page = Command(connection, transaction, string.Empty);
                HistorySql.Build(query, tenantId, '@', "ILIKE", static (name, value) => new NpgsqlParameter(name, value), count, page);
                var total = Convert.ToInt32(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                var items = await ReadAllAsync(page, static r => StoreJson.Read<Conversation>(r.GetString(0)), ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return new Page<Conversation>(items, total, query.Offset);
            },
            cancellationToken);
    }

    public ValueTask<Visitor?> GetVisitorAsync(long tenantId, long visitorId, CancellationToken cancellationToken = default)
        => ReadAsync<Visitor?>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT visitor FROM visitors WHERE tenant_id = @tenant AND id = @id;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("id", visitorId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? StoreJson.Read<Visitor>(json) : null;
            },
            cancellationToken);

    public ValueTask<Page<Visitor>> SearchVisitorsAsync(long tenantId, VisitorQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT visitor FROM visitors WHERE tenant_id = @tenant ORDER BY id DESC;");
                command.Parameters.AddWithValue("tenant", tenantId);
                var visitors = await ReadAllAsync(command, static r => StoreJson.Read<Visitor>(r.GetString(0)), ct).ConfigureAwait(false);
                var matches = visitors.Where(query.Matches).ToList();
                return new Page<Visitor>([.. matches.Skip(query.Offset).Take(query.PageSize)], matches.Count, query.Offset);
            },
            cancellationToken);
    }

    private static Message ReadMessage(NpgsqlDataReader reader)
        => KefuEvent.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0)).ToMessage(recalled: reader.GetBoolean(1));
}
