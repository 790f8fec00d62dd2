using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Benchmarks.Verbs;
using Kefu.Model;

namespace Kefu.Benchmarks.Load;

/// <summary>
/// <c>load</c>: drives a running reference host (samples/Kefu.Host) over HTTP and WebSockets as its users would, and
/// measures message delivery. As the operator it raises the tenant's agent limit; as the tenant's administrator it
/// adds <c>--agents</c> agents to a new skill group; each agent signs in (from its own loopback address, since sign-ins
/// are rate-limited per address), opens <c>/ws/agent</c> and goes online. <c>--visitors</c> visitors open conversations
/// to that group and <c>/ws/visitor</c>; once served, each sends <c>--rate</c> messages a second for <c>--minutes</c>.
/// A message's latency runs from its send to its arrival on the serving agent's socket; a message a visitor sent that
/// has not arrived 10 s after the sending stopped is lost (whether or not the host acknowledged it).
/// </summary>
internal sealed class LoadVerb(TextWriter output, TextWriter error) : IVerb
{
    private static readonly Flag[] Flags =
    [
        Flag.Text("url", "the host's base URL, e.g. http://127.0.0.1:5000 (a loopback host for the per-agent addresses)", "an http:// URL") with { IsRequired = true },
        Flag.Int("visitors", "concurrent visitors, each with a conversation", 1, 20_000),
        Flag.Int("agents", "agents serving them", 1, 2_000),
        Flag.Double("minutes", "how long visitors send", 0, 60, minExclusive: true),
        Flag.Double("rate", "messages a second per visitor", 0, 20, minExclusive: true),
        Flag.Text("operator", "the operator's account (default the demo's: operator)"),
        Flag.Text("operator-password", "the operator's password (default operator-123)"),
        Flag.Text("admin", "the tenant administrator's account (default admin@demo.kefu)"),
        Flag.Text("admin-password", "the administrator's password (default admin-123)"),
    ];

    public string Name => "load";

    public string Summary => "Drives a running host with visitors and agents over WebSockets; prints messages/s and delivery latency.";

    public string Usage => string.Join('\n', Flags.Select(f => f.UsageLine)) + """

        Defaults: --visitors 2000 --agents 100 --minutes 2 --rate 1, and the demo tenant's sign-ins.
        Last line: msgs_per_s=N p50_ms=N p99_ms=N lost=N
        """;

