using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>Wrap-up categories (problem types) nest at most 4 levels deep; names are unique among siblings.</summary>
public class WrapUpCategoryValidationTests
{
    [Fact]
    public async Task AddWrapUpCategory_AtTheFourthLevel_IsAccepted()
    {
        await using var h = await KefuTestHarness.StartAsync();

        var levels = await AddChainAsync(h, depth: 4);

        Assert.Equal(levels[2].Id, levels[3].ParentId);
        Assert.Equal(4, (await h.Kefu.Directory.ListWrapUpCategoriesAsync(h.TenantId)).Count);
    }

    [Fact]
    public async Task AddWrapUpCategory_AtAFifthLevel_IsRefusedNamingParentIdAndCategoriesUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var levels = await AddChainAsync(h, depth: 4);
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListWrapUpCategoriesAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, levels[3].Id, "Level 5"));

        Assert.Equal("ParentId", refusal.Field);
        Assert.Contains("4 levels", refusal.Allowed);
        Assert.Contains("ParentId", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListWrapUpCategoriesAsync(h.TenantId)));
    }

    [Fact]
    public async Task AddWrapUpCategory_UnderAnUnknownParent_IsRefusedAsNotFoundAndCategoriesUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await AddChainAsync(h, depth: 2);
        const long unknown = 424_242;

        var refusal = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, unknown, "Orphan"));

        Assert.Equal("WrapUpCategory", refusal.Entity);
        Assert.Equal(unknown, refusal.Id);
        Assert.Equal(2, (await h.Kefu.Directory.ListWrapUpCategoriesAsync(h.TenantId)).Count);
    }

    [Fact]
    public async Task AddWrapUpCategory_WithASiblingsName_IsRefusedAsConflictAndCategoriesUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var billing = await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, null, "Billing");
        await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, billing.Id, "Refund");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListWrapUpCategoriesAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, billing.Id, "Refund"));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("Name", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListWrapUpCategoriesAsync(h.TenantId)));
    }

    [Fact]
    public async Task AddWrapUpCategory_WithTheNameOfACategoryUnderAnotherParent_IsAccepted()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var billing = await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, null, "Billing");
        var delivery = await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, null, "Delivery");
        await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, billing.Id, "Other");

        var other = await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, delivery.Id, "Other");

        Assert.Equal(delivery.Id, other.ParentId);
    }

    private static async Task<IReadOnlyList<WrapUpCategory>> AddChainAsync(KefuTestHarness h, int depth)
    {
        var chain = new List<WrapUpCategory>();
        for (var level = 1; level <= depth; level++)
        {
            chain.Add(await h.Kefu.Directory.AddWrapUpCategoryAsync(h.TenantId, chain.LastOrDefault()?.Id, $"Level {level}"));
        }

        return chain;
    }
}
