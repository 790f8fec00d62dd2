using Kefu.Routing;
using System.Collections.Concurrent;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.Extensions.Logging;

namespace Kefu.Engine;

/// <summary>The engine: routes every tenant command to that tenant's worker, and history reads to the store.</summary>
internal sealed class KefuEngine : IKefu, IKefuOrganisation, IKefuDirectory, IKefuConversations, IKefuHistory, IAsyncDisposable
{
    private readonly EngineServices _s;
    private readonly ConcurrentDictionary<long, TenantWorker> _workers = new();
    private readonly SemaphoreSlim _organisation = new(1, 1);
    private readonly Lock _disposeGate = new();
    private readonly ConcurrentQueue<Cluster.ShardLease> _acquiredShards = new();
    private int _loadingShards;
    private bool _disposed;

    public KefuEngine(EngineServices services)
    {
        _s = services;
        if (services.Cluster is { } cluster)
        {
            cluster.Lost += OnShardLost;
            cluster.Acquired += OnShardAcquired;
        }
    }

    public IKefuOrganisation Organisation => this;
    public IKefuDirectory Directory => this;
    public IKefuConversations Conversations => this;
    public IKefuHistory History => this;

    /// <summary>
    /// The tenant's worker. Workers are made only for tenants known to exist (created here, or found in the store), so
    /// commands with made-up tenant ids cost a store look-up and leave nothing behind. In a cluster, only for tenants
    /// of the shards this node holds a lease on: others fail with <see cref="KefuErrorKind.Unavailable"/>.
    /// </summary>
    private ValueTask<TenantWorker> WorkerAsync(long tenantId)
    {
        if (tenantId <= 0)
        {
            throw new KefuValidationException("TenantId", "a tenant id greater than 0");
        }

        if (_workers.TryGetValue(tenantId, out var worker) && (_s.Cluster is null || (worker.Lease is { } lease && !worker.IsRetired && _s.Cluster.IsValid(lease))))
        {
            return ValueTask.FromResult(worker);
        }

        return LoadWorkerAsync(tenantId);
    }

    private async ValueTask<TenantWorker> LoadWorkerAsync(long tenantId)
    {
        var lease = LeaseFor(tenantId);
        if (await _s.Directory.GetTenantAsync(tenantId).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }

        return StartWorker(tenantId, lease);
    }

    /// <summary>In a cluster, this node's lease of the tenant's shard; throws when it holds none. Null on a single node.</summary>
    private Cluster.ShardLease? LeaseFor(long tenantId)
    {
        if (_s.Cluster is not { } cluster)
        {
            return null;
        }

        var shard = cluster.ShardOf(tenantId);
        return cluster.TryGetLease(shard, out var lease)
            ? lease
            : throw new KefuException(KefuErrorKind.Unavailable, $"Tenant {tenantId}'s shard {shard} is not owned by node '{cluster.NodeName}': the command was not applied. Send it to the shard's owner.");
    }

    private TenantWorker StartWorker(long tenantId, Cluster.ShardLease? lease)
    {
        TenantWorker? stale = null;
        TenantWorker worker;
        lock (_disposeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            worker = _workers.GetOrAdd(tenantId, id => new TenantWorker(id, _s, lease));
            if (lease is not null && (worker.IsRetired || worker.Lease?.Epoch != lease.Epoch))
            {
                // A worker of an earlier lease of the shard: it must not write again, and its state is reloaded.
                stale = worker;
                worker = new TenantWorker(tenantId, _s, lease);
                _workers[tenantId] = worker;
            }
        }

        if (stale is not null)
        {
            RetireInBackground(stale);
        }

        return worker;
    }

    private void OnShardLost(int shard)
    {
        foreach (var (tenantId, worker) in _workers.ToArray())
        {
            if (worker.Lease?.Shard == shard && _workers.TryRemove(new KeyValuePair<long, TenantWorker>(tenantId, worker)))
            {
                RetireInBackground(worker);
            }
        }
    }

    private void RetireInBackground(TenantWorker worker) => _ = RetireAsync(worker);

    private async Task RetireAsync(TenantWorker worker)
    {
        try
        {
            await worker.RetireAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _s.Logger.LogError(ex, "Stopping a tenant worker of a lost shard failed.");
        }
    }

