using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Rules;

/// <summary>Every routing decision is explained (R13): on the conversation and on the event that announces it.</summary>
public class ExplanationTests
{
    [Fact]
    public async Task Assignment_RecordsRuleStrategyEligibleAndScoredCandidates_OnTheConversationAndTheEvent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var loaded = await h.AddAgentAsync("Loaded", online: true);
        await h.OpenAsync(); // the only online agent serves it: 1 of 10
        var outsider = await h.AddAgentAsync("Outsider", online: true);
        var free = await h.AddAgentAsync("Free", online: true);
        var offline = await h.AddAgentAsync("Offline");
        var group = await h.AddGroupAsync("Web", loaded, free, offline);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id) }],
        });

        var opened = await h.OpenAsync();
        var c = await h.GetAsync(opened.Id);

        Assert.Equal(free.Id, c.AgentId);
        var record = Assert.Single(c.Routing);
        Assert.Equal(opened.Routing.Select(r => (r.Rule, r.AgentId)), c.Routing.Select(r => (r.Rule, r.AgentId)));
        Assert.Equal(RoutingReason.New, record.Reason);
        Assert.Equal(RoutingOutcome.Assign, record.Outcome);
        Assert.Equal(free.Id, record.AgentId);
        Assert.Equal(group.Id, record.GroupId);
        Assert.Equal("channel rule 'web'", record.Rule);
        Assert.Equal(LeastLoadedStrategy.StrategyName, record.Strategy);
        Assert.Equal(2, record.Eligible);
        Assert.Equal([new RoutingCandidate(free.Id, 0), new RoutingCandidate(loaded.Id, 0.1)], record.Candidates);
        Assert.Equal(h.Clock.GetUtcNow(), record.At);
        Assert.DoesNotContain(record.Candidates, x => x.AgentId == outsider.Id || x.AgentId == offline.Id);

        var routing = h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, c.Id).Single().SessionAssigned.Routing;
        Assert.Equal(record.Rule, routing.Rule);
        Assert.Equal(record.Explanation, routing.Reason);
        Assert.Equal(record.Strategy, routing.Strategy);
        Assert.Equal(record.Eligible, routing.Eligible);
        Assert.Equal(record.Candidates.Select(x => (x.AgentId, x.Score)), routing.Candidates.Select(x => (x.AgentId, x.Score)));
    }

    [Fact]
    public async Task Queueing_RecordsTheRuleStrategyAndWhy_OnTheConversationAndTheEvent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var offline = await h.AddAgentAsync("Offline");
        var group = await h.AddGroupAsync("Web", offline);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(group.Id) }],
            Groups = [new GroupRouting(group.Id, RoundRobinStrategy.StrategyName)],
        });

        var c = await h.GetAsync((await h.OpenAsync()).Id);

        var record = Assert.Single(c.Routing);
        Assert.Equal(RoutingOutcome.Queue, record.Outcome);
        Assert.Equal(group.Id, record.GroupId);
        Assert.Null(record.AgentId);
        Assert.Equal("channel rule 'web'", record.Rule);
        Assert.Equal(RoundRobinStrategy.StrategyName, record.Strategy);
        Assert.Equal(0, record.Eligible);
        Assert.Empty(record.Candidates);
        Assert.False(string.IsNullOrWhiteSpace(record.Explanation));
        var queued = h.EventsOf(KefuEvent.PayloadOneofCase.SessionQueued, c.Id).Single().SessionQueued;
        Assert.Equal(record.Rule, queued.Routing.Rule);
        Assert.Equal(record.Explanation, queued.Routing.Reason);
        Assert.Equal(record.Strategy, queued.Routing.Strategy);
        Assert.Contains("channel rule 'web'", queued.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoutingHistory_KeepsEveryDecisionInOrder_FromQueueToDrain()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent");

        var queued = await h.OpenAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(4));
        await h.SetStatusAsync(agent.Id, AgentStatus.Online);
        var c = await h.GetAsync(queued.Id);

        Assert.Equal([RoutingOutcome.Queue, RoutingOutcome.Assign], c.Routing.Select(r => r.Outcome));
        Assert.Equal([RoutingReason.New, RoutingReason.CapacityFreed], c.Routing.Select(r => r.Reason));
        Assert.Equal(c.Routing[0].At.AddSeconds(4), c.Routing[1].At);
        Assert.Equal(agent.Id, c.Routing[1].AgentId);
        var assigned = h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, c.Id).Single().SessionAssigned;
        Assert.Equal("capacity freed", assigned.Routing.Rule);
        Assert.Equal(4000, assigned.QueueWaitMs);
    }
}
