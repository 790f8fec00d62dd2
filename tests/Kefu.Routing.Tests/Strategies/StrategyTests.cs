using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Routing.Tests.Strategies;

/// <summary>The built-in assignment strategies (R8), each chosen by a group through <see cref="GroupRouting"/>.</summary>
public class StrategyTests
{
    private static async Task<SkillGroup> UseStrategyAsync(KefuTestHarness h, string strategy, bool requireAcceptance, params Agent[] members)
    {
        var group = await h.AddGroupAsync("Group", members);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            DefaultTarget = RoutingTarget.Group(group.Id),
            Groups = [new GroupRouting(group.Id, strategy, requireAcceptance)],
        });
        return group;
    }

    [Fact]
    public async Task LeastLoaded_ChoosesTheSmallestShareOfCapacity_AndOnATie_TheLongestIdle()
    {
        await using var h = await RoutingHarness.StartAsync();
        var x = await h.AddAgentAsync("X", maxConcurrentChats: 4);   // created first: wins ties broken by id
        var y = await h.AddAgentAsync("Y", maxConcurrentChats: 4);
        await UseStrategyAsync(h, LeastLoadedStrategy.StrategyName, false, x, y);

        await h.SetStatusAsync(y.Id, AgentStatus.Online);
        var c1 = await h.OpenAsync();                      // only Y online
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.SetStatusAsync(x.Id, AgentStatus.Online);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var c2 = await h.OpenAsync();                      // X 0/4 against Y 1/4: X, though Y has been idle longer
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var c3 = await h.OpenAsync();                      // 1/4 each: Y, idle since c1, longer than X

        Assert.Equal(y.Id, c1.AgentId);
        Assert.Equal(x.Id, c2.AgentId);
        Assert.Equal(y.Id, c3.AgentId);
        Assert.Equal(LeastLoadedStrategy.StrategyName, c3.Routing[^1].Strategy);
        Assert.Equal([0.25, 0.25], c3.Routing[^1].Candidates.Select(c => c.Score));
    }

    [Fact]
    public async Task LeastLoaded_ComparesShareOfCapacity_NotTheCountOfChats()
    {
        await using var h = await RoutingHarness.StartAsync();
        var small = await h.AddAgentAsync("Small", maxConcurrentChats: 2, online: true);
        var large = await h.AddAgentAsync("Large", maxConcurrentChats: 10, online: true);
        await UseStrategyAsync(h, LeastLoadedStrategy.StrategyName, false, small, large);

        var opened = new List<Conversation>();
        for (var i = 0; i < 4; i++)
        {
            opened.Add(await h.OpenAsync());
        }

        // 0/2 vs 0/10 → small (id); 1/2 vs 0/10 → large; 1/2 vs 1/10 → large; 1/2 vs 2/10 → large.
        Assert.Equal(new long?[] { small.Id, large.Id, large.Id, large.Id }, opened.Select(c => c.AgentId));
    }

    [Fact]
    public async Task RoundRobin_MembersTakeTurnsInOrder_WhateverTheirLoad()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", online: true);
        var b = await h.AddAgentAsync("B", online: true);
        var c = await h.AddAgentAsync("C", online: true);
        await UseStrategyAsync(h, RoundRobinStrategy.StrategyName, false, a, b, c);

        var first = await h.OpenAsync();
        var opened = new List<Conversation> { first };
        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Agent(first.AgentId ?? 0)); // its agent is now the least loaded
        for (var i = 0; i < 5; i++)
        {
            opened.Add(await h.OpenAsync());
        }

        var turns = opened.Select(o => o.AgentId).ToList();
        Assert.Equal(3, turns.Take(3).Distinct().Count());
        Assert.Equal(turns.Take(3), turns.Skip(3));
        Assert.Equal(RoundRobinStrategy.StrategyName, opened[^1].Routing[^1].Strategy);
    }

    [Fact]
    public async Task LongestIdle_ChoosesTheAgentFreeLongest_EvenWhenBusierThanAnother()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A");
        var b = await h.AddAgentAsync("B");
        await UseStrategyAsync(h, LongestIdleStrategy.StrategyName, false, a, b);
        await h.SetStatusAsync(b.Id, AgentStatus.Online);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.SetStatusAsync(a.Id, AgentStatus.Online);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));

        var c1 = await h.OpenAsync();     // B online longest
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var c2 = await h.OpenAsync();     // A, idle since it came online, before B's c1
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.Kefu.Conversations.EndAsync(h.TenantId, c2.Id, Participant.Agent(a.Id)); // A: no load, idle from now
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var c3 = await h.OpenAsync();     // B has one chat but has been idle since c1: longer than A

        Assert.Equal(b.Id, c1.AgentId);
        Assert.Equal(a.Id, c2.AgentId);
        Assert.Equal(b.Id, c3.AgentId);
        var record = c3.Routing[^1];
        Assert.Equal(LongestIdleStrategy.StrategyName, record.Strategy);
        Assert.Equal(b.Id, record.Candidates[0].AgentId);
        Assert.Equal(180, record.Candidates[0].Score);   // seconds idle
        Assert.Equal(60, record.Candidates[1].Score);
    }

    [Fact]
    public async Task BestPickUpRate_AnAgentWhoDeclinesOffersLosesToOneWhoAccepts()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", online: true);
        var b = await h.AddAgentAsync("B", online: true);
        await UseStrategyAsync(h, BestPickUpRateStrategy.StrategyName, true, a, b);

        var c1 = await h.OpenAsync();
        Assert.Equal(ConversationState.Offered, c1.State);
        var decliner = c1.AgentId ?? 0;
        var declined = await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, c1.Id, decliner, accept: false);
        var acceptor = declined.AgentId ?? 0;
        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, c1.Id, acceptor, accept: true);

        var c2 = await h.OpenAsync();   // the acceptor serves one chat, the decliner none: the rate decides

        Assert.NotEqual(decliner, acceptor);
        Assert.Equal(ConversationState.Offered, declined.State);
        Assert.Equal(RoutingReason.OfferDeclined, declined.Routing[^1].Reason);
        Assert.Equal(ConversationState.Offered, c2.State);
        Assert.Equal(acceptor, c2.AgentId);
        var record = c2.Routing[^1];
        Assert.Equal(BestPickUpRateStrategy.StrategyName, record.Strategy);
        Assert.Equal(acceptor, record.Candidates[0].AgentId);
        Assert.Equal(2.0 / 3, record.Candidates[0].Score, 6);   // (1 + 1) / (1 + 2)
        Assert.Equal(1.0 / 3, record.Candidates[1].Score, 6);   // (0 + 1) / (1 + 2)
    }
}
