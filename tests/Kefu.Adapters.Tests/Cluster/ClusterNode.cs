using System.Globalization;
using Kefu.Cluster;
using Kefu.Events;
using Kefu.Model;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kefu.Adapters.Tests.Cluster;

/// <summary>
/// One Kefu node in a process of its own, for the cluster tests and the cluster benchmark: <c>dotnet
/// Kefu.Adapters.Tests.dll cluster-node POSTGRES-CONNECTION RABBITMQ-URI NODE-NAME NODE-ID OWNS-SHARDS SHARD-COUNT
/// LEASE-MS</c> runs an engine on PostgreSQL with <c>UseCluster</c> and <c>UseRabbitMq</c>, prints <c>ready</c>, and
/// then reads commands from standard input, one a line, answering on standard output:
/// <list type="bullet">
/// <item><c>setup</c>: creates a tenant with an online agent and a conversation; <c>setup TENANT CONVERSATION VISITOR AGENT</c>.</item>
/// <item><c>open TENANT</c>: opens another conversation; <c>opened TENANT CONVERSATION VISITOR</c>.</item>
/// <item><c>subscribe TENANT</c>: from now on prints <c>event CONVERSATION SEQUENCE EVENT-ID MESSAGE-ID CLIENT-ID</c> for each message event of the tenant.</item>
/// <item><c>send TENANT CONVERSATION visitor|agent PARTICIPANT CLIENT-ID</c>: sends a text message; <c>ack CLIENT-ID MESSAGE-ID</c> or <c>nack CLIENT-ID KIND</c>.</item>
/// </list>
/// Whenever the shards it holds change it prints <c>held S1,S2,…</c>. Commands run concurrently; it runs until killed
/// or its input closes.
/// </summary>
public static class ClusterNode
{
    public const string Verb = "cluster-node";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 8)
        {
            await Console.Error.WriteLineAsync("usage: cluster-node POSTGRES-CONNECTION RABBITMQ-URI NODE-NAME NODE-ID OWNS-SHARDS SHARD-COUNT LEASE-MS");
            return 2;
        }

        var output = new SerialWriter(Console.Out);
        var lease = TimeSpan.FromMilliseconds(int.Parse(args[7], CultureInfo.InvariantCulture));
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new StandardErrorLoggerFactory(args[3]));
        services.AddKefu(o => o.NodeId = int.Parse(args[4], CultureInfo.InvariantCulture))
            .UsePostgreSql(args[1])
            .UseCluster(o =>
            {
                o.NodeName = args[3];
                o.OwnsShards = bool.Parse(args[5]);
                o.ShardCount = int.Parse(args[6], CultureInfo.InvariantCulture);
                o.LeaseTimeout = lease;
                o.RenewInterval = lease / 4;
                o.ForwardTimeout = TimeSpan.FromSeconds(60);
            })
            .UseRabbitMq(o =>
            {
                o.Uri = args[2];
                o.RequestTimeout = TimeSpan.FromSeconds(3);
                o.ReconnectDelay = TimeSpan.FromMilliseconds(100);
                o.MaxReconnectDelay = TimeSpan.FromSeconds(1);
            });
        await using var provider = services.BuildServiceProvider();
        var kefu = provider.GetRequiredService<IKefu>();
        var node = provider.GetRequiredService<IKefuClusterNode>();
        var transport = provider.GetRequiredService<IKefuTransport>();
        node.Acquired += _ => output.Write($"held {string.Join(',', node.HeldShards)}");
        node.Lost += _ => output.Write($"held {string.Join(',', node.HeldShards)}");
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        output.Write($"held {string.Join(',', node.HeldShards)}");
        output.Write("ready");
        var subscriptions = new List<IEventSubscription>();
        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["setup"]:
                    running.Add(Task.Run(() => SetUpAsync(kefu, output)));
                    break;
                case ["open", var tenant]:
                    running.Add(Task.Run(() => OpenAsync(kefu, long.Parse(tenant, CultureInfo.InvariantCulture), output)));
                    break;
                case ["subscribe", var tenant]:
                    var subscription = transport.Subscribe(new EventFilter { TenantId = long.Parse(tenant, CultureInfo.InvariantCulture) });
                    subscriptions.Add(subscription);
                    running.Add(Task.Run(() => PrintEventsAsync(subscription, output)));
                    output.Write($"subscribed {tenant}");
                    break;
                case ["send", var tenant, var conversation, var kind, var participant, var clientId]:
                    running.Add(Task.Run(() => SendAsync(kefu, tenant, conversation, kind, participant, clientId, output)));
                    break;
                default:
                    output.Write($"unknown {line}");
                    break;
            }

            running.RemoveAll(t => t.IsCompleted);
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        await Task.WhenAll(running);
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    private static async Task SetUpAsync(IKefu kefu, SerialWriter output)
    {
        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Cluster" });
        var agent = await kefu.Directory.AddAgentAsync(tenant.Id, new NewAgent
        {
            Account = "agent@cluster.test", Password = "secret-123", Name = "Agent", EmployeeNumber = "C1", MaxConcurrentChats = 100,
        });
        await kefu.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await kefu.Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = "Visitor" } });
        output.Write(string.Create(CultureInfo.InvariantCulture, $"setup {tenant.Id} {conversation.Id} {conversation.VisitorId} {agent.Id}"));
    }

    private static async Task OpenAsync(IKefu kefu, long tenantId, SerialWriter output)
    {
        var conversation = await kefu.Conversations.OpenAsync(tenantId, new ConversationRequest { Visitor = new VisitorProfile { Name = "Visitor" } });
        output.Write(string.Create(CultureInfo.InvariantCulture, $"opened {tenantId} {conversation.Id} {conversation.VisitorId}"));
    }

    private static async Task SendAsync(IKefu kefu, string tenant, string conversation, string kind, string participant, string clientId, SerialWriter output)
    {
        var id = long.Parse(participant, CultureInfo.InvariantCulture);
        try
        {
            var sent = await kefu.Conversations.SendAsync(
                long.Parse(tenant, CultureInfo.InvariantCulture),
                long.Parse(conversation, CultureInfo.InvariantCulture),
                kind == "agent" ? Participant.Agent(id) : Participant.Visitor(id),
                MessageContent.FromText(clientId),
                clientId);
            output.Write(string.Create(CultureInfo.InvariantCulture, $"ack {clientId} {sent.MessageId}"));
        }
        catch (KefuException e)
        {
            output.Write($"nack {clientId} {e.Kind}");
            await Console.Error.WriteLineAsync($"send {clientId}: {e.Message}");
        }
    }

    private static async Task PrintEventsAsync(IEventSubscription subscription, SerialWriter output)
    {
        await foreach (var e in subscription.Events.ReadAllAsync())
        {
            if (e.PayloadCase == KefuEvent.PayloadOneofCase.Message)
            {
                output.Write(string.Create(CultureInfo.InvariantCulture, $"event {e.ConversationId} {e.Sequence} {e.EventId} {e.Message.MessageId} {e.Message.ClientMessageId}"));
            }
        }
    }

    /// <summary>Writes whole lines from many tasks, flushed at once, so the parent reads them as they happen.</summary>
    private sealed class SerialWriter(TextWriter writer)
    {
        private readonly Lock _gate = new();

        public void Write(string line)
        {
            lock (_gate)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }

    /// <summary>Warnings and errors to standard error, prefixed with the node's name.</summary>
    private sealed class StandardErrorLoggerFactory(string node) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(node, categoryName);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(string node, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    Console.Error.WriteLine($"[{node} {logLevel} {category}] {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
                }
            }
        }
    }
}
