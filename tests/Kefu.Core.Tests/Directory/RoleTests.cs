using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>Roles and the permissions they grant (C3).</summary>
public class RoleTests
{
    private static readonly RoleDefinition Agents = new("agent", "坐席", [KefuPermissions.ServeConversations, KefuPermissions.ViewHistory]);
    private static readonly RoleDefinition Supervisors = new("supervisor", "班长", [KefuPermissions.ViewHistory, KefuPermissions.ViewReports, KefuPermissions.ViewAllConversations]);

    [Fact]
    public async Task GetPermissions_AgentWithSeveralRoles_ReturnsTheUnionOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var first = await h.Kefu.Directory.AddRoleAsync(t, Agents);
        var second = await h.Kefu.Directory.AddRoleAsync(t, Supervisors);
        var agent = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [first.Id, second.Id] });

        var permissions = await h.Kefu.Directory.GetPermissionsAsync(t, agent.Id);

        Assert.Equal(
            new[] { KefuPermissions.ServeConversations, KefuPermissions.ViewHistory, KefuPermissions.ViewReports, KefuPermissions.ViewAllConversations }.Order(StringComparer.Ordinal),
            permissions.Order(StringComparer.Ordinal));
        Assert.Equal(permissions.Count, permissions.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task GetPermissions_AgentWithoutRoles_IsEmpty()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddRoleAsync(h.TenantId, Agents);
        var agent = await h.AddAgentAsync();

        Assert.Empty(await h.Kefu.Directory.GetPermissionsAsync(h.TenantId, agent.Id));
    }

    [Fact]
    public async Task SetRoleEnabled_False_RemovesItsPermissionsAndTrueRestoresThem()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var first = await h.Kefu.Directory.AddRoleAsync(t, Agents);
        var second = await h.Kefu.Directory.AddRoleAsync(t, Supervisors);
        var agent = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [first.Id, second.Id] });

        var disabled = await h.Kefu.Directory.SetRoleEnabledAsync(t, second.Id, enabled: false);
        var whileDisabled = await h.Kefu.Directory.GetPermissionsAsync(t, agent.Id);
        await h.Kefu.Directory.SetRoleEnabledAsync(t, second.Id, enabled: true);
        var afterEnabling = await h.Kefu.Directory.GetPermissionsAsync(t, agent.Id);

        Assert.False(disabled.Enabled);
        Assert.True((await h.Kefu.Directory.ListRolesAsync(t)).Single(r => r.Id == second.Id).Enabled);
        Assert.Equal(Agents.Permissions.Order(StringComparer.Ordinal), whileDisabled.Order(StringComparer.Ordinal));
        Assert.Contains(KefuPermissions.ViewReports, afterEnabling);
        Assert.Contains(second.Id, (await h.Kefu.Directory.GetAgentAsync(t, agent.Id)).RoleIds);
    }

    [Fact]
    public async Task DeleteRole_HeldByAgent_RemovesItFromTheAgentAndItsPermissions()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var first = await h.Kefu.Directory.AddRoleAsync(t, Agents);
        var second = await h.Kefu.Directory.AddRoleAsync(t, Supervisors);
        var holder = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [first.Id, second.Id] });
        var other = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [first.Id] });
        h.Events.Clear();

        await h.Kefu.Directory.DeleteRoleAsync(t, second.Id);

        Assert.Equal([first.Id], (await h.Kefu.Directory.ListRolesAsync(t)).Select(r => r.Id));
        Assert.Equal([first.Id], (await h.Kefu.Directory.GetAgentAsync(t, holder.Id)).RoleIds);
        Assert.Equal([first.Id], (await h.Kefu.Directory.GetAgentAsync(t, other.Id)).RoleIds);
        Assert.DoesNotContain(KefuPermissions.ViewReports, await h.Kefu.Directory.GetPermissionsAsync(t, holder.Id));
        var changed = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.AgentChanged);
        Assert.Equal(holder.Id, changed.AgentChanged.AgentId);
        await Assert.ThrowsAsync<KefuNotFoundException>(async () =>
            await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [second.Id] }));
    }

    [Fact]
    public async Task UpdateRole_ChangedPermissions_AgentsHoldingItSeeTheNewSet()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var role = await h.Kefu.Directory.AddRoleAsync(t, Agents);
        var agent = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [role.Id] });

        var updated = await h.Kefu.Directory.UpdateRoleAsync(t, role.Id, Agents with { Permissions = [KefuPermissions.ManageCustomers] });

        Assert.True(updated.Enabled);
        Assert.Equal([KefuPermissions.ManageCustomers], await h.Kefu.Directory.GetPermissionsAsync(t, agent.Id));
    }

    [Fact]
    public async Task UpdateAgent_RemovingARole_RemovesItsPermissions()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var first = await h.Kefu.Directory.AddRoleAsync(t, Agents);
        var second = await h.Kefu.Directory.AddRoleAsync(t, Supervisors);
        var agent = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { RoleIds = [first.Id, second.Id] });

        await h.Kefu.Directory.UpdateAgentAsync(t, agent.Id, AgentProfile.From(agent) with { RoleIds = [second.Id] });

        Assert.Equal(Supervisors.Permissions.Order(StringComparer.Ordinal), (await h.Kefu.Directory.GetPermissionsAsync(t, agent.Id)).Order(StringComparer.Ordinal));
    }
}
