using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Queues;

/// <summary>Queues per skill group (R9): FIFO order, the visitor's position, the over-limit notice, abandonment, picking by hand.</summary>
public class QueueTests
{
    private const string Position1 = "排队中，您在队伍中的第1个";
    private const string Position2 = "排队中，您在队伍中的第2个";

    [Fact]
    public async Task GroupQueue_IsFirstInFirstOut_AndEachGroupCountsItsOwnPositions()
    {
        await using var h = await RoutingHarness.StartAsync();
        var a = await h.AddAgentAsync("A", maxConcurrentChats: 1);
        var b = await h.AddAgentAsync("B");
        var g1 = await h.AddGroupAsync("G1", a);
        var g2 = await h.AddGroupAsync("G2", b);

        var c1 = await h.OpenAsync(groupId: g1.Id);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var other = await h.OpenAsync(groupId: g2.Id);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var c2 = await h.OpenAsync(groupId: g1.Id);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var c3 = await h.OpenAsync(groupId: g1.Id);

        var queue = await h.Kefu.Conversations.GetQueueAsync(h.TenantId, g1.Id);
        Assert.Equal([c1.Id, c2.Id, c3.Id], queue.Select(q => q.ConversationId));
        Assert.Equal([1, 2, 3], queue.Select(q => q.Position));
        Assert.Equal(1, (await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, other.Id))?.Position);

        var served = new List<long>();
        await h.SetStatusAsync(a.Id, AgentStatus.Online);
        for (var i = 0; i < 3; i++)
        {
            var current = Assert.Single(await h.Kefu.Conversations.ListOpenAsync(h.TenantId, a.Id));
            served.Add(current.Id);
            await h.Kefu.Conversations.EndAsync(h.TenantId, current.Id, Participant.Agent(a.Id));
        }

        Assert.Equal([c1.Id, c2.Id, c3.Id], served);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(other.Id)).State);
    }

    [Fact]
    public async Task QueuedVisitor_SeesTheirPosition_InTheQueueMessageAndThroughGetQueuePosition()
    {
        await using var h = await RoutingHarness.StartAsync();

        var first = await h.OpenAsync();
        var second = await h.OpenAsync();

        var position = await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, second.Id);
        Assert.NotNull(position);
        Assert.Equal(2, position.Position);
        Assert.Equal(second.VisitorId, position.VisitorId);
        Assert.Contains(Position1, await h.SystemNoticesAsync(first.Id));
        Assert.Contains(Position2, await h.SystemNoticesAsync(second.Id));
        Assert.Equal(2, h.EventsOf(KefuEvent.PayloadOneofCase.SessionQueued, second.Id).Single().SessionQueued.Position);

        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Visitor(first.VisitorId));

        Assert.Equal(1, (await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, second.Id))?.Position);
        Assert.Null(await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, first.Id));
    }

    [Fact]
    public async Task QueueMessage_BeyondTheOverLimitThreshold_IsReplacedByTheOverLimitNotice()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdatePhrasesAsync(p => p with { QueueOverLimitEnabled = true, QueueOverLimitThreshold = 2 });

        await h.OpenAsync();
        var second = await h.OpenAsync();
        var third = await h.OpenAsync();

        Assert.Contains(Position2, await h.SystemNoticesAsync(second.Id));
        var notices = await h.SystemNoticesAsync(third.Id);
        Assert.Contains("您在队伍中的第3个，当前等待人数较多，建议非繁忙时间再咨询", notices);
        Assert.DoesNotContain(notices, n => n.StartsWith("排队中", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueMessage_WhenOverLimitIsOff_IsSentWhateverThePosition()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdatePhrasesAsync(p => p with { QueueOverLimitEnabled = false, QueueOverLimitThreshold = 1 });

        await h.OpenAsync();
        var second = await h.OpenAsync();

        Assert.Contains(Position2, await h.SystemNoticesAsync(second.Id));
    }

    [Fact]
    public async Task VisitorEndingWhileQueued_IsRecordedAsQueueAbandoned_AndLeavesTheQueue()
    {
        await using var h = await RoutingHarness.StartAsync();
        var c = await h.OpenAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(3));

        var ended = await h.Kefu.Conversations.EndAsync(h.TenantId, c.Id, Participant.Visitor(c.VisitorId));

        Assert.Equal(ConversationState.Queued, c.State);
        Assert.Equal(ConversationState.Closed, ended.State);
        Assert.Equal(CloseReason.QueueAbandoned, ended.CloseReason);
        Assert.Equal(3000, ended.QueueWaitMilliseconds);
        Assert.Empty(await h.Kefu.Conversations.GetQueueAsync(h.TenantId));
        var closed = h.EventsOf(KefuEvent.PayloadOneofCase.SessionClosed, c.Id).Single().SessionClosed;
        Assert.Equal(CloseReason.QueueAbandoned, closed.Reason);
        Assert.Equal(ParticipantKind.Visitor, closed.ClosedBy);
    }

    [Fact]
    public async Task Agent_MayPickAnyQueuedVisitorOfTheirGroupsOrTheTenantQueue_ButNotOfOtherGroups()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.SaveRoutingAsync(new RoutingConfiguration { DefaultPool = DefaultPool.AnyAgent }); // the tenant queue: anyone may take it
        var agent = await h.AddAgentAsync("Agent");
        await h.SetStatusAsync(agent.Id, AgentStatus.Busy);
        var g1 = await h.AddGroupAsync("G1", agent);
        var g2 = await h.AddGroupAsync("G2", agent);
        var foreign = await h.AddGroupAsync("Foreign");

        var oldest = await h.OpenAsync(groupId: g1.Id);
        var ofG2 = await h.OpenAsync(groupId: g2.Id);
        var youngestOfG1 = await h.OpenAsync(groupId: g1.Id);
        var anyone = await h.OpenAsync();
        var ofForeign = await h.OpenAsync(groupId: foreign.Id);

        var picked1 = await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, youngestOfG1.Id);
        var picked2 = await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, ofG2.Id);
        var picked3 = await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, anyone.Id);
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, ofForeign.Id));

        Assert.All(new[] { picked1, picked2, picked3 }, c =>
        {
            Assert.Equal(ConversationState.InService, c.State);
            Assert.Equal(agent.Id, c.AgentId);
            Assert.Equal(RoutingReason.ByAgent, c.Routing[^1].Reason);
        });
        Assert.Equal(g1.Id, picked1.GroupId);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(oldest.Id)).State);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(ofForeign.Id)).State);
    }

    [Fact]
    public async Task OfflineAgent_CannotPickFromTheQueue()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent");
        var c = await h.OpenAsync();

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.PickFromQueueAsync(h.TenantId, agent.Id, c.Id));
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(c.Id)).State);
    }
}
