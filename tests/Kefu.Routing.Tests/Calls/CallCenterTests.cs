using Kefu.Events;
using Kefu.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Routing.Tests.Calls;

/// <summary>The call centre's agent operations (R10, R11): outbound calls, hold, recordings, recent calls, video records, queue counts.</summary>
public class CallCenterTests
{
    [Fact]
    public async Task OutboundCall_IsServedByTheCallingAgent_AndTurnsTheirVoicePresenceBusyUntilHangUp()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Caller", MediaKind.Voice);
        var visitor = (await h.OpenAsync()).VisitorId;
        var open = (await h.Kefu.Conversations.ListOpenAsync(h.TenantId)).Single();
        await h.Kefu.Conversations.EndAsync(h.TenantId, open.Id, Participant.Visitor(visitor));

        var call = await h.Kefu.Conversations.CallVisitorAsync(h.TenantId, agent.Id, visitor, MediaKind.Voice);

        Assert.Equal((ConversationState.InService, agent.Id, ChannelKind.Phone), (call.State, call.AgentId, call.ChannelKind));
        Assert.Equal(RoutingReason.ByAgent, call.Routing[^1].Reason);
        Assert.Equal(AgentStatus.Busy, (await h.PresenceAsync(agent.Id)).VoiceStatus);
        var second = await h.OpenAsync();
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.CallVisitorAsync(h.TenantId, agent.Id, second.VisitorId, MediaKind.Voice));
        await h.Kefu.Conversations.EndAsync(h.TenantId, call.Id, Participant.Agent(agent.Id));
        Assert.Equal(AgentStatus.Online, (await h.PresenceAsync(agent.Id)).VoiceStatus);
    }

    [Fact]
    public async Task OutboundCall_WhenTheAgentIsNotSignedInForVoice_IsRefused()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddAgentAsync("Chat only", online: true);
        var visitor = (await h.OpenAsync()).VisitorId;

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.CallVisitorAsync(h.TenantId, agent.Id, visitor, MediaKind.Voice));
        var media = await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Kefu.Conversations.CallVisitorAsync(h.TenantId, agent.Id, visitor, MediaKind.Chat));
        Assert.Equal("Media", media.Field);
    }

    [Fact]
    public async Task Hold_PutsACallOnHoldAndBack_WithEvents_AndIsRefusedForChats()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Voice", MediaKind.Voice);
        await h.SetStatusAsync(agent.Id, AgentStatus.Online);
        var call = await h.OpenAsync(ChannelKind.Phone);
        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, call.Id, agent.Id, accept: true);

        var held = await h.Kefu.Conversations.HoldAsync(h.TenantId, call.Id, agent.Id, hold: true);
        Assert.True(held.OnHold);
        Assert.Equal(AgentStatus.Busy, (await h.PresenceAsync(agent.Id)).VoiceStatus);
        var resumed = await h.Kefu.Conversations.HoldAsync(h.TenantId, call.Id, agent.Id, hold: false);
        Assert.False(resumed.OnHold);
        Assert.Equal([true, false], h.EventsOf(KefuEvent.PayloadOneofCase.CallHold, call.Id).Select(e => e.CallHold.OnHold));

        var chat = await h.OpenAsync();
        Assert.Equal(agent.Id, chat.AgentId);
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.HoldAsync(h.TenantId, chat.Id, agent.Id, hold: true));
    }

    [Fact]
    public async Task Recording_IsReferencedOnTheCall_AndKeptInHistory()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Voice", MediaKind.Voice);
        var call = await h.OpenAsync(ChannelKind.Phone);
        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, call.Id, agent.Id, accept: true);
        await h.Kefu.Conversations.EndAsync(h.TenantId, call.Id, Participant.Agent(agent.Id));

        var recorded = await h.Kefu.Conversations.AttachRecordingAsync(h.TenantId, call.Id, agent.Id, "https://pbx.example/rec/1.mp3");

        Assert.Equal("https://pbx.example/rec/1.mp3", recorded.RecordingUrl);
        Assert.Equal("https://pbx.example/rec/1.mp3", (await h.GetAsync(call.Id)).RecordingUrl);
        Assert.Single(h.EventsOf(KefuEvent.PayloadOneofCase.CallRecording, call.Id));
        var url = await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Kefu.Conversations.AttachRecordingAsync(h.TenantId, call.Id, agent.Id, " "));
        Assert.Equal("Url", url.Field);
    }

    [Fact]
    public async Task RecentCalls_AreTheAgentsFiveNewestCalls_NewestFirst()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Voice", MediaKind.Voice);
        var calls = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            var call = await h.OpenAsync(ChannelKind.Phone);
            await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, call.Id, agent.Id, accept: true);
            await h.AdvanceAsync(TimeSpan.FromMinutes(1));
            await h.Kefu.Conversations.EndAsync(h.TenantId, call.Id, Participant.Agent(agent.Id));
            calls.Add(call.Id);
        }

        var recent = await h.Services.GetRequiredService<ICallCenter>().RecentCallsAsync(h.TenantId, agent.Id);

        Assert.Equal(Enumerable.Reverse(calls).Take(5), recent.Select(c => c.Id));
        await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Services.GetRequiredService<ICallCenter>().RecentCallsAsync(h.TenantId, agent.Id, 0));
    }

    [Fact]
    public async Task VideoRecords_CoverTheLast24Hours_AndQueueCountsArePerGroup()
    {
        await using var h = await RoutingHarness.StartAsync();
        var agent = await h.AddCallAgentAsync("Video", MediaKind.Video);
        var group = await h.AddGroupAsync("Video desk", agent);
        var old = await h.OpenAsync(ChannelKind.Video, groupId: group.Id);
        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, old.Id, agent.Id, accept: true);
        await h.Kefu.Conversations.EndAsync(h.TenantId, old.Id, Participant.Agent(agent.Id));
        await h.AdvanceAsync(TimeSpan.FromHours(25));
        var fresh = await h.OpenAsync(ChannelKind.Video, groupId: group.Id);
        var waiting = await h.OpenAsync(ChannelKind.Video, groupId: group.Id);

        var center = h.Services.GetRequiredService<ICallCenter>();
        var records = await center.RecentVideoCallsAsync(h.TenantId);
        var counts = await center.QueuedByGroupAsync(h.TenantId, MediaKind.Video);

        Assert.Equal([waiting.Id, fresh.Id], records.Select(c => c.Id));
        Assert.Equal(1, counts[group.Id]);
    }
}

