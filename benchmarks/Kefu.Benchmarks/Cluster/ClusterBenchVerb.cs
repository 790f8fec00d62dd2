using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Kefu.Benchmarks.Verbs;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kefu.Benchmarks.Cluster;

/// <summary>
/// <c>cluster-bench</c>: end-to-end messages per second through Kefu nodes sharing one PostgreSQL database and one
/// RabbitMQ broker, one node against three in the same run. Each node is a full engine (its own service provider,
/// connection pool and broker connection) in this process. Clients send visitor messages concurrently, each on its
/// own conversation, each waiting for the acknowledgement before the next, spread over the nodes; a message counts
/// when a subscription on the last node received its event. With three nodes the first node to start owns every
/// shard (leases go to the first taker), so two thirds of the commands are forwarded to it over RabbitMQ.
/// </summary>
internal sealed class ClusterBenchVerb(TextWriter output, TextWriter error) : IVerb
{
    private static readonly Flag[] Flags =
    [
        Flag.Text("postgres", "an Npgsql connection string to a database the benchmark may write (it adds a tenant per node count); when left out, a private server is started on loopback", "an Npgsql connection string"),
        Flag.Text("rabbitmq", "the broker's AMQP URI; when left out, a private RabbitMQ node is started on loopback", "an amqp:// URI"),
        Flag.Int("messages", "messages measured per node count", 100, 1_000_000),
        Flag.Int("clients", "concurrent clients, each on a conversation of its own", 1, 100),
        Flag.Int("shards", "the shard count", 1, 4096),
    ];

    public string Name => "cluster-bench";

    public string Summary => "Measures end-to-end messages/s through 1 and 3 Kefu nodes on one PostgreSQL and one RabbitMQ.";

    public string Usage => string.Join('\n', Flags.Select(f => f.UsageLine)) + """

        Defaults: --messages 3000 --clients 64 --shards 64.
        Last line: nodes1_msgs_per_s=N nodes3_msgs_per_s=N
        """;

