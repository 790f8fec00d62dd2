using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>Rating modes have 2, 3 or 5 levels with at most 9 tags per level; a rating must fit the tenant's mode.</summary>
public class RatingValidationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(-3)]
    public async Task UpdateRatingSettings_WithLevelsOtherThanTwoThreeOrFive_IsRefusedAndSettingsUnchanged(int levels)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateRatingSettingsAsync(h.TenantId, new RatingSettings { Levels = levels }));

        Assert.Equal("Levels", refusal.Field);
        Assert.Contains("2, 3 or 5", refusal.Allowed);
        Assert.Contains("Levels", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task UpdateRatingSettings_WithTwoThreeOrFiveLevels_IsAccepted(int levels)
    {
        await using var h = await KefuTestHarness.StartAsync();

        await h.Kefu.Directory.UpdateRatingSettingsAsync(h.TenantId, new RatingSettings { Levels = levels, TagsByLevel = NineTagsPerLevel(levels) });

        var stored = (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Rating;
        Assert.Equal(levels, stored.Levels);
        Assert.Equal(levels, stored.LevelNames.Count);
        Assert.All(stored.TagsByLevel, tags => Assert.Equal(RatingSettings.MaxTagsPerLevel, tags.Count));
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(5, 4)]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    public async Task UpdateRatingSettings_WithTenTagsInALevel_IsRefusedNamingTheLevelAndSettingsUnchanged(int levels, int level)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId));
        var tags = NineTagsPerLevel(levels).Select(l => (IReadOnlyList<string>)[.. l]).ToArray();
        tags[level] = [.. tags[level], "one too many"];

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateRatingSettingsAsync(h.TenantId, new RatingSettings { Levels = levels, TagsByLevel = tags }));

        Assert.Equal($"TagsByLevel[{level}]", refusal.Field);
        Assert.Contains("9", refusal.Allowed);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateRatingSettings_WithMoreTagListsThanLevels_IsRefusedAndSettingsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h, async () => await h.Kefu.Directory.UpdateRatingSettingsAsync(
            h.TenantId, new RatingSettings { Levels = 2, TagsByLevel = [["slow"], ["fast"], ["extra"]] }));

        Assert.Equal("TagsByLevel", refusal.Field);
        Assert.Equal(TenantSnapshot.Of(new RatingSettings()), TenantSnapshot.Of((await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Rating));
    }

    [Fact]
    public async Task UpdateRatingSettings_WithDuplicateTagsInALevel_IsRefusedAndSettingsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h, async () => await h.Kefu.Directory.UpdateRatingSettingsAsync(
            h.TenantId, new RatingSettings { Levels = 3, TagsByLevel = [["slow", "slow"]] }));

        Assert.Equal("TagsByLevel[0]", refusal.Field);
        Assert.Equal(TenantSnapshot.Of(new RatingSettings()), TenantSnapshot.Of((await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Rating));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public async Task Rate_WithLevelOutsideTheTenantsMode_IsRefusedAndConversationUnchanged(int level)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.UpdateRatingSettingsAsync(h.TenantId, new RatingSettings { Levels = 3 });
        await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Conversations.RateAsync(h.TenantId, conversation.Id, conversation.VisitorId, new RatingInput(level)));

        Assert.Equal("Level", refusal.Field);
        Assert.Contains("3", refusal.Allowed);
        var after = await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id);
        Assert.Null(after.Rating);
        Assert.Equal(before, TenantSnapshot.Of(after));
    }

    [Fact]
    public async Task Rate_WithATagOfAnotherLevel_IsRefusedAndConversationUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.UpdateRatingSettingsAsync(h.TenantId, new RatingSettings { Levels = 2, TagsByLevel = [["slow"], ["friendly"]] });
        await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Conversations.RateAsync(h.TenantId, conversation.Id, conversation.VisitorId, new RatingInput(2, ["slow"])));

        Assert.Equal("Tags", refusal.Field);
        Assert.Null((await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)).Rating);
    }

    private static IReadOnlyList<IReadOnlyList<string>> NineTagsPerLevel(int levels) =>
        [.. Enumerable.Range(1, levels).Select(level => (IReadOnlyList<string>)[.. Enumerable.Range(1, RatingSettings.MaxTagsPerLevel).Select(i => $"L{level} tag {i}")])];
}
