using Kefu.Model;
using Kefu.Moderation;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Moderation;

/// <summary>The sensitive-word filter inside the engine: block, remind and mask (M1–M3), per-tenant lists and hot reload (M4).</summary>
public class SensitiveWordEngineTests
{
    private static async Task<(KefuTestHarness Harness, ISensitiveWords Words)> StartAsync(SensitiveWordMode mode)
    {
        var h = await KefuTestHarness.StartAsync(build: b => b.UseSensitiveWords());
        var words = h.Services.GetRequiredService<ISensitiveWords>();
        await words.SaveAsync(h.TenantId, new SensitiveWordSettings
        {
            Mode = mode,
            Words = [new SensitiveWord("敏感词", "测试"), new SensitiveWord("加微信", "广告")],
            AllowList = ["不加微信"],
            ReminderText = "请注意用语",
            BlockNotice = "含有敏感词，未发送",
        });
        return (h, words);
    }

    [Fact]
    public async Task BlockMode_WithholdsAVisitorsMessage_TellsTheVisitor_AndTheAgentNeverSeesIt()
    {
        var (h, _) = await StartAsync(SensitiveWordMode.Block);
        await using var _h = h;
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        h.Events.Clear();

        var result = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "你好 敏*感*词 在吗");

        Assert.True(result.Blocked);
        Assert.Equal(MessageFilterAction.Block, result.Action);
        Assert.Equal("含有敏感词，未发送", result.Notice);
        await h.FlushAsync();
        Assert.DoesNotContain(PayloadOneofCase.Message, h.Events.Kinds);
        var blocked = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.MessageBlocked).MessageBlocked;
        Assert.Equal(["敏感词"], blocked.Words);
        Assert.DoesNotContain(await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, null, 50), m => m.SenderKind == Kefu.Events.ParticipantKind.Visitor);
    }

    [Fact]
    public async Task RemindMode_DeliversTheAgentsMessage_AndGivesTheAgentTheReminder_ButLeavesVisitorsAlone()
    {
        var (h, _) = await StartAsync(SensitiveWordMode.Remind);
        await using var _h = h;
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        h.Events.Clear();

        var fromAgent = await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "可以加微信聊");
        var fromVisitor = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "加微信吗");

        Assert.False(fromAgent.Blocked);
        Assert.Equal(MessageFilterAction.Remind, fromAgent.Action);
        Assert.Equal("请注意用语", fromAgent.Notice);
        Assert.Equal(MessageFilterAction.Allow, fromVisitor.Action);
        Assert.Null(fromVisitor.Notice);
        await h.FlushAsync();
        var delivered = h.Events.Events.Where(e => e.PayloadCase == PayloadOneofCase.Message).Select(e => e.Message).ToList();
        Assert.Equal(["可以加微信聊", "加微信吗"], delivered.Select(m => m.Text));
        Assert.Equal(["加微信"], delivered[0].Filtered.Words);
        Assert.Null(delivered[1].Filtered);
    }

    [Fact]
    public async Task MaskMode_StoresAndDeliversTheMessageMasked_AndTheEventNamesTheWords()
    {
        var (h, _) = await StartAsync(SensitiveWordMode.Mask);
        await using var _h = h;
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        h.Events.Clear();

        var result = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "快加微信，我不加微信的");

        Assert.Equal("快***，我不加微信的", result.Text);
        var stored = (await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, null, 50)).Single(m => m.Id == result.MessageId);
        Assert.Equal("快***，我不加微信的", stored.Text);
        await h.FlushAsync();
        var e = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.Message).Message;
        Assert.True(e.Masked);
        Assert.Equal(["加微信"], e.Filtered.Words);
    }

    [Fact]
    public async Task SavingAList_TakesEffectForTheNextMessage_AndOnlyForThatTenant()
    {
        var (h, words) = await StartAsync(SensitiveWordMode.Block);
        await using var _h = h;
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        Assert.False((await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "退款")).Blocked);

        await words.SaveAsync(h.TenantId, (await words.GetAsync(h.TenantId)) with { Words = [new SensitiveWord("退款")] });

        Assert.True((await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "退款")).Blocked);
        Assert.False((await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "敏感词")).Blocked);
        var other = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Other" });
        Assert.Null(words.GetMatcher(other.Id));
        Assert.Equal(SensitiveWordMode.Off, (await words.GetAsync(other.Id)).Mode);
    }

    [Fact]
    public async Task BadSettings_AreRefusedByName_AndTheSavedListIsUnchanged()
    {
        var (h, words) = await StartAsync(SensitiveWordMode.Block);
        await using var _h = h;
        var before = await words.GetAsync(h.TenantId);

        var empty = await Assert.ThrowsAsync<KefuValidationException>(async () => await words.SaveAsync(h.TenantId, before with { ReminderText = "" }));
        Assert.Equal("ReminderText", empty.Field);
        var gap = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await words.SaveAsync(h.TenantId, before with { Normalization = new SensitiveWordNormalization { MaxNoiseGap = 0 } }));
        Assert.Equal("MaxNoiseGap", gap.Field);
        var tooLong = await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await words.SaveAsync(h.TenantId, before with { Words = [new SensitiveWord(new string('x', 101))] }));
        Assert.Equal("Words[].Word", tooLong.Field);
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await words.SaveAsync(h.TenantId + 1_000, before));

        var after = await words.GetAsync(h.TenantId);
        Assert.Equal(before.Words, after.Words);
        Assert.Equal(before.ReminderText, after.ReminderText);
        Assert.True(words.GetMatcher(h.TenantId)!.ContainsAny("敏感词"));
    }

    [Fact]
    public async Task Import_ReadsWordsAndCategoriesFromText_AddingToOrReplacingTheList()
    {
        var (h, words) = await StartAsync(SensitiveWordMode.Mask);
        await using var _h = h;

        var added = await words.ImportAsync(h.TenantId, new StringReader("\uFEFF代购\t广告\n\n  刷单  \n"), "导入");
        Assert.Equal(["敏感词", "加微信", "代购", "刷单"], added.Words.Select(w => w.Word));
        Assert.Equal("广告", added.Words[2].Category);
        Assert.Equal("导入", added.Words[3].Category);
        Assert.Equal("**", words.GetMatcher(h.TenantId)!.Mask("刷单"));

        var replaced = await words.ImportAsync(h.TenantId, new StringReader("新词\n"), replace: true);
        Assert.Equal(["新词"], replaced.Words.Select(w => w.Word));
        Assert.False(words.GetMatcher(h.TenantId)!.ContainsAny("刷单"));
    }

    [Fact]
    public async Task AWorkerThatLoads_CompilesTheTenantsSavedList()
    {
        var (h, _) = await StartAsync(SensitiveWordMode.Block);
        await using var _h = h;
        var fresh = new SensitiveWordFilter(
            h.Services.GetRequiredService<IConfigurationDocumentStore>(), h.Services.GetRequiredService<IDirectoryStore>(), h.Clock);
        Assert.Null(fresh.GetMatcher(h.TenantId));

        await fresh.LoadTenantAsync(h.TenantId);

        Assert.True(fresh.GetMatcher(h.TenantId)!.ContainsAny("敏感词"));
        Assert.Equal(MessageFilterAction.Block, fresh.Inspect(h.TenantId, Kefu.Events.ParticipantKind.Visitor, "加微信").Action);
    }

    [Fact]
    public async Task HotReload_ReadersAlwaysSeeOneWholeList_NeverHalfOfOne()
    {
        var (h, words) = await StartAsync(SensitiveWordMode.Block);
        await using var _h = h;
        var filler = Enumerable.Range(0, 20_000).Select(i => new SensitiveWord($"填充{i}")).ToArray();
        SensitiveWordSettings ListOf(string word) => new() { Mode = SensitiveWordMode.Block, Words = [.. filler, new SensitiveWord(word)] };
        await words.SaveAsync(h.TenantId, ListOf("alpha"));

        using var stop = new CancellationTokenSource();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var filter = (IMessageFilter)words;
            while (!stop.IsCancellationRequested)
            {
                var verdict = filter.Inspect(h.TenantId, Kefu.Events.ParticipantKind.Visitor, "alpha and beta");
                seen.Add(string.Join(",", verdict.Words ?? []));
            }
        })).ToArray();

        for (var i = 0; i < 6; i++)
        {
            await words.SaveAsync(h.TenantId, ListOf(i % 2 == 0 ? "beta" : "alpha"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Contains(s, new[] { "alpha", "beta" }));
        Assert.Contains("beta", seen);
    }
}
