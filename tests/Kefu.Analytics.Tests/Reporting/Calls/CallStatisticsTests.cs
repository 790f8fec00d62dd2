using System.Diagnostics;
using Kefu.Analytics.Reporting.Calls;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Storage;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Analytics.Tests.Reporting.Calls;

/// <summary>The engine with Kefu.Routing and the call statistics only, on a fake clock.</summary>
internal sealed class CallHarness : IAsyncDisposable
{
    private CallHarness(KefuTestHarness harness) => H = harness;

    public KefuTestHarness H { get; }

    public long TenantId => H.TenantId;

    public DateTimeOffset Now => H.Clock.GetUtcNow();

    public ICallStatistics Statistics => H.Services.GetRequiredService<ICallStatistics>();

    public IKefuConversations Conversations => H.Kefu.Conversations;

    /// <summary>09:00 UTC the day after the harness starts.</summary>
    public DateTimeOffset Day => new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    public static async Task<CallHarness> StartAsync() =>
        new(await KefuTestHarness.StartAsync(build: b =>
        {
            b.AddRouting();
            CallStatisticsRegistration.Add(b.Services);
        }));

    public async Task<Agent> AgentAsync(string name) => await H.AddAgentAsync(name);

    public async Task StatusAsync(long agentId, AgentStatus status, MediaKind media = MediaKind.Video) =>
        await Conversations.SetMediaStatusAsync(TenantId, agentId, media, status);

    public async Task<Conversation> CallAsync(ChannelKind channel = ChannelKind.Video) =>
        await Conversations.OpenAsync(TenantId, H.Data.Conversation(channel: channel));

    public async Task AcceptAsync(Conversation call, long agentId) => await Conversations.AnswerOfferAsync(TenantId, call.Id, agentId, accept: true);

    public async Task VisitorEndsAsync(Conversation call) => await Conversations.EndAsync(TenantId, call.Id, Participant.Visitor(call.VisitorId));

    public async Task AgentEndsAsync(Conversation call, long agentId) => await Conversations.EndAsync(TenantId, call.Id, Participant.Agent(agentId));

    public Task AtAsync(DateTimeOffset start, double seconds) => H.AdvanceAsync(start.AddSeconds(seconds) - Now);

    public async Task DeliveredAsync()
    {
        await H.FlushAsync();
        var outbox = H.Services.GetRequiredService<IOutboxStore>();
        var clock = Stopwatch.StartNew();
        while ((await outbox.ReadPendingAsync(TenantId, 0, 1)).Count > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "The outbox did not deliver within 20 seconds.");
            await Task.Delay(2);
        }
    }

    /// <summary>Hands every recorded event to the call sink again, as a redelivery after a crash would.</summary>
    public async Task ReplayAsync()
    {
        var sink = H.Services.GetServices<IEventSink>().OfType<CallStatisticsSink>().Single();
        await sink.HandleAsync(TenantId, H.Events.Events, CancellationToken.None);
    }

    public async Task<IReadOnlyList<CallSlotRow>> SlotsAsync(DateTimeOffset day, int slots = 48, MediaKind media = MediaKind.Video, TimeSpan offset = default, CallConversationType? type = null) =>
        await Statistics.GetSlotsAsync(TenantId, new CallSlotQuery
        {
            Media = media,
            Date = DateOnly.FromDateTime((day + offset).UtcDateTime),
            Slots = slots,
            UtcOffset = offset,
            ConversationType = type,
        });

    public async Task<IReadOnlyList<CallAgentWorkload>> WorkloadAsync(DateTimeOffset from, DateTimeOffset to, MediaKind media = MediaKind.Video, CallConversationType? type = null) =>
        await Statistics.GetAgentWorkloadAsync(TenantId, new CallWorkloadQuery { Media = media, From = from, To = to, ConversationType = type });

    public ValueTask DisposeAsync() => H.DisposeAsync();
}

