using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Routing.Tests.Properties;

/// <summary>Least loaded keeps equal agents level: the most and the least loaded online agent never differ by more than one.</summary>
public class FairnessTests
{
    [Fact]
    public async Task LeastLoaded_With50EqualAgentsAnd10000Arrivals_KeepsLoadsWithinOneAfterEveryBatch()
    {
        await using var h = await RoutingHarness.StartAsync();
        var t = h.TenantId;
        await h.Kefu.Organisation.SetTenantLimitsAsync(t, new TenantLimits { ChatLimitRaised = true });
        for (var i = 0; i < 50; i++)
        {
            await h.AddAgentAsync($"Agent {i}", maxConcurrentChats: TenantLimits.RaisedChatLimit, online: true);
        }

        var random = new Random(7);
        var serving = new List<Conversation>();
        for (var arrival = 0; arrival < 10_000; arrival++)
        {
            serving.Add(await h.OpenConversationAsync());
            await AssertLevelAsync(h, arrival);
        }

        // Churn at full load: a random conversation ends, then a visitor arrives.
        for (var step = 0; step < 2_000; step++)
        {
            var index = random.Next(serving.Count);
            var ending = serving[index];
            serving[index] = serving[^1];
            serving.RemoveAt(serving.Count - 1);
            await h.Kefu.Conversations.EndAsync(t, ending.Id, Participant.Agent(ending.AgentId!.Value));
            await AssertLevelAsync(h, step);
            serving.Add(await h.OpenConversationAsync());
            await AssertLevelAsync(h, step);
        }

        Assert.All(await h.Kefu.Conversations.ListPresenceAsync(t), p => Assert.Equal(200, p.ActiveConversations));
    }

    private static async Task AssertLevelAsync(KefuTestHarness h, int step)
    {
        var loads = (await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).Where(p => p.Status == AgentStatus.Online).Select(p => p.ActiveConversations).ToList();
        var spread = loads.Max() - loads.Min();
        Assert.True(spread <= 1, $"step {step}: loads range from {loads.Min()} to {loads.Max()}");
    }
}
