using System.Threading.Channels;
using Kefu.Events;
using Kefu.Storage;
using Microsoft.Extensions.Logging;

namespace Kefu.Transport;

/// <summary>
/// Hands committed events to the <see cref="IEventSink"/>s in commit order per tenant, retrying with exponential
/// back-off until each sink has taken them, then marks them dispatched in the outbox. With no sinks, events are marked
/// dispatched as soon as the transport has published them; with no sinks and the in-process transport the outbox is
/// not needed at all (<see cref="IsNeeded"/>), and commits leave it out.
/// </summary>
internal sealed class OutboxDispatcher : IAsyncDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly IEventSink[] _sinks;
    private readonly IOutboxStore _outbox;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstRetryDelay;
    private readonly ILogger _logger;
    private readonly Channel<(long TenantId, KefuEvent[] Events)>? _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop = Task.CompletedTask;

    public OutboxDispatcher(IEnumerable<IEventSink> sinks, IOutboxStore outbox, TimeProvider time, TimeSpan firstRetryDelay, ILogger logger, bool transportNeedsOutbox = true)
    {
        _sinks = [.. sinks];
        IsNeeded = _sinks.Length > 0 || transportNeedsOutbox;
        _outbox = outbox;
        _time = time;
        _firstRetryDelay = firstRetryDelay;
        _logger = logger;
        if (_sinks.Length > 0)
        {
            _queue = Channel.CreateUnbounded<(long, KefuEvent[])>(new UnboundedChannelOptions { SingleReader = true });
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>
    /// Whether anything reads the outbox: a sink, or a transport that must publish committed events again after a
    /// restart (any but the in-process one, whose subscribers do not outlive the process).
    /// </summary>
    public bool IsNeeded { get; }

    /// <summary>Takes a tenant's committed and published events. The list is only read during the call.</summary>
    public ValueTask DispatchAsync(long tenantId, IReadOnlyList<KefuEvent> events)
    {
        if (events.Count == 0 || !IsNeeded)
        {
            return ValueTask.CompletedTask;
        }

        if (_queue is null)
        {
            return _outbox.MarkDispatchedAsync(tenantId, events[^1].Sequence);
        }

        _queue.Writer.TryWrite((tenantId, [.. events]));
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        try
        {
            await foreach (var (tenantId, events) in _queue!.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                foreach (var sink in _sinks)
                {
                    await DeliverAsync(sink, tenantId, events, token).ConfigureAwait(false);
                }

                await _outbox.MarkDispatchedAsync(tenantId, events[^1].Sequence, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(IEventSink sink, long tenantId, KefuEvent[] events, CancellationToken token)
    {
        var delay = _firstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sink.HandleAsync(tenantId, events, token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Event sink {Sink} failed attempt {Attempt} for tenant {TenantId}; retrying in {Delay}.", sink.GetType().Name, attempt, tenantId, delay);
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue?.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