    public async Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return VerbTable.UsageError(this, problem, error);
        }

        var postgres = flags.GetText("postgres", string.Empty);
        var rabbitMq = flags.GetText("rabbitmq", string.Empty);
        if (rabbitMq.Length > 0 && (!Uri.TryCreate(rabbitMq, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps")))
        {
            return VerbTable.UsageError(this, $"--rabbitmq: '{rabbitMq}' is not an amqp:// or amqps:// URI.", error);
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
        }
        catch (ArgumentException e)
        {
            return VerbTable.UsageError(this, $"--postgres: not a valid Npgsql connection string ({e.Message}).", error);
        }

        // Servers left out are started here, private to this run, and removed at the end.
        PrivatePostgreSqlServer? privatePostgres = null;
        PrivateRabbitMqServer? privateRabbitMq = null;
        try
        {
            if (postgres.Length == 0)
            {
                output.WriteLine("cluster-bench: starting a private PostgreSQL server on loopback");
                privatePostgres = await PrivatePostgreSqlServer.StartAsync();
                postgres = privatePostgres.ConnectionString("postgres");
            }

            if (rabbitMq.Length == 0)
            {
                output.WriteLine("cluster-bench: starting a private RabbitMQ node on loopback");
                privateRabbitMq = await PrivateRabbitMqServer.StartAsync();
                rabbitMq = privateRabbitMq.Uri;
            }
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"cluster-bench: {e.Message}");
            await DisposeAsync(privatePostgres, privateRabbitMq);
            return ExitCodes.Failure;
        }

        try
        {
            return await RunOnAsync(flags, postgres, rabbitMq);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await DisposeAsync(privatePostgres, privateRabbitMq);
        }
    }

    private static async Task DisposeAsync(PrivatePostgreSqlServer? postgres, PrivateRabbitMqServer? rabbitMq)
    {
        if (rabbitMq is not null)
        {
            await rabbitMq.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    private async Task<int> RunOnAsync(ParsedFlags flags, string postgres, string rabbitMq)
    {

        var messages = flags.GetInt("messages", 3000);
        var clients = flags.GetInt("clients", 64);
        var shards = flags.GetInt("shards", 64);
        var run = Guid.NewGuid().ToString("N")[..8];
        output.WriteLine($"cluster-bench: {messages:N0} messages per node count, {clients} clients, {shards} shards, run {run}");
        var results = new Dictionary<int, double>();
        foreach (var nodes in new[] { 1, 3 })
        {
            try
            {
                var (elapsed, perSecond) = await MeasureAsync(postgres, rabbitMq, run, nodes, messages, clients, shards);
                results[nodes] = perSecond;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nodes={nodes}: {messages:N0} messages acknowledged and delivered in {elapsed.TotalMilliseconds:F0} ms: {perSecond:F0} messages/s"));
            }
            catch (Exception e) when (e is KefuException or InvalidOperationException or TimeoutException or Npgsql.NpgsqlException)
            {
                error.WriteLine($"cluster-bench: {nodes} node(s) failed: {e.Message}");
                return ExitCodes.Failure;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nodes1_msgs_per_s={results[1]:F0} nodes3_msgs_per_s={results[3]:F0}"));
        return ExitCodes.Success;
    }

    private static async Task<(TimeSpan Elapsed, double PerSecond)> MeasureAsync(string postgres, string rabbitMq, string run, int nodeCount, int messages, int clients, int shards)
    {
        var providers = new List<ServiceProvider>();
        try
        {
            for (var i = 0; i < nodeCount; i++)
            {
                var services = new ServiceCollection();
                var name = string.Create(CultureInfo.InvariantCulture, $"bench-{run}-{nodeCount}-{i}");
                services.AddKefu(o => o.NodeId = nodeCount * 10 + i)
                    .UsePostgreSql(postgres)
                    .UseCluster(o =>
                    {
                        o.NodeName = name;
                        o.ShardCount = shards;
                    })
                    .UseRabbitMq(o =>
                    {
                        o.Uri = rabbitMq;
                        o.Prefix = $"kefu-bench-{run}-{nodeCount}";
                    });
                var provider = services.BuildServiceProvider();
                providers.Add(provider);
                foreach (var hosted in provider.GetServices<IHostedService>())
                {
                    await hosted.StartAsync(CancellationToken.None);
                }
            }

            var nodes = providers.Select(p => p.GetRequiredService<IKefu>()).ToArray();
            var tenant = await nodes[0].Organisation.CreateTenantAsync(new NewTenant { Name = $"Bench {run} {nodeCount}" });
            var agent = await nodes[0].Directory.AddAgentAsync(tenant.Id, new NewAgent
            {
                Account = "bench@kefu.test", Password = "secret-123", Name = "Bench", EmployeeNumber = "B1", MaxConcurrentChats = 100,
            });
            await nodes[0].Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
            var conversations = new List<Conversation>();
            for (var c = 0; c < clients; c++)
            {
                conversations.Add(await nodes[0].Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = $"Visitor {c}" } }));
            }

            // Every measured message must reach a subscription on the last node.
            using var subscription = providers[^1].GetRequiredService<IKefuTransport>().Subscribe(new EventFilter { TenantId = tenant.Id });
            var delivered = new ConcurrentDictionary<long, bool>();
            var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(async () =>
            {
                await foreach (var e in subscription.Events.ReadAllAsync())
                {
                    if (e.PayloadCase == KefuEvent.PayloadOneofCase.Message && e.Message.ClientMessageId.StartsWith('m') && delivered.TryAdd(e.Message.MessageId, true) && delivered.Count >= messages)
                    {
                        allDelivered.TrySetResult();
                    }
                }
            });

            // Warm-up: every client through every node, not measured.
            await Task.WhenAll(conversations.Select((c, k) => Task.Run(async () =>
            {
                for (var w = 0; w < 3 * nodeCount; w++)
                {
                    await nodes[w % nodeCount].Conversations.SendAsync(tenant.Id, c.Id, Participant.Visitor(c.VisitorId), MessageContent.FromText("warm-up"), $"w-{k}-{w}");
                }
            })));

            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(conversations.Select((c, k) => Task.Run(async () =>
            {
                var node = nodes[k % nodeCount];
                while (Interlocked.Increment(ref next) is var n && n < messages)
                {
                    await node.Conversations.SendAsync(tenant.Id, c.Id, Participant.Visitor(c.VisitorId), MessageContent.FromText("消息"), string.Create(CultureInfo.InvariantCulture, $"m-{n}"));
                }
            })));
            await allDelivered.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var elapsed = watch.Elapsed;
            subscription.Dispose();
            await reader;
            return (elapsed, messages / elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var provider in Enumerable.Reverse(providers))
            {
                foreach (var hosted in provider.GetServices<IHostedService>().Reverse())
                {
                    await hosted.StopAsync(CancellationToken.None);
                }

                await provider.DisposeAsync();
            }
        }
    }
}
