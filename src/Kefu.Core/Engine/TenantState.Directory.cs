using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;

namespace Kefu.Engine;

internal sealed partial class TenantState
{
    // ---- Tenant (C1)

    public Tenant CreateTenant(string name, TenantSettings settings, NewAgent? administrator, string? administratorHash)
    {
        if (Tenant is not null)
        {
            throw new KefuException(KefuErrorKind.Conflict, $"Tenant {TenantId} already exists.");
        }

        settings.Validate();
        if (administrator is not null)
        {
            ValidateNewAgent(administrator, settings.Limits, adminRole: true);
        }

        var tenant = new Tenant(TenantId, name, Now);
        SaveTenant(tenant);
        SaveSettings(settings);
        Emit().TenantCreated = new TenantCreatedEvent { Name = name };
        if (administrator is not null && administratorHash is not null)
        {
            var role = AddRole(new RoleDefinition("admin", "管理员", KefuPermissions.All, "Every permission"));
            AddAgent(administrator with { RoleIds = [role.Id] }, administratorHash);
        }

        return tenant;
    }

    public TenantLimits SetLimits(TenantLimits limits)
    {
        RequireTenant();
        limits.Validate();
        var over = AgentList.FirstOrDefault(a => a.Agent.MaxConcurrentChats > limits.MaxConcurrentChatsLimit);
        if (over is not null)
        {
            throw new KefuValidationException(nameof(TenantLimits.ChatLimitRaised), "true while an agent takes more than 100 chats",
                $"agent {over.Agent.Id} has MaxConcurrentChats {over.Agent.MaxConcurrentChats}");
        }

        if (AgentList.Count > limits.MaxAgents)
        {
            throw new KefuValidationException(nameof(TenantLimits.MaxAgents), $"at least the current number of agents ({AgentList.Count})");
        }

        SaveSettings(Settings with { Limits = limits });
        DirectoryChanged("Settings", TenantId);
        return limits;
    }

    public TenantSettings UpdateSettings(Func<TenantSettings, TenantSettings> change)
    {
        RequireTenant();
        var settings = change(Settings);
        settings.Validate();
        if (settings.Limits != Settings.Limits)
        {
            throw new KefuValidationException(nameof(TenantSettings.Limits), "changed by the organisation only (SetTenantLimitsAsync)");
        }

        SaveSettings(settings);
        DirectoryChanged("Settings", TenantId);
        foreach (var c in Open.Values)
        {
            ArmTimers(c);
        }

        return settings;
    }

    // ---- Departments (C2)

    public Department AddDepartment(long? parentId, string name, string? description)
    {
        RequireTenant();
        name = Guard.Text(name, 50, "Name");
        description = Guard.OptionalText(description, 200, "Description");
        if (parentId is { } parent && !Departments.ContainsKey(parent))
        {
            throw new KefuNotFoundException("Department", parent);
        }

        RequireUniqueDepartmentName(name, null);
        var department = new Department(NewId(), parentId, name, description);
        Departments[department.Id] = department;
        Save(department);
        DirectoryChanged(nameof(Department), department.Id);
        return department;
    }

    public Department UpdateDepartment(long id, string name, string? description)
    {
        RequireTenant();
        name = Guard.Text(name, 50, "Name");
        description = Guard.OptionalText(description, 200, "Description");
        var current = Departments.TryGetValue(id, out var d) ? d : throw new KefuNotFoundException("Department", id);
        RequireUniqueDepartmentName(name, id);
        var department = current with { Name = name, Description = description };
        Departments[id] = department;
        Save(department);
        DirectoryChanged(nameof(Department), id);
        return department;
    }

