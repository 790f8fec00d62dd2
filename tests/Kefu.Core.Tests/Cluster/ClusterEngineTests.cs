using Kefu.Cluster;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Core.Tests.Cluster;

/// <summary>Several engines on one in-memory store and one clock, as nodes of a cluster in one process.</summary>
public sealed class ClusterEngineTests : IAsyncDisposable
{
    private const int Shards = 4;
    private readonly FakeTimeProvider _clock = new();
    private readonly InMemoryKefuStore _store;
    private readonly List<ServiceProvider> _nodes = [];
    private readonly TestData _data = new();

    public ClusterEngineTests() => _store = new InMemoryKefuStore(_clock);

    private (IKefu Kefu, ShardOwnership Ownership, ServiceProvider Provider) Node(string name, int nodeId, bool ownsShards = true, IKefuCommandForwarder? forwarder = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddKefu(o => o.NodeId = nodeId).UseStore(_ => _store).UseCluster(o =>
        {
            o.NodeName = name;
            o.ShardCount = Shards;
            o.OwnsShards = ownsShards;
        });
        if (forwarder is not null)
        {
            services.AddSingleton(forwarder);
        }

        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        return (provider.GetRequiredService<IKefu>(), provider.GetRequiredService<ShardOwnership>(), provider);
    }

    [Fact]
    public async Task NodeWithoutAnyShard_RefusesTenantCommands_AsUnavailable_WithoutATransport()
    {
        var (a, ownershipA, _) = Node("a", 1);
        var (b, ownershipB, _) = Node("b", 2, ownsShards: false);
        await ownershipA.RunRoundAsync(default);
        await ownershipB.RunRoundAsync(default);
        var tenant = await a.Organisation.CreateTenantAsync(new NewTenant { Name = "Acme" });

        var error = await Assert.ThrowsAsync<KefuException>(() => b.Directory.GetSettingsAsync(tenant.Id).AsTask());

        Assert.Equal(KefuErrorKind.Unavailable, error.Kind);
        Assert.Equal(Enumerable.Range(0, Shards), ownershipA.HeldShards);
        Assert.Empty(ownershipB.HeldShards);
    }

    [Fact]
    public async Task NodeThatLostItsLease_GetsItsCommitRefused_AndTheNewOwnerReloadsEverythingCommitted()
    {
        var (a, ownershipA, _) = Node("a", 1);
        var (b, ownershipB, _) = Node("b", 2);
        await ownershipA.RunRoundAsync(default);
        var tenant = await a.Organisation.CreateTenantAsync(new NewTenant { Name = "Acme" });
        var agent = await a.Directory.AddAgentAsync(tenant.Id, _data.Agent());
        await a.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await a.Conversations.OpenAsync(tenant.Id, _data.Conversation());
        var visitor = Participant.Visitor(conversation.VisitorId);
        var first = await a.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("one"), "m-1");

        // Node a stalls (a long pause: its local clock still says its lease is valid) while the lease is taken from it.
        var shard = ShardMap.ShardOf(tenant.Id, Shards);
        var leaseOfA = Assert.Single(await _store.ListAsync(), l => l.Shard == shard);
        await _store.ReleaseAsync(leaseOfA);
        await ownershipB.RunRoundAsync(default);
        Assert.Contains(shard, ownershipB.HeldShards);
        Assert.Contains(shard, ownershipA.HeldShards);

