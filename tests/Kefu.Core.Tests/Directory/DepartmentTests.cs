using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>The organisation tree (C2).</summary>
public class DepartmentTests
{
    [Fact]
    public async Task AddDepartment_RootChildAndGrandchild_FormATree()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;

        var root = await h.Kefu.Directory.AddDepartmentAsync(t, null, "总部", "Head office");
        var child = await h.Kefu.Directory.AddDepartmentAsync(t, root.Id, "客服部");
        var grandchild = await h.Kefu.Directory.AddDepartmentAsync(t, child.Id, "售后组");

        var list = await h.Kefu.Directory.ListDepartmentsAsync(t);
        Assert.Equal(3, list.Count);
        Assert.Null(list.Single(d => d.Id == root.Id).ParentId);
        Assert.Equal("Head office", list.Single(d => d.Id == root.Id).Description);
        Assert.Equal(root.Id, list.Single(d => d.Id == child.Id).ParentId);
        Assert.Equal(child.Id, list.Single(d => d.Id == grandchild.Id).ParentId);
    }

    [Fact]
    public async Task AddDepartment_UnderUnknownParent_ThrowsNotFoundAndAddsNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();

        var error = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, 12345, "Orphan"));

        Assert.Equal(KefuErrorKind.NotFound, error.Kind);
        Assert.Empty(await h.Kefu.Directory.ListDepartmentsAsync(h.TenantId));
    }

    [Fact]
    public async Task UpdateDepartment_Rename_ChangesNameAndDescriptionKeepsParent()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var root = await h.Kefu.Directory.AddDepartmentAsync(t, null, "总部");
        var child = await h.Kefu.Directory.AddDepartmentAsync(t, root.Id, "客服部", "old");

        var renamed = await h.Kefu.Directory.UpdateDepartmentAsync(t, child.Id, "客户服务部", "new");

        Assert.Equal(new Department(child.Id, root.Id, "客户服务部", "new"), renamed);
        Assert.Equal(renamed, (await h.Kefu.Directory.ListDepartmentsAsync(t)).Single(d => d.Id == child.Id));
    }

    [Fact]
    public async Task UpdateDepartment_KeepingItsOwnName_IsAllowed()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var root = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "总部", "old");

        var updated = await h.Kefu.Directory.UpdateDepartmentAsync(h.TenantId, root.Id, "总部", "new");

        Assert.Equal("new", updated.Description);
    }

    [Fact]
    public async Task DeleteDepartment_WithChildren_DeletesDescendantsAndClearsAgentsDepartment()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var root = await h.Kefu.Directory.AddDepartmentAsync(t, null, "总部");
        var sales = await h.Kefu.Directory.AddDepartmentAsync(t, root.Id, "销售部");
        var service = await h.Kefu.Directory.AddDepartmentAsync(t, root.Id, "客服部");
        var afterSales = await h.Kefu.Directory.AddDepartmentAsync(t, service.Id, "售后组");
        var night = await h.Kefu.Directory.AddDepartmentAsync(t, afterSales.Id, "夜班");
        var inService = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { DepartmentId = service.Id });
        var inNight = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { DepartmentId = night.Id });
        var inSales = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { DepartmentId = sales.Id });
        h.Events.Clear();

        var deleted = await h.Kefu.Directory.DeleteDepartmentAsync(t, service.Id);

        Assert.Equal(new[] { service.Id, afterSales.Id, night.Id }.Order(), deleted.Order());
        Assert.Equal(new[] { root.Id, sales.Id }.Order(), (await h.Kefu.Directory.ListDepartmentsAsync(t)).Select(d => d.Id).Order());
        Assert.Null((await h.Kefu.Directory.GetAgentAsync(t, inService.Id)).DepartmentId);
        Assert.Null((await h.Kefu.Directory.GetAgentAsync(t, inNight.Id)).DepartmentId);
        Assert.Equal(sales.Id, (await h.Kefu.Directory.GetAgentAsync(t, inSales.Id)).DepartmentId);
        var changed = h.Events.Events.Where(e => e.PayloadCase == PayloadOneofCase.AgentChanged).Select(e => e.AgentChanged).ToList();
        Assert.Equal(new[] { inService.Id, inNight.Id }.Order(), changed.Select(c => c.AgentId).Order());
        Assert.All(changed, c => Assert.Equal(0, c.DepartmentId));
    }

    [Fact]
    public async Task DeleteDepartment_Leaf_DeletesOnlyItAndAgentsKeepWorking()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var root = await h.Kefu.Directory.AddDepartmentAsync(t, null, "总部");
        var leaf = await h.Kefu.Directory.AddDepartmentAsync(t, root.Id, "客服部");
        var agent = await h.Kefu.Directory.AddAgentAsync(t, h.Data.Agent() with { DepartmentId = leaf.Id });
        await h.Kefu.Conversations.SetStatusAsync(t, agent.Id, AgentStatus.Online);

        var deleted = await h.Kefu.Directory.DeleteDepartmentAsync(t, leaf.Id);
        var conversation = await h.OpenConversationAsync();

        Assert.Equal([leaf.Id], deleted);
        Assert.Equal(root.Id, Assert.Single(await h.Kefu.Directory.ListDepartmentsAsync(t)).Id);
        Assert.Equal(agent.Id, conversation.AgentId);
    }

    [Fact]
    public async Task DeleteDepartment_ThenAddingAgentToIt_ThrowsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var department = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "临时");
        await h.Kefu.Directory.DeleteDepartmentAsync(h.TenantId, department.Id);

        await Assert.ThrowsAsync<KefuNotFoundException>(async () =>
            await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent() with { DepartmentId = department.Id }));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.DeleteDepartmentAsync(h.TenantId, department.Id));
    }

    [Fact]
    public async Task DeleteDepartment_ThenReusingItsName_IsAllowed()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var department = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "客服部");
        await h.Kefu.Directory.DeleteDepartmentAsync(h.TenantId, department.Id);

        var again = await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "客服部");

        Assert.NotEqual(department.Id, again.Id);
    }
}
