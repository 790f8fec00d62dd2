using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Timers;

/// <summary>The offer (ringing) time-out (R12): an unanswered offer passes to the next agent and the missed agent is set away.</summary>
public class OfferTimeoutTests
{
    [Fact]
    public async Task UnansweredCall_AfterTheOfferTimeout_PassesToTheNextAgent_AndTheMissedAgentIsSetAway()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.AddCallAgentAsync("First", MediaKind.Voice);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var second = await h.AddCallAgentAsync("Second", MediaKind.Voice);

        var call = await h.OpenAsync(ChannelKind.Phone);
        Assert.Equal(first.Id, call.AgentId);
        await h.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal(first.Id, (await h.GetAsync(call.Id)).AgentId);
        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.OfferEnded, call.Id));

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var passed = await h.GetAsync(call.Id);

        Assert.Equal(ConversationState.Offered, passed.State);
        Assert.Equal(second.Id, passed.AgentId);
        Assert.Equal(RoutingReason.OfferTimedOut, passed.Routing[^1].Reason);
        var ended = h.EventsOf(KefuEvent.PayloadOneofCase.OfferEnded, call.Id).Single().OfferEnded;
        Assert.Equal(first.Id, ended.AgentId);
        Assert.True(ended.TimedOut);
        Assert.Equal([first.Id, second.Id], h.EventsOf(KefuEvent.PayloadOneofCase.SessionOffered, call.Id).Select(e => e.SessionOffered.AgentId));
        var missed = await h.PresenceAsync(first.Id);
        Assert.Equal(AgentStatus.Away, missed.VoiceStatus);
        Assert.Equal(0, missed.ActiveCalls);
    }

    [Fact]
    public async Task UnansweredChatOffer_WhenTheGroupRequiresAcceptance_PassesToTheNextMemberAfterTheConfiguredTimeout()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdateConversationSettingsAsync(s => s with { OfferTimeout = TimeSpan.FromSeconds(10) });
        var a = await h.AddAgentAsync("A", online: true);
        var b = await h.AddAgentAsync("B", online: true);
        var group = await h.AddGroupAsync("G", a, b);
        await h.SaveRoutingAsync(new RoutingConfiguration
        {
            DefaultTarget = RoutingTarget.Group(group.Id),
            Groups = [new GroupRouting(group.Id, RequireAcceptance: true)],
        });

        var c = await h.OpenAsync();
        var missedId = c.AgentId ?? 0;
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        var passed = await h.GetAsync(c.Id);

        Assert.Equal(ConversationState.Offered, c.State);
        Assert.Equal(ConversationState.Offered, passed.State);
        Assert.NotEqual(missedId, passed.AgentId);
        Assert.Equal(group.Id, passed.GroupId);
        Assert.Equal(AgentStatus.Away, (await h.PresenceAsync(missedId)).Status);
    }

    [Fact]
    public async Task UnansweredCall_WhenMissedOfferSetsAwayIsOff_TheAgentStaysOnline()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.UpdateConversationSettingsAsync(s => s with { MissedOfferSetsAway = false });
        var agent = await h.AddCallAgentAsync("Only", MediaKind.Voice);

        var call = await h.OpenAsync(ChannelKind.Phone);
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        var after = await h.GetAsync(call.Id);

        Assert.Equal(AgentStatus.Online, (await h.PresenceAsync(agent.Id)).VoiceStatus);
        Assert.Equal(ConversationState.Queued, after.State); // the only agent is excluded from this call
    }

    [Fact]
    public async Task UnansweredCall_WhenAnotherCallWaits_TheMissedAgentIsSetAwayAndNotRungAgain()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Only", MediaKind.Voice);
        var ringing = await h.OpenAsync(ChannelKind.Phone);
        var waiting = await h.OpenAsync(ChannelKind.Phone);

        await h.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(agent.Id, ringing.AgentId);
        Assert.Equal(ConversationState.Queued, waiting.State);
        Assert.Equal(AgentStatus.Away, (await h.PresenceAsync(agent.Id)).VoiceStatus);
        Assert.Equal(ConversationState.Queued, (await h.GetAsync(waiting.Id)).State);
        Assert.Single(h.EventsOf(KefuEvent.PayloadOneofCase.SessionOffered), e => e.SessionOffered.AgentId == agent.Id);
    }
}
