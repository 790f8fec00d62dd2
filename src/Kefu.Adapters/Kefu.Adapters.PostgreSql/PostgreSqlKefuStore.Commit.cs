using Google.Protobuf;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Npgsql;

namespace Kefu.Adapters.PostgreSql;

/// <summary>
/// Tenant commits: every statement of a batch (tenant, settings, directory, visitors, conversations, messages,
/// recalls, outbox, last sequence) goes to the server as one <see cref="NpgsqlBatch"/> inside one transaction, so a
/// batch costs one round trip and is stored entirely or not at all.
/// </summary>
internal sealed partial class PostgreSqlKefuStore : ITenantCommitStore, IDirectoryStore
{
    public ValueTask CommitAsync(TenantCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return new(CommitCoreAsync(commit, cancellationToken));
    }

    private async Task CommitCoreAsync(TenantCommit commit, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(
                async (connection, transaction, ct) =>
                {
                    await using var batch = new NpgsqlBatch(connection, transaction);
                    AddCommit(batch, commit);
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    return 0;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == LeaseLostState && commit.Lease is { } lease)
        {
            throw new Cluster.KefuLeaseLostException(lease, e);
        }
    }

    private static void AddCommit(NpgsqlBatch batch, TenantCommit commit)
    {
        var tenantId = commit.TenantId;

        // Fenced first: the lease row is share-locked for the rest of the transaction, or the batch fails here.
        if (commit.Lease is { } fence)
        {
            Add(batch, "SELECT kefu_fence($1, $2, $3);", fence.Shard, fence.Owner, fence.Epoch);
        }

        Add(batch, "INSERT INTO tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING;", tenantId);
        if (commit.Tenant is not null)
        {
            Add(batch, "UPDATE tenants SET tenant = $2 WHERE tenant_id = $1;", tenantId, StoreJson.Write(commit.Tenant));
        }

        if (commit.Settings is not null)
        {
            Add(batch, "UPDATE tenants SET settings = $2 WHERE tenant_id = $1;", tenantId, StoreJson.Write(commit.Settings));
        }

        foreach (var change in commit.Directory)
        {
            if (change.Entity is null)
            {
                Add(batch, "DELETE FROM directory_entities WHERE tenant_id = $1 AND id = $2;", tenantId, change.Id);
            }
            else
            {
                Add(
                    batch,
                    """
                    INSERT INTO directory_entities (tenant_id, id, kind, entity) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (tenant_id, id) DO UPDATE SET kind = excluded.kind, entity = excluded.entity;
                    """,
                    tenantId,
                    change.Id,
                    StoreJson.DirectoryKind(change.Entity),
                    StoreJson.WriteDirectory(change.Entity));
            }
        }

        foreach (var visitor in commit.Visitors)
        {
            Add(
                batch,
                "INSERT INTO visitors (tenant_id, id, visitor) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, id) DO UPDATE SET visitor = excluded.visitor;",
                tenantId,
                visitor.Id,
                StoreJson.Write(visitor));
        }

        // A conversation keeps the position and visitor of its first commit.
        foreach (var conversation in commit.Conversations)
        {
            Add(
                batch,
                """
                INSERT INTO conversations (tenant_id, id, visitor_id, closed, conversation, created_ticks, agent_id, channel_kind, rating_level, problem_type_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (tenant_id, id) DO UPDATE SET closed = excluded.closed, conversation = excluded.conversation, agent_id = excluded.agent_id,
                    rating_level = excluded.rating_level, problem_type_id = excluded.problem_type_id;
                """,
                tenantId,
                conversation.Id,
                conversation.VisitorId,
                conversation.IsClosed,
                StoreJson.Write(conversation),
                conversation.CreatedAt.UtcTicks,
                conversation.AgentId,
                (int)conversation.ChannelKind,
                conversation.Rating?.Level ?? 0,
                conversation.WrapUp?.ProblemTypeId);
        }

        foreach (var e in commit.Events)
        {
            switch (e.PayloadCase)
            {
                case KefuEvent.PayloadOneofCase.Message:
                    Add(
                        batch,
                        "INSERT INTO messages (tenant_id, conversation_id, message_id, event, text) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING;",
                        tenantId,
                        e.ConversationId,
                        e.Message.MessageId,
                        e.ToByteArray(),
                        MessageText.Of(e));
                    break;
                case KefuEvent.PayloadOneofCase.MessageRecalled:
                    Add(batch, "INSERT INTO recalled_messages (tenant_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;", tenantId, e.MessageRecalled.MessageId);
                    break;
            }
        }

        foreach (var e in commit.RecordsOutbox ? commit.Events : [])
        {
            Add(batch, "INSERT INTO outbox (tenant_id, sequence, event) VALUES ($1, $2, $3);", tenantId, e.Sequence, e.ToByteArray());
        }

        if (commit.Events.Count > 0)
        {
            Add(batch, "UPDATE tenants SET last_sequence = $2 WHERE tenant_id = $1;", tenantId, commit.Events[^1].Sequence);
        }
    }

    private static void Add(NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
    }

    // ---- IDirectoryStore

    public ValueTask<TenantSnapshot?> LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default)
        => ReadAsync<TenantSnapshot?>(
            async (connection, ct) =>
            {
                // One repeatable-read transaction, so the snapshot is consistent with itself while commits go on.
                var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    string tenantJson;
                    string? settingsJson;
                    long lastSequence;
                    await using (var command = Command(connection, transaction, "SELECT tenant, settings, last_sequence FROM tenants WHERE tenant_id = @tenant AND tenant IS NOT NULL;"))
                    {
                        command.Parameters.AddWithValue("tenant", tenantId);
                        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            return null;
                        }

                        tenantJson = reader.GetString(0);
                        settingsJson = reader.IsDBNull(1) ? null : reader.GetString(1);
                        lastSequence = reader.GetInt64(2);
                    }

                    List<IDirectoryEntity> directory;
                    await using (var command = Command(connection, transaction, "SELECT kind, entity FROM directory_entities WHERE tenant_id = @tenant ORDER BY id;"))
                    {
                        command.Parameters.AddWithValue("tenant", tenantId);
                        directory = await ReadAllAsync(command, static r => StoreJson.ReadDirectory(r.GetString(0), r.GetString(1)), ct).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return new TenantSnapshot
                    {
                        Tenant = StoreJson.Read<Tenant>(tenantJson),
                        Settings = settingsJson is null ? new TenantSettings() : StoreJson.Read<TenantSettings>(settingsJson),
                        Directory = directory,
                        LastEventSequence = lastSequence,
                    };
                }
            },
            cancellationToken);

    public ValueTask<Tenant?> GetTenantAsync(long tenantId, CancellationToken cancellationToken = default)
        => ReadAsync<Tenant?>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT tenant FROM tenants WHERE tenant_id = @tenant AND tenant IS NOT NULL;");
                command.Parameters.AddWithValue("tenant", tenantId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? StoreJson.Read<Tenant>(json) : null;
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<Tenant>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT tenant FROM tenants WHERE tenant IS NOT NULL ORDER BY tenant_id;");
                return await ReadAllAsync(command, static r => StoreJson.Read<Tenant>(r.GetString(0)), ct).ConfigureAwait(false);
            },
            cancellationToken);

    public ValueTask<TenantTemplate?> GetTenantTemplateAsync(CancellationToken cancellationToken = default)
        => ReadAsync<TenantTemplate?>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT template FROM tenant_template WHERE id = 1;");
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? StoreJson.Read<TenantTemplate>(json) : null;
            },
            cancellationToken);

    public ValueTask SaveTenantTemplateAsync(TenantTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new(WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, "INSERT INTO tenant_template (id, template) VALUES (1, @template) ON CONFLICT (id) DO UPDATE SET template = excluded.template;");
                command.Parameters.AddWithValue("template", StoreJson.Write(template));
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask());
    }
}