public sealed class CallStatisticsTests
{
    /// <summary>
    /// One video agent, all in 09:00–09:30 UTC (seconds after 09:00): online at 0; call 1 rings at 60, answered at 68,
    /// the visitor hangs up at 188; call 2 rings at 300, answered at 315, the agent hangs up at 515; away at 600; call 3
    /// at 610 queues (nobody ready) and the visitor gives up at 615; online at 700; call 4 rings at 720 and the visitor
    /// gives up at 740; offline at 1000.
    /// </summary>
    private static async Task<(CallHarness H, Agent Agent, DateTimeOffset T0)> ScenarioAsync()
    {
        var h = await CallHarness.StartAsync();
        var a = await h.AgentAsync("A");
        var t0 = h.Day;
        await h.AtAsync(t0, 0);
        await h.StatusAsync(a.Id, AgentStatus.Online);

        await h.AtAsync(t0, 60);
        var call1 = await h.CallAsync();
        Assert.Equal(ConversationState.Offered, call1.State);
        await h.AtAsync(t0, 68);
        await h.AcceptAsync(call1, a.Id);
        await h.AtAsync(t0, 188);
        await h.VisitorEndsAsync(call1);

        await h.AtAsync(t0, 300);
        var call2 = await h.CallAsync();
        Assert.Equal(ConversationState.Offered, call2.State);
        await h.AtAsync(t0, 315);
        await h.AcceptAsync(call2, a.Id);
        await h.AtAsync(t0, 515);
        await h.AgentEndsAsync(call2, a.Id);

        await h.AtAsync(t0, 600);
        await h.StatusAsync(a.Id, AgentStatus.Away);
        await h.AtAsync(t0, 610);
        var call3 = await h.CallAsync();
        Assert.Equal(ConversationState.Queued, call3.State);
        await h.AtAsync(t0, 615);
        await h.VisitorEndsAsync(call3);
        await h.AtAsync(t0, 700);
        await h.StatusAsync(a.Id, AgentStatus.Online);

        await h.AtAsync(t0, 720);
        var call4 = await h.CallAsync();
        Assert.Equal(ConversationState.Offered, call4.State);
        await h.AtAsync(t0, 740);
        await h.VisitorEndsAsync(call4);

        await h.AtAsync(t0, 1000);
        await h.StatusAsync(a.Id, AgentStatus.Offline);
        await h.DeliveredAsync();
        return (h, a, t0);
    }

    private static readonly CallSlotRow Expected0900 = new(
        Slot: 18, Start: new TimeOnly(9, 0), Requests: 4, Connected: 2, ConnectRate: 0.5, Abandoned: 2, AbandonRate: 0.5,
        WaitAverage: 11.5, WaitMax: 15, ResponseAverage: 11.5, ResponseMax: 15, AbandonWaitAverage: 12.5, AbandonWaitMax: 20,
        TalkAverage: 160, TalkTotal: 320, AnsweredWithin10Seconds: 1, AnsweredAfter10Seconds: 1, AbandonedWithin10Seconds: 1, AbandonedAfter10Seconds: 1);

    private static void AssertEmpty(CallSlotRow row)
    {
        Assert.Equal(0, row.Requests + row.Connected + row.Abandoned + row.AnsweredWithin10Seconds + row.AnsweredAfter10Seconds + row.AbandonedWithin10Seconds + row.AbandonedAfter10Seconds);
        Assert.Null(row.ConnectRate);
        Assert.Null(row.WaitAverage);
        Assert.Equal(0, row.TalkTotal);
    }

    [Fact]
    public async Task Slots_48_GiveTheHandComputedFiguresInTheHalfHourOfTheRequests()
    {
        var (h, _, t0) = await ScenarioAsync();
        await using var _ = h;

        var rows = await h.SlotsAsync(t0);

        Assert.Equal(48, rows.Count);
        Assert.Equal(Enumerable.Range(0, 48), rows.Select(r => r.Slot));
        Assert.Equal(new TimeOnly(23, 30), rows[47].Start);
        Assert.Equal(Expected0900, rows[18]);
        Assert.All(rows.Where(r => r.Slot != 18), AssertEmpty);
    }

