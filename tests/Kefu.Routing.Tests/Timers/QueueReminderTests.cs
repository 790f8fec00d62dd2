using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Timers;

/// <summary>The queue reminder (R9): every <see cref="ConversationSettings.QueueReminderInterval"/> the visitor hears their live position.</summary>
public class QueueReminderTests
{
    private const string Position1 = "排队中，您在队伍中的第1个";
    private const string Position2 = "排队中，您在队伍中的第2个";

    [Fact]
    public async Task QueueReminder_EveryTenSeconds_SendsTheLivePosition()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.OpenAsync();
        var second = await h.OpenAsync();
        h.Events.Clear();

        await h.AdvanceAsync(TimeSpan.FromSeconds(9.9));
        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.QueuePosition));
        Assert.Single(await h.SystemNoticesAsync(second.Id), Position2);

        await h.AdvanceAsync(TimeSpan.FromSeconds(0.1));
        var reminders = h.EventsOf(KefuEvent.PayloadOneofCase.QueuePosition);
        Assert.Equal(1, reminders.Single(e => e.ConversationId == first.Id).QueuePosition.Position);
        Assert.Equal(2, reminders.Single(e => e.ConversationId == second.Id).QueuePosition.Position);
        Assert.Equal(2, (await h.SystemNoticesAsync(second.Id)).Count(n => n == Position2));

        await h.Kefu.Conversations.EndAsync(h.TenantId, first.Id, Participant.Visitor(first.VisitorId));
        h.Events.Clear();
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));

        var live = Assert.Single(h.EventsOf(KefuEvent.PayloadOneofCase.QueuePosition));
        Assert.Equal(second.Id, live.ConversationId);
        Assert.Equal(1, live.QueuePosition.Position);
        Assert.Equal(Position1, (await h.SystemNoticesAsync(second.Id))[^1]);
    }

    [Fact]
    public async Task QueueReminder_CarriesTheGroup_AndStopsOnceTheConversationIsAssigned()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Agent");
        var group = await h.AddGroupAsync("G", agent);
        var c = await h.OpenAsync(groupId: group.Id);

        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(group.Id, h.EventsOf(KefuEvent.PayloadOneofCase.QueuePosition, c.Id).Single().QueuePosition.GroupId);

        await h.SetStatusAsync(agent.Id, AgentStatus.Online);
        h.Events.Clear();
        await h.AdvanceAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.QueuePosition));
    }

    [Fact]
    public async Task QueueReminder_WhenTheIntervalIsZero_SendsNoReminders()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdateConversationSettingsAsync(s => s with { QueueReminderInterval = TimeSpan.Zero });
        var c = await h.OpenAsync();
        var notices = (await h.SystemNoticesAsync(c.Id)).Count;

        await h.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.QueuePosition));
        Assert.Equal(notices, (await h.SystemNoticesAsync(c.Id)).Count);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(c.Id)).State);
    }
}