    /// <summary>
    /// A shard taken over: its tenants' workers start now, loading their state from the store, re-publishing what the
    /// previous owner committed but did not publish, and arming their timers. Shards taken in one round share one
    /// listing of the tenants.
    /// </summary>
    private void OnShardAcquired(Cluster.ShardLease lease)
    {
        _acquiredShards.Enqueue(lease);
        if (Interlocked.Exchange(ref _loadingShards, 1) == 0)
        {
            _ = LoadShardsAsync();
        }
    }

    private async Task LoadShardsAsync()
    {
        var cluster = _s.Cluster!;
        while (true)
        {
            var leases = new Dictionary<int, Cluster.ShardLease>();
            while (_acquiredShards.TryDequeue(out var lease))
            {
                leases[lease.Shard] = lease;
            }

            if (leases.Count == 0)
            {
                Volatile.Write(ref _loadingShards, 0);
                if (_acquiredShards.IsEmpty || Interlocked.Exchange(ref _loadingShards, 1) == 1)
                {
                    return;
                }

                continue;
            }

            try
            {
                foreach (var tenant in await _s.Directory.ListTenantsAsync().ConfigureAwait(false))
                {
                    if (leases.TryGetValue(cluster.ShardOf(tenant.Id), out var lease) && cluster.IsValid(lease))
                    {
                        StartWorker(tenant.Id, lease);
                    }
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                _s.Logger.LogError(ex, "Loading the tenants of {Count} shards taken over failed; they load on their next command.", leases.Count);
            }
        }
    }

    /// <summary>How many tenant workers run (for tests).</summary>
    internal int WorkerCount => _workers.Count;

    private ValueTask<T> Run<T>(long tenantId, Func<TenantState, T> apply, CancellationToken cancellationToken) =>
        Post(tenantId, new DelegateWorkItem<T>(apply), cancellationToken);

    private ValueTask<T> RunAsync<T>(long tenantId, Func<TenantState, ValueTask<T>> apply, CancellationToken cancellationToken) =>
        Post(tenantId, new AsyncDelegateWorkItem<T>(apply), cancellationToken);

    private ValueTask<T> Post<T>(long tenantId, WorkItem<T> item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var worker = WorkerAsync(tenantId);
        if (worker.IsCompletedSuccessfully)
        {
            var task = item.AsValueTask();
            worker.Result.Post(item);
            return task;
        }

        return PostSlowAsync(worker, item);

        static async ValueTask<T> PostSlowAsync(ValueTask<TenantWorker> pending, WorkItem<T> item)
        {
            var task = item.AsValueTask();
            (await pending.ConfigureAwait(false)).Post(item);
            return await task.ConfigureAwait(false);
        }
    }

    private async ValueTask Ignore<T>(ValueTask<T> task) => await task.ConfigureAwait(false);

    public ValueTask FlushAsync(long tenantId, CancellationToken cancellationToken = default) => Ignore(Run(tenantId, static _ => true, cancellationToken));

    /// <summary>Waits until every tenant's worker has committed what was sent before the call.</summary>
    internal async ValueTask FlushAllAsync()
    {
        foreach (var tenantId in _workers.Keys)
        {
            await FlushAsync(tenantId).ConfigureAwait(false);
        }
    }

    // ---- Organisation

    public async ValueTask<Tenant> CreateTenantAsync(NewTenant tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var name = Guard.Text(tenant.Name, 100, "Name");
        string? adminHash = null;
        if (tenant.Administrator is { } admin)
        {
            PasswordHasher.ValidatePassword(admin.Password, "Administrator.Password");
            adminHash = PasswordHasher.Hash(admin.Password, _s.Options.PasswordHashIterations);
        }

        var template = await GetTenantTemplateAsync(cancellationToken).ConfigureAwait(false);
        var defaults = _s.Options.DefaultTenantSettings;
        var settings = defaults with
        {
            Limits = defaults.Limits with { MaxAgents = template.MaxAgents },
            Conversations = defaults.Conversations with
            {
                InactiveSessionAutoClose = template.InactiveSessionAutoClose,
                MandatorySessionTagOnClose = template.MandatorySessionTagOnClose,
            },
            Phrases = defaults.Phrases with
            {
                VisitorNoReplyClose = defaults.Phrases.VisitorNoReplyClose with { Enabled = template.VisitorNoReplyAutoClose },
            },
        };
        settings.Validate();
        var (id, lease) = NewTenantId();
        var item = new DelegateWorkItem<Tenant>(s => s.CreateTenant(name, settings, tenant.Administrator, adminHash));
        var created = item.AsValueTask();
        StartWorker(id, lease).Post(item);
        return await created.ConfigureAwait(false);
    }

    /// <summary>A new tenant's id; in a cluster, one whose shard this node holds (ids are drawn until one falls in a held shard).</summary>
    private (long Id, Cluster.ShardLease? Lease) NewTenantId()
    {
        if (_s.Cluster is not { } cluster)
        {
            return (_s.Ids.NextId(_s.Time.GetUtcNow()), null);
        }

        if (cluster.HeldShards.Count > 0)
        {
            // Each draw lands in a held shard with probability held/total: a few hundred draws at worst.
            for (var attempt = 0; attempt < 100 * cluster.ShardCount; attempt++)
            {
                var id = _s.Ids.NextId(_s.Time.GetUtcNow());
                if (cluster.TryGetLease(cluster.ShardOf(id), out var lease))
                {
                    return (id, lease);
                }
            }
        }

        throw new KefuException(KefuErrorKind.Unavailable, $"Node '{cluster.NodeName}' owns no shard, so it cannot create a tenant: the command was not applied. Send it to a node that owns one.");
    }

    public ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default) => _s.Directory.ListTenantsAsync(cancellationToken);