    public async Task<int> RunAsync(string[] args)
    {
        if (!FlagParser.TryParse(args, Flags, out var flags, out var problem))
        {
            return VerbTable.UsageError(this, problem, error);
        }

        if (!Uri.TryCreate(flags.GetText("url", string.Empty), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
        {
            return VerbTable.UsageError(this, "--url: an absolute http:// URL, e.g. http://127.0.0.1:5000", error);
        }

        var settings = new LoadSettings(
            url,
            flags.GetInt("visitors", 2000),
            flags.GetInt("agents", 100),
            TimeSpan.FromMinutes(flags.GetDouble("minutes", 2)),
            flags.GetDouble("rate", 1),
            flags.GetText("operator", "operator"),
            flags.GetText("operator-password", "operator-123"),
            flags.GetText("admin", "admin@demo.kefu"),
            flags.GetText("admin-password", "admin-123"));
        try
        {
            var result = await new LoadRun(settings, output).RunAsync();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"msgs_per_s={result.MessagesPerSecond:F0} p50_ms={result.P50Ms:F1} p99_ms={result.P99Ms:F1} lost={result.Lost}"));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is HttpRequestException or WebSocketException or InvalidOperationException or TimeoutException)
        {
            error.WriteLine($"load: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}

internal sealed record LoadSettings(
    Uri Url, int Visitors, int Agents, TimeSpan Duration, double Rate, string Operator, string OperatorPassword, string Admin, string AdminPassword);

internal sealed record LoadResult(double MessagesPerSecond, double P50Ms, double P99Ms, long Lost);

/// <summary>One run of <see cref="LoadVerb"/>.</summary>
internal sealed class LoadRun(LoadSettings settings, TextWriter output)
{
    private const int SignInsPerAddress = 5;
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    // Loopback addresses of this run's agents (127.n.*.*, n random per run): sign-ins are limited per address and minute.
    private readonly int _addressBase = Random.Shared.Next(1, 255);
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private int _sending;
    private readonly ConcurrentDictionary<string, byte> _delivered = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly CancellationTokenSource _stop = new();

    public async Task<LoadResult> RunAsync()
    {
        // The tenant: the operator's first tenant, with room for the load's agents.
        using var operatorClient = Client(null);
        var operatorSession = await PostAsync(operatorClient, "/api/v1/auth/operator/login", new JsonObject { ["account"] = settings.Operator, ["password"] = settings.OperatorPassword }, null);
        var operatorToken = (string?)operatorSession["antiforgeryToken"];
        var tenants = (JsonArray)await GetAsync(operatorClient, "/api/v1/organisation/tenants");
        var tenantId = (string)tenants[0]!["id"]!;
        var limits = tenants[0]!["limits"]?.DeepClone() as JsonObject ?? [];
        using var admin = Client(null);
        var adminToken = await SignInAsync(admin, tenantId, settings.Admin, settings.AdminPassword);
        var existing = ((JsonArray)await GetAsync(admin, "/api/v1/agents")).Count;
        limits["maxAgents"] = existing + settings.Agents + 10;
        await SendAsync(operatorClient, HttpMethod.Put, $"/api/v1/organisation/tenants/{tenantId}/limits", limits, operatorToken);

        // The agents, in a skill group of their own, with room for every visitor.
        // A plain agent's role: it serves conversations and does not see every agent's. (Any role with the view-all
        // permission, such as the administrator's, would send each agent every message of the tenant.)
        var roles = (JsonArray)await GetAsync(admin, "/api/v1/roles");
        var role = roles.OfType<JsonObject>().FirstOrDefault(IsPlainAgentRole)
            ?? await PostAsync(admin, "/api/v1/roles", new JsonObject
            {
                ["code"] = $"load_{_run}",
                ["name"] = $"load agent {_run}",
                ["permissions"] = new JsonArray(KefuPermissions.ServeConversations),
            }, adminToken);
        var group = await PostAsync(admin, "/api/v1/groups", new JsonObject { ["name"] = $"load {_run}" }, adminToken);
        var groupId = (string)group["id"]!;
        var perAgent = Math.Min(100, (settings.Visitors / settings.Agents) + 2);
        var agentIds = new List<string>();
        for (var i = 0; i < settings.Agents; i++)
        {
            var agent = await PostAsync(admin, "/api/v1/agents", new JsonObject
            {
                ["account"] = $"load-{_run}-{i}@load.kefu",
                ["password"] = "load-123456",
                ["name"] = $"Load {i}",
                ["employeeNumber"] = $"L{_run}{i}",
                ["maxConcurrentChats"] = perAgent,
                ["roleIds"] = new JsonArray((string)role["id"]!),
            }, adminToken);
            agentIds.Add((string)agent["id"]!);
        }

        await SendAsync(admin, HttpMethod.Put, $"/api/v1/groups/{groupId}/members", new JsonObject { ["add"] = new JsonArray([.. agentIds.Select(id => (JsonNode)id)]) }, adminToken);
        output.WriteLine($"load: tenant {tenantId}, {settings.Agents} agents in group {groupId} (up to {perAgent} chats each)");

        var agents = new List<Task>();
        for (var i = 0; i < settings.Agents; i++)
        {
            agents.Add(await StartAgentAsync(tenantId, i));
        }

        output.WriteLine($"load: {settings.Agents} agents online; opening {settings.Visitors} visitors");
        var assigned = 0;
        var visitors = new List<Task>();
        using var visitorHttp = Client(null);
        var clock = Stopwatch.StartNew();
        var sendUntil = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var opening = new SemaphoreSlim(32))
        {
            var opens = Enumerable.Range(0, settings.Visitors).Select(async v =>
            {
                await opening.WaitAsync();
                try
                {
                    visitors.Add(await StartVisitorAsync(visitorHttp, tenantId, groupId, v, () => Interlocked.Increment(ref assigned), sendUntil.Task));
                }
                finally
                {
                    opening.Release();
                }
            });
            await Task.WhenAll(opens);
        }

        for (var waited = 0; Volatile.Read(ref assigned) < settings.Visitors && waited < 600; waited++)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"load: {Volatile.Read(ref assigned)} of {settings.Visitors} visitors served after {clock.Elapsed.TotalSeconds:F1} s; sending for {settings.Duration.TotalSeconds:F0} s");
        var start = Stopwatch.GetTimestamp();
        sendUntil.SetResult(start + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency));
        await Task.Delay(settings.Duration);
        var sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        // The timer may fire a little early: the drain starts once every visitor has sent its last message.
        for (var waited = TimeSpan.Zero; waited < Drain && Volatile.Read(ref _sending) > 0; waited += TimeSpan.FromMilliseconds(50))
        {
            await Task.Delay(50);
        }

        for (var waited = TimeSpan.Zero; waited < Drain && _delivered.Count < _sentAt.Count; waited += TimeSpan.FromMilliseconds(200))
        {
            await Task.Delay(200);
        }

        await _stop.CancelAsync();
        await Task.WhenAll([.. agents, .. visitors]).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(static _ => { }, TaskScheduler.Default);

        var latencies = _latencies.Order().ToArray();
        // Strict: every message a visitor sent that its agent never saw, acknowledged or not.
        var lost = _sentAt.Keys.LongCount(k => !_delivered.ContainsKey(k));
        output.WriteLine($"load: sent {_sentAt.Count}, acknowledged {_acknowledged.Count}, delivered {_delivered.Count} in {sendSeconds:F1} s");
        foreach (var (reference, why) in _refused.Take(5))
        {
            output.WriteLine($"load: refused {reference}: {why} ({_refused.Count} refused in all)");
        }

        foreach (var failure in _failures.Take(5))
        {
            output.WriteLine($"load: {failure} ({_failures.Count} connections failed in all)");
        }

        foreach (var id in _sentAt.Keys.Where(k => !_delivered.ContainsKey(k)).Order(StringComparer.Ordinal).Take(10))
        {
            output.WriteLine($"load: not delivered {id}{(_acknowledged.ContainsKey(id) ? " (acknowledged)" : "")}");
        }
        return new LoadResult(
            _delivered.Count / Math.Max(sendSeconds, 0.001),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            lost);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    // ---- Agents

    private async Task<Task> StartAgentAsync(string tenantId, int index)
    {
        // Sign-ins are limited per client address: every few agents come from the next loopback address.
        var slot = index / SignInsPerAddress;
        var handler = Handler(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"127.{_addressBase}.{slot / 250}.{2 + (slot % 250)}")));
        var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = settings.Url };
        var token = await SignInAsync(http, tenantId, $"load-{_run}-{index}@load.kefu", "load-123456");
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri("/ws/agent"), new HttpMessageInvoker(handler, disposeHandler: false), _stop.Token);
        await SendAsync(http, HttpMethod.Put, "/api/v1/workbench/presence", new JsonObject { ["status"] = "online" }, token);
        return Task.Run(async () =>
        {
            try
            {
                await ReceiveAsync(socket, frame =>
                {
                    // Only message frames matter here, read without building a JSON tree: the generator shares the machine.
                    if (frame.StartsWith(MessageFramePrefix) && VisitorClientMessageId(frame) is { } id
                        && _sentAt.TryGetValue(id, out var sentAt) && _delivered.TryAdd(id, 0))
                    {
                        _latencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                    }
                });
            }
            finally
            {
                socket.Dispose();
                http.Dispose();
                handler.Dispose();
            }
        });
    }

    // ---- Visitors

    private async Task<Task> StartVisitorAsync(HttpClient http, string tenantId, string groupId, int index, Action served, Task<long> sendUntil)
    {
        var opened = await PostAsync(http, "/api/v1/visitor/conversations", new JsonObject
        {
            ["tenantId"] = tenantId,
            ["visitor"] = new JsonObject { ["name"] = $"load visitor {index}" },
            ["channelKind"] = "web",
            ["groupId"] = groupId,
        }, null);
        var token = (string)opened["token"]!;
        var conversationId = (string)opened["conversation"]!["id"]!;
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri($"/ws/visitor?token={Uri.EscapeDataString(token)}&conversationId={conversationId}"), _stop.Token);
        var isServed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if ((string?)opened["conversation"]!["state"] == "inService")
        {
            isServed.TrySetResult();
        }

        var receiving = Task.Run(() => ReceiveAsync(socket, bytes =>
        {
            if (bytes.StartsWith(MessageFramePrefix))
            {
                return; // its own messages coming back: nothing to measure
            }

            if (JsonNode.Parse(bytes) is not JsonObject frame)
            {
                return;
            }

            var type = (string?)frame["type"];
            var state = frame["conversation"] is JsonObject view ? (string?)view["state"] : null;
            if ((type is "event" or "hello" && state == "inService") || (type == "event" && (string?)frame["name"] == "sessionAssigned"))
            {
                isServed.TrySetResult();
            }
            else if (type == "ack" && (string?)frame["ref"] is { } reference)
            {
                _acknowledged.TryAdd(reference, 0);
            }
            else if (type == "error")
            {
                _refused.TryAdd((string?)frame["ref"] ?? "(no ref)", $"{(int?)frame["status"]} {(string?)frame["title"]}: {(string?)frame["detail"]}");
            }
        }));
        return Task.Run(async () =>
        {
            try
            {
                await isServed.Task.WaitAsync(_stop.Token);
                served();
                Interlocked.Increment(ref _sending);
                try
                {
                    var until = await sendUntil.WaitAsync(_stop.Token);
                    // Sends on a fixed schedule (a random phase, then every interval) rather than sleeping an interval after
                    // each send, so timer slack does not lower the offered rate: --rate 1 for 60 s is 60 messages a visitor.
                    var interval = (long)(Stopwatch.Frequency / settings.Rate);
                    var next = until - (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency) + (long)(Random.Shared.NextDouble() * interval);
                    for (var n = 0; next < until; n++, next += interval)
                    {
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, _stop.Token);
                        }

                        var id = string.Create(CultureInfo.InvariantCulture, $"{_run}-{index}-{n}");
                        _sentAt[id] = Stopwatch.GetTimestamp();
                        var frame = new JsonObject { ["type"] = "send", ["ref"] = id, ["clientMessageId"] = id, ["text"] = $"load message {n}" };
                        await socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _sending);
                }

                await receiving.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (WebSocketException ex)
            {
                _failures.Enqueue($"visitor {index}: {ex.Message} (socket {socket.State}, close {socket.CloseStatus} {socket.CloseStatusDescription})");
            }
            finally
            {
                socket.Dispose();
            }
        });
    }

    // ---- Plumbing

    private static ReadOnlySpan<byte> MessageFramePrefix => "{\"type\":\"message\""u8;

    /// <summary>The client message id of a message frame sent by a visitor, or null.</summary>
    private static string? VisitorClientMessageId(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        var fromVisitor = false;
        string? id = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("senderKind"u8))
            {
                reader.Read();
                fromVisitor = reader.ValueTextEquals("visitor"u8);
            }
            else if (reader.ValueTextEquals("clientMessageId"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return fromVisitor ? id : null;
    }

    private delegate void FrameHandler(ReadOnlySpan<byte> frame);

    private async Task ReceiveAsync(ClientWebSocket socket, FrameHandler onFrame)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (!_stop.IsCancellationRequested)
                    {
                        _failures.Enqueue($"the host closed a socket: {socket.CloseStatus} {socket.CloseStatusDescription}");
                    }

                    return;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                onFrame(message.GetBuffer().AsSpan(0, (int)message.Length));

                message.SetLength(0);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException ex)
        {
            if (!_stop.IsCancellationRequested)
            {
                _failures.Enqueue($"a socket failed: {ex.Message}");
            }
        }
    }

    private Uri WebSocketUri(string pathAndQuery) => new(new UriBuilder(settings.Url) { Scheme = "ws" }.Uri, pathAndQuery);

    private HttpClient Client(IPAddress? from) => new(Handler(from), disposeHandler: true) { BaseAddress = settings.Url };

    private static SocketsHttpHandler Handler(IPAddress? from) => new()
    {
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        ConnectCallback = from is null ? null : async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static async Task<string?> SignInAsync(HttpClient http, string tenantId, string account, string password)
    {
        var session = await PostAsync(http, "/api/v1/auth/login", new JsonObject { ["tenantId"] = tenantId, ["account"] = account, ["password"] = password }, null);
        return (string?)session["antiforgeryToken"];
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response, path);
    }

    private static Task<JsonNode> PostAsync(HttpClient http, string path, JsonObject body, string? antiforgery) => SendAsync(http, HttpMethod.Post, path, body, antiforgery);

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, JsonObject body, string? antiforgery)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (antiforgery is not null)
        {
            request.Headers.Add("X-XSRF-TOKEN", antiforgery);
        }

        using var response = await http.SendAsync(request);
        return await ReadAsync(response, path);
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    /// <summary>Whether a role (as the API lists it) lets an agent serve conversations without seeing every agent's.</summary>
    private static bool IsPlainAgentRole(JsonObject role)
    {
        var permissions = (role["permissions"] as JsonArray ?? []).Select(p => (string?)p).ToHashSet(StringComparer.Ordinal);
        return permissions.Contains(KefuPermissions.ServeConversations) && !permissions.Contains(KefuPermissions.ViewAllConversations)
            && role["enabled"]?.GetValue<bool>() != false;
    }
}