    [Fact]
    public async Task Slots_24_AndAnOffset_PutTheSameFiguresInTheLocalHour()
    {
        var (h, _, t0) = await ScenarioAsync();
        await using var _ = h;

        var utc = await h.SlotsAsync(t0, slots: 24);
        var beijing = await h.SlotsAsync(t0, slots: 24, offset: TimeSpan.FromHours(8));
        var voice = await h.SlotsAsync(t0, slots: 24, media: MediaKind.Voice);

        Assert.Equal(24, utc.Count);
        Assert.Equal(Expected0900 with { Slot = 9 }, utc[9]);
        Assert.Equal(Expected0900 with { Slot = 17, Start = new TimeOnly(17, 0) }, beijing[17]);
        Assert.All(utc.Where(r => r.Slot != 9), AssertEmpty);
        Assert.All(voice, AssertEmpty);
    }

    [Fact]
    public async Task Workload_GivesTheHandComputedFiguresOfTheAgent()
    {
        var (h, a, t0) = await ScenarioAsync();
        await using var _ = h;

        var rows = await h.WorkloadAsync(t0, t0.AddHours(1));

        var row = Assert.Single(rows);
        Assert.Equal(new CallAgentWorkload(
            a.Id, a.Nickname ?? a.Name,
            CustomerEnded: 1,
            LoginTime: 1000,
            TalkTime: 320, TalkAverage: 160,
            VisitorWait: 23, VisitorWaitAverage: 11.5,
            AgentResponse: 23, AgentResponseAverage: 11.5,
            Requests: 3,
            ProactiveInvites: 0,
            Connected: 2,
            AgentEnded: 1,
            NotReadyCount: 1, NotReadyTime: 100, NotReadyAverage: 100,
            AfterCallWork: 112 + 205, AfterCallWorkAverage: 158.5,
            Workload: 0.32), row);
        Assert.Empty(await h.WorkloadAsync(t0, t0.AddHours(1), media: MediaKind.Voice));
    }

    [Fact]
    public async Task Replay_OfEveryEvent_ChangesNothing()
    {
        var (h, a, t0) = await ScenarioAsync();
        await using var _ = h;
        var slots = await h.SlotsAsync(t0);
        var workload = await h.WorkloadAsync(t0, t0.AddHours(1));

        await h.ReplayAsync();
        await h.ReplayAsync();

        Assert.Equal(slots, await h.SlotsAsync(t0));
        Assert.Equal(workload, await h.WorkloadAsync(t0, t0.AddHours(1)));
        Assert.Equal(1000, Assert.Single(workload).LoginTime);
        Assert.Equal(a.Id, workload[0].AgentId);
    }

    [Fact]
    public async Task Redelivery_ToAFreshSink_AsAfterARestart_ChangesNothing()
    {
        var (h, _, t0) = await ScenarioAsync();
        await using var _ = h;
        var slots = await h.SlotsAsync(t0);
        var workload = await h.WorkloadAsync(t0, t0.AddHours(1));

        var restarted = new CallStatisticsSink(h.H.Services.GetRequiredService<IAggregateStore>(), h.H.Services.GetRequiredService<IConversationStore>());
        await restarted.HandleAsync(h.TenantId, h.H.Events.Events, CancellationToken.None);

        Assert.Equal(slots, await h.SlotsAsync(t0));
        Assert.Equal(workload, await h.WorkloadAsync(t0, t0.AddHours(1)));
    }

