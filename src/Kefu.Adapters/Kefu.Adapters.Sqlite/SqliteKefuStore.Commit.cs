using Google.Protobuf;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Sqlite;

internal sealed partial class SqliteKefuStore : ITenantCommitStore, IDirectoryStore
{
    public ValueTask CommitAsync(TenantCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return new(_database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await ApplyCommitAsync(connection, transaction, commit, ct).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).AsTask());
    }

    private async ValueTask ApplyCommitAsync(SqliteConnection connection, SqliteTransaction transaction, TenantCommit commit, CancellationToken ct)
    {
        var tenantId = commit.TenantId;
        var ensure = _database.WriterCommand(connection, transaction, "INSERT OR IGNORE INTO tenants (tenant_id) VALUES ($tenant);");
        ensure.Parameters.AddWithValue("$tenant", tenantId);
        await ensure.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        if (commit.Tenant is not null)
        {
            await UpdateTenantColumnAsync(connection, transaction, tenantId, "tenant", StoreJson.Write(commit.Tenant), ct).ConfigureAwait(false);
        }

        if (commit.Settings is not null)
        {
            await UpdateTenantColumnAsync(connection, transaction, tenantId, "settings", StoreJson.Write(commit.Settings), ct).ConfigureAwait(false);
        }

        if (commit.Directory.Count > 0)
        {
            using var upsert = Command(connection, transaction, "INSERT OR REPLACE INTO directory_entities (tenant_id, id, kind, entity) VALUES ($tenant, $id, $kind, $entity);");
            using var delete = Command(connection, transaction, "DELETE FROM directory_entities WHERE tenant_id = $tenant AND id = $id;");
            foreach (var change in commit.Directory)
            {
                var command = change.Entity is null ? delete : upsert;
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$id", change.Id);
                if (change.Entity is not null)
                {
                    command.Parameters.AddWithValue("$kind", StoreJson.DirectoryKind(change.Entity));
                    command.Parameters.AddWithValue("$entity", StoreJson.WriteDirectory(change.Entity));
                }

                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        if (commit.Visitors.Count > 0)
        {
            var upsert = _database.WriterCommand(connection, transaction, "INSERT OR REPLACE INTO visitors (tenant_id, id, visitor) VALUES ($tenant, $id, $visitor);");
            upsert.Parameters.AddWithValue("$tenant", tenantId);
            var id = upsert.Parameters.Add("$id", SqliteType.Integer);
            var json = upsert.Parameters.Add("$visitor", SqliteType.Text);
            foreach (var visitor in commit.Visitors)
            {
                id.Value = visitor.Id;
                json.Value = StoreJson.Write(visitor);
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        if (commit.Conversations.Count > 0)
        {
            // Most commits change a known conversation without moving it in any index (a message bumps its count and
            // time): rewriting only the unindexed columns leaves the pages of the open list and of the agent's list
            // clean, where the upsert below rewrites their entries whether they changed or not.
            var update = _database.WriterCommand(
                connection,
                transaction,
                """
                UPDATE conversations SET conversation = $conversation, rating_level = $rating, problem_type_id = $problem
                WHERE tenant_id = $tenant AND id = $id AND closed = $closed AND agent_id IS $agent;
                """);
            update.Parameters.AddWithValue("$tenant", tenantId);
            var updateId = update.Parameters.Add("$id", SqliteType.Integer);
            var updateClosed = update.Parameters.Add("$closed", SqliteType.Integer);
            var updateJson = update.Parameters.Add("$conversation", SqliteType.Text);
            var updateAgent = update.Parameters.Add("$agent", SqliteType.Integer);
            var updateRating = update.Parameters.Add("$rating", SqliteType.Integer);
            var updateProblem = update.Parameters.Add("$problem", SqliteType.Integer);

            // A conversation keeps the position and visitor of its first commit.
            var upsert = _database.WriterCommand(
                connection,
                transaction,
                """
                INSERT INTO conversations (tenant_id, id, position, visitor_id, closed, conversation, created_ticks, agent_id, channel_kind, rating_level, problem_type_id)
                VALUES ($tenant, $id, (SELECT coalesce(max(position), 0) + 1 FROM conversations WHERE tenant_id = $tenant), $visitor, $closed, $conversation,
                        $created, $agent, $channel, $rating, $problem)
                ON CONFLICT (tenant_id, id) DO UPDATE SET closed = excluded.closed, conversation = excluded.conversation, agent_id = excluded.agent_id,
                    rating_level = excluded.rating_level, problem_type_id = excluded.problem_type_id;
                """);
            upsert.Parameters.AddWithValue("$tenant", tenantId);
            var id = upsert.Parameters.Add("$id", SqliteType.Integer);
            var visitor = upsert.Parameters.Add("$visitor", SqliteType.Integer);
            var closed = upsert.Parameters.Add("$closed", SqliteType.Integer);
            var json = upsert.Parameters.Add("$conversation", SqliteType.Text);
            var created = upsert.Parameters.Add("$created", SqliteType.Integer);
            var agent = upsert.Parameters.Add("$agent", SqliteType.Integer);
            var channel = upsert.Parameters.Add("$channel", SqliteType.Integer);
            var rating = upsert.Parameters.Add("$rating", SqliteType.Integer);
            var problem = upsert.Parameters.Add("$problem", SqliteType.Integer);
            foreach (var conversation in commit.Conversations)
            {
                var conversationJson = StoreJson.Write(conversation);
                updateId.Value = conversation.Id;
                updateClosed.Value = conversation.IsClosed ? 1 : 0;
                updateJson.Value = conversationJson;
                updateAgent.Value = (object?)conversation.AgentId ?? DBNull.Value;
                updateRating.Value = conversation.Rating?.Level ?? 0;
                updateProblem.Value = (object?)conversation.WrapUp?.ProblemTypeId ?? DBNull.Value;
                if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    continue;
                }

                id.Value = conversation.Id;
                visitor.Value = conversation.VisitorId;
                closed.Value = conversation.IsClosed ? 1 : 0;
                json.Value = conversationJson;
                created.Value = conversation.CreatedAt.UtcTicks;
                agent.Value = (object?)conversation.AgentId ?? DBNull.Value;
                channel.Value = (int)conversation.ChannelKind;
                rating.Value = conversation.Rating?.Level ?? 0;
                problem.Value = (object?)conversation.WrapUp?.ProblemTypeId ?? DBNull.Value;
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        if (commit.Events.Count > 0)
        {
            // Each event is serialised once, for the message table and the outbox.
            var payloads = new byte[commit.Events.Count][];
            for (var i = 0; i < payloads.Length; i++)
            {
                payloads[i] = commit.Events[i].ToByteArray();
            }

            await AppendMessagesAsync(_database, connection, transaction, tenantId, commit.Events, payloads, ct).ConfigureAwait(false);
            if (commit.RecordsOutbox)
            {
                await AppendOutboxAsync(_database, connection, transaction, tenantId, commit.Events, payloads, ct).ConfigureAwait(false);
            }

            var sequence = _database.WriterCommand(connection, transaction, "UPDATE tenants SET last_sequence = $sequence WHERE tenant_id = $tenant;");
            sequence.Parameters.AddWithValue("$tenant", tenantId);
            sequence.Parameters.AddWithValue("$sequence", commit.Events[^1].Sequence);
            await sequence.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async ValueTask UpdateTenantColumnAsync(SqliteConnection connection, SqliteTransaction transaction, long tenantId, string column, string json, CancellationToken ct)
    {
        using var command = Command(connection, transaction, $"UPDATE tenants SET {column} = $json WHERE tenant_id = $tenant;");
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$json", json);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask AppendMessagesAsync(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction, long tenantId, IReadOnlyList<KefuEvent> events, byte[][] payloads, CancellationToken ct)
    {
        SqliteCommand? insert = null;
        SqliteParameter? conversation = null, message = null, payload = null, text = null;
        SqliteCommand? recall = null;
        SqliteParameter? recalled = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            switch (e.PayloadCase)
            {
                case KefuEvent.PayloadOneofCase.Message:
                    if (insert is null)
                    {
                        insert = database.WriterCommand(connection, transaction, "INSERT OR IGNORE INTO messages (tenant_id, conversation_id, message_id, event, text) VALUES ($tenant, $conversation, $message, $event, $text);");
                        insert.Parameters.AddWithValue("$tenant", tenantId);
                        conversation = insert.Parameters.Add("$conversation", SqliteType.Integer);
                        message = insert.Parameters.Add("$message", SqliteType.Integer);
                        payload = insert.Parameters.Add("$event", SqliteType.Blob);
                        text = insert.Parameters.Add("$text", SqliteType.Text);
                    }

                    conversation!.Value = e.ConversationId;
                    message!.Value = e.Message.MessageId;
                    payload!.Value = payloads[i];
                    text!.Value = MessageText.Of(e);
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    break;
                case KefuEvent.PayloadOneofCase.MessageRecalled:
                    if (recall is null)
                    {
                        recall = database.WriterCommand(connection, transaction, "INSERT OR IGNORE INTO recalled_messages (tenant_id, message_id) VALUES ($tenant, $message);");
                        recall.Parameters.AddWithValue("$tenant", tenantId);
                        recalled = recall.Parameters.Add("$message", SqliteType.Integer);
                    }

                    recalled!.Value = e.MessageRecalled.MessageId;
                    await recall.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    // ---- IDirectoryStore

    public ValueTask<TenantSnapshot?> LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default)
        => _database.ReadAsync<TenantSnapshot?>(
            async (connection, ct) =>
            {
                // One read transaction, so the snapshot is consistent with itself while the writer commits.
                using var transaction = connection.BeginTransaction(deferred: true);
                string tenantJson;
                string? settingsJson;
                long lastSequence;
                using (var command = Command(connection, transaction, "SELECT tenant, settings, last_sequence FROM tenants WHERE tenant_id = $tenant AND tenant IS NOT NULL;"))
                {
                    command.Parameters.AddWithValue("$tenant", tenantId);
                    using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        return null;
                    }

                    tenantJson = reader.GetString(0);
                    settingsJson = reader.IsDBNull(1) ? null : reader.GetString(1);
                    lastSequence = reader.GetInt64(2);
                }

                var directory = new List<IDirectoryEntity>();
                using (var command = Command(connection, transaction, "SELECT kind, entity FROM directory_entities WHERE tenant_id = $tenant ORDER BY id;"))
                {
                    command.Parameters.AddWithValue("$tenant", tenantId);
                    using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        directory.Add(StoreJson.ReadDirectory(reader.GetString(0), reader.GetString(1)));
                    }
                }

                return new TenantSnapshot
                {
                    Tenant = StoreJson.Read<Tenant>(tenantJson),
                    Settings = settingsJson is null ? new TenantSettings() : StoreJson.Read<TenantSettings>(settingsJson),
                    Directory = directory,
                    LastEventSequence = lastSequence,
                };
            },
            cancellationToken);

    public ValueTask<Tenant?> GetTenantAsync(long tenantId, CancellationToken cancellationToken = default)
        => _database.ReadAsync<Tenant?>(
            async (connection, ct) =>
            {
                using var command = Command(connection, null, "SELECT tenant FROM tenants WHERE tenant_id = $tenant AND tenant IS NOT NULL;");
                command.Parameters.AddWithValue("$tenant", tenantId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? StoreJson.Read<Tenant>(json) : null;
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default)
        => _database.ReadAsync<IReadOnlyList<Tenant>>(
            async (connection, ct) =>
            {
                using var command = Command(connection, null, "SELECT tenant FROM tenants WHERE tenant IS NOT NULL ORDER BY tenant_id;");
                var tenants = new List<Tenant>();
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    tenants.Add(StoreJson.Read<Tenant>(reader.GetString(0)));
                }

                return tenants;
            },
            cancellationToken);

    public ValueTask<TenantTemplate?> GetTenantTemplateAsync(CancellationToken cancellationToken = default)
        => _database.ReadAsync<TenantTemplate?>(
            async (connection, ct) =>
            {
                using var command = Command(connection, null, "SELECT template FROM tenant_template WHERE id = 1;");
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? StoreJson.Read<TenantTemplate>(json) : null;
            },
            cancellationToken);

    public ValueTask SaveTenantTemplateAsync(TenantTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new(_database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                using var command = Command(connection, transaction, "INSERT OR REPLACE INTO tenant_template (id, template) VALUES (1, $template);");
                command.Parameters.AddWithValue("$template", StoreJson.Write(template));
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask());
    }
}