        var refused = await Assert.ThrowsAsync<KefuException>(() =>
            a.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("two"), "m-2").AsTask());

        Assert.Equal(KefuErrorKind.Unavailable, refused.Kind);
        Assert.DoesNotContain(shard, ownershipA.HeldShards);
        Assert.Equal([first.MessageId], (await VisitorMessagesAsync(tenant.Id, conversation.Id)).Select(m => m.Id));

        var second = await b.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("two"), "m-2");
        var stored = await VisitorMessagesAsync(tenant.Id, conversation.Id);
        Assert.Equal([first.MessageId, second.MessageId], stored.Select(m => m.Id));
        Assert.Equal(2, (await b.Conversations.GetAsync(tenant.Id, conversation.Id)).VisitorMessageCount);
        var again = await b.Conversations.SendAsync(tenant.Id, conversation.Id, visitor, MessageContent.FromText("one"), "m-1");
        Assert.Equal(first.MessageId, again.MessageId);
    }

    [Fact]
    public async Task ExpiredLease_IsTakenOverByTheNextRound_AndTheOldNodeStopsWritingByItsOwnClock()
    {
        var (a, ownershipA, _) = Node("a", 1);
        var (b, ownershipB, _) = Node("b", 2);
        await ownershipA.RunRoundAsync(default);
        await ownershipB.RunRoundAsync(default);
        var tenant = await a.Organisation.CreateTenantAsync(new NewTenant { Name = "Acme" });
        Assert.Empty(ownershipB.HeldShards);

        _clock.Advance(new KefuClusterOptions().LeaseTimeout);
        await ownershipB.RunRoundAsync(default);

        Assert.Equal(Enumerable.Range(0, Shards), ownershipB.HeldShards);
        Assert.Empty(ownershipA.HeldShards);
        var leases = await _store.ListAsync();
        Assert.All(leases, l => Assert.Equal(("b", 2L), (l.Owner, l.Epoch)));
        await Assert.ThrowsAsync<KefuException>(() => a.Directory.GetSettingsAsync(tenant.Id).AsTask());
        var agent = await b.Directory.AddAgentAsync(tenant.Id, _data.Agent("Bo"));
        Assert.Equal("Bo", (await _store.LoadTenantAsync(tenant.Id))!.Directory.OfType<Agent>().Single(x => x.Id == agent.Id).Name);
    }

    [Fact]
    public async Task FrontNode_ForwardsCommandsToTheOwner_AndGetsItsResultsAndErrorsBack()
    {
        var forwarder = new LoopbackForwarder();
        var (owner, ownershipOwner, ownerProvider) = Node("owner", 1);
        var (front, ownershipFront, _) = Node("front", 2, ownsShards: false, forwarder: forwarder);
        forwarder.Owner = ownerProvider.GetRequiredService<KefuCommandHandler>();
        await ownershipOwner.RunRoundAsync(default);
        await ownershipFront.RunRoundAsync(default);

        var tenant = await front.Organisation.CreateTenantAsync(new NewTenant { Name = "Forwarded" });
        var agent = await front.Directory.AddAgentAsync(tenant.Id, _data.Agent("Ann"));
        await front.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await front.Conversations.OpenAsync(tenant.Id, _data.Conversation());
        var sent = await front.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("你好"), "c-1");
        var retried = await front.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("你好"), "c-1");
        await front.FlushAsync(tenant.Id);

        Assert.Equal(sent.MessageId, retried.MessageId);
        Assert.Equal(agent.Id, conversation.AgentId);
        Assert.Equal("Ann", (await owner.Directory.GetAgentAsync(tenant.Id, agent.Id)).Name);
        Assert.Equal("你好", Assert.Single(await VisitorMessagesAsync(tenant.Id, conversation.Id)).Text);
        Assert.True(forwarder.Calls >= 7);

        var missing = await Assert.ThrowsAsync<KefuNotFoundException>(() => front.Directory.GetAgentAsync(tenant.Id, 12345).AsTask());
        Assert.Equal(("Agent", 12345L), (missing.Entity, missing.Id));
        var invalid = await Assert.ThrowsAsync<KefuValidationException>(() => front.Directory.AddSkillGroupAsync(tenant.Id, "").AsTask());
        Assert.Equal("Name", invalid.Field);
    }

    private async Task<List<Message>> VisitorMessagesAsync(long tenantId, long conversationId)
        => [.. (await _store.GetMessagesAsync(tenantId, conversationId, null, 100)).Where(m => m.SenderKind == ParticipantKind.Visitor)];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Hands forwarded commands straight to the owner's handler, as a transport would over the wire.</summary>
    private sealed class LoopbackForwarder : IKefuCommandForwarder
    {
        private int _calls;

        public KefuCommandHandler? Owner { get; set; }

        public int Calls => _calls;

        public async ValueTask<byte[]> ForwardAsync(int shard, byte[] command, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return await Owner!.HandleAsync(command, cancellationToken);
        }
    }
}
