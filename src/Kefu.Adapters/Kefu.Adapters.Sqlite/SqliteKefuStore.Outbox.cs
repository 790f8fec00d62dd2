using Google.Protobuf;
using Kefu.Events;
using Kefu.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

internal sealed partial class SqliteKefuStore : IOutboxStore
{
    public ValueTask<IReadOnlyList<KefuEvent>> ReadPendingAsync(long tenantId, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return _database.ReadAsync<IReadOnlyList<KefuEvent>>(
            async (connection, ct) =>
            {
                using var command = Command(connection, null, "SELECT event FROM outbox WHERE tenant_id = $tenant AND sequence > $after ORDER BY sequence LIMIT $max;");
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$after", afterSequence);
                command.Parameters.AddWithValue("$max", max);
                var events = new List<KefuEvent>();
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    events.Add(KefuEvent.Parser.ParseFrom((byte[])reader.GetValue(0)));
                }

                return events;
            },
            cancellationToken);
    }

    public ValueTask MarkDispatchedAsync(long tenantId, long throughSequence, CancellationToken cancellationToken = default)
        => new(_database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var command = _database.WriterCommand(connection, transaction, "DELETE FROM outbox WHERE tenant_id = $tenant AND sequence <= $through;");
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$through", throughSequence);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask());

    /// <summary>Adds events to the outbox inside the caller's transaction.</summary>
    private static async ValueTask AppendOutboxAsync(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction, long tenantId, IReadOnlyList<KefuEvent> events, byte[][] payloads, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var command = database.WriterCommand(connection, transaction, "INSERT INTO outbox (tenant_id, sequence, event) VALUES ($tenant, $sequence, $event);");
        command.Parameters.AddWithValue("$tenant", tenantId);
        var sequence = command.Parameters.Add("$sequence", SqliteType.Integer);
        var payload = command.Parameters.Add("$event", SqliteType.Blob);
        for (var i = 0; i < events.Count; i++)
        {
            sequence.Value = events[i].Sequence;
            payload.Value = payloads[i];
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