    [Fact]
    public async Task SlotBoundary_ACallAt0929AndOneAt0931_AreInTwoHalfHours_AndOneHour()
    {
        await using var h = await CallHarness.StartAsync();
        var t0 = h.Day;   // 09:00 UTC
        await h.AtAsync(t0, (29 * 60) + 59);
        var early = await h.CallAsync();    // nobody signed in: it queues
        await h.AtAsync(t0, (29 * 60) + 59 + 3);
        await h.VisitorEndsAsync(early);
        await h.AtAsync(t0, 31 * 60);
        var late = await h.CallAsync();
        await h.AtAsync(t0, (31 * 60) + 12);
        await h.VisitorEndsAsync(late);
        await h.DeliveredAsync();

        var halves = await h.SlotsAsync(t0);
        var hours = await h.SlotsAsync(t0, slots: 24);
        var india = await h.SlotsAsync(t0, offset: new TimeSpan(5, 30, 0));

        Assert.Equal((1L, 1L, 0L, 3.0), (halves[18].Requests, halves[18].AbandonedWithin10Seconds, halves[18].AbandonedAfter10Seconds, halves[18].AbandonWaitMax));
        Assert.Equal((1L, 0L, 1L, 12.0), (halves[19].Requests, halves[19].AbandonedWithin10Seconds, halves[19].AbandonedAfter10Seconds, halves[19].AbandonWaitMax));
        Assert.Equal((2L, 2L, 1.0, 7.5, 12.0), (hours[9].Requests, hours[9].Abandoned, hours[9].AbandonRate, hours[9].AbandonWaitAverage, hours[9].AbandonWaitMax));
        Assert.Equal(0, hours[9].Connected);
        Assert.Equal(0.0, hours[9].ConnectRate);
        // 09:29:59 UTC is 14:59:59 in +05:30 (slot 29), 09:31 is 15:01 (slot 30).
        Assert.Equal([29, 30], india.Where(r => r.Requests > 0).Select(r => r.Slot));
    }

    [Fact]
    public async Task Presence_OpenIntervalsCountUpToNow_AndLoginSplitsOverHalfHours()
    {
        await using var h = await CallHarness.StartAsync();
        var a = await h.AgentAsync("A");
        var t0 = h.Day;
        await h.AtAsync(t0, 10 * 60);                 // 09:10 signed in to voice
        await h.StatusAsync(a.Id, AgentStatus.Online, MediaKind.Voice);
        await h.AtAsync(t0, 50 * 60);                 // 09:50 busy by choice
        await h.StatusAsync(a.Id, AgentStatus.Busy, MediaKind.Voice);
        await h.AtAsync(t0, 55 * 60);                 // now 09:55, still busy
        await h.DeliveredAsync();

        var open = Assert.Single(await h.WorkloadAsync(t0, t0.AddHours(1), media: MediaKind.Voice));
        Assert.Equal((2700.0, 1L, 300.0), (open.LoginTime, open.NotReadyCount, open.NotReadyTime));
        Assert.Equal(0.0, open.Workload);

        await h.AtAsync(t0, 70 * 60);                 // 10:10 signed out
        await h.StatusAsync(a.Id, AgentStatus.Offline, MediaKind.Voice);
        await h.DeliveredAsync();

        var whole = Assert.Single(await h.WorkloadAsync(t0, t0.AddHours(2), media: MediaKind.Voice));
        var half = Assert.Single(await h.WorkloadAsync(t0.AddMinutes(30), t0.AddHours(1), media: MediaKind.Voice));
        var later = Assert.Single(await h.WorkloadAsync(t0.AddHours(1), t0.AddHours(2), media: MediaKind.Voice));
        Assert.Equal((3600.0, 1L, 1200.0, 1200.0), (whole.LoginTime, whole.NotReadyCount, whole.NotReadyTime, whole.NotReadyAverage!.Value));
        Assert.Equal((1800.0, 1L, 600.0), (half.LoginTime, half.NotReadyCount, half.NotReadyTime));
        Assert.Equal((600.0, 0L, 600.0), (later.LoginTime, later.NotReadyCount, later.NotReadyTime));
        Assert.Equal(0, whole.Connected);
        Assert.Equal(0.0, whole.Workload);
    }