    public async ValueTask<TenantTemplate> GetTenantTemplateAsync(CancellationToken cancellationToken = default)
        => await _s.Directory.GetTenantTemplateAsync(cancellationToken).ConfigureAwait(false) ?? _s.Options.DefaultTenantTemplate;

    public async ValueTask<TenantTemplate> SetTenantTemplateAsync(TenantTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        template.Validate();
        await _organisation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _s.Directory.SaveTenantTemplateAsync(template, cancellationToken).ConfigureAwait(false);
            return template;
        }
        finally
        {
            _organisation.Release();
        }
    }

    public ValueTask<TenantLimits> SetTenantLimitsAsync(long tenantId, TenantLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Run(tenantId, s => s.SetLimits(limits), cancellationToken);
    }

    // ---- Directory: settings

    public ValueTask<TenantSettings> GetSettingsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => { s.RequireTenant(); return s.Settings; }, cancellationToken);

    public ValueTask<TenantSettings> UpdateConversationSettingsAsync(long tenantId, ConversationSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Run(tenantId, s => s.UpdateSettings(x => x with { Conversations = settings }), cancellationToken);
    }

    public ValueTask<TenantSettings> UpdateCannedPhrasesAsync(long tenantId, CannedPhrases phrases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        return Run(tenantId, s => s.UpdateSettings(x => x with { Phrases = phrases }), cancellationToken);
    }

    public ValueTask<TenantSettings> UpdateRatingSettingsAsync(long tenantId, RatingSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Run(tenantId, s => s.UpdateSettings(x => x with { Rating = settings }), cancellationToken);
    }

    public ValueTask<TenantSettings> UpdateAdditionalInfoAsync(long tenantId, AdditionalInfoSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Run(tenantId, s => s.UpdateSettings(x => x with { AdditionalInfo = settings }), cancellationToken);
    }

    // ---- Directory: departments, roles

    public ValueTask<Department> AddDepartmentAsync(long tenantId, long? parentId, string name, string? description = null, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddDepartment(parentId, name, description), cancellationToken);

    public ValueTask<Department> UpdateDepartmentAsync(long tenantId, long departmentId, string name, string? description = null, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.UpdateDepartment(departmentId, name, description), cancellationToken);

    public ValueTask<IReadOnlyList<long>> DeleteDepartmentAsync(long tenantId, long departmentId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.DeleteDepartment(departmentId), cancellationToken);

    public ValueTask<IReadOnlyList<Department>> ListDepartmentsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Departments.Values.OrderBy(d => d.Id)), cancellationToken);

    public ValueTask<Role> AddRoleAsync(long tenantId, RoleDefinition role, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddRole(role), cancellationToken);

    public ValueTask<Role> UpdateRoleAsync(long tenantId, long roleId, RoleDefinition role, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.UpdateRole(roleId, role), cancellationToken);

    public ValueTask<Role> SetRoleEnabledAsync(long tenantId, long roleId, bool enabled, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SetRoleEnabled(roleId, enabled), cancellationToken);

    public ValueTask DeleteRoleAsync(long tenantId, long roleId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteRole(roleId), cancellationToken));

    public ValueTask<IReadOnlyList<Role>> ListRolesAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Roles.Values.OrderBy(r => r.Id)), cancellationToken);

    // ---- Directory: agents

    public ValueTask<Agent> AddAgentAsync(long tenantId, NewAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        PasswordHasher.ValidatePassword(agent.Password);
        var hash = PasswordHasher.Hash(agent.Password, _s.Options.PasswordHashIterations);
        return Run(tenantId, s => s.AddAgent(agent, hash), cancellationToken);
    }

    public ValueTask<Agent> UpdateAgentAsync(long tenantId, long agentId, AgentProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Run(tenantId, s => s.UpdateAgent(agentId, profile), cancellationToken);
    }

    public ValueTask<Agent> SetAgentEnabledAsync(long tenantId, long agentId, bool enabled, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SetAgentEnabled(agentId, enabled), cancellationToken);

    public async ValueTask ChangePasswordAsync(long tenantId, long agentId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        PasswordHasher.ValidatePassword(newPassword, "NewPassword");
        var agent = await GetAgentAsync(tenantId, agentId, cancellationToken).ConfigureAwait(false);
        if (currentPassword is null || !PasswordHasher.Verify(agent.PasswordHash, currentPassword))
        {
            throw new KefuException(KefuErrorKind.Authentication, "The current password is wrong (CurrentPassword).");
        }

        var hash = PasswordHasher.Hash(newPassword, _s.Options.PasswordHashIterations);
        await Run(tenantId, s => s.SetAgentPasswordHash(agentId, hash), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ResetPasswordAsync(long tenantId, long agentId, string newPassword, CancellationToken cancellationToken = default)
    {
        PasswordHasher.ValidatePassword(newPassword, "NewPassword");
        var hash = PasswordHasher.Hash(newPassword, _s.Options.PasswordHashIterations);
        await Run(tenantId, s => s.SetAgentPasswordHash(agentId, hash), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Agent?> AuthenticateAsync(long tenantId, string account, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(account) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var agent = await Run(tenantId, s =>
        {
            s.RequireTenant();
            return s.AgentList.Select(a => a.Agent).FirstOrDefault(a => string.Equals(a.Account, account.Trim(), StringComparison.OrdinalIgnoreCase));
        }, cancellationToken).ConfigureAwait(false);
        return agent is { Enabled: true } && PasswordHasher.Verify(agent.PasswordHash, password) ? agent : null;
    }

    public ValueTask DeleteAgentAsync(long tenantId, long agentId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteAgent(agentId), cancellationToken));

    public ValueTask<Agent> GetAgentAsync(long tenantId, long agentId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => { s.RequireTenant(); return s.GetAgent(agentId).Agent; }, cancellationToken);

    public ValueTask<IReadOnlyList<Agent>> ListAgentsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.AgentList.Select(a => a.Agent)), cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetPermissionsAsync(long tenantId, long agentId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => { s.RequireTenant(); return s.GetPermissions(agentId); }, cancellationToken);

    // ---- Directory: groups, channels, tags

    public ValueTask<SkillGroup> AddSkillGroupAsync(long tenantId, string name, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddGroup(name), cancellationToken);

    public ValueTask<SkillGroup> RenameSkillGroupAsync(long tenantId, long groupId, string name, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.RenameGroup(groupId, name), cancellationToken);

    public ValueTask DeleteSkillGroupAsync(long tenantId, long groupId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteGroup(groupId), cancellationToken));

    public ValueTask<SkillGroup> ChangeSkillGroupMembersAsync(long tenantId, long groupId, IReadOnlyList<long> add, IReadOnlyList<long> remove, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        return Run(tenantId, s => s.ChangeMembers(groupId, add, remove), cancellationToken);
    }

    public ValueTask<IReadOnlyList<SkillGroup>> ListSkillGroupsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Groups.Values.OrderBy(g => g.Id)), cancellationToken);

    public ValueTask<Channel> AddChannelAsync(long tenantId, ChannelKind kind, string name, string accessCode, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddChannel(kind, name, accessCode), cancellationToken);

    public ValueTask<Channel> UpdateChannelAsync(long tenantId, long channelId, string name, string accessCode, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.UpdateChannel(channelId, name, accessCode), cancellationToken);

    public ValueTask DeleteChannelAsync(long tenantId, long channelId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteChannel(channelId), cancellationToken));

    public ValueTask<IReadOnlyList<Channel>> ListChannelsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Channels.Values.OrderBy(c => c.Id)), cancellationToken);

    public ValueTask<Association> AddAssociationAsync(long tenantId, long channelId, string name, string? externalId = null, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddAssociation(channelId, name, externalId), cancellationToken);

    public ValueTask DeleteAssociationAsync(long tenantId, long associationId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteAssociation(associationId), cancellationToken));

    public ValueTask<IReadOnlyList<Association>> ListAssociationsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Associations.Values.OrderBy(a => a.Id)), cancellationToken);

    public ValueTask<TagDefinition> AddTagAsync(long tenantId, TagScope scope, string name, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddTag(scope, name), cancellationToken);

    public ValueTask DeleteTagAsync(long tenantId, long tagId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteTag(tagId), cancellationToken));

    public ValueTask<IReadOnlyList<TagDefinition>> ListTagsAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Tags.Values.OrderBy(t => t.Id)), cancellationToken);

    // ---- Directory: wrap-up categories, quick replies

    public ValueTask<WrapUpCategory> AddWrapUpCategoryAsync(long tenantId, long? parentId, string name, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddCategory(parentId, name), cancellationToken);

    public ValueTask<WrapUpCategory> RenameWrapUpCategoryAsync(long tenantId, long categoryId, string name, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.RenameCategory(categoryId, name), cancellationToken);

    public ValueTask<IReadOnlyList<WrapUpCategory>> MoveWrapUpCategoryAsync(long tenantId, long categoryId, int by, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.MoveCategory(categoryId, by), cancellationToken);

    public ValueTask<IReadOnlyList<long>> DeleteWrapUpCategoryAsync(long tenantId, long categoryId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.DeleteCategory(categoryId), cancellationToken);

    public ValueTask<IReadOnlyList<WrapUpCategory>> ListWrapUpCategoriesAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Categories.Values.OrderBy(c => c.ParentId ?? 0).ThenBy(c => c.Order).ThenBy(c => c.Id)), cancellationToken);

    public ValueTask<QuickReplyFolder> AddQuickReplyFolderAsync(long tenantId, QuickReplyLibrary library, long? ownerAgentId, string name, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.AddFolder(library, ownerAgentId, name), cancellationToken);

    public ValueTask DeleteQuickReplyFolderAsync(long tenantId, long folderId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteFolder(folderId), cancellationToken));

    public ValueTask<QuickReply> AddQuickReplyAsync(long tenantId, long folderId, string text, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SaveQuickReply(null, folderId, text), cancellationToken);

    public ValueTask<QuickReply> UpdateQuickReplyAsync(long tenantId, long quickReplyId, long folderId, string text, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SaveQuickReply(quickReplyId, folderId, text), cancellationToken);

    public ValueTask<IReadOnlyList<QuickReply>> MoveQuickReplyAsync(long tenantId, long quickReplyId, int by, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.MoveQuickReply(quickReplyId, by), cancellationToken);

    public ValueTask DeleteQuickReplyAsync(long tenantId, long quickReplyId, CancellationToken cancellationToken = default)
        => Ignore(Run(tenantId, s => s.DeleteQuickReply(quickReplyId), cancellationToken));

    public ValueTask<IReadOnlyList<QuickReplyFolder>> ListQuickReplyFoldersAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => List(s, s.Folders.Values.OrderBy(f => f.Library).ThenBy(f => f.Order).ThenBy(f => f.Id)), cancellationToken);

    public ValueTask<IReadOnlyList<QuickReply>> SearchQuickRepliesAsync(long tenantId, long? agentId, string? keyword = null, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SearchQuickReplies(agentId, keyword), cancellationToken);

    private static IReadOnlyList<T> List<T>(TenantState s, IEnumerable<T> items)
    {
        s.RequireTenant();
        return [.. items];
    }

    // ---- Conversations

    public ValueTask<Conversation> OpenAsync(long tenantId, ConversationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(tenantId, s => s.OpenAsync(request), cancellationToken);
    }

    public ValueTask<SendResult> SendAsync(long tenantId, long conversationId, Participant sender, MessageContent content, string? clientMessageId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Post(tenantId, SendMessageWorkItem.Rent(_s.SendPool, conversationId, sender, content, clientMessageId), cancellationToken);
    }

    public ValueTask<SendResult> SendQuickReplyAsync(long tenantId, long conversationId, long agentId, long quickReplyId, string? clientMessageId = null, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.SendQuickReplyAsync(conversationId, agentId, quickReplyId, clientMessageId), cancellationToken);

    public ValueTask TypingAsync(long tenantId, long conversationId, long visitorId, string? text, CancellationToken cancellationToken = default)
        => Ignore(RunAsync(tenantId, s => s.TypingAsync(conversationId, visitorId, text), cancellationToken));

    public ValueTask MarkReadAsync(long tenantId, long conversationId, Participant reader, long upToMessageId, CancellationToken cancellationToken = default)
        => Ignore(RunAsync(tenantId, s => s.MarkReadAsync(conversationId, reader, upToMessageId), cancellationToken));

    public ValueTask<Message> RecallAsync(long tenantId, long conversationId, long agentId, long messageId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.RecallAsync(conversationId, agentId, messageId), cancellationToken);

    public ValueTask<Conversation> RequestTransferAsync(long tenantId, long conversationId, long fromAgentId, long toAgentId, string? note = null, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.RequestTransferAsync(conversationId, fromAgentId, toAgentId, note), cancellationToken);

    public ValueTask<Conversation> AnswerTransferAsync(long tenantId, long conversationId, long agentId, bool accept, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.AnswerTransferAsync(conversationId, agentId, accept), cancellationToken);

    public ValueTask<Conversation> TransferToGroupAsync(long tenantId, long conversationId, long fromAgentId, long groupId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.TransferToGroupAsync(conversationId, fromAgentId, groupId), cancellationToken);

    public ValueTask<Conversation> AnswerOfferAsync(long tenantId, long conversationId, long agentId, bool accept, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.AnswerOfferAsync(agentId, conversationId, accept), cancellationToken);

    public ValueTask<Conversation> PickFromQueueAsync(long tenantId, long agentId, long conversationId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.PickFromQueueAsync(agentId, conversationId), cancellationToken);

    public ValueTask<Conversation> InviteVisitorAsync(long tenantId, long agentId, long visitorId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.InviteVisitorAsync(agentId, visitorId), cancellationToken);

    public ValueTask<Conversation> EndAsync(long tenantId, long conversationId, Participant by, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.EndAsync(conversationId, by), cancellationToken);

    public ValueTask<Conversation> InviteRatingAsync(long tenantId, long conversationId, long agentId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.InviteRatingAsync(conversationId, agentId), cancellationToken);

    public ValueTask<Conversation> RateAsync(long tenantId, long conversationId, long visitorId, RatingInput rating, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rating);
        return RunAsync(tenantId, s => s.RateAsync(conversationId, visitorId, rating), cancellationToken);
    }

    public ValueTask<Conversation> SaveWrapUpDraftAsync(long tenantId, long conversationId, long agentId, WrapUpInput wrapUp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapUp);
        return RunAsync(tenantId, s => s.SaveWrapUpAsync(conversationId, agentId, wrapUp, submit: false), cancellationToken);
    }

    public ValueTask<Conversation> SubmitWrapUpAsync(long tenantId, long conversationId, long agentId, WrapUpInput wrapUp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapUp);
        return RunAsync(tenantId, s => s.SaveWrapUpAsync(conversationId, agentId, wrapUp, submit: true), cancellationToken);
    }

    public ValueTask<Conversation> SetSessionTagsAsync(long tenantId, long conversationId, long agentId, IReadOnlyList<long> tagIds, string? note = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tagIds);
        return RunAsync(tenantId, s => s.SetSessionTagsAsync(conversationId, agentId, tagIds, note), cancellationToken);
    }

    public ValueTask<long> RequestTicketAsync(long tenantId, long conversationId, long agentId, string title, string? description = null, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.RequestTicketAsync(conversationId, agentId, title, description), cancellationToken);

    public ValueTask<AgentPresence> SetStatusAsync(long tenantId, long agentId, AgentStatus status, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SetStatus(agentId, status, MediaKind.Chat), cancellationToken);

    public ValueTask<Conversation> CallVisitorAsync(long tenantId, long agentId, long visitorId, MediaKind media, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.CallVisitorAsync(agentId, visitorId, media), cancellationToken);

    public ValueTask<Conversation> HoldAsync(long tenantId, long conversationId, long agentId, bool hold, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.HoldAsync(conversationId, agentId, hold), cancellationToken);

    public ValueTask<Conversation> AttachRecordingAsync(long tenantId, long conversationId, long agentId, string url, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.AttachRecordingAsync(conversationId, agentId, url), cancellationToken);

    public ValueTask<AgentPresence> SetMediaStatusAsync(long tenantId, long agentId, MediaKind media, AgentStatus status, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.SetStatus(agentId, status, media), cancellationToken);

    public ValueTask<AgentPresence> LogoutAsync(long tenantId, long agentId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.Logout(agentId), cancellationToken);

    public ValueTask<IReadOnlyList<AgentPresence>> ListPresenceAsync(long tenantId, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.ListPresence(), cancellationToken);

    public ValueTask<Visitor> UpdateVisitorAsync(long tenantId, long visitorId, VisitorProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return RunAsync(tenantId, s => s.UpdateVisitorAsync(visitorId, profile), cancellationToken);
    }

    public ValueTask<Visitor> RecordPageVisitAsync(long tenantId, long visitorId, string url, string? title = null, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.RecordPageVisitAsync(visitorId, url, title), cancellationToken);

    public ValueTask<Visitor> AddVisitorTagAsync(long tenantId, long visitorId, long tagId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.SetVisitorTagAsync(visitorId, tagId, add: true), cancellationToken);

    public ValueTask<Visitor> RemoveVisitorTagAsync(long tenantId, long visitorId, long tagId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.SetVisitorTagAsync(visitorId, tagId, add: false), cancellationToken);

    public ValueTask<Conversation> GetAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, async s =>
        {
            s.RequireTenant();
            return (await s.GetConversationAsync(conversationId).ConfigureAwait(false)).ToSnapshot();
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Conversation>> ListOpenAsync(long tenantId, long? agentId = null, CancellationToken cancellationToken = default)
        => Run(tenantId, s => { s.RequireTenant(); return s.ListOpen(agentId); }, cancellationToken);

    public ValueTask<IReadOnlyList<QueuePosition>> GetQueueAsync(long tenantId, long? groupId = null, CancellationToken cancellationToken = default)
        => Run(tenantId, s => s.GetQueue(groupId), cancellationToken);

    public ValueTask<QueuePosition?> GetQueuePositionAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.GetQueuePositionAsync(conversationId), cancellationToken);

    // ---- History (from the store)

    private async ValueTask RequireTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (!_workers.ContainsKey(tenantId) && await _s.Directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }
    }

    public async ValueTask<Page<Conversation>> SearchAsync(long tenantId, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await _s.Conversations.SearchConversationsAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<Message>> GetMessagesAsync(long tenantId, long conversationId, long? beforeMessageId = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        Guard.Range(limit, 1, 200, "Limit");
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await _s.Conversations.GetMessagesAsync(tenantId, conversationId, beforeMessageId, limit, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<Message>> GetVisitorMessagesAsync(long tenantId, long visitorId, long? beforeMessageId = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        Guard.Range(limit, 1, 200, "Limit");
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await _s.Conversations.GetVisitorMessagesAsync(tenantId, visitorId, beforeMessageId, limit, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Visitor> GetVisitorAsync(long tenantId, long visitorId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await _s.Conversations.GetVisitorAsync(tenantId, visitorId, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Visitor", visitorId);
    }

    public async ValueTask<Page<Visitor>> SearchVisitorsAsync(long tenantId, VisitorQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await _s.Conversations.SearchVisitorsAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<CrmParameters> GetCrmParametersAsync(long tenantId, long conversationId, long agentId, CancellationToken cancellationToken = default)
        => RunAsync(tenantId, s => s.GetCrmParametersAsync(conversationId, agentId), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        lock (_disposeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (_s.Cluster is { } cluster)
        {
            cluster.Lost -= OnShardLost;
            cluster.Acquired -= OnShardAcquired;
        }

        foreach (var worker in _workers.Values)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        await _s.Dispatcher.DisposeAsync().ConfigureAwait(false);
        _organisation.Dispose();
    }
}
