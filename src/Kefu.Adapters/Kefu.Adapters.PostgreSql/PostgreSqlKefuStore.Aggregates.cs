using Kefu.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Kefu.Adapters.PostgreSql;

/// <summary>
/// Idempotent aggregates: in one transaction the event is marked applied for its consumer with
/// <c>INSERT … ON CONFLICT DO NOTHING</c> (a second delivery, even a concurrent one on another node, inserts nothing and
/// changes nothing), then the deltas are added to their cells with <c>INSERT … ON CONFLICT DO UPDATE</c>, sent as one batch.
/// </summary>
internal sealed partial class PostgreSqlKefuStore : IAggregateStore
{
    public ValueTask<bool> ApplyAsync(long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(deltas);
        return WriteAsync((connection, transaction, ct) => ApplyOneAsync(connection, transaction, tenantId, consumer, eventId, deltas, ct), cancellationToken);
    }

    public ValueTask<int> ApplyManyAsync(long tenantId, string consumer, IReadOnlyList<AggregateEventDeltas> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(events);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                var applied = 0;
                foreach (var e in events)
                {
                    if (await ApplyOneAsync(connection, transaction, tenantId, consumer, e.EventId, e.Deltas, ct).ConfigureAwait(false))
                    {
                        applied++;
                    }
                }

                return applied;
            },
            cancellationToken);
    }

    /// <summary>Marks the event applied for the consumer and adds its deltas, inside the caller's transaction; false when it was applied before.</summary>
    private static async ValueTask<bool> ApplyOneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken ct)
    {
        await using (var mark = Command(connection, transaction, "INSERT INTO aggregate_applied_events (tenant_id, consumer, event_id) VALUES (@tenant, @consumer, @event) ON CONFLICT DO NOTHING;"))
        {
            mark.Parameters.AddWithValue("tenant", tenantId);
            mark.Parameters.AddWithValue("consumer", consumer);
            mark.Parameters.AddWithValue("event", eventId);
            if (await mark.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        if (deltas.Count == 0)
        {
            return true;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var d in deltas)
        {
            var upsert = new NpgsqlBatchCommand(
                """
                INSERT INTO aggregate_cells (tenant_id, series, granularity, bucket_start_ticks, dimension, bucket_start_offset, cell_count, cell_sum, cell_max)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (tenant_id, series, granularity, bucket_start_ticks, dimension) DO UPDATE SET
                    cell_count = aggregate_cells.cell_count + excluded.cell_count,
                    cell_sum = aggregate_cells.cell_sum + excluded.cell_sum,
                    cell_max = greatest(aggregate_cells.cell_max, excluded.cell_max);
                """);
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenantId });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Series });
            upsert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)d.Granularity });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = d.BucketStart.UtcTicks });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Dimension });
            upsert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = OffsetMinutes(d.BucketStart) });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = d.Count });
            upsert.Parameters.Add(new NpgsqlParameter<double> { TypedValue = d.Sum });
            upsert.Parameters.Add(new NpgsqlParameter<double> { TypedValue = d.Max });
            batch.BatchCommands.Add(upsert);
        }

        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return true;
    }

    public ValueTask<IReadOnlyList<AggregateCell>> QueryAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return ReadAsync<IReadOnlyList<AggregateCell>>(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    null,
                    """
                    SELECT dimension, bucket_start_ticks, bucket_start_offset, cell_count, cell_sum, cell_max FROM aggregate_cells
                    WHERE tenant_id = @tenant AND series = @series AND granularity = @granularity
                      AND bucket_start_ticks >= @from AND bucket_start_ticks < @to;
                    """);
                command.Parameters.AddWithValue("tenant", tenantId);
                command.Parameters.AddWithValue("series", series);
                command.Parameters.AddWithValue("granularity", NpgsqlDbType.Smallint, (short)granularity);
                command.Parameters.AddWithValue("from", from.UtcTicks);
                command.Parameters.AddWithValue("to", to.UtcTicks);
                var cells = await ReadAllAsync(
                    command,
                    r => new AggregateCell(series, r.GetString(0), granularity, ReadInstant(r, 1, 2), r.GetInt64(3), r.GetDouble(4), r.GetDouble(5)),
                    ct).ConfigureAwait(false);
                cells.Sort(static (a, b) => a.BucketStart != b.BucketStart ? a.BucketStart.CompareTo(b.BucketStart) : string.CompareOrdinal(a.Dimension, b.Dimension));
                return cells;
            },
            cancellationToken);
    }
}
