using Kefu.Adapters.RabbitMq;
using Kefu.Cluster;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage.InMemory;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Tests.Cluster;

public sealed class RabbitMqTransportOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new RabbitMqTransportOptions();

        options.Validate();
        Assert.Equal("kefu", options.Prefix);
    }

    public static TheoryData<string, Action<RabbitMqTransportOptions>> BadOptions => new()
    {
        { "Uri", o => o.Uri = "http://localhost" },
        { "Uri", o => o.Uri = "not a uri" },
        { "Prefix", o => o.Prefix = "" },
        { "Prefix", o => o.Prefix = "has space" },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "PrefetchCount", o => o.PrefetchCount = 0 },
        { "PrefetchCount", o => o.PrefetchCount = 70_000 },
        { "CommandConcurrency", o => o.CommandConcurrency = 0 },
        { "ReconnectDelay", o => o.ReconnectDelay = TimeSpan.FromMilliseconds(1) },
        { "MaxReconnectDelay", o => o.MaxReconnectDelay = TimeSpan.FromMilliseconds(100) },
        { "EventQueueExpiry", o => o.EventQueueExpiry = TimeSpan.FromSeconds(1) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_NamesTheBadField_AndItsAllowedRange(string field, Action<RabbitMqTransportOptions> spoil)
    {
        var options = new RabbitMqTransportOptions();
        spoil(options);

        var error = Assert.Throws<KefuValidationException>(options.Validate);

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrEmpty(error.Allowed));
    }

    [Fact]
    public async Task UseRabbitMq_MakesOneTransportTheEventTransportAndTheCommandForwarder()
    {
        var services = new ServiceCollection();
        services.AddKefu().UseCluster().UseRabbitMq("amqp://guest:guest@127.0.0.1:5672/");
        await using var provider = services.BuildServiceProvider();

        var transport = provider.GetRequiredService<IKefuTransport>();

        Assert.IsType<RabbitMqTransport>(transport);
        Assert.Same(transport, provider.GetRequiredService<IKefuCommandForwarder>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<RabbitMqTransportService>());
    }

    [Fact]
    public async Task UseRabbitMq_WithABadOption_FailsNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddKefu().UseRabbitMq(o => o.Prefix = "no spaces allowed");
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IKefuTransport>());

        Assert.Contains("RabbitMqTransportOptions.Prefix", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Two engines in this process on one in-memory store, connected through a private RabbitMQ node.</summary>
public sealed class RabbitMqTransportTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private readonly InMemoryKefuStore _store = new();
    private readonly List<ServiceProvider> _nodes = [];
    private readonly TestData _data = new();
    private readonly string _prefix = $"t{Guid.NewGuid().ToString("N")[..8]}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            foreach (var hosted in node.GetServices<IHostedService>().Reverse())
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            await node.DisposeAsync();
        }
    }

    private async Task<ServiceProvider> NodeAsync(string name, int nodeId, bool ownsShards)
    {
        var services = new ServiceCollection();
        services.AddKefu(o => o.NodeId = nodeId).UseStore(_ => _store).UseCluster(o =>
        {
            o.NodeName = name;
            o.ShardCount = 4;
            o.OwnsShards = ownsShards;
        }).UseRabbitMq(o =>
        {
            o.Uri = rabbit.Server.Uri;
            o.Prefix = _prefix;
        });
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return provider;
    }

    [Fact]
    public async Task CommandsOfAFrontNode_RunOnTheOwner_AndItsEventsReachTheFrontNodesSubscription()
    {
        var owner = await NodeAsync("owner", 1, ownsShards: true);
        var front = await NodeAsync("front", 2, ownsShards: false);
        var kefu = front.GetRequiredService<IKefu>();

        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Over the wire" });
        using var subscription = front.GetRequiredService<IKefuTransport>().Subscribe(new EventFilter { TenantId = tenant.Id });
        var agent = await kefu.Directory.AddAgentAsync(tenant.Id, _data.Agent("Lin"));
        await kefu.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await kefu.Conversations.OpenAsync(tenant.Id, _data.Conversation());
        var sent = await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("你好"), "c-1");
        var again = await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("你好"), "c-1");

        Assert.Equal(sent.MessageId, again.MessageId);
        Assert.Equal(agent.Id, conversation.AgentId);
        Assert.Empty(front.GetRequiredService<IKefuClusterNode>().HeldShards);
        Assert.Contains(owner.GetRequiredService<IKefuClusterNode>().ShardOf(tenant.Id), owner.GetRequiredService<IKefuClusterNode>().HeldShards);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        KefuEvent message;
        do
        {
            message = await subscription.Events.ReadAsync(timeout.Token);
        }
        while (message.PayloadCase != KefuEvent.PayloadOneofCase.Message || message.Message.SenderKind != Events.ParticipantKind.Visitor);

        Assert.Equal(sent.MessageId, message.Message.MessageId);
        Assert.Equal("c-1", message.Message.ClientMessageId);
        Assert.Equal(conversation.Id, message.ConversationId);
        var missing = await Assert.ThrowsAsync<KefuNotFoundException>(() => kefu.Conversations.GetAsync(tenant.Id, 424242).AsTask());
        Assert.Equal(("Conversation", 424242L), (missing.Entity, missing.Id));
    }
}
