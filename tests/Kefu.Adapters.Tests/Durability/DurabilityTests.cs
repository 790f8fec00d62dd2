using System.Diagnostics;
using System.Globalization;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Adapters.Tests.Durability;

/// <summary>
/// Kills a child process that sends messages through the engine on a store with SIGKILL at random moments, twenty
/// times, restarting it each time from the message after the last one acknowledged; then checks that every
/// acknowledged message is stored exactly once and that every acknowledged message's event reached an event sink at
/// least once (in a child before it died, or in the engine started afterwards).
/// </summary>
public abstract class DurabilityTests
{
    private const int Rounds = 20;

    protected abstract string Store { get; }

    /// <summary>A connection string to an empty database of the store.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    private string ConnectionString { get; set; } = "";

    [Fact]
    public async Task KilledMidStream_EveryAcknowledgedMessageIsStoredOnce_AndItsEventDelivered()
    {
        ConnectionString = await CreateDatabaseAsync();
        var (tenantId, conversationId, visitorId) = await SetUpAsync();
        var sinkFile = Path.Combine(Path.GetTempPath(), $"kefu-durability-{Guid.NewGuid():N}.txt");
        var acknowledged = new Dictionary<int, long>();
        var random = new Random(20261204);
        try
        {
            var next = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var killAfter = random.Next(1, 40);
                var acks = await RunChildUntilKilledAsync(tenantId, conversationId, visitorId, next, sinkFile, killAfter, random.Next(0, 15));
                foreach (var (index, messageId) in acks)
                {
                    if (acknowledged.TryGetValue(index, out var earlier))
                    {
                        Assert.Equal(earlier, messageId);
                    }

                    acknowledged[index] = messageId;
                }

                Assert.NotEmpty(acks);
                next = acks.Max(a => a.Index) + 1;
            }

            var delivered = File.Exists(sinkFile)
                ? File.ReadAllLines(sinkFile).Where(l => l.Length > 0).Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToHashSet()
                : [];
            var (messages, deliveredAfter) = await ReadBackAsync(tenantId, conversationId);
            delivered.UnionWith(deliveredAfter);

            var byClientId = messages.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId!).ToDictionary(g => g.Key, g => g.ToList());
            Assert.All(byClientId, g => Assert.Single(g.Value));
            foreach (var (index, messageId) in acknowledged)
            {
                var stored = Assert.Single(byClientId[string.Create(CultureInfo.InvariantCulture, $"m-{index}")]);
                Assert.Equal(messageId, stored.Id);
                Assert.Contains(messageId, delivered);
            }

            Assert.True(acknowledged.Count >= Rounds);
        }
        finally
        {
            File.Delete(sinkFile);
        }
    }

    private async Task<(long Tenant, long Conversation, long Visitor)> SetUpAsync()
    {
        var services = new ServiceCollection();
        DurableStores.Use(services.AddKefu(), Store, ConnectionString);
        await using var provider = services.BuildServiceProvider();
        var kefu = provider.GetRequiredService<IKefu>();
        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Durable" });
        var agent = await kefu.Directory.AddAgentAsync(tenant.Id, new NewAgent
        {
            Account = "agent@durable.test", Password = "secret-123", Name = "Agent", EmployeeNumber = "D1", MaxConcurrentChats = 10,
        });
        await kefu.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await kefu.Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = "Visitor" } });
        return (tenant.Id, conversation.Id, conversation.VisitorId);
    }

    private async Task<List<(int Index, long MessageId)>> RunChildUntilKilledAsync(long tenantId, long conversationId, long visitorId, int first, string sinkFile, int killAfter, int extraMilliseconds)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            typeof(DurabilityChild).Assembly.Location, "durability-child", Store, ConnectionString,
            tenantId.ToString(CultureInfo.InvariantCulture), conversationId.ToString(CultureInfo.InvariantCulture),
            visitorId.ToString(CultureInfo.InvariantCulture), first.ToString(CultureInfo.InvariantCulture), sinkFile,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        var acks = new List<(int, long)>();
        var errors = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (acks.Count < killAfter)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail($"The child exited before it was killed: {await errors}");
                }

                var parts = line.Split(' ');
                if (parts is ["ack", var index, var id])
                {
                    acks.Add((int.Parse(index, CultureInfo.InvariantCulture), long.Parse(id, CultureInfo.InvariantCulture)));
                }
            }

            await Task.Delay(extraMilliseconds);
        }
        finally
        {
            // Process.Kill sends SIGKILL on Linux: no finally blocks, no disposal, no flush in the child.
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        // Acknowledgements printed before the kill landed count too.
        while (await child.StandardOutput.ReadLineAsync() is { } rest)
        {
            if (rest.Split(' ') is ["ack", var index, var id] && long.TryParse(id, CultureInfo.InvariantCulture, out var messageId))
            {
                acks.Add((int.Parse(index, CultureInfo.InvariantCulture), messageId));
            }
        }

        return acks;
    }

    private async Task<(IReadOnlyList<Message> Messages, HashSet<long> Delivered)> ReadBackAsync(long tenantId, long conversationId)
    {
        var sink = new CollectingSink();
        var services = new ServiceCollection();
        DurableStores.Use(services.AddKefu(), Store, ConnectionString);
        services.AddSingleton<IEventSink>(sink);
        await using var provider = services.BuildServiceProvider();
        var kefu = provider.GetRequiredService<IKefu>();
        var outbox = provider.GetRequiredService<IOutboxStore>();

        // A command loads the tenant's worker, which hands the events a killed run left undelivered to the sinks.
        var visitorId = (await provider.GetRequiredService<IConversationStore>().GetConversationAsync(tenantId, conversationId))!.VisitorId;
        await kefu.Conversations.SendAsync(tenantId, conversationId, Participant.Visitor(visitorId), MessageContent.FromText("重启后"), "m-after");
        var waited = Stopwatch.StartNew();
        while ((await outbox.ReadPendingAsync(tenantId, 0, 1)).Count > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "The outbox was not delivered within 30 seconds of the restart.");
            await Task.Delay(10);
        }

        var messages = await provider.GetRequiredService<IConversationStore>().GetLatestMessagesAsync(tenantId, conversationId, 100_000);
        return (messages, sink.MessageIds());
    }

    private sealed class CollectingSink : IEventSink
    {
        private readonly HashSet<long> _ids = [];

        public HashSet<long> MessageIds()
        {
            lock (_ids)
            {
                return [.. _ids];
            }
        }

        public ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
        {
            lock (_ids)
            {
                foreach (var e in events.Where(e => e.PayloadCase == KefuEvent.PayloadOneofCase.Message))
                {
                    _ids.Add(e.Message.MessageId);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The durability test on SQLite, on a temporary database file.</summary>
public sealed class SqliteDurabilityTests : DurabilityTests, IDisposable
{
    private readonly string _path = TempDatabase.NewPath();

    protected override string Store => "sqlite";

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(TempDatabase.ConnectionString(_path));

    public void Dispose() => TempDatabase.Delete(_path);
}

/// <summary>The durability test on PostgreSQL, on a database of its own on the private server.</summary>
[Collection(PostgreSql.PostgreSqlCollection.Name)]
public sealed class PostgreSqlDurabilityTests(PostgreSql.PostgreSqlServer server) : DurabilityTests
{
    protected override string Store => "postgresql";

    protected override Task<string> CreateDatabaseAsync() => server.CreateDatabaseAsync("durable");
}
