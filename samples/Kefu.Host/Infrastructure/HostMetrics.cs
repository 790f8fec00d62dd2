using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kefu.Events;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kefu.Host.Infrastructure;

/// <summary>
/// The host's metrics on the <c>Kefu.Host</c> meter (System.Diagnostics.Metrics; read them with
/// <c>dotnet-counters monitor -n Kefu.Host --counters Kefu.Host</c> or any OpenTelemetry exporter):
/// <c>kefu.queue.length</c>, <c>kefu.queue.wait</c>, <c>kefu.assignments</c>, <c>kefu.messages</c>,
/// <c>kefu.conversations.opened</c>, <c>kefu.conversations.closed</c>, <c>kefu.websocket.connections</c>.
/// </summary>
public sealed class HostMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Kefu.Host";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<long, byte> _waiting = new();
    private readonly Counter<long> _messages;
    private readonly Counter<long> _assignments;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Histogram<double> _wait;
    private long _connections;

    /// <summary>Creates the instruments.</summary>
    public HostMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _messages = _meter.CreateCounter<long>("kefu.messages", "{message}", "Messages committed, by sender kind.");
        _assignments = _meter.CreateCounter<long>("kefu.assignments", "{assignment}", "Conversations assigned to an agent.");
        _opened = _meter.CreateCounter<long>("kefu.conversations.opened", "{conversation}", "Conversations opened.");
        _closed = _meter.CreateCounter<long>("kefu.conversations.closed", "{conversation}", "Conversations closed.");
        _wait = _meter.CreateHistogram<double>("kefu.queue.wait", "ms", "How long an assigned conversation waited in the queue.");
        _meter.CreateObservableGauge("kefu.queue.length", () => (long)_waiting.Count, "{conversation}", "Conversations waiting in a queue on this node.");
        _meter.CreateObservableGauge("kefu.websocket.connections", () => Interlocked.Read(ref _connections), "{connection}", "Open WebSocket connections.");
    }

    /// <summary>Counts an event.</summary>
    public void Record(KefuEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.PayloadCase)
        {
            case KefuEvent.PayloadOneofCase.Message:
                _messages.Add(1, new KeyValuePair<string, object?>("sender", e.Message.SenderKind.ToString()));
                break;
            case KefuEvent.PayloadOneofCase.SessionCreated:
                _opened.Add(1);
                break;
            case KefuEvent.PayloadOneofCase.SessionQueued:
                _waiting.TryAdd(e.ConversationId, 0);
                break;
            case KefuEvent.PayloadOneofCase.SessionAssigned:
                _waiting.TryRemove(e.ConversationId, out _);
                _assignments.Add(1);
                _wait.Record(e.SessionAssigned.QueueWaitMs);
                break;
            case KefuEvent.PayloadOneofCase.SessionClosed:
                _waiting.TryRemove(e.ConversationId, out _);
                _closed.Add(1);
                break;
        }
    }

    /// <summary>A WebSocket connection opened (+1) or closed (−1).</summary>
    public void Connection(int delta) => Interlocked.Add(ref _connections, delta);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

/// <summary>Feeds committed events to <see cref="HostMetrics"/>.</summary>
internal sealed class MetricsEventSink(HostMetrics metrics) : IEventSink
{
    public ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        for (var i = 0; i < events.Count; i++)
        {
            metrics.Record(events[i]);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Ready when the store answers.</summary>
internal sealed class StoreHealthCheck(IDirectoryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.GetTenantTemplateAsync(timeout.Token);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", ex);
        }
    }
}
