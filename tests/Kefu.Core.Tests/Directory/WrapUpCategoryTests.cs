using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Directory;

/// <summary>The wrap-up category tree and its ordering (C14).</summary>
public class WrapUpCategoryTests
{
    [Fact]
    public async Task AddWrapUpCategory_Siblings_AreOrderedInTheOrderAdded()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var b = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "支付");
        var a1 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "登录");
        var c = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "物流");

        Assert.Equal([0, 1, 2], new[] { a, b, c }.Select(x => x.Order));
        Assert.Equal(0, a1.Order);
        Assert.Equal(a.Id, a1.ParentId);
    }

    [Fact]
    public async Task MoveWrapUpCategory_UpAndDown_ChangesOrderAmongSiblingsOnly()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var b = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "支付");
        var c = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "物流");
        var a1 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "登录");
        var a2 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "注册");
        var a3 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "注销");

        var afterUp = await h.Kefu.Directory.MoveWrapUpCategoryAsync(t, c.Id, -1);
        Assert.Equal([a.Id, c.Id, b.Id], afterUp.Select(x => x.Id));
        Assert.Equal([0, 1, 2], afterUp.Select(x => x.Order));

        var afterDown = await h.Kefu.Directory.MoveWrapUpCategoryAsync(t, a.Id, 1);
        Assert.Equal([c.Id, a.Id, b.Id], afterDown.Select(x => x.Id));

        var list = await h.Kefu.Directory.ListWrapUpCategoriesAsync(t);
        Assert.Equal([c.Id, a.Id, b.Id], list.Where(x => x.ParentId is null).OrderBy(x => x.Order).Select(x => x.Id));
        Assert.Equal([a1.Id, a2.Id, a3.Id], list.Where(x => x.ParentId == a.Id).OrderBy(x => x.Order).Select(x => x.Id));
        Assert.Equal([0, 1, 2], list.Where(x => x.ParentId == a.Id).OrderBy(x => x.Order).Select(x => x.Order));
    }

    [Fact]
    public async Task MoveWrapUpCategory_Child_LeavesParentsLevelUntouched()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var b = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "支付");
        var a1 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "登录");
        var a2 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "注册");

        var siblings = await h.Kefu.Directory.MoveWrapUpCategoryAsync(t, a2.Id, -1);

        Assert.Equal([a2.Id, a1.Id], siblings.Select(x => x.Id));
        Assert.All(siblings, x => Assert.Equal(a.Id, x.ParentId));
        var roots = (await h.Kefu.Directory.ListWrapUpCategoriesAsync(t)).Where(x => x.ParentId is null).ToList();
        Assert.Equal([(a.Id, 0), (b.Id, 1)], roots.Select(x => (x.Id, x.Order)));
    }

    [Fact]
    public async Task MoveWrapUpCategory_BeyondTheEnds_StopsAtFirstOrLast()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var b = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "支付");
        var c = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "物流");

        var toTop = await h.Kefu.Directory.MoveWrapUpCategoryAsync(t, c.Id, -10);
        var toBottom = await h.Kefu.Directory.MoveWrapUpCategoryAsync(t, c.Id, 10);

        Assert.Equal([c.Id, a.Id, b.Id], toTop.Select(x => x.Id));
        Assert.Equal([a.Id, b.Id, c.Id], toBottom.Select(x => x.Id));
        Assert.Equal([0, 1, 2], toBottom.Select(x => x.Order));
    }

    [Fact]
    public async Task AddWrapUpCategory_AfterAMove_GoesToTheEnd()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var b = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "支付");
        await h.Kefu.Directory.MoveWrapUpCategoryAsync(t, b.Id, -1);

        var c = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "物流");

        var roots = (await h.Kefu.Directory.ListWrapUpCategoriesAsync(t)).Where(x => x.ParentId is null).OrderBy(x => x.Order).Select(x => x.Id);
        Assert.Equal([b.Id, a.Id, c.Id], roots);
    }

    [Fact]
    public async Task DeleteWrapUpCategory_WithSubCategories_DeletesTheWholeBranch()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var b = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "支付");
        var a1 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "登录");
        var a11 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a1.Id, "密码");
        var a111 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a11.Id, "找回");
        var b1 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, b.Id, "退款");

        var deleted = await h.Kefu.Directory.DeleteWrapUpCategoryAsync(t, a.Id);

        Assert.Equal(new[] { a.Id, a1.Id, a11.Id, a111.Id }.Order(), deleted.Order());
        Assert.Equal(new[] { b.Id, b1.Id }.Order(), (await h.Kefu.Directory.ListWrapUpCategoriesAsync(t)).Select(x => x.Id).Order());
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a1.Id, "orphan"));
    }

    [Fact]
    public async Task DeleteWrapUpCategory_DeletedProblemType_CannotBeUsedInAWrapUp()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var problem = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        await h.Kefu.Directory.DeleteWrapUpCategoryAsync(t, problem.Id);

        await Assert.ThrowsAsync<KefuNotFoundException>(async () =>
            await h.Kefu.Conversations.SubmitWrapUpAsync(t, conversation.Id, agent.Id, new WrapUpInput(problem.Id, true)));
    }

    [Fact]
    public async Task RenameWrapUpCategory_KeepsParentAndOrder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var a = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, null, "账户");
        var a1 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "登录");
        var a2 = await h.Kefu.Directory.AddWrapUpCategoryAsync(t, a.Id, "注册");

        var renamed = await h.Kefu.Directory.RenameWrapUpCategoryAsync(t, a2.Id, "新用户注册");

        Assert.Equal(new WrapUpCategory(a2.Id, a.Id, "新用户注册", 1), renamed);
        Assert.Equal(a1, (await h.Kefu.Directory.ListWrapUpCategoriesAsync(t)).Single(x => x.Id == a1.Id));
    }
}
