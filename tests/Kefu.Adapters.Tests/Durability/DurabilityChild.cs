using System.Globalization;
using Kefu.Events;
using Kefu.Model;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Adapters.Tests.Durability;

/// <summary>
/// The process the durability tests kill: <c>dotnet Kefu.Adapters.Tests.dll durability-child STORE CONNECTION TENANT
/// CONVERSATION VISITOR FIRST SINK-FILE</c> sends visitor messages <c>m-FIRST</c>, <c>m-FIRST+1</c> … through the engine
/// on the store and prints <c>ack N MESSAGE-ID</c> after each acknowledgement; an event sink appends the id of every
/// message event it is handed to SINK-FILE. It runs until it is killed.
/// </summary>
public static class DurabilityChild
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Cluster.ClusterNode.Verb)
        {
            return await Cluster.ClusterNode.RunAsync(args);
        }

        if (args.Length != 8 || args[0] != "durability-child")
        {
            await Console.Error.WriteLineAsync("usage: durability-child STORE CONNECTION TENANT CONVERSATION VISITOR FIRST SINK-FILE");
            return 2;
        }

        var store = args[1];
        var connection = args[2];
        var tenantId = long.Parse(args[3], CultureInfo.InvariantCulture);
        var conversationId = long.Parse(args[4], CultureInfo.InvariantCulture);
        var visitorId = long.Parse(args[5], CultureInfo.InvariantCulture);
        var first = int.Parse(args[6], CultureInfo.InvariantCulture);
        var sinkFile = args[7];

        var services = new ServiceCollection();
        var kefu = services.AddKefu();
        DurableStores.Use(kefu, store, connection);
        services.AddSingleton<IEventSink>(new AppendingSink(sinkFile));
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IKefu>();
        var output = Console.Out;
        for (var i = first; ; i++)
        {
            var sent = await engine.Conversations.SendAsync(tenantId, conversationId, Participant.Visitor(visitorId),
                MessageContent.FromText(string.Create(CultureInfo.InvariantCulture, $"消息 {i}")), string.Create(CultureInfo.InvariantCulture, $"m-{i}"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ack {i} {sent.MessageId}"));
            await output.FlushAsync();
        }
    }

    /// <summary>Appends the message id of each message event it is handed, one a line, flushed to disk before returning.</summary>
    private sealed class AppendingSink(string path) : IEventSink
    {
        public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
        {
            var lines = events.Where(e => e.PayloadCase == KefuEvent.PayloadOneofCase.Message)
                .Select(e => e.Message.MessageId.ToString(CultureInfo.InvariantCulture)).ToList();
            if (lines.Count == 0)
            {
                return;
            }

            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await using (var writer = new StreamWriter(file))
            {
                foreach (var line in lines)
                {
                    await writer.WriteLineAsync(line);
                }
            }
        }
    }
}

/// <summary>The stores the durability tests run on, by name.</summary>
public static class DurableStores
{
    public static void Use(IKefuBuilder kefu, string store, string connection)
    {
        ArgumentNullException.ThrowIfNull(kefu);
        switch (store)
        {
            case "sqlite":
                kefu.UseSqlite(connection);
                break;
            case "postgresql":
                kefu.UsePostgreSql(connection);
                break;
            default:
                throw new ArgumentException($"Unknown store '{store}'.", nameof(store));
        }
    }
}
