using Kefu.Analysis;
using Kefu.Bots;
using Kefu.Moderation;
using Kefu.Routing;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.Logging;

namespace Kefu.Engine;

/// <summary>What the tenant workers share: the clock, ids, stores, transport and seams.</summary>
internal sealed class EngineServices
{
    public required KefuOptions Options { get; init; }
    public required TimeProvider Time { get; init; }
    public required IKefuIdGenerator Ids { get; init; }
    public required ITenantCommitStore CommitStore { get; init; }
    public required IDirectoryStore Directory { get; init; }
    public required IConversationStore Conversations { get; init; }
    public required IOutboxStore Outbox { get; init; }
    public required IKefuTransport Transport { get; init; }
    public required OutboxDispatcher Dispatcher { get; init; }
    public required IRoutingPolicy Routing { get; init; }
    public required IBotResponder Bots { get; init; }
    public required IMessageFilter Filter { get; init; }
    public required ITextAnalyzer Analyzer { get; init; }
    public required ILogger Logger { get; init; }

    /// <summary>This node's shard leases in a cluster; null on a single node, where every tenant is this node's.</summary>
    public Cluster.ShardOwnership? Cluster { get; init; }
    public ItemPool<SendMessageWorkItem> SendPool { get; } = new(4096);
}
