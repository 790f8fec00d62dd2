using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Kefu.Adapters.Webhooks.Endpoints;
using Polly;
using Polly.Timeout;

namespace Kefu.Adapters.Webhooks.Delivery;

// The lanes: one runner per conversation posts its head with retries, then removes it or dead-letters the lane.
internal sealed partial class WebhookDispatcher
{
    private void Append(EndpointQueue queue, PendingDelivery delivery)
    {
        Lane? lane;
        lock (queue.Gate)
        {
            lane = queue.Append(delivery);
        }

        if (lane is not null)
        {
            Start(queue, lane);
        }
    }

    private void Start(EndpointQueue queue, Lane lane)
    {
        if (_stoppingToken.IsCancellationRequested)
        {
            lock (queue.Gate)
            {
                lane.Release();
            }

            return;
        }

        var runner = Task.Run(() => RunLaneAsync(queue, lane));
        _runners.TryAdd(runner, 0);
        _ = runner.ContinueWith(static (task, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(task, out _), _runners,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunLaneAsync(EndpointQueue queue, Lane lane)
    {
        var token = _stoppingToken;
        try
        {
            while (true)
            {
                PendingDelivery head;
                lock (queue.Gate)
                {
                    if (token.IsCancellationRequested || queue.TryRelease(lane))
                    {
                        lane.Release();
                        return;
                    }

                    head = lane.Items.Peek();
                }

                switch (await DeliverAsync(queue, head, token).ConfigureAwait(false))
                {
                    case Outcome.Delivered:
                        await DeleteAsync(queue.TenantId, WebhookDocuments.QueueKind(queue.EndpointId), WebhookDocuments.Key(head.Sequence), head.Version, token)
                            .ConfigureAwait(false);
                        lock (queue.Gate)
                        {
                            queue.RemoveHead(lane);
                        }

                        break;
                    case Outcome.Exhausted:
                        await DeadLetterLaneAsync(queue, lane, token).ConfigureAwait(false);
                        break;
                    default:
                        lock (queue.Gate)
                        {
                            queue.Pause(lane);
                        }

                        return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            lock (queue.Gate)
            {
                lane.Release();
            }
        }
        catch (Exception ex)
        {
            // Only a bug gets here (store writes retry until they succeed); the lane waits for the next resume.
            LogLaneFailed(ex, queue.TenantId, queue.EndpointId, lane.Key);
            lock (queue.Gate)
            {
                queue.Pause(lane);
            }
        }
    }

    private async ValueTask<Outcome> DeliverAsync(EndpointQueue queue, PendingDelivery delivery, CancellationToken token)
    {
        var context = ResilienceContextPool.Shared.Get(token);
        context.Properties.Set(AttemptKey, new Attempt(queue, delivery));
        try
        {
            await _retry.ExecuteAsync(static (ctx, self) => self.AttemptAsync(ctx), context, this).ConfigureAwait(false);
            LogDelivered(queue.TenantId, queue.EndpointId, delivery.Stored.EventId, delivery.Attempts);
            return Outcome.Delivered;
        }
        catch (EndpointUnavailableException)
        {
            return Outcome.Paused;
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
        catch (Exception ex)
        {
            delivery.LastError = Describe(ex);
            return Outcome.Exhausted;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask AttemptAsync(ResilienceContext context)
    {
        var (queue, delivery) = context.Properties.GetValue(AttemptKey, default!);
        var endpoint = await _endpoints.FindAsync(queue.TenantId, queue.EndpointId, context.CancellationToken).ConfigureAwait(false);
        if (endpoint is not { Enabled: true })
        {
            throw new EndpointUnavailableException();
        }

        // Waiting for a request slot is not part of the attempt's time-out.
        await queue.Requests.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            delivery.Attempts++;
            await _timeout.ExecuteAsync(
                static (state, token) => state.Self.PostAsync(state.Endpoint, state.Delivery, token),
                (Self: this, Endpoint: endpoint, Delivery: delivery),
                context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.Requests.Release();
        }
    }

    private async ValueTask PostAsync(StoredEndpoint endpoint, PendingDelivery delivery, CancellationToken cancellationToken)
    {
        var body = delivery.Body ??= Encoding.UTF8.GetBytes(_json.Format(delivery.Event));
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookHeaders.EventId, delivery.Stored.EventId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.EventType, delivery.Stored.EventType);
        request.Headers.Add(WebhookHeaders.TenantId, delivery.Event.TenantId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.Signature, new WebhookSignatureVerifier(endpoint.Secret).Sign(timestamp, body));
        request.Headers.Add(WebhookHeaders.Attempt, delivery.Attempts.ToString(CultureInfo.InvariantCulture));

        using var client = _http.CreateClient(WebhookOptions.HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new WebhookStatusException(response.StatusCode);
        }
    }

    private bool ShouldRetry(ResilienceContext context, Exception? exception) =>
        exception is not null and not EndpointUnavailableException
        && !context.CancellationToken.IsCancellationRequested
        && context.Properties.GetValue(AttemptKey, default!).Delivery.Attempts < _maxAttempts;

    /// <summary>Keeps the attempt count in the store, so a restart does not grant a delivery fresh attempts. Best effort.</summary>
    private async ValueTask RecordFailureAsync(ResilienceContext context, Exception? exception, TimeSpan retryDelay)
    {
        var (queue, delivery) = context.Properties.GetValue(AttemptKey, default!);
        delivery.LastError = Describe(exception);
        LogAttemptFailed(queue.TenantId, queue.EndpointId, delivery.Stored.EventId, delivery.Attempts, delivery.LastError, retryDelay);
        var stored = delivery.Stored with { Attempts = delivery.Attempts, LastError = delivery.LastError };
        try
        {
            var document = await _store.PutAsync(
                queue.TenantId, WebhookDocuments.QueueKind(queue.EndpointId), WebhookDocuments.Key(delivery.Sequence), WebhookDocuments.Serialize(stored),
                delivery.Version, _time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
            delivery.Stored = stored;
            delivery.Version = document.Version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAttemptNotRecorded(ex, queue.TenantId, queue.EndpointId, delivery.Stored.EventId);
        }
    }

    private async ValueTask DeadLetterLaneAsync(EndpointQueue queue, Lane lane, CancellationToken token)
    {
        await queue.Mutation.WaitAsync(token).ConfigureAwait(false);
        try
        {
            PendingDelivery[] items;
            lock (queue.Gate)
            {
                items = queue.Drain(lane);
            }

            var now = _time.GetUtcNow();
            for (var i = 0; i < items.Length; i++)
            {
                var item = items[i];
                var stored = item.Stored with
                {
                    Attempts = item.Attempts,
                    LastError = i == 0 ? item.LastError : HeldBackError,
                    DeadLetteredAt = now,
                };
                await WriteAsync(queue.TenantId, WebhookDocuments.DeadKind(queue.EndpointId), stored, token).ConfigureAwait(false);
                await DeleteAsync(queue.TenantId, WebhookDocuments.QueueKind(queue.EndpointId), WebhookDocuments.Key(item.Sequence), item.Version, token)
                    .ConfigureAwait(false);
                queue.AddDead(lane.Key);
            }

            if (items.Length > 0)
            {
                LogDeadLettered(queue.TenantId, queue.EndpointId, items[0].Stored.EventId, items[0].Attempts, items.Length - 1, items[0].LastError);
            }
        }
        finally
        {
            queue.Mutation.Release();
        }
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "unknown failure",
        WebhookStatusException status => string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status.StatusCode} {status.StatusCode}"),
        TimeoutRejectedException timeout => $"no answer within {timeout.Timeout}",
        HttpRequestException http => "request failed: " + http.Message,
        _ => exception.GetType().Name + ": " + exception.Message,
    };
}
