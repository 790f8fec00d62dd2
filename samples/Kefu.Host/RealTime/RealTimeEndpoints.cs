using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Bots;
using Kefu.Events;
using Kefu.Host.Api;
using Kefu.Host.Infrastructure;
using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Transport;

namespace Kefu.Host.RealTime;

/// <summary>
/// <c>/ws/agent</c> and <c>/ws/visitor</c>: JSON frames both ways (PROTOCOL.md). On connect the server subscribes
/// to the tenant's live events first, then sends a snapshot and every message after the client's
/// <c>lastMessageId</c> from the history, then the live events, skipping messages already sent: a reconnecting
/// client loses nothing and sees nothing twice.
/// </summary>
internal static partial class RealTimeEndpoints
{
    private const int MaxFrameBytes = 64 * 1024;
    private const int MaxBackfillPerConversation = 1000;

    public static void MapRealTime(this WebApplication app)
    {
        app.Map("/ws/agent", AgentAsync).RequirePermission(KefuPermissions.ServeConversations);
        app.Map("/ws/visitor", VisitorAsync).RequireAuthorization(HostPermissions.Visitor);
    }

    private static async Task AgentAsync(HttpContext http, Caller caller, IKefuTransport transport, IKefu kefu, RealTimeHub hub, HostMetrics metrics, IServiceProvider services, ILoggerFactory logs)
    {
        if (!http.WebSockets.IsWebSocketRequest || !SameOrigin(http) || caller.AgentId is not { } agentId)
        {
            http.Response.StatusCode = http.WebSockets.IsWebSocketRequest ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            return;
        }

        var t = caller.TenantId;
        var lastMessageId = ReadLong(http, "lastMessageId");
        var assist = http.Request.Query["assist"] == "true";
        var viewAll = caller.Has(KefuPermissions.ViewAllConversations);
        var routing = new AgentRouting(agentId, viewAll);
        using var subscription = transport.Subscribe(new EventFilter { TenantId = t, Where = routing.Wants });
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        using var registration = hub.RegisterAgent(t, agentId, cut);
        var session = new Session(socket, kefu.Conversations, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions, logs.CreateLogger("Kefu.Host.WebSocket.Agent"));
        metrics.Connection(1);
        try
        {
            var open = await kefu.Conversations.ListOpenAsync(t, viewAll ? null : agentId, cut.Token);
            var mine = open.Select(c => c.Id).ToHashSet();
            routing.Listed(mine);
            session.Enqueue(new JsonObject
            {
                ["type"] = "hello",
                ["role"] = "agent",
                ["agentId"] = agentId.ToString(CultureInfo.InvariantCulture),
                ["conversations"] = JsonSerializer.SerializeToNode(open, session.Json),
                ["presence"] = JsonSerializer.SerializeToNode(await kefu.Conversations.ListPresenceAsync(t, cut.Token), session.Json),
                ["queue"] = JsonSerializer.SerializeToNode(await kefu.Conversations.GetQueueAsync(t, null, cut.Token), session.Json),
            });
            foreach (var conversation in open)
            {
                await session.BackfillAsync(kefu.History, t, conversation.Id, lastMessageId, cut.Token);
            }

            session.Enqueue(new JsonObject { ["type"] = "synced" });
            var directory = kefu.Directory;
            var suggestions = services.GetService<IAgentAssist>();
            session.Start(cut, (frame, ct) => CommandAsync(session, frame, t, Participant.Agent(agentId), null, ct));

            await foreach (var e in subscription.Events.ReadAllAsync(cut.Token))
            {
                switch (e.PayloadCase)
                {
                    case KefuEvent.PayloadOneofCase.AgentChanged when e.AgentChanged.AgentId == agentId && !e.AgentChanged.Enabled:
                    case KefuEvent.PayloadOneofCase.AgentDeleted when e.AgentDeleted.AgentId == agentId:
                        await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, "agent disabled");
                        return;
                    case KefuEvent.PayloadOneofCase.SessionOffered when e.SessionOffered.AgentId == agentId:
                    case KefuEvent.PayloadOneofCase.SessionAssigned when e.SessionAssigned.AgentId == agentId:
                    case KefuEvent.PayloadOneofCase.TransferRequested when e.TransferRequested.ToAgentId == agentId:
                    case KefuEvent.PayloadOneofCase.SessionTransferred when e.SessionTransferred.ToAgentId == agentId:
                        if (mine.Add(e.ConversationId))
                        {
                            // Messages the visitor sent before the agent got the conversation (robot or queue time).
                            await session.BackfillAsync(kefu.History, t, e.ConversationId, 0, cut.Token);
                        }

                        break;
                }

                var forAgent = viewAll || mine.Contains(e.ConversationId) || e.PayloadCase is
                    KefuEvent.PayloadOneofCase.AgentStateChanged or KefuEvent.PayloadOneofCase.SessionQueued or KefuEvent.PayloadOneofCase.QueuePosition;
                if (!forAgent)
                {
                    continue;
                }

                if (e.PayloadCase == KefuEvent.PayloadOneofCase.Message)
                {
                    var message = Frames.FromEvent(e);
                    session.SendMessage(message);
                    if (assist && message.SenderKind == ParticipantKind.Visitor && message.Kind == MessageKind.Text && suggestions is not null)
                    {
                        var answers = await suggestions.SuggestAsync(t, e.ConversationId, message.Id, cut.Token);
                        session.Enqueue(new JsonObject
                        {
                            ["type"] = "assist",
                            ["conversationId"] = e.ConversationId.ToString(CultureInfo.InvariantCulture),
                            ["suggestions"] = JsonSerializer.SerializeToNode(answers, session.Json),
                        });
                    }
                }
                else
                {
                    session.Enqueue(Frames.Event(e));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Cut off (agent disabled or deleted) unless the client left or the host is stopping.
            await session.CloseAsync(http.RequestAborted.IsCancellationRequested || session.ClientClosed ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation, "closed");
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            metrics.Connection(-1);
            await session.DisposeAsync();
        }
    }

    private static async Task VisitorAsync(HttpContext http, Caller caller, IKefuTransport transport, IKefu kefu, HostMetrics metrics, IServiceProvider services, ILoggerFactory logs)
    {
        var conversationId = ReadLong(http, "conversationId");
        if (!http.WebSockets.IsWebSocketRequest || conversationId == 0)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var t = caller.TenantId;
        var visitorId = caller.VisitorId!.Value;
        var lastMessageId = ReadLong(http, "lastMessageId");
        using var subscription = transport.Subscribe(new EventFilter { TenantId = t, ConversationId = conversationId });
        Conversation conversation;
        try
        {
            conversation = await VisitorApi.OwnAsync(kefu.Conversations, caller, conversationId, http.RequestAborted);
        }
        catch (KefuNotFoundException)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var session = new Session(socket, kefu.Conversations, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions, logs.CreateLogger("Kefu.Host.WebSocket.Visitor"));
        metrics.Connection(1);
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var ct = cut.Token;
        try
        {
            session.Enqueue(new JsonObject
            {
                ["type"] = "hello",
                ["role"] = "visitor",
                ["conversation"] = JsonSerializer.SerializeToNode(await VisitorApi.ToDtoAsync(conversation, kefu.Conversations, kefu.Directory, ct), session.Json),
            });
            await session.BackfillAsync(kefu.History, t, conversationId, lastMessageId, ct);
            session.Enqueue(new JsonObject { ["type"] = "synced" });
            session.Start(cut, (frame, token) => CommandAsync(session, frame, t, Participant.Visitor(visitorId), conversationId, token));

            await foreach (var e in subscription.Events.ReadAllAsync(ct))
            {
                switch (e.PayloadCase)
                {
                    case KefuEvent.PayloadOneofCase.Message:
                        session.SendMessage(Frames.FromEvent(e));
                        break;
                    case KefuEvent.PayloadOneofCase.QueuePosition or KefuEvent.PayloadOneofCase.MessagesRead or KefuEvent.PayloadOneofCase.MessageRecalled:
                        session.Enqueue(Frames.Event(e));
                        break;
                    case KefuEvent.PayloadOneofCase.SessionQueued or KefuEvent.PayloadOneofCase.SessionAssigned or KefuEvent.PayloadOneofCase.SessionTransferred
                        or KefuEvent.PayloadOneofCase.SessionClosed or KefuEvent.PayloadOneofCase.RatingInvited or KefuEvent.PayloadOneofCase.RatingSubmitted:
                        // Routing explanations and agents' notes stay inside: the visitor gets its view of the conversation.
                        var current = await kefu.Conversations.GetAsync(t, conversationId, ct);
                        var frame = Frames.Event(e, withData: false);
                        frame["conversation"] = JsonSerializer.SerializeToNode(await VisitorApi.ToDtoAsync(current, kefu.Conversations, kefu.Directory, ct), session.Json);
                        session.Enqueue(frame);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the host is stopping.
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            metrics.Connection(-1);
            await session.DisposeAsync();
        }
    }

    /// <summary>
    /// A client frame of an agent (conversation named in the frame) or a visitor (conversation of the socket): send,
    /// read and ping for both, typing for visitors only.
    /// </summary>
    private static async Task CommandAsync(Session session, JsonObject frame, long t, Participant who, long? socketConversationId, CancellationToken ct)
    {
        var type = (string?)frame["type"];
        var reference = (string?)frame["ref"];
        var visitor = who.Kind == ParticipantKind.Visitor;
        var conversationId = socketConversationId ?? ReadLong(frame, "conversationId");
        switch (type)
        {
            case "send":
                var sent = await session.Conversations.SendAsync(t, conversationId, who, MessageContent.FromText((string?)frame["text"] ?? string.Empty), (string?)frame["clientMessageId"], ct);
                session.Ack(reference, sent);
                break;
            case "typing" when visitor:
                await session.Conversations.TypingAsync(t, conversationId, who.Id, (string?)frame["text"], ct);
                break;
            case "read":
                await session.Conversations.MarkReadAsync(t, conversationId, who, ReadLong(frame, "upToMessageId"), ct);
                session.Ack(reference, null);
                break;
            case "ping":
                session.Enqueue(new JsonObject { ["type"] = "pong", ["ref"] = reference });
                break;
            default:
                var allowed = visitor ? "send, typing, read or ping" : "send, read or ping";
                session.Enqueue(Frames.Error(reference, 400, "Unknown frame type", $"'{type}' is not {allowed}.", "type"));
                break;
        }
    }

    private static bool SameOrigin(HttpContext http)
    {
        // Browsers send Origin on WebSocket handshakes: refuse pages of other sites riding on the session cookie.
        var origin = http.Request.Headers.Origin.ToString();
        return string.IsNullOrEmpty(origin)
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static long ReadLong(HttpContext http, string name)
        => long.TryParse(http.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static long ReadLong(JsonObject frame, string name)
        => frame[name] is JsonValue value
            ? value.TryGetValue<long>(out var n) ? n : long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0
            : 0;

    /// <summary>One connection: a single writer drains the outgoing queue; messages already sent are skipped.</summary>
    private sealed partial class Session(WebSocket socket, IKefuConversations conversations, JsonSerializerOptions json, ILogger logger) : IAsyncDisposable
    {
        // Frames waiting for the writer: a JsonObject, or a MessageDto or an Ack serialized straight into the writer's
        // buffer (the message path builds no JSON tree).
        private readonly System.Threading.Channels.Channel<object> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<object>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });
        private readonly Dictionary<long, long> _lastSent = [];
        private readonly Lock _gate = new();
        private Task? _writer;
        private Task? _reader;

        public IKefuConversations Conversations { get; } = conversations;

        public JsonSerializerOptions Json { get; } = json;

        public void Enqueue(JsonObject frame) => EnqueueFrame(frame);

        private void EnqueueFrame(object frame)
        {
            _writer ??= Task.Run(WriteLoopAsync);
            _outgoing.Writer.TryWrite(frame);
        }

        /// <summary>Sends a message unless a message with this id or a later one of its conversation was sent.</summary>
        public void SendMessage(MessageDto message)
        {
            lock (_gate)
            {
                if (_lastSent.TryGetValue(message.ConversationId, out var last) && message.Id <= last)
                {
                    return;
                }

                _lastSent[message.ConversationId] = message.Id;
            }

            EnqueueFrame(message);
        }

        public async Task BackfillAsync(IKefuHistory history, long tenantId, long conversationId, long after, CancellationToken ct)
        {
            var collected = new List<Message>();
            long? before = null;
            while (collected.Count < MaxBackfillPerConversation)
            {
                var page = await history.GetMessagesAsync(tenantId, conversationId, before, 100, ct);
                collected.InsertRange(0, page.Where(m => m.Id > after));
                if (page.Count < 100 || page[0].Id <= after)
                {
                    break;
                }

                before = page[0].Id;
            }

            foreach (var message in collected)
            {
                SendMessage(MessageDto.From(message));
            }
        }

        public void Ack(string? reference, object? result) => EnqueueFrame(new Ack(reference, result));

        /// <summary>Whether the client closed the connection (rather than the server cutting it).</summary>
        public bool ClientClosed { get; private set; }

        /// <summary>Reads the client's frames until it leaves; then cancels <paramref name="connection"/>, ending the event loop.</summary>
        public void Start(CancellationTokenSource connection, Func<JsonObject, CancellationToken, Task> onFrame)
        {
            var ct = connection.Token;
            _reader = Task.Run(async () =>
            {
                try
                {
                    await ReadLoopAsync(onFrame, ct);
                }
                finally
                {
                    ClientClosed = !ct.IsCancellationRequested;
                    try
                    {
                        connection.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The connection ended first.
                    }
                }
            }, CancellationToken.None);
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string reason)
        {
            _outgoing.Writer.TryComplete();
            if (_writer is not null)
            {
                await _writer.ConfigureAwait(false);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await socket.CloseOutputAsync(status, reason, timeout.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // Nothing more to say to a client that is gone.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
            if (_reader is not null)
            {
                await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(2)));
            }
        }

        private async Task WriteLoopAsync()
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder });
            try
            {
                await foreach (var frame in _outgoing.Reader.ReadAllAsync())
                {
                    buffer.ResetWrittenCount();
                    writer.Reset(buffer);
                    Frames.Write(writer, frame, Json);
                    writer.Flush();
                    await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                _outgoing.Writer.TryComplete();
            }
            finally
            {
                await writer.DisposeAsync();
            }
        }

        private async Task ReadLoopAsync(Func<JsonObject, CancellationToken, Task> onFrame, CancellationToken ct)
        {
            // Frames are small: the buffer starts at 1 KB and grows (to MaxFrameBytes at most) only for larger ones.
            var buffer = new byte[1024];
            try
            {
                while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            if (buffer.Length == MaxFrameBytes)
                            {
                                await CloseAsync(WebSocketCloseStatus.MessageTooBig, "frame too large");
                                return;
                            }

                            Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxFrameBytes));
                        }

                        result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    JsonObject? frame = null;
                    try
                    {
                        frame = JsonNode.Parse(buffer.AsSpan(0, length)) as JsonObject;
                    }
                    catch (JsonException)
                    {
                        // Answered below.
                    }

                    if (frame is null)
                    {
                        Enqueue(Frames.Error(null, 400, "Malformed frame", "Send one JSON object per message."));
                        continue;
                    }

                    try
                    {
                        await onFrame(frame, ct);
                    }
                    catch (KefuException ex)
                    {
                        var problem = KefuExceptionHandler.Map(ex)!;
                        Enqueue(Frames.Error((string?)frame["ref"], problem.Status ?? 400, problem.Title ?? "Refused", problem.Detail, ex is KefuValidationException v ? v.Field : null));
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The client went away.
            }
            catch (Exception ex)
            {
                LogFrameFailure(logger, ex);
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "A WebSocket frame failed")]
        private static partial void LogFrameFailure(ILogger logger, Exception exception);
    }
}
