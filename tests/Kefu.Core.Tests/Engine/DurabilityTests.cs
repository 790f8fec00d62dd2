using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Core.Tests.Engine;

/// <summary>Commit-before-acknowledge, outbox delivery with retries, reload after a failed commit and after a restart.</summary>
public class DurabilityTests
{
    private sealed class FlakySink : IEventSink
    {
        private readonly Lock _gate = new();
        public int FailuresLeft { get; set; }
        public int Attempts { get; private set; }
        public List<KefuEvent> Received { get; } = [];

        public ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Attempts++;
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    throw new InvalidOperationException("receiver down");
                }

                Received.AddRange(events);
                return ValueTask.CompletedTask;
            }
        }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return Received.Count;
                }
            }
        }
    }

    private sealed class FlakyCommitStore(InMemoryKefuStore inner) : ITenantCommitStore
    {
        public bool FailNext { get; set; }

        public ValueTask CommitAsync(TenantCommit commit, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }

            return inner.CommitAsync(commit, cancellationToken);
        }
    }

    [Fact]
    public async Task EventSink_ThatFailsThreeTimes_GetsEveryEventInOrderAndTheOutboxEmpties()
    {
        var sink = new FlakySink { FailuresLeft = 3 };
        await using var h = await KefuTestHarness.StartAsync(o => o.EventSinkRetryDelay = TimeSpan.FromSeconds(1), b => b.Services.AddSingleton<IEventSink>(sink));
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        for (var i = 0; i < 20; i++)
        {
            await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), $"m{i}");
        }

        var last = h.Events.Events[^1].Sequence;
        var expected = Enumerable.Range(1, (int)last).Select(i => (long)i).ToList(); // the tenant's creation included
        var outbox = h.Services.GetRequiredService<IOutboxStore>();
        for (var round = 0; round < 500 && (sink.Count < expected.Count || (await outbox.ReadPendingAsync(h.TenantId, 0, 10)).Count > 0); round++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1)); // the back-off waits on the fake clock
            await Task.Delay(10);
        }

        Assert.Equal(expected, sink.Received.Where(e => e.TenantId == h.TenantId).Select(e => e.Sequence));
        Assert.True(sink.Attempts > 3);
        Assert.Empty(await outbox.ReadPendingAsync(h.TenantId, 0, 10));
    }

    [Fact]
    public async Task FailedCommit_FailsTheCaller_StoresNothing_AndTheRetryIsStoredOnce()
    {
        FlakyCommitStore? flaky = null;
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton<ITenantCommitStore>(
            sp => flaky = new FlakyCommitStore(sp.GetRequiredService<InMemoryKefuStore>()))));
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var before = await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id);
        var eventsBefore = h.Events.Events.Count;

        flaky!.FailNext = true;
        var failure = await Assert.ThrowsAsync<KefuException>(async () => await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "hello", "client-1"));
        Assert.IsType<IOException>(failure.InnerException);
        Assert.Equal(before.MessageCount, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).MessageCount);
        Assert.Equal(eventsBefore, h.Events.Events.Count);

        var retried = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "hello", "client-1");
        Assert.False(retried.Duplicate);
        var stored = await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 50);
        Assert.Single(stored, m => m.ClientMessageId == "client-1");
        Assert.Equal(before.MessageCount + 1, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).MessageCount);
    }

    [Fact]
    public async Task Restart_OnTheSameStore_ResumesOpenConversationsQueuesAndDeduplication()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryKefuStore();
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(store);
            services.AddKefu(o => o.PasswordHashIterations = 1_000);
            return services.BuildServiceProvider();
        }

        long tenant, served, waiting, agentId, agentMessage;
        var data = new TestData();
        await using (var first = Build())
        {
            var kefu = first.GetRequiredService<IKefu>();
            tenant = (await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Restart" })).Id;
            var agent = await kefu.Directory.AddAgentAsync(tenant, data.Agent(maxConcurrentChats: 1));
            agentId = agent.Id;
            await kefu.Conversations.SetStatusAsync(tenant, agentId, AgentStatus.Online);
            var c1 = await kefu.Conversations.OpenAsync(tenant, data.Conversation());
            var c2 = await kefu.Conversations.OpenAsync(tenant, data.Conversation());
            (served, waiting) = (c1.Id, c2.Id);
            await kefu.Conversations.SendAsync(tenant, served, Participant.Visitor(c1.VisitorId), MessageContent.FromText("before restart"), "dup-1");
            agentMessage = (await kefu.Conversations.SendAsync(tenant, served, Participant.Agent(agentId), MessageContent.FromText("agent says"), "a-1")).MessageId;
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        await using var second = Build();
        var again = second.GetRequiredService<IKefu>();
        var c = await again.Conversations.GetAsync(tenant, served);
        Assert.Equal(ConversationState.InService, c.State);
        var retry = await again.Conversations.SendAsync(tenant, served, Participant.Visitor(c.VisitorId), MessageContent.FromText("before restart"), "dup-1");
        Assert.True(retry.Duplicate);
        Assert.Equal(1, (await again.Conversations.GetQueuePositionAsync(tenant, waiting))!.Position);
        Assert.True((await again.Conversations.RecallAsync(tenant, served, agentId, agentMessage)).Recalled);

        // Presence starts offline after a restart; coming back online, the agent's capacity counts the conversation it kept.
        await again.Conversations.SetStatusAsync(tenant, agentId, AgentStatus.Online);
        Assert.Equal(ConversationState.Queued, (await again.Conversations.GetAsync(tenant, waiting)).State);
        await again.Conversations.EndAsync(tenant, served, Participant.Agent(agentId));
        Assert.Equal(agentId, (await again.Conversations.GetAsync(tenant, waiting)).AgentId);
    }

    [Fact]
    public async Task CommandsForAnUnknownTenant_AreRefusedAsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var ex = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId + 1, "x"));
        Assert.Equal("Tenant", ex.Entity);
        await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Kefu.Directory.ListAgentsAsync(0));
        for (var id = 1L; id <= 100; id++)
        {
            await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.SendAsync(h.TenantId + id, 1, Participant.Visitor(1), MessageContent.FromText("x")));
        }

        Assert.Equal(1, ((global::Kefu.Engine.KefuEngine)h.Kefu).WorkerCount); // made-up tenant ids leave no workers behind
    }
}