    [Fact]
    public async Task ProactiveCall_CountsForTheInvitingAgent_AndTheTypeFilterSeparatesIt()
    {
        await using var h = await CallHarness.StartAsync();
        var a = await h.AgentAsync("A");
        var t0 = h.Day;
        await h.AtAsync(t0, 0);
        await h.StatusAsync(a.Id, AgentStatus.Online);
        var visitor = await h.CallAsync(ChannelKind.Web);          // a chat visitor the agent then calls
        await h.VisitorEndsAsync(visitor);
        await h.AtAsync(t0, 100);
        var outbound = await h.Conversations.CallVisitorAsync(h.TenantId, a.Id, visitor.VisitorId, MediaKind.Video);
        Assert.Equal(ConversationState.InService, outbound.State);
        await h.AtAsync(t0, 190);
        await h.AgentEndsAsync(outbound, a.Id);
        await h.AtAsync(t0, 200);
        var inbound = await h.CallAsync();
        await h.AtAsync(t0, 204);
        await h.AcceptAsync(inbound, a.Id);
        await h.AtAsync(t0, 264);
        await h.VisitorEndsAsync(inbound);
        await h.AtAsync(t0, 600);
        await h.StatusAsync(a.Id, AgentStatus.Offline);
        await h.DeliveredAsync();

        var all = Assert.Single(await h.WorkloadAsync(t0, t0.AddHours(1)));
        var proactive = Assert.Single(await h.WorkloadAsync(t0, t0.AddHours(1), type: CallConversationType.Proactive));
        var inboundOnly = Assert.Single(await h.WorkloadAsync(t0, t0.AddHours(1), type: CallConversationType.Inbound));
        var slots = await h.SlotsAsync(t0, type: CallConversationType.Proactive);

        Assert.Equal((1L, 2L, 150.0, 1L, 1L, 1L), (all.ProactiveInvites, all.Connected, all.TalkTime, all.Requests, all.AgentEnded, all.CustomerEnded));
        Assert.Equal(150.0 / 600, all.Workload);
        // After-call work: 190 → 200 (the next call rings), 264 → 600 (signed out).
        Assert.Equal((10.0 + 336, 173.0), (all.AfterCallWork, all.AfterCallWorkAverage!.Value));
        Assert.Equal((1L, 1L, 90.0, 0L, 0.0), (proactive.ProactiveInvites, proactive.Connected, proactive.TalkTime, proactive.Requests, proactive.VisitorWait));
        Assert.Null(proactive.AgentResponseAverage);
        Assert.Equal((0L, 1L, 60.0, 1L, 4.0), (inboundOnly.ProactiveInvites, inboundOnly.Connected, inboundOnly.TalkTime, inboundOnly.Requests, inboundOnly.AgentResponseAverage!.Value));
        Assert.Equal(600.0, proactive.LoginTime);   // presence ignores the call filters
        Assert.Equal((1L, 1L, 1L, 90.0), (slots[18].Requests, slots[18].Connected, slots[18].AnsweredWithin10Seconds, slots[18].TalkTotal));
    }

