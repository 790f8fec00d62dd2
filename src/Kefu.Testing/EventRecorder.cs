using Kefu.Events;
using Kefu.Transport;

namespace Kefu.Testing;

/// <summary>
/// Records the events of a subscription. Events are published before callers are acknowledged, so after any awaited
/// command (or a flush) <see cref="Events"/> holds everything that command produced.
/// </summary>
public sealed class EventRecorder : IDisposable
{
    private readonly IEventSubscription _subscription;
    private readonly List<KefuEvent> _events = [];
    private readonly Lock _gate = new();

    /// <summary>Starts recording the events that match <paramref name="filter"/>.</summary>
    public EventRecorder(IKefuTransport transport, EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _subscription = transport.Subscribe(filter);
    }

    /// <summary>Every event recorded so far, in the order published.</summary>
    public IReadOnlyList<KefuEvent> Events
    {
        get
        {
            lock (_gate)
            {
                while (_subscription.Events.TryRead(out var e))
                {
                    _events.Add(e);
                }

                return [.. _events];
            }
        }
    }

    /// <summary>The payload kinds of the recorded events, in order.</summary>
    public IReadOnlyList<KefuEvent.PayloadOneofCase> Kinds => [.. Events.Select(e => e.PayloadCase)];

    /// <summary>Forgets what was recorded so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            while (_subscription.Events.TryRead(out _))
            {
            }

            _events.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _subscription.Dispose();
}