    /// <summary>Deletes a department and all its descendants; their agents keep working without a department.</summary>
    public IReadOnlyList<long> DeleteDepartment(long id)
    {
        RequireTenant();
        if (!Departments.ContainsKey(id))
        {
            throw new KefuNotFoundException("Department", id);
        }

        var doomed = new HashSet<long> { id };
        bool grew;
        do
        {
            grew = false;
            foreach (var d in Departments.Values)
            {
                if (d.ParentId is { } p && doomed.Contains(p) && doomed.Add(d.Id))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        foreach (var agent in AgentList)
        {
            if (agent.Agent.DepartmentId is { } dep && doomed.Contains(dep))
            {
                ReplaceAgent(agent, agent.Agent with { DepartmentId = null });
            }
        }

        foreach (var doomedId in doomed)
        {
            Departments.Remove(doomedId);
            Deleted(nameof(Department), doomedId);
            DirectoryChanged(nameof(Department), doomedId, ChangeKind.Deleted);
        }

        return [.. doomed];
    }

    private void RequireUniqueDepartmentName(string name, long? self)
    {
        if (Departments.Values.Any(d => d.Id != self && string.Equals(d.Name, name, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A department named '{name}' already exists (Name must be unique).");
        }
    }

    // ---- Roles (C3)

    public Role AddRole(RoleDefinition definition)
    {
        RequireTenant();
        var (code, name, description, permissions) = ValidateRole(definition, null);
        var role = new Role(NewId(), code, name, description, permissions, Enabled: true);
        Roles[role.Id] = role;
        Save(role);
        DirectoryChanged(nameof(Role), role.Id);
        return role;
    }

    public Role UpdateRole(long id, RoleDefinition definition)
    {
        RequireTenant();
        var current = Roles.TryGetValue(id, out var r) ? r : throw new KefuNotFoundException("Role", id);
        var (code, name, description, permissions) = ValidateRole(definition, id);
        var role = current with { Code = code, Name = name, Description = description, Permissions = permissions };
        Roles[id] = role;
        Save(role);
        DirectoryChanged(nameof(Role), id);
        return role;
    }

    public Role SetRoleEnabled(long id, bool enabled)
    {
        RequireTenant();
        var role = (Roles.TryGetValue(id, out var r) ? r : throw new KefuNotFoundException("Role", id)) with { Enabled = enabled };
        Roles[id] = role;
        Save(role);
        DirectoryChanged(nameof(Role), id);
        return role;
    }

    public bool DeleteRole(long id)
    {
        RequireTenant();
        if (!Roles.Remove(id))
        {
            throw new KefuNotFoundException("Role", id);
        }

        foreach (var agent in AgentList)
        {
            if (agent.Agent.RoleIds.Contains(id))
            {
                ReplaceAgent(agent, agent.Agent with { RoleIds = [.. agent.Agent.RoleIds.Where(x => x != id)] });
            }
        }

        Deleted(nameof(Role), id);
        DirectoryChanged(nameof(Role), id, ChangeKind.Deleted);
        return true;
    }

    private (string Code, string Name, string? Description, IReadOnlyList<string> Permissions) ValidateRole(RoleDefinition definition, long? self)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var code = Guard.Text(definition.Code, 32, "Code");
        var name = Guard.Text(definition.Name, 50, "Name");
        var description = Guard.OptionalText(definition.Description, 200, "Description");
        var permissions = (definition.Permissions ?? []).Select(p => Guard.Text(p, 64, "Permissions")).Distinct(StringComparer.Ordinal).ToArray();
        if (Roles.Values.Any(r => r.Id != self && string.Equals(r.Code, code, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A role with code '{code}' already exists (Code must be unique).");
        }

        if (Roles.Values.Any(r => r.Id != self && string.Equals(r.Name, name, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A role named '{name}' already exists (Name must be unique).");
        }

        return (code, name, description, permissions);
    }

    // ---- Agents (C4)

    public Agent AddAgent(NewAgent request, string passwordHash)
    {
        RequireTenant();
        var (account, profile) = ValidateNewAgent(request, Settings.Limits, adminRole: false);
        var agent = new Agent
        {
            Id = NewId(),
            Account = account,
            PasswordHash = passwordHash,
            Name = profile.Name,
            Nickname = profile.Nickname,
            AvatarUrl = profile.AvatarUrl,
            Email = profile.Email,
            EmployeeNumber = profile.EmployeeNumber,
            DepartmentId = profile.DepartmentId,
            Enabled = request.Enabled,
            MaxConcurrentChats = profile.MaxConcurrentChats,
            RoleIds = profile.RoleIds,
            CreatedAt = Now,
        };
        var runtime = new AgentRuntime(agent, Now);
        AgentsById[agent.Id] = runtime;
        AgentList.Add(runtime);
        Save(agent);
        Emit().AgentCreated = new AgentUserCreationEvent { AgentId = agent.Id, Account = agent.Account, Name = agent.Name, EmployeeNumber = agent.EmployeeNumber };
        return agent;
    }

    public Agent UpdateAgent(long id, AgentProfile profile)
    {
        RequireTenant();
        var runtime = GetAgent(id);
        profile = ValidateProfile(profile, id);
        var raised = profile.MaxConcurrentChats > runtime.Agent.MaxConcurrentChats;
        var agent = runtime.Agent with
        {
            Name = profile.Name,
            EmployeeNumber = profile.EmployeeNumber,
            Nickname = profile.Nickname,
            AvatarUrl = profile.AvatarUrl,
            Email = profile.Email,
            DepartmentId = profile.DepartmentId,
            MaxConcurrentChats = profile.MaxConcurrentChats,
            RoleIds = profile.RoleIds,
        };
        ReplaceAgent(runtime, agent);
        AgentChanged(runtime);
        if (raised)
        {
            Drain(runtime, MediaKind.Chat);
        }

        return agent;
    }

    public Agent SetAgentEnabled(long id, bool enabled)
    {
        RequireTenant();
        var runtime = GetAgent(id);
        if (!enabled && MediaKinds.All.Any(m => runtime.StatusOf(m) != AgentStatus.Offline))
        {
            SignOutEverywhere(runtime);
            Emit().AgentLogout = new AgentUserLogoutEvent { AgentId = id };
        }

        var agent = runtime.Agent with { Enabled = enabled };
        ReplaceAgent(runtime, agent);
        return agent;
    }

    public Agent SetAgentPasswordHash(long id, string passwordHash)
    {
        RequireTenant();
        var runtime = GetAgent(id);
        var agent = runtime.Agent with { PasswordHash = passwordHash };
        runtime.Agent = agent;
        Save(agent);
        DirectoryChanged(nameof(Agent), id);
        return agent;
    }

    public bool DeleteAgent(long id)
    {
        RequireTenant();
        var runtime = GetAgent(id);
        foreach (var c in Open.Values.Where(c => c.AgentId == id && c.State is ConversationState.InService or ConversationState.Offered).ToList())
        {
            Requeue(c);
        }

        SignOutEverywhere(runtime);
        foreach (var c in Open.Values.Where(c => c.QueuedForAgentId == id).ToList())
        {
            // Conversations waiting for this agent by name wait for anyone now.
            MoveToQueue(c, QueueKey.For(c.GroupId, c.Media));
        }

        foreach (var c in Open.Values.Where(c => c.PendingTransferToAgentId == id).ToList())
        {
            c.PendingTransferToAgentId = null;
            Touch(c);
        }

        foreach (var group in Groups.Values.Where(g => g.MemberIds.Contains(id)).ToList())
        {
            var updated = group with { MemberIds = [.. group.MemberIds.Where(m => m != id)] };
            Groups[group.Id] = updated;
            Save(updated);
        }

        runtime.Groups.Clear();
        AgentsById.Remove(id);
        AgentList.Remove(runtime);
        AgentChanged(runtime, removed: true);
        Deleted(nameof(Agent), id);
        Emit().AgentDeleted = new AgentUserDeletedEvent { AgentId = id };
        return true;
    }

    public IReadOnlyList<string> GetPermissions(long agentId)
    {
        var agent = GetAgent(agentId).Agent;
        return [.. agent.RoleIds.Select(Roles.GetValueOrDefault).Where(r => r is { Enabled: true }).SelectMany(r => r!.Permissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private (string Account, AgentProfile Profile) ValidateNewAgent(NewAgent request, TenantLimits limits, bool adminRole)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = Guard.Text(request.Account, 64, "Account");
        var profile = ValidateProfile(new AgentProfile
        {
            Name = request.Name,
            EmployeeNumber = request.EmployeeNumber,
            Nickname = request.Nickname,
            AvatarUrl = request.AvatarUrl,
            Email = request.Email,
            DepartmentId = request.DepartmentId,
            MaxConcurrentChats = request.MaxConcurrentChats,
            RoleIds = adminRole ? [] : request.RoleIds ?? [],
        }, null, limits);
        if (AgentList.Any(a => string.Equals(a.Agent.Account, account, StringComparison.OrdinalIgnoreCase)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"An agent with account '{account}' already exists (Account must be unique).");
        }

        if (AgentList.Count >= limits.MaxAgents)
        {
            throw new KefuException(KefuErrorKind.LimitExceeded, $"The tenant already has its maximum of {limits.MaxAgents} agents (MaxAgents).");
        }

        return (account, profile);
    }

    private AgentProfile ValidateProfile(AgentProfile profile, long? self, TenantLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        limits ??= Settings.Limits;
        var name = Guard.Text(profile.Name, 50, "Name");
        var employeeNumber = Guard.Text(profile.EmployeeNumber, 32, "EmployeeNumber");
        var nickname = Guard.OptionalText(profile.Nickname, 50, "Nickname");
        var avatar = Guard.OptionalText(profile.AvatarUrl, 2000, "AvatarUrl");
        var email = Guard.OptionalText(profile.Email, 254, "Email");
        Guard.Range(profile.MaxConcurrentChats, 0, limits.MaxConcurrentChatsLimit, "MaxConcurrentChats");
        if (profile.DepartmentId is { } dep && !Departments.ContainsKey(dep))
        {
            throw new KefuNotFoundException("Department", dep);
        }

        var roles = (profile.RoleIds ?? []).Distinct().ToArray();
        foreach (var role in roles)
        {
            if (!Roles.ContainsKey(role))
            {
                throw new KefuNotFoundException("Role", role);
            }
        }

        if (AgentList.Any(a => a.Agent.Id != self && string.Equals(a.Agent.EmployeeNumber, employeeNumber, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"An agent with employee number '{employeeNumber}' already exists (EmployeeNumber must be unique).");
        }

        return profile with { Name = name, EmployeeNumber = employeeNumber, Nickname = nickname, AvatarUrl = avatar, Email = email, RoleIds = roles };
    }

    private void ReplaceAgent(AgentRuntime runtime, Agent agent)
    {
        runtime.Agent = agent;
        Save(agent);
        Emit().AgentChanged = new AgentUserChangeEvent
        {
            AgentId = agent.Id,
            Name = agent.Name,
            Nickname = agent.Nickname ?? string.Empty,
            MaxConcurrentChats = agent.MaxConcurrentChats,
            Enabled = agent.Enabled,
            DepartmentId = agent.DepartmentId ?? 0,
        };
    }

    // ---- Skill groups (C5)

    public SkillGroup AddGroup(string name)
    {
        RequireTenant();
        name = Guard.Text(name, 50, "Name");
        RequireUniqueGroupName(name, null);
        var group = new SkillGroup(NewId(), name, []);
        Groups[group.Id] = group;
        Save(group);
        DirectoryChanged(nameof(SkillGroup), group.Id);
        return group;
    }

    public SkillGroup RenameGroup(long id, string name)
    {
        RequireTenant();
        name = Guard.Text(name, 50, "Name");
        var current = GetGroup(id);
        RequireUniqueGroupName(name, id);
        var group = current with { Name = name };
        Groups[id] = group;
        Save(group);
        DirectoryChanged(nameof(SkillGroup), id);
        return group;
    }

    public bool DeleteGroup(long id)
    {
        RequireTenant();
        GetGroup(id);
        var rules = _s.Routing.RulesUsingGroup(TenantId, id);
        if (rules.Count > 0)
        {
            throw new KefuException(KefuErrorKind.InUse,
                $"Skill group {id} is used by the routing rule(s) {string.Join(", ", rules.Select(r => $"'{r}'"))}; delete those rules first.");
        }

        foreach (var c in Open.Values.Where(c => c.QueueEntry?.Queue is { Kind: QueueTargetKind.Group } key && key.Id == id).ToList())
        {
            c.GroupId = null;
            MoveToQueue(c, QueueKey.Any(c.Media));
        }

        foreach (var agent in AgentList)
        {
            if (agent.Groups.Remove(id))
            {
                AgentChanged(agent);
            }
        }

        Groups.Remove(id);
        Deleted(nameof(SkillGroup), id);
        DirectoryChanged(nameof(SkillGroup), id, ChangeKind.Deleted);
        foreach (var agent in AgentList)
        {
            DrainAll(agent); // its waiting conversations now wait for anyone
        }

        return true;
    }

    public SkillGroup ChangeMembers(long id, IReadOnlyList<long> add, IReadOnlyList<long> remove)
    {
        RequireTenant();
        var current = GetGroup(id);
        foreach (var agentId in add.Concat(remove))
        {
            GetAgent(agentId);
        }

        if (add.Intersect(remove).FirstOrDefault() is var both && both != 0)
        {
            throw new KefuValidationException("Remove", "agents not also in Add", $"agent {both} is in both");
        }

        var members = current.MemberIds.Except(remove).Concat(add.Except(current.MemberIds)).Distinct().ToArray();
        var group = current with { MemberIds = members };
        Groups[id] = group;
        Save(group);
        DirectoryChanged(nameof(SkillGroup), id);
        foreach (var agentId in remove)
        {
            var agent = AgentsById[agentId];
            if (agent.Groups.Remove(id))
            {
                AgentChanged(agent);
                if (agent.Groups.Count == 0)
                {
                    DrainAll(agent); // in no group now: the queue of ungrouped agents is theirs
                }
            }
        }

        foreach (var agentId in add)
        {
            var agent = AgentsById[agentId];
            if (agent.Groups.Add(id))
            {
                AgentChanged(agent);
                DrainAll(agent);
            }
        }

        return group;
    }

    private void RequireUniqueGroupName(string name, long? self)
    {
        if (Groups.Values.Any(g => g.Id != self && string.Equals(g.Name, name, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A skill group named '{name}' already exists (Name must be unique).");
        }
    }

    // ---- Channels and associations (C6)

    public Channel AddChannel(ChannelKind kind, string name, string accessCode)
    {
        RequireTenant();
        if (kind == ChannelKind.Unspecified || !Enum.IsDefined(kind))
        {
            throw new KefuValidationException("Kind", "Web, H5, App, Wechat, Weibo, MiniProgram, Phone or Video");
        }

        name = Guard.Text(name, 50, "Name");
        Guard.Identifier(accessCode, "AccessCode");
        RequireUniqueAccessCode(accessCode, null);
        var channel = new Channel(NewId(), kind, name, accessCode);
        Channels[channel.Id] = channel;
        Save(channel);
        DirectoryChanged(nameof(Channel), channel.Id);
        return channel;
    }

    public Channel UpdateChannel(long id, string name, string accessCode)
    {
        RequireTenant();
        var current = Channels.TryGetValue(id, out var c) ? c : throw new KefuNotFoundException("Channel", id);
        name = Guard.Text(name, 50, "Name");
        Guard.Identifier(accessCode, "AccessCode");
        RequireUniqueAccessCode(accessCode, id);
        var channel = current with { Name = name, AccessCode = accessCode };
        Channels[id] = channel;
        Save(channel);
        DirectoryChanged(nameof(Channel), id);
        return channel;
    }

    public bool DeleteChannel(long id)
    {
        RequireTenant();
        if (!Channels.Remove(id))
        {
            throw new KefuNotFoundException("Channel", id);
        }

        foreach (var association in Associations.Values.Where(a => a.ChannelId == id).ToList())
        {
            Associations.Remove(association.Id);
            Deleted(nameof(Association), association.Id);
        }

        Deleted(nameof(Channel), id);
        DirectoryChanged(nameof(Channel), id, ChangeKind.Deleted);
        return true;
    }

    public Association AddAssociation(long channelId, string name, string? externalId)
    {
        RequireTenant();
        if (!Channels.ContainsKey(channelId))
        {
            throw new KefuNotFoundException("Channel", channelId);
        }

        name = Guard.Text(name, 50, "Name");
        externalId = Guard.OptionalText(externalId, 200, "ExternalId");
        var association = new Association(NewId(), channelId, name, externalId);
        Associations[association.Id] = association;
        Save(association);
        DirectoryChanged(nameof(Association), association.Id);
        return association;
    }

    public bool DeleteAssociation(long id)
    {
        RequireTenant();
        if (!Associations.Remove(id))
        {
            throw new KefuNotFoundException("Association", id);
        }

        Deleted(nameof(Association), id);
        DirectoryChanged(nameof(Association), id, ChangeKind.Deleted);
        return true;
    }

    private void RequireUniqueAccessCode(string accessCode, long? self)
    {
        if (Channels.Values.Any(c => c.Id != self && string.Equals(c.AccessCode, accessCode, StringComparison.OrdinalIgnoreCase)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A channel with access code '{accessCode}' already exists (AccessCode must be unique).");
        }
    }

    // ---- Tags (C17)

    public TagDefinition AddTag(TagScope scope, string name)
    {
        RequireTenant();
        if (!Enum.IsDefined(scope))
        {
            throw new KefuValidationException("Scope", "Session or Visitor");
        }

        name = Guard.Text(name, 30, "Name");
        if (Tags.Values.Any(t => t.Scope == scope && string.Equals(t.Name, name, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A {scope.ToString().ToLowerInvariant()} tag named '{name}' already exists (Name must be unique).");
        }

        var tag = new TagDefinition(NewId(), scope, name);
        Tags[tag.Id] = tag;
        Save(tag);
        DirectoryChanged(nameof(TagDefinition), tag.Id);
        return tag;
    }

    public bool DeleteTag(long id)
    {
        RequireTenant();
        if (!Tags.Remove(id))
        {
            throw new KefuNotFoundException("Tag", id);
        }

        Deleted(nameof(TagDefinition), id);
        DirectoryChanged(nameof(TagDefinition), id, ChangeKind.Deleted);
        return true;
    }

    // ---- Wrap-up categories (C14)

    public const int MaxCategoryDepth = 4;

    public WrapUpCategory AddCategory(long? parentId, string name)
    {
        RequireTenant();
        name = Guard.Text(name, 50, "Name");
        if (parentId is { } parent)
        {
            if (!Categories.ContainsKey(parent))
            {
                throw new KefuNotFoundException("WrapUpCategory", parent);
            }

            var depth = CategoryDepth(parent) + 1;
            if (depth > MaxCategoryDepth)
            {
                throw new KefuValidationException("ParentId", $"a category at most {MaxCategoryDepth - 1} levels deep (categories nest at most {MaxCategoryDepth} levels)",
                    $"the new category would be at level {depth}");
            }
        }

        RequireUniqueSibling(parentId, name, null);
        var order = Categories.Values.Where(c => c.ParentId == parentId).Select(c => c.Order + 1).DefaultIfEmpty(0).Max();
        var category = new WrapUpCategory(NewId(), parentId, name, order);
        Categories[category.Id] = category;
        Save(category);
        DirectoryChanged(nameof(WrapUpCategory), category.Id);
        return category;
    }

    public WrapUpCategory RenameCategory(long id, string name)
    {
        RequireTenant();
        name = Guard.Text(name, 50, "Name");
        var current = Categories.TryGetValue(id, out var c) ? c : throw new KefuNotFoundException("WrapUpCategory", id);
        RequireUniqueSibling(current.ParentId, name, id);
        var category = current with { Name = name };
        Categories[id] = category;
        Save(category);
        DirectoryChanged(nameof(WrapUpCategory), id);
        return category;
    }

    /// <summary>Moves a category up (negative) or down (positive) among its siblings.</summary>
    public IReadOnlyList<WrapUpCategory> MoveCategory(long id, int by)
    {
        RequireTenant();
        var current = Categories.TryGetValue(id, out var c) ? c : throw new KefuNotFoundException("WrapUpCategory", id);
        var moved = Reorder(Categories, x => x.ParentId == current.ParentId, x => x.Order, (x, order) => x with { Order = order }, current, by);
        DirectoryChanged(nameof(WrapUpCategory), id);
        return moved;
    }

    /// <summary>
    /// Moves <paramref name="item"/> by <paramref name="by"/> places among its siblings (clamped to the ends), numbers
    /// the siblings 0, 1, 2 … and saves those whose number changed. Returns the siblings in their new order.
    /// </summary>
    private List<T> Reorder<T>(Dictionary<long, T> all, Func<T, bool> isSibling, Func<T, int> order, Func<T, int, T> withOrder, T item, int by)
        where T : IDirectoryEntity
    {
        var siblings = all.Values.Where(isSibling).OrderBy(order).ThenBy(x => x.Id).ToList();
        var index = siblings.FindIndex(x => x.Id == item.Id);
        siblings.RemoveAt(index);
        siblings.Insert(Math.Clamp(index + by, 0, siblings.Count), item);
        for (var i = 0; i < siblings.Count; i++)
        {
            if (order(siblings[i]) != i)
            {
                siblings[i] = withOrder(siblings[i], i);
                all[siblings[i].Id] = siblings[i];
                Save(siblings[i]);
            }
        }

        return siblings;
    }

    public IReadOnlyList<long> DeleteCategory(long id)
    {
        RequireTenant();
        if (!Categories.ContainsKey(id))
        {
            throw new KefuNotFoundException("WrapUpCategory", id);
        }

        var doomed = new List<long> { id };
        for (var i = 0; i < doomed.Count; i++)
        {
            doomed.AddRange(Categories.Values.Where(c => c.ParentId == doomed[i]).Select(c => c.Id));
        }

        foreach (var doomedId in doomed)
        {
            Categories.Remove(doomedId);
            Deleted(nameof(WrapUpCategory), doomedId);
        }

        DirectoryChanged(nameof(WrapUpCategory), id, ChangeKind.Deleted);
        return doomed;
    }

    private int CategoryDepth(long id)
    {
        var depth = 1;
        var current = Categories[id];
        while (current.ParentId is { } parent)
        {
            depth++;
            current = Categories[parent];
        }

        return depth;
    }

    private void RequireUniqueSibling(long? parentId, string name, long? self)
    {
        if (Categories.Values.Any(c => c.ParentId == parentId && c.Id != self && string.Equals(c.Name, name, StringComparison.Ordinal)))
        {
            throw new KefuException(KefuErrorKind.Conflict, $"A category named '{name}' already exists at this level (Name must be unique among siblings).");
        }
    }

    // ---- Quick replies (C15)

    public QuickReplyFolder AddFolder(QuickReplyLibrary library, long? ownerAgentId, string name)
    {
        RequireTenant();
        if (!Enum.IsDefined(library))
        {
            throw new KefuValidationException("Library", "Public or Personal");
        }

        if (library == QuickReplyLibrary.Personal)
        {
            GetAgent(ownerAgentId ?? throw new KefuValidationException("OwnerAgentId", "set for a personal folder"));
        }
        else if (ownerAgentId is not null)
        {
            throw new KefuValidationException("OwnerAgentId", "null for a public folder");
        }

        name = Guard.Text(name, 30, "Name");
        var order = Folders.Values.Where(f => f.Library == library && f.OwnerAgentId == ownerAgentId).Select(f => f.Order + 1).DefaultIfEmpty(0).Max();
        var folder = new QuickReplyFolder(NewId(), library, ownerAgentId, name, order);
        Folders[folder.Id] = folder;
        Save(folder);
        DirectoryChanged(nameof(QuickReplyFolder), folder.Id);
        return folder;
    }

    public bool DeleteFolder(long id)
    {
        RequireTenant();
        if (!Folders.Remove(id))
        {
            throw new KefuNotFoundException("QuickReplyFolder", id);
        }

        foreach (var reply in QuickReplies.Values.Where(q => q.FolderId == id).ToList())
        {
            QuickReplies.Remove(reply.Id);
            Deleted(nameof(QuickReply), reply.Id);
        }

        Deleted(nameof(QuickReplyFolder), id);
        DirectoryChanged(nameof(QuickReplyFolder), id, ChangeKind.Deleted);
        return true;
    }

    public QuickReply SaveQuickReply(long? id, long folderId, string text)
    {
        RequireTenant();
        if (!Folders.ContainsKey(folderId))
        {
            throw new KefuNotFoundException("QuickReplyFolder", folderId);
        }

        text = Guard.Text(text, 1000, "Text");
        QuickReply reply;
        if (id is { } existing)
        {
            var current = QuickReplies.TryGetValue(existing, out var q) ? q : throw new KefuNotFoundException("QuickReply", existing);
            var order = current.FolderId == folderId ? current.Order : NextReplyOrder(folderId);
            reply = current with { FolderId = folderId, Text = text, Order = order };
        }
        else
        {
            reply = new QuickReply(NewId(), folderId, text, NextReplyOrder(folderId));
        }

        QuickReplies[reply.Id] = reply;
        Save(reply);
        DirectoryChanged(nameof(QuickReply), reply.Id);
        return reply;
    }

    public IReadOnlyList<QuickReply> MoveQuickReply(long id, int by)
    {
        RequireTenant();
        var current = QuickReplies.TryGetValue(id, out var q) ? q : throw new KefuNotFoundException("QuickReply", id);
        var moved = Reorder(QuickReplies, x => x.FolderId == current.FolderId, x => x.Order, (x, order) => x with { Order = order }, current, by);
        DirectoryChanged(nameof(QuickReply), id);
        return moved;
    }

    public bool DeleteQuickReply(long id)
    {
        RequireTenant();
        if (!QuickReplies.Remove(id))
        {
            throw new KefuNotFoundException("QuickReply", id);
        }

        Deleted(nameof(QuickReply), id);
        DirectoryChanged(nameof(QuickReply), id, ChangeKind.Deleted);
        return true;
    }

    /// <summary>Quick replies an agent can use (public and the agent's own), optionally containing a keyword, in folder and list order.</summary>
    public IReadOnlyList<QuickReply> SearchQuickReplies(long? agentId, string? keyword)
    {
        RequireTenant();
        if (agentId is { } a)
        {
            GetAgent(a);
        }

        var folders = Folders.Values
            .Where(f => f.Library == QuickReplyLibrary.Public || (agentId is not null && f.OwnerAgentId == agentId))
            .OrderBy(f => f.Library).ThenBy(f => f.Order).ThenBy(f => f.Id)
            .Select(f => f.Id).ToList();
        var rank = folders.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return
        [
            .. QuickReplies.Values
                .Where(q => rank.ContainsKey(q.FolderId) && (string.IsNullOrEmpty(keyword) || q.Text.Contains(keyword, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(q => rank[q.FolderId]).ThenBy(q => q.Order).ThenBy(q => q.Id),
        ];
    }

    private int NextReplyOrder(long folderId) => QuickReplies.Values.Where(q => q.FolderId == folderId).Select(q => q.Order + 1).DefaultIfEmpty(0).Max();
}
