using Kefu.Bots.Assist;
using Kefu.Events;
using Kefu.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Bots.Tests.Assist;

/// <summary>Mining closed conversations into question–answer pairs (B5 mining, E17 4.2).</summary>
public class MiningTests
{
    [Fact]
    public async Task ClosedConversation_IsMinedIntoPairs_SkippingGreetingsAndShortAnswers()
    {
        await using var a = await AssistHarness.StartAsync();
        var c = await a.OpenAsync();
        await a.VisitorAsync(c, "你好");
        await a.AgentSaysAsync(c, "您好，请问有什么可以帮您？");
        await a.VisitorAsync(c, "退款多久能到账？");
        await a.VisitorAsync(c, "我昨天申请的");
        await a.AgentSaysAsync(c, "退款会在3到5个工作日内原路退回。");
        await a.AgentSaysAsync(c, "请留意银行的通知。");
        await a.VisitorAsync(c, "发票可以开吗");
        await a.AgentSaysAsync(c, "可");
        await a.VisitorAsync(c, "好的谢谢");
        await a.AgentSaysAsync(c, "不客气");

        Assert.Empty(await a.PairsAsync()); // nothing before the conversation closes
        await a.CloseAsync(c);

        var pairs = await a.PairsAsync();
        var pair = Assert.Single(pairs);
        Assert.Equal(("退款多久能到账？ 我昨天申请的", "退款会在3到5个工作日内原路退回。\n请留意银行的通知。"), pair.Key);
        Assert.Equal(1, pair.Value);

        var documents = await a.H.Services.GetRequiredService<IConfigurationDocumentStore>().ListAsync(a.TenantId, "bots.assist");
        var document = Assert.Single(documents);
        Assert.StartsWith("answer:", document.Key, StringComparison.Ordinal);
        Assert.Contains("我昨天申请的", document.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SamePairInTwoConversations_IsCounted_AndTheSameCloseDeliveredTwice_CountsOnce()
    {
        await using var a = await AssistHarness.StartAsync();
        var first = await a.MineAsync(("运费怎么算？", "满99元包邮，不满收8元。"));
        await a.MineAsync(("运费怎么算", "满99元包邮，不满收8元"), ("能开发票吗", "可以的，下单时填写抬头即可。"));

        var pairs = await a.PairsAsync();
        Assert.Equal(2, pairs[("运费怎么算？", "满99元包邮，不满收8元。")]); // the same after normalisation
        Assert.Equal(1, pairs[("能开发票吗", "可以的，下单时填写抬头即可。")]);

        // The outbox delivers at least once: the same close event again changes nothing …
        var closed = a.H.Events.Events.Single(e => e.PayloadCase == KefuEvent.PayloadOneofCase.SessionClosed && e.ConversationId == first.Id);
        await a.Sink.HandleAsync(a.TenantId, [closed], default);
        await a.Sink.HandleAsync(a.TenantId, [closed, closed], default);
        Assert.Equal(pairs, await a.PairsAsync());

        // … nor after a restart, when only the stored documents remember what was mined.
        await using var restarted = a.Restart();
        var sink = restarted.GetServices<Kefu.Transport.IEventSink>().OfType<AssistMiningSink>().Single();
        await sink.HandleAsync(a.TenantId, [closed], default);
        var state = restarted.GetRequiredService<AssistState>();
        var tenant = await state.GetAsync(a.TenantId, default);
        Assert.Equal(2, tenant.Answers.Values.Single(x => x.Text == "满99元包邮，不满收8元。").Questions.Single().Count);
    }

    [Fact]
    public async Task PairsPastTheBound_TheLeastUsedAreEvicted()
    {
        await using var a = await AssistHarness.StartAsync(o => o.MaxPairsPerTenant = 100);
        var state = a.State;
        var popular = new MinedPair("会员积分怎么用", "积分可在结算时抵扣现金，100积分抵1元。");
        await state.AddPairsAsync(a.TenantId, 1, [popular], default);
        await state.AddPairsAsync(a.TenantId, 2, [popular], default);
        for (var i = 0; i < 100; i++)
        {
            a.H.Clock.Advance(TimeSpan.FromMinutes(1));
            await state.AddPairsAsync(a.TenantId, 10 + i, [new MinedPair($"第{i}号问题是什么", $"这是第{i}号问题的答案。")], default);
        }

        await state.WhenIndexedAsync(a.TenantId);
        var pairs = await a.PairsAsync();
        Assert.Equal(100, pairs.Count);
        Assert.Equal(2, pairs[(popular.Question, popular.Answer)]); // used twice: kept
        Assert.False(pairs.ContainsKey(("第0号问题是什么", "这是第0号问题的答案。"))); // used once, longest ago: evicted
        Assert.True(pairs.ContainsKey(("第99号问题是什么", "这是第99号问题的答案。")));
        var documents = await a.H.Services.GetRequiredService<IConfigurationDocumentStore>().ListAsync(a.TenantId, "bots.assist");
        Assert.Equal(100, documents.Count); // the evicted answer's document is deleted
    }
}
