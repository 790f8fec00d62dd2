using Kefu.Storage;

namespace Kefu.Adapters.Sqlite;

internal sealed partial class SqliteKefuStore : IAggregateStore
{
    public ValueTask<bool> ApplyAsync(long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(deltas);
        return _database.WriteAsync((connection, transaction, ct) => ApplyOneAsync(connection, transaction, tenantId, consumer, eventId, deltas, ct), cancellationToken);
    }

    public ValueTask<int> ApplyManyAsync(long tenantId, string consumer, IReadOnlyList<AggregateEventDeltas> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(events);
        return _database.WriteAsync(
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
    private async ValueTask<bool> ApplyOneAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, long tenantId, string consumer, long eventId, IReadOnlyList<AggregateDelta> deltas, CancellationToken ct)
    {
        // Both statements are the writer's prepared ones: a batch of events runs them many times in one transaction.
        var mark = _database.WriterCommand(connection, transaction, "INSERT OR IGNORE INTO aggregate_applied_events (tenant_id, consumer, event_id) VALUES ($tenant, $consumer, $event);");
        mark.Parameters.AddWithValue("$tenant", tenantId);
        mark.Parameters.AddWithValue("$consumer", consumer);
        mark.Parameters.AddWithValue("$event", eventId);
        if (await mark.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
        {
            return false;
        }

        if (deltas.Count == 0)
        {
            return true;
        }

        var upsert = _database.WriterCommand(
            connection,
            transaction,
            """
            INSERT INTO aggregate_cells (tenant_id, series, granularity, bucket_start_ticks, dimension, bucket_start_offset, count, sum, max)
            VALUES ($tenant, $series, $granularity, $ticks, $dimension, $offset, $count, $sum, $max)
            ON CONFLICT (tenant_id, series, granularity, bucket_start_ticks, dimension) DO UPDATE SET
                count = count + excluded.count, sum = sum + excluded.sum, max = max(max, excluded.max);
            """);
        var tenant = upsert.Parameters.AddWithValue("$tenant", tenantId);
        var series = upsert.Parameters.Add("$series", Microsoft.Data.Sqlite.SqliteType.Text);
        var granularity = upsert.Parameters.Add("$granularity", Microsoft.Data.Sqlite.SqliteType.Integer);
        var ticks = upsert.Parameters.Add("$ticks", Microsoft.Data.Sqlite.SqliteType.Integer);
        var dimension = upsert.Parameters.Add("$dimension", Microsoft.Data.Sqlite.SqliteType.Text);
        var offset = upsert.Parameters.Add("$offset", Microsoft.Data.Sqlite.SqliteType.Integer);
        var count = upsert.Parameters.Add("$count", Microsoft.Data.Sqlite.SqliteType.Integer);
        var sum = upsert.Parameters.Add("$sum", Microsoft.Data.Sqlite.SqliteType.Real);
        var max = upsert.Parameters.Add("$max", Microsoft.Data.Sqlite.SqliteType.Real);
        foreach (var d in deltas)
        {
            series.Value = d.Series;
            granularity.Value = (long)d.Granularity;
            ticks.Value = d.BucketStart.UtcTicks;
            dimension.Value = d.Dimension;
            offset.Value = OffsetMinutes(d.BucketStart);
            count.Value = d.Count;
            sum.Value = d.Sum;
            max.Value = d.Max;
            await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        return true;
    }

    public ValueTask<IReadOnlyList<AggregateCell>> QueryAsync(long tenantId, string series, BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return _database.ReadAsync<IReadOnlyList<AggregateCell>>(
            async (connection, ct) =>
            {
                using var command = Command(
                    connection,
                    null,
                    """
                    SELECT dimension, bucket_start_ticks, bucket_start_offset, count, sum, max FROM aggregate_cells
                    WHERE tenant_id = $tenant AND series = $series AND granularity = $granularity
                      AND bucket_start_ticks >= $from AND bucket_start_ticks < $to;
                    """);
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$series", series);
                command.Parameters.AddWithValue("$granularity", (long)granularity);
                command.Parameters.AddWithValue("$from", from.UtcTicks);
                command.Parameters.AddWithValue("$to", to.UtcTicks);
                var cells = new List<AggregateCell>();
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    cells.Add(new AggregateCell(series, reader.GetString(0), granularity, ReadInstant(reader, 1, 2), reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5)));
                }

                cells.Sort(static (a, b) => a.BucketStart != b.BucketStart ? a.BucketStart.CompareTo(b.BucketStart) : string.CompareOrdinal(a.Dimension, b.Dimension));
                return cells;
            },
            cancellationToken);
    }
}