    [Fact]
    public async Task GroupFilter_CountsTheGroupsCalls_AndKeepsTheMembersPresence()
    {
        await using var h = await CallHarness.StartAsync();
        var a = await h.AgentAsync("A");
        var b = await h.AgentAsync("B");
        var member = await h.AgentAsync("Member without calls");
        var group = await h.H.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "Video");
        await h.H.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [a.Id, member.Id], []);
        var t0 = h.Day;
        await h.AtAsync(t0, 0);
        await h.StatusAsync(a.Id, AgentStatus.Online);
        await h.AtAsync(t0, 10);
        var grouped = await h.Conversations.OpenAsync(h.TenantId, h.H.Data.Conversation(groupId: group.Id, channel: ChannelKind.Video));
        Assert.Equal(a.Id, grouped.AgentId);
        await h.AtAsync(t0, 12);
        await h.AcceptAsync(grouped, a.Id);
        await h.AtAsync(t0, 42);
        await h.VisitorEndsAsync(grouped);
        await h.AtAsync(t0, 50);
        await h.StatusAsync(a.Id, AgentStatus.Offline);
        await h.AtAsync(t0, 60);
        await h.StatusAsync(b.Id, AgentStatus.Online);
        await h.AtAsync(t0, 70);
        var ungrouped = await h.CallAsync();
        Assert.Equal(b.Id, ungrouped.AgentId);
        await h.AtAsync(t0, 75);
        await h.AcceptAsync(ungrouped, b.Id);
        await h.AtAsync(t0, 95);
        await h.AgentEndsAsync(ungrouped, b.Id);
        await h.AtAsync(t0, 100);
        await h.StatusAsync(b.Id, AgentStatus.Offline);
        await h.DeliveredAsync();

        var day = DateOnly.FromDateTime(t0.UtcDateTime);
        var all = await h.Statistics.GetSlotsAsync(h.TenantId, new CallSlotQuery { Date = day });
        var ofGroup = await h.Statistics.GetSlotsAsync(h.TenantId, new CallSlotQuery { Date = day, GroupId = group.Id });
        var workload = await h.Statistics.GetAgentWorkloadAsync(h.TenantId, new CallWorkloadQuery { From = t0, To = t0.AddHours(1), GroupId = group.Id });
        var everyone = await h.WorkloadAsync(t0, t0.AddHours(1));

        Assert.Equal((2L, 2L, 50.0, 3.5), (all[9].Requests, all[9].Connected, all[9].TalkTotal, all[9].ResponseAverage!.Value));
        Assert.Equal((1L, 1L, 30.0, 2.0), (ofGroup[9].Requests, ofGroup[9].Connected, ofGroup[9].TalkTotal, ofGroup[9].ResponseAverage!.Value));
        var row = Assert.Single(workload);
        Assert.Equal((a.Id, 1L, 30.0, 50.0, 1L), (row.AgentId, row.Connected, row.TalkTime, row.LoginTime, row.CustomerEnded));
        Assert.Equal([(a.Id, 50.0, 30.0), (b.Id, 40.0, 20.0)], everyone.Select(w => (w.AgentId, w.LoginTime, w.TalkTime)));
        Assert.Equal(0.5, everyone[1].Workload);
    }

    [Fact]
    public async Task Validation_NamesTheField()
    {
        await using var h = await CallHarness.StartAsync();
        var day = DateOnly.FromDateTime(h.Now.UtcDateTime);
        var s = h.Statistics;
        async Task<string> SlotField(CallSlotQuery q) => (await Assert.ThrowsAsync<KefuValidationException>(async () => await s.GetSlotsAsync(h.TenantId, q))).Field;
        async Task<string> WorkField(CallWorkloadQuery q) => (await Assert.ThrowsAsync<KefuValidationException>(async () => await s.GetAgentWorkloadAsync(h.TenantId, q))).Field;

        Assert.Equal("Slots", await SlotField(new CallSlotQuery { Date = day, Slots = 12 }));
        Assert.Equal("Media", await SlotField(new CallSlotQuery { Date = day, Media = MediaKind.Chat }));
        Assert.Equal("UtcOffset", await SlotField(new CallSlotQuery { Date = day, UtcOffset = TimeSpan.FromMinutes(15) }));
        Assert.Equal("Date", await SlotField(new CallSlotQuery { Date = day, From = day, To = day }));
        Assert.Equal("From", await SlotField(new CallSlotQuery()));
        Assert.Equal("To", await SlotField(new CallSlotQuery { From = day, To = day.AddDays(-1) }));
        Assert.Equal("To", await SlotField(new CallSlotQuery { From = day, To = day.AddDays(90) }));
        Assert.Equal(48, (await s.GetSlotsAsync(h.TenantId, new CallSlotQuery { From = day, To = day.AddDays(89), Slots = 48 })).Count);

        var t0 = new DateTimeOffset(2026, 1, 6, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal("Media", await WorkField(new CallWorkloadQuery { Media = MediaKind.Chat, From = t0, To = t0.AddHours(1) }));
        Assert.Equal("From", await WorkField(new CallWorkloadQuery { From = t0.AddMinutes(10), To = t0.AddHours(1) }));
        Assert.Equal("To", await WorkField(new CallWorkloadQuery { From = t0, To = t0.AddMinutes(45) }));
        Assert.Equal("To", await WorkField(new CallWorkloadQuery { From = t0, To = t0 }));
        Assert.Equal("To", await WorkField(new CallWorkloadQuery { From = t0, To = t0.AddDays(90).AddMinutes(30) }));
        Assert.Empty(await s.GetAgentWorkloadAsync(h.TenantId, new CallWorkloadQuery { From = t0, To = t0.AddDays(90) }));
    }
}
