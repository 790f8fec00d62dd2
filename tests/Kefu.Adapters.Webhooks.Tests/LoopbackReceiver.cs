using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Kefu.Adapters.Webhooks;
using Kefu.Events;

namespace Kefu.Adapters.Webhooks.Tests;

/// <summary>What the receiver does with one request.</summary>
public enum ReceiverAnswer
{
    /// <summary>Answers 204.</summary>
    Accept,
    /// <summary>Answers 500.</summary>
    Fail,
    /// <summary>Never answers (until the receiver is disposed).</summary>
    Hang,
}

/// <summary>A request the receiver got, with what it answered.</summary>
public sealed record ReceivedRequest(int Index, IReadOnlyDictionary<string, string> Headers, byte[] Body, ReceiverAnswer Answer)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;

    public KefuEvent Event => JsonParser.Default.Parse<KefuEvent>(System.Text.Encoding.UTF8.GetString(Body));

    public long EventId => long.Parse(Header(WebhookHeaders.EventId), System.Globalization.CultureInfo.InvariantCulture);

    public bool Accepted => Answer == ReceiverAnswer.Accept;
}

/// <summary>
/// A real HTTP receiver on a free loopback port (HttpListener). <see cref="Decide"/> chooses each answer; every request
/// is recorded in arrival order.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Task _loop;

    public LoopbackReceiver(Func<ReceivedRequest, ReceiverAnswer>? decide = null)
    {
        Decide = decide ?? (_ => ReceiverAnswer.Accept);
        (_listener, Url) = Listen();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The URL to post to.</summary>
    public string Url { get; }

    /// <summary>Chooses the answer to a request (its <see cref="ReceivedRequest.Answer"/> is not set yet). Changeable while running.</summary>
    public Func<ReceivedRequest, ReceiverAnswer> Decide { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the recorded requests; fails after <paramref name="limit"/> (a hang guard, not a speed check).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitUntilAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, TimeSpan? limit = null)
    {
        var deadline = DateTimeOffset.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var requests = Requests;
            if (condition(requests))
            {
                return requests;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The receiver's condition did not hold; it got {requests.Count} requests.");
            }

            await Task.Delay(10);
        }
    }

    private static (HttpListener, string) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            var prefix = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return (listener, prefix + "hooks");
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
            .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        ReceivedRequest request;
        lock (_gate)
        {
            request = new ReceivedRequest(_requests.Count, headers, body.ToArray(), ReceiverAnswer.Accept);
            request = request with { Answer = Decide(request) };
            _requests.Add(request);
        }

        switch (request.Answer)
        {
            case ReceiverAnswer.Accept:
                context.Response.StatusCode = 204;
                context.Response.Close();
                break;
            case ReceiverAnswer.Fail:
                context.Response.StatusCode = 500;
                context.Response.Close();
                break;
            default:
                try
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                }

                context.Response.Abort();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }
}
