using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>
/// Canned-phrase time-outs are 1–20 minutes, the recall window 10 seconds – 10 minutes, and the additional-information
/// page has at most 10 fields and a title of at most 6 characters.
/// </summary>
public class SettingsValidationTests
{
    [Theory]
    [InlineData(nameof(CannedPhrases.AgentNoReply), 0)]
    [InlineData(nameof(CannedPhrases.AgentNoReply), 21)]
    [InlineData(nameof(CannedPhrases.AgentNoReply), -1)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyReminder), 0)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyReminder), 21)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyClose), 0)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyClose), 21)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyClose), 60)]
    public async Task UpdateCannedPhrases_WithTimeoutOutsideOneToTwenty_IsRefusedAndSettingsUnchanged(string phrase, int minutes)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateCannedPhrasesAsync(h.TenantId, WithTimeout(phrase, minutes)));

        Assert.Equal($"{phrase}.Minutes", refusal.Field);
        Assert.Contains("1", refusal.Allowed);
        Assert.Contains("20", refusal.Allowed);
        Assert.Contains($"{phrase}.Minutes", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData(nameof(CannedPhrases.AgentNoReply), 1)]
    [InlineData(nameof(CannedPhrases.AgentNoReply), 20)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyReminder), 1)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyReminder), 20)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyClose), 1)]
    [InlineData(nameof(CannedPhrases.VisitorNoReplyClose), 20)]
    public async Task UpdateCannedPhrases_WithTimeoutOfOneOrTwentyMinutes_IsAccepted(string phrase, int minutes)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var phrases = WithTimeout(phrase, minutes);

        await h.Kefu.Directory.UpdateCannedPhrasesAsync(h.TenantId, phrases);

        Assert.Equal(phrases, (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Phrases);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(601)]
    [InlineData(3600)]
    [InlineData(-120)]
    public async Task UpdateConversationSettings_WithRecallWindowOutsideTenSecondsToTenMinutes_IsRefusedAndSettingsUnchanged(int seconds)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h, async () => await h.Kefu.Directory.UpdateConversationSettingsAsync(
            h.TenantId, new ConversationSettings { RecallWindow = TimeSpan.FromSeconds(seconds) }));

        Assert.Equal("RecallWindow", refusal.Field);
        Assert.Contains("10 seconds", refusal.Allowed);
        Assert.Contains("10 minutes", refusal.Allowed);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId)));
        Assert.Equal(TimeSpan.FromMinutes(2), (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Conversations.RecallWindow);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(600)]
    public async Task UpdateConversationSettings_WithRecallWindowAtTheBounds_IsAccepted(int seconds)
    {
        await using var h = await KefuTestHarness.StartAsync();

        await h.Kefu.Directory.UpdateConversationSettingsAsync(h.TenantId, new ConversationSettings { RecallWindow = TimeSpan.FromSeconds(seconds) });

        Assert.Equal(TimeSpan.FromSeconds(seconds), (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Conversations.RecallWindow);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(20)]
    public async Task UpdateAdditionalInfo_WithMoreThanTenFields_IsRefusedAndSettingsUnchanged(int count)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateAdditionalInfoAsync(h.TenantId, new AdditionalInfoSettings { Enabled = true, Fields = Fields(count) }));

        Assert.Equal("Fields", refusal.Field);
        Assert.Contains("10", refusal.Allowed);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public async Task UpdateAdditionalInfo_WithUpToTenFields_IsAccepted(int count)
    {
        await using var h = await KefuTestHarness.StartAsync();

        await h.Kefu.Directory.UpdateAdditionalInfoAsync(h.TenantId, new AdditionalInfoSettings { Enabled = true, Fields = Fields(count) });

        var stored = (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).AdditionalInfo;
        Assert.True(stored.Enabled);
        Assert.Equal(Fields(count), stored.Fields);
    }

    [Theory]
    [InlineData("Orders1")]
    [InlineData("附加信息配置页")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task UpdateAdditionalInfo_WithTitleOutsideOneToSixCharacters_IsRefusedAndSettingsUnchanged(string title)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateAdditionalInfoAsync(h.TenantId, new AdditionalInfoSettings { Title = title }));

        Assert.Equal("Title", refusal.Field);
        Assert.Contains("6", refusal.Allowed);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.GetSettingsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("附加信息配置")]
    [InlineData("X")]
    public async Task UpdateAdditionalInfo_WithTitleOfAtMostSixCharacters_IsAccepted(string title)
    {
        await using var h = await KefuTestHarness.StartAsync();

        await h.Kefu.Directory.UpdateAdditionalInfoAsync(h.TenantId, new AdditionalInfoSettings { Title = title });

        Assert.Equal(title, (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).AdditionalInfo.Title);
    }

    [Fact]
    public async Task UpdateAdditionalInfo_WithDuplicateFieldKeys_IsRefusedAndSettingsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        AdditionalInfoField[] fields = [new("orderNo", "Order"), new("orderNo", "Order again")];

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateAdditionalInfoAsync(h.TenantId, new AdditionalInfoSettings { Fields = fields }));

        Assert.Equal("Fields", refusal.Field);
        Assert.Empty((await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).AdditionalInfo.Fields);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("order-no")]
    [InlineData("")]
    [InlineData("order no")]
    [InlineData("orderNo\n")]
    public async Task UpdateAdditionalInfo_WithFieldKeyNotAnIdentifier_IsRefusedAndSettingsUnchanged(string key)
    {
        await using var h = await KefuTestHarness.StartAsync();

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h, async () => await h.Kefu.Directory.UpdateAdditionalInfoAsync(
            h.TenantId, new AdditionalInfoSettings { Fields = [new(key, "Order")] }));

        Assert.Equal("Key", refusal.Field);
        Assert.Contains("[A-Za-z_][A-Za-z0-9_]*", refusal.Allowed);
        Assert.Empty((await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).AdditionalInfo.Fields);
    }

    [Fact]
    public async Task UpdateAdditionalInfo_WithAMissingField_IsRefusedWithAValidationError()
    {
        await using var h = await KefuTestHarness.StartAsync();
        // A null entry is what a JSON body like {"fields":[null]} binds to: it must be refused as bad input, not crash the worker.
        AdditionalInfoField[] fields = [new("orderNo", "Order"), null!];

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateAdditionalInfoAsync(h.TenantId, new AdditionalInfoSettings { Fields = fields }));

        Assert.StartsWith("Fields", refusal.Field, StringComparison.Ordinal);
        Assert.Empty((await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).AdditionalInfo.Fields);
    }

    private static CannedPhrases WithTimeout(string phrase, int minutes)
    {
        var defaults = new CannedPhrases();
        return phrase switch
        {
            nameof(CannedPhrases.AgentNoReply) => defaults with { AgentNoReply = defaults.AgentNoReply with { Enabled = true, Minutes = minutes } },
            nameof(CannedPhrases.VisitorNoReplyReminder) => defaults with { VisitorNoReplyReminder = defaults.VisitorNoReplyReminder with { Enabled = true, Minutes = minutes } },
            nameof(CannedPhrases.VisitorNoReplyClose) => defaults with { VisitorNoReplyClose = defaults.VisitorNoReplyClose with { Enabled = true, Minutes = minutes } },
            _ => throw new ArgumentOutOfRangeException(nameof(phrase), phrase, "Not a timed phrase."),
        };
    }

    private static AdditionalInfoField[] Fields(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new AdditionalInfoField($"field{i}", $"Field {i}"))];
}
