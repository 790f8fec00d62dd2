using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kefu.Core.Tests.Storage;

/// <summary>History past a tenant's retention period is purged (C18), on demand and by the host's sweep.</summary>
public class RetentionTests
{
    private static async Task<long> ServedConversationAsync(KefuTestHarness h, Agent agent)
    {
        var c = await h.OpenConversationAsync();
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "你好");
        await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "您好，请讲");
        await h.Kefu.Conversations.EndAsync(h.TenantId, c.Id, Participant.Agent(agent.Id));
        return c.Id;
    }

    private static async Task<long[]> HistoryAsync(KefuTestHarness h)
    {
        var page = await h.Kefu.History.SearchAsync(h.TenantId, new HistoryQuery { PageSize = 100 });
        return [.. page.Items.Select(c => c.Id).Order()];
    }

    [Fact]
    public async Task PurgeTenant_DeletesConversationsClosedLongerAgoThanTheTenantsRetention_AndKeepsTheRest()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateConversationSettingsAsync(h.TenantId, settings.Conversations with { Retention = TimeSpan.FromDays(2) });
        var agent = await h.AddAgentAsync(online: true);
        var old = await ServedConversationAsync(h, agent);
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        var recent = await ServedConversationAsync(h, agent);
        var open = (await h.OpenConversationAsync()).Id;
        await h.AdvanceAsync(TimeSpan.FromDays(1.5));
        var retention = h.Services.GetRequiredService<IKefuRetention>();

        var purge = await retention.PurgeTenantAsync(h.TenantId);

        Assert.Equal(1, purge.Conversations);
        Assert.True(purge.Messages >= 2, $"the old conversation's messages are purged too ({purge.Messages})");
        Assert.Equal(new[] { recent, open }.Order(), await HistoryAsync(h));
        Assert.Empty(await h.Kefu.History.GetMessagesAsync(h.TenantId, old, limit: 100));
        Assert.NotEmpty(await h.Kefu.History.GetMessagesAsync(h.TenantId, recent, limit: 100));
        Assert.Equal(default, await retention.PurgeTenantAsync(h.TenantId));
    }

    [Fact]
    public async Task PurgeTenant_WithTheDefaultRetention_KeepsHalfAYear()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var id = await ServedConversationAsync(h, agent);
        var retention = h.Services.GetRequiredService<IKefuRetention>();

        await h.AdvanceAsync(TimeSpan.FromDays(179));
        Assert.Equal(default, await retention.PurgeTenantAsync(h.TenantId));
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(1, (await retention.PurgeTenantAsync(h.TenantId)).Conversations);
        Assert.DoesNotContain(id, await HistoryAsync(h));
    }

    [Fact]
    public async Task PurgeTenant_WorksThroughMoreConversationsThanOneBatch()
    {
        await using var h = await KefuTestHarness.StartAsync(o => o.RetentionBatchSize = 2);
        var agent = await h.AddAgentAsync(online: true);
        for (var i = 0; i < 5; i++)
        {
            await ServedConversationAsync(h, agent);
        }

        await h.AdvanceAsync(TimeSpan.FromDays(181));

        Assert.Equal(5, (await h.Services.GetRequiredService<IKefuRetention>().PurgeAllAsync()).Conversations);
        Assert.Empty(await HistoryAsync(h));
    }

    [Fact]
    public async Task PurgeTenant_OfAnUnknownTenant_IsRefusedAsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var ex = await Assert.ThrowsAnyAsync<KefuException>(async () => await h.Services.GetRequiredService<IKefuRetention>().PurgeTenantAsync(h.TenantId + 999));
        Assert.Equal(KefuErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task HostedSweep_PurgesEveryInterval()
    {
        await using var h = await KefuTestHarness.StartAsync(o => o.RetentionSweepInterval = TimeSpan.FromMinutes(10));
        var agent = await h.AddAgentAsync(online: true);
        var id = await ServedConversationAsync(h, agent);
        await h.AdvanceAsync(TimeSpan.FromDays(181));
        var sweep = h.Services.GetServices<IHostedService>().OfType<IKefuRetention>().Single();
        await ((IHostedService)sweep).StartAsync(CancellationToken.None);
        try
        {
            await h.AdvanceAsync(TimeSpan.FromMinutes(9));
            Assert.Contains(id, await HistoryAsync(h));
            await h.AdvanceAsync(TimeSpan.FromMinutes(1));

            // The sweep runs on the timer's thread; wait for it (up to 10 s) rather than for a fixed time.
            for (var i = 0; i < 500 && (await HistoryAsync(h)).Contains(id); i++)
            {
                await Task.Delay(20);
            }

            Assert.DoesNotContain(id, await HistoryAsync(h));
        }
        finally
        {
            await ((IHostedService)sweep).StopAsync(CancellationToken.None);
        }
    }
}