/// <summary>A call handed from one agent to another (R10 transfer).</summary>
public class CallTransferTests
{
    [Fact]
    public async Task CallTransfer_MovesTheCallAndTheBusyPresence_ToTheAcceptingAgent()
    {
        await using var h = await RoutingHarness.StartAsync();
        var first = await h.AddCallAgentAsync("First", MediaKind.Voice);
        var call = await h.OpenAsync(ChannelKind.Phone);
        await h.Kefu.Conversations.AnswerOfferAsync(h.TenantId, call.Id, first.Id, accept: true);
        var second = await h.AddCallAgentAsync("Second", MediaKind.Voice);

        await h.Kefu.Conversations.RequestTransferAsync(h.TenantId, call.Id, first.Id, second.Id);
        var moved = await h.Kefu.Conversations.AnswerTransferAsync(h.TenantId, call.Id, second.Id, accept: true);

        Assert.Equal(second.Id, moved.AgentId);
        Assert.Equal((AgentStatus.Online, 0), ((await h.PresenceAsync(first.Id)).VoiceStatus, (await h.PresenceAsync(first.Id)).ActiveCalls));
        Assert.Equal((AgentStatus.Busy, 1), ((await h.PresenceAsync(second.Id)).VoiceStatus, (await h.PresenceAsync(second.Id)).ActiveCalls));
        var next = await h.OpenAsync(ChannelKind.Phone);
        Assert.Equal((ConversationState.Offered, first.Id), (next.State, next.AgentId));
    }
}
