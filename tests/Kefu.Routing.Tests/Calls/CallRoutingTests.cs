using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing.Tests.Calls;

/// <summary>Voice and video calls (R10, R11): ringing, presence during a call, the video default strategy.</summary>
public class CallRoutingTests
{
    [Fact]
    public async Task PhoneConversation_RingsASignedInVoiceAgent_NotAChatAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Chat", online: true);
        var voice = await h.AddCallAgentAsync("Voice", MediaKind.Voice);

        var call = await h.OpenAsync(ChannelKind.Phone);

        Assert.Equal(ConversationState.Offered, call.State);
        Assert.Equal(voice.Id, call.AgentId);
        Assert.NotNull(call.OfferedAt);
        Assert.Null(call.AssignedAt);
        var offered = h.EventsOf(KefuEvent.PayloadOneofCase.SessionOffered, call.Id).Single().SessionOffered;
        Assert.Equal(voice.Id, offered.AgentId);
        Assert.Equal(RoutingOutcome.Offer, call.Routing[^1].Outcome);
        Assert.Empty(h.EventsOf(KefuEvent.PayloadOneofCase.SessionAssigned, call.Id));
    }

    [Fact]
    public async Task PhoneConversation_WhenNoVoiceAgentIsSignedIn_Queues()
    {
        await using var h = await RoutingHarness.StartAsync();
        await h.AddAgentAsync("Chat", online: true);
        await h.AddCallAgentAsync("Video", MediaKind.Video);

        var call = await h.OpenAsync(ChannelKind.Phone);

        Assert.Equal(ConversationState.Queued, call.State);
        Assert.Equal(MediaKind.Voice, (await h.Kefu.Conversations.GetQueuePositionAsync(h.TenantId, call.Id))?.Media);
    }

    [Fact]
    public async Task Call_RingingAndAnswering_SetsVoiceBusy_AndHangingUpRestoresThePreviousPresence()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Voice", MediaKind.Voice);
        await h.SetStatusAsync(agent.Id, AgentStatus.Online);   // chat presence, untouched by calls

        var call = await h.OpenAsync(ChannelKind.Phone);
        var ringing = await h.PresenceAsync(agent.Id);
        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, call.Id, agent.Id, accept: true);
        var answered = await h.PresenceAsync(agent.Id);
        var inCall = await h.GetAsync(call.Id);
        await h.Kefu.Conversations.EndAsync(h.TenantId, call.Id, Participant.Agent(agent.Id));
        var hungUp = await h.PresenceAsync(agent.Id);

        Assert.Equal(AgentStatus.Busy, ringing.VoiceStatus);
        Assert.Equal(1, ringing.ActiveCalls);
        Assert.Equal(AgentStatus.Busy, answered.VoiceStatus);
        Assert.Equal(ConversationState.InService, inCall.State);
        Assert.Equal(AgentStatus.Online, hungUp.VoiceStatus);
        Assert.Equal(0, hungUp.ActiveCalls);
        Assert.All(new[] { ringing, answered, hungUp }, p => Assert.Equal(AgentStatus.Online, p.Status));
        var voiceChanges = h.EventsOf(KefuEvent.PayloadOneofCase.AgentStateChanged)
            .Where(e => e.AgentStateChanged.AgentId == agent.Id && e.AgentStateChanged.Media == MediaKindInfo.Voice)
            .Select(e => (e.AgentStateChanged.Previous, e.AgentStateChanged.Current));
        Assert.Equal([(AgentStatus.Offline, AgentStatus.Online), (AgentStatus.Online, AgentStatus.Busy), (AgentStatus.Busy, AgentStatus.Online)], voiceChanges);
    }

    [Fact]
    public async Task Call_WhenTheVisitorHangsUpWhileRinging_RestoresThePreviousPresence()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Voice", MediaKind.Voice);

        var call = await h.OpenAsync(ChannelKind.Phone);
        await h.Kefu.Conversations.EndAsync(h.TenantId, call.Id, Participant.Visitor(call.VisitorId));

        var presence = await h.PresenceAsync(agent.Id);
        Assert.Equal(AgentStatus.Online, presence.VoiceStatus);
        Assert.Equal(0, presence.ActiveCalls);
    }

    [Fact]
    public async Task Call_WhenDeclined_RingsTheNextVoiceAgent_AndTheDeclinerIsOnlineAgain()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.AddCallAgentAsync("First", MediaKind.Voice);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var second = await h.AddCallAgentAsync("Second", MediaKind.Voice);

        var call = await h.OpenAsync(ChannelKind.Phone);
        var passed = await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, call.Id, first.Id, accept: false);

        Assert.Equal(first.Id, call.AgentId);
        Assert.Equal(second.Id, passed.AgentId);
        Assert.Equal(ConversationState.Offered, passed.State);
        Assert.Equal(RoutingReason.OfferDeclined, passed.Routing[^1].Reason);
        var ended = h.EventsOf(KefuEvent.PayloadOneofCase.OfferEnded, call.Id).Single().OfferEnded;
        Assert.False(ended.TimedOut);
        Assert.Equal(AgentStatus.Online, (await h.PresenceAsync(first.Id)).VoiceStatus);
    }

    [Fact]
    public async Task VideoCall_ByDefault_GoesToTheAgentIdleLongest()
    {
        await using var h = await RoutingHarness.StartAsync();
        var newer = await h.AddAgentAsync("Created first, signed in later");
        var older = await h.AddAgentAsync("Created later, signed in first");
        await h.SetStatusAsync(older.Id, AgentStatus.Online, MediaKind.Video);
        await h.AdvanceAsync(TimeSpan.FromMinutes(2));
        await h.SetStatusAsync(newer.Id, AgentStatus.Online, MediaKind.Video);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));

        var call = await h.OpenAsync(ChannelKind.Video);

        Assert.Equal(ConversationState.Offered, call.State);
        Assert.Equal(older.Id, call.AgentId);
        var record = call.Routing[^1];
        Assert.Equal(LongestIdleStrategy.StrategyName, record.Strategy);
        Assert.Equal(2, record.Eligible);
        Assert.Equal([older.Id, newer.Id], record.Candidates.Select(c => c.AgentId));
        Assert.Equal([180.0, 60.0], record.Candidates.Select(c => c.Score));
    }
}
