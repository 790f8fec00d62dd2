using Kefu.Cluster;
using Npgsql;

namespace Kefu.Adapters.PostgreSql;

/// <summary>
/// Shard leases on the <c>shard_lease</c> table. Each operation is one statement, atomic on the row; expiry is judged
/// by the server's clock (<c>clock_timestamp()</c>), so the nodes' clocks need not agree. The epoch grows by one when
/// the owner changes. Tenant commits carrying a lease call <c>kefu_fence</c> first in their transaction.
/// </summary>
internal sealed partial class PostgreSqlKefuStore : IShardLeaseStore
{
    /// <summary>The SQLSTATE <c>kefu_fence</c> raises when a commit's lease is not current.</summary>
    internal const string LeaseLostState = "KF001";

    public ValueTask<ShardLease?> TryAcquireAsync(int shard, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                // Free: inserted at epoch 1. Expired: taken at the next epoch. Held by this owner: renewed, same epoch.
                await using var command = Command(
                    connection,
                    transaction,
                    """
                    INSERT INTO shard_lease AS l (shard, owner, epoch, expires_at) VALUES (@shard, @owner, 1, clock_timestamp() + @duration)
                    ON CONFLICT (shard) DO UPDATE
                        SET owner = excluded.owner,
                            epoch = CASE WHEN l.owner = excluded.owner AND l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
                            expires_at = excluded.expires_at
                        WHERE l.expires_at <= clock_timestamp() OR l.owner = excluded.owner
                    RETURNING shard, owner, epoch, expires_at;
                    """);
                command.Parameters.AddWithValue("shard", shard);
                command.Parameters.AddWithValue("owner", owner);
                command.Parameters.AddWithValue("duration", duration);
                return await ReadLeaseAsync(command, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public ValueTask<ShardLease?> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(
                    connection,
                    transaction,
                    """
                    UPDATE shard_lease SET expires_at = clock_timestamp() + @duration
                    WHERE shard = @shard AND owner = @owner AND epoch = @epoch AND expires_at > clock_timestamp()
                    RETURNING shard, owner, epoch, expires_at;
                    """);
                AddLease(command, lease);
                command.Parameters.AddWithValue("duration", duration);
                return await ReadLeaseAsync(command, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(
                    connection,
                    transaction,
                    "UPDATE shard_lease SET expires_at = clock_timestamp() WHERE shard = @shard AND owner = @owner AND epoch = @epoch AND expires_at > clock_timestamp();");
                AddLease(command, lease);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask());
    }

    public ValueTask<IReadOnlyList<ShardLease>> ListAsync(CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<ShardLease>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT shard, owner, epoch, expires_at FROM shard_lease ORDER BY shard;");
                return await ReadAllAsync(command, ReadLease, ct).ConfigureAwait(false);
            },
            cancellationToken);

    public ValueTask<bool> IsCurrentAsync(ShardLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return ReadAsync(
            async (connection, ct) =>
            {
                await using var command = Command(
                    connection,
                    null,
                    "SELECT EXISTS (SELECT 1 FROM shard_lease WHERE shard = @shard AND owner = @owner AND epoch = @epoch AND expires_at > clock_timestamp());");
                AddLease(command, lease);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
            },
            cancellationToken);
    }

    private static void AddLease(NpgsqlCommand command, ShardLease lease)
    {
        command.Parameters.AddWithValue("shard", lease.Shard);
        command.Parameters.AddWithValue("owner", lease.Owner);
        command.Parameters.AddWithValue("epoch", lease.Epoch);
    }

    private static async ValueTask<ShardLease?> ReadLeaseAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadLease(reader) : null;
    }

    private static ShardLease ReadLease(NpgsqlDataReader reader)
        => new(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3));
}
