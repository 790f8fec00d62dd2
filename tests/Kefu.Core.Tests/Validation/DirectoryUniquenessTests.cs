using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>Department names, role codes and names, employee numbers, accounts and skill-group names are unique in a tenant.</summary>
public class DirectoryUniquenessTests
{
    [Theory]
    [InlineData("Sales")]
    [InlineData("  Sales  ")]
    public async Task AddDepartment_WithATakenName_IsRefusedAsConflictAndDepartmentsUnchanged(string name)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var root = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "Head office");
        await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, root.Id, "Sales");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListDepartmentsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h, async () => await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, name));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Name", refusal.Message);
        Assert.Contains("Sales", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListDepartmentsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateDepartment_ToAnotherDepartmentsName_IsRefusedAsConflictAndDepartmentsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "Sales");
        var support = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "Support", "After-sales");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListDepartmentsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.UpdateDepartmentAsync(h.TenantId, support.Id, "Sales", "Renamed"));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Name", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListDepartmentsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateDepartment_KeepingItsOwnName_IsAccepted()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var sales = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "Sales");

        var updated = await h.Kefu.Directory.UpdateDepartmentAsync(h.TenantId, sales.Id, "Sales", "New description");

        Assert.Equal("New description", updated.Description);
    }

    [Fact]
    public async Task AddRole_WithATakenCode_IsRefusedAsConflictAndRolesUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddRoleAsync(h.TenantId, new RoleDefinition("R001", "Agent", [KefuPermissions.ServeConversations]));
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListRolesAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddRoleAsync(h.TenantId, new RoleDefinition("R001", "Supervisor", [KefuPermissions.ViewReports])));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Code", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListRolesAsync(h.TenantId)));
    }

    [Fact]
    public async Task AddRole_WithATakenName_IsRefusedAsConflictAndRolesUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddRoleAsync(h.TenantId, new RoleDefinition("R001", "Agent", [KefuPermissions.ServeConversations]));
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListRolesAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddRoleAsync(h.TenantId, new RoleDefinition("R002", "Agent", [KefuPermissions.ViewReports])));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Name", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListRolesAsync(h.TenantId)));
    }

    [Theory]
    [InlineData("R001", "Renamed", "Code")]
    [InlineData("R009", "Agent", "Name")]
    public async Task UpdateRole_ToAnotherRolesCodeOrName_IsRefusedAsConflictAndRolesUnchanged(string code, string name, string field)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddRoleAsync(h.TenantId, new RoleDefinition("R001", "Agent", [KefuPermissions.ServeConversations]));
        var supervisor = await h.Kefu.Directory.AddRoleAsync(h.TenantId, new RoleDefinition("R002", "Supervisor", [KefuPermissions.ViewReports]));
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListRolesAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.UpdateRoleAsync(h.TenantId, supervisor.Id, new RoleDefinition(code, name, [])));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains(field, refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListRolesAsync(h.TenantId)));
    }

    [Theory]
    [InlineData("E0001")]
    [InlineData(" E0001 ")]
    public async Task AddAgent_WithATakenEmployeeNumber_IsRefusedAsConflictAndAgentsUnchanged(string employeeNumber)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent("Ann") with { EmployeeNumber = "E0001" });
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent("Bob") with { EmployeeNumber = employeeNumber }));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("EmployeeNumber", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateAgent_ToAnotherAgentsEmployeeNumber_IsRefusedAsConflictAndAgentUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var ann = await h.AddAgentAsync("Ann");
        var bob = await h.AddAgentAsync("Bob");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetAgentAsync(h.TenantId, bob.Id));

        var refusal = await Refusal.AssertAsync<KefuException>(h, async () => await h.Kefu.Directory.UpdateAgentAsync(
            h.TenantId, bob.Id, AgentProfile.From(bob) with { EmployeeNumber = ann.EmployeeNumber, Nickname = "Bobby" }));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("EmployeeNumber", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetAgentAsync(h.TenantId, bob.Id)));
    }

    [Fact]
    public async Task AddAgent_WithATakenAccount_IsRefusedAsConflictAndAgentsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var ann = await h.AddAgentAsync("Ann");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent("Bob") with { Account = ann.Account }));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Account", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData("VIP")]
    [InlineData(" VIP ")]
    public async Task AddSkillGroup_WithATakenName_IsRefusedAsConflictAndGroupsUnchanged(string name)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h, async () => await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, name));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Name", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId)));
    }

    [Fact]
    public async Task RenameSkillGroup_ToAnotherGroupsName_IsRefusedAsConflictAndGroupsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        var general = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "General");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h, async () => await h.Kefu.Directory.RenameSkillGroupAsync(h.TenantId, general.Id, "VIP"));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Name", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId)));
    }
}
