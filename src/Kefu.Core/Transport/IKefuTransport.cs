using System.Threading.Channels;
using Kefu.Events;

namespace Kefu.Transport;

/// <summary>Which events a subscription receives.</summary>
public sealed record EventFilter
{
    /// <summary>Only this tenant's events; every tenant's when null.</summary>
    public long? TenantId { get; init; }

    /// <summary>Only this conversation's events; all when null.</summary>
    public long? ConversationId { get; init; }

    /// <summary>
    /// A further test, run on the publishing thread for each event that passed <see cref="TenantId"/> and
    /// <see cref="ConversationId"/>, in commit order per tenant. It saves a subscriber the wake-up for events it would
    /// drop (an agent's connection among a busy tenant's events); it must be cheap, must not block and must not throw.
    /// </summary>
    public Func<KefuEvent, bool>? Where { get; init; }

    /// <summary>Whether an event passes the filter.</summary>
    public bool Matches(KefuEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return (TenantId is null || e.TenantId == TenantId) && (ConversationId is null || e.ConversationId == ConversationId) && (Where is null || Where(e));
    }
}

/// <summary>A live stream of committed events, in commit order per tenant. Dispose to stop it.</summary>
public interface IEventSubscription : IDisposable
{
    /// <summary>The events.</summary>
    ChannelReader<KefuEvent> Events { get; }
}

/// <summary>
/// Delivers committed events to connections and, in a cluster, to other nodes. Core ships the in-process transport;
/// Kefu.Adapters.RabbitMq ships one for several nodes.
/// </summary>
public interface IKefuTransport
{
    /// <summary>
    /// Publishes a tenant's committed events in commit order. Called by the tenant's worker after each commit; the
    /// list is only valid until the returned task completes.
    /// </summary>
    ValueTask PublishAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to events published from now on.</summary>
    IEventSubscription Subscribe(EventFilter filter);
}

/// <summary>
/// Takes committed events out of Kefu (webhooks, message buses, analytics). Events arrive in commit order per tenant,
/// at least once: a sink that throws gets the same events again after a back-off, and the events stay in the outbox
/// until every sink has taken them.
/// </summary>
public interface IEventSink
{
    /// <summary>Handles one committed batch of a tenant's events.</summary>
    ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken);
}
