using Kefu.Events;
using Kefu.Storage;

namespace Kefu.Adapters.PostgreSql;

internal sealed partial class PostgreSqlKefuStore : IOutboxStore
{
    public ValueTask<IReadOnlyList<KefuEvent>> ReadPendingAsync(long tenantId, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return ReadAsync<IReadOnlyList<KefuEvent>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT event FROM outbox WHERE tenant_id = @tenant AND sequence > @after ORDER BY sequence LIMIT @max;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("after", afterSequence);
                command.Parameters.AddWithValue("max", (long)max);
                return await ReadAllAsync(command, static r => KefuEvent.Parser.ParseFrom(r.GetFieldValue<byte[]>(0)), ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public ValueTask MarkDispatchedAsync(long tenantId, long throughSequence, CancellationToken cancellationToken = default)
        => new(WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, "DELETE FROM outbox WHERE tenant_id = @tenant AND sequence <= @through;");
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("through", throughSequence);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask());
}
