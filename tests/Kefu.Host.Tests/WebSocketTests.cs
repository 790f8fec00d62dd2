using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Kefu.Model;
using Microsoft.AspNetCore.TestHost;

namespace Kefu.Host.Tests;

/// <summary>The agent and visitor WebSockets: a chat both ways, typing and read receipts, and resume after a reconnect.</summary>
public sealed class WebSocketTests : IClassFixture<HostFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly HostFactory _factory;

    public WebSocketTests(HostFactory factory) => _factory = factory;

    [Fact]
    public async Task VisitorAndAgent_ChatBothWays_WithTypingPreviewAndReadReceipts()
    {
        var tenant = await _factory.CreateTenantAsync("ws-chat");
        var agent = await tenant.AgentSessionAsync();
        await (await agent.Client.PutJsonAsync("/api/v1/workbench/presence", new { status = "online" })).JsonAsync();
        var visitor = await _factory.OpenVisitorAsync(tenant.Id);

        using var agentSocket = await ConnectAgentAsync(agent, "assist=true");
        var hello = await ReceiveAsync(agentSocket, f => (string?)f["type"] == "hello");
        Assert.Contains(hello["conversations"]!.AsArray(), c => (string?)c!["id"] == HostFactory.S(visitor.ConversationId));
        await ReceiveAsync(agentSocket, f => (string?)f["type"] == "synced");
        using var visitorSocket = await ConnectVisitorAsync(visitor.Token, visitor.ConversationId, 0);
        await ReceiveAsync(visitorSocket, f => (string?)f["type"] == "synced");

        await SendAsync(visitorSocket, new JsonObject { ["type"] = "typing", ["text"] = "我想问一下" });
        var typing = await ReceiveAsync(agentSocket, f => (string?)f["name"] == "visitorTyping");
        Assert.Equal("我想问一下", (string?)typing["data"]!["previewText"]);

        await SendAsync(visitorSocket, new JsonObject { ["type"] = "send", ["ref"] = "r1", ["text"] = "我想问一下退款", ["clientMessageId"] = "v-1" });
        var ack = await ReceiveAsync(visitorSocket, f => (string?)f["type"] == "ack");
        Assert.Equal("r1", (string?)ack["ref"]);
        var atAgent = await ReceiveAsync(agentSocket, f => (string?)f["type"] == "message");
        Assert.Equal("我想问一下退款", (string?)atAgent["message"]!["text"]);
        Assert.Equal((string?)ack["result"]!["messageId"], (string?)atAgent["message"]!["id"]);
        var assist = await ReceiveAsync(agentSocket, f => (string?)f["type"] == "assist");
        Assert.Equal(HostFactory.S(visitor.ConversationId), (string?)assist["conversationId"]);

        await SendAsync(agentSocket, new JsonObject { ["type"] = "send", ["ref"] = "a1", ["conversationId"] = HostFactory.S(visitor.ConversationId), ["text"] = "您好，请提供订单号" });
        var atVisitor = await ReceiveAsync(visitorSocket, f => (string?)f["type"] == "message" && (string?)f["message"]!["senderKind"] == "agent");
        Assert.Equal("您好，请提供订单号", (string?)atVisitor["message"]!["text"]);

        await SendAsync(visitorSocket, new JsonObject { ["type"] = "read", ["upToMessageId"] = atVisitor["message"]!["id"]!.DeepClone() });
        var read = await ReceiveAsync(agentSocket, f => (string?)f["name"] == "messagesRead");
        Assert.Equal((string?)atVisitor["message"]!["id"], (string?)read["data"]!["upToMessageId"]);
    }

    [Fact]
    public async Task AReconnectingVisitor_ResumesFromItsLastMessage_WithNothingLostOrRepeated()
    {
        var tenant = await _factory.CreateTenantAsync("ws-resume");
        var kefu = _factory.Kefu;
        await kefu.Conversations.SetStatusAsync(tenant.Id, tenant.AgentId, AgentStatus.Online);
        var visitor = await _factory.OpenVisitorAsync(tenant.Id);
        var agent = Participant.Agent(tenant.AgentId);

        var first = await kefu.Conversations.SendAsync(tenant.Id, visitor.ConversationId, agent, MessageContent.FromText("one"));
        var socket = await ConnectVisitorAsync(visitor.Token, visitor.ConversationId, 0);
        var initial = await CollectMessagesAsync(socket, untilText: "one");
        Assert.Equal(["one"], initial.Select(m => (string?)m["text"]).Where(t => t is "one"));
        var lastSeen = first.MessageId;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        socket.Dispose();

        // While the visitor is away.
        await kefu.Conversations.SendAsync(tenant.Id, visitor.ConversationId, agent, MessageContent.FromText("two"));
        await kefu.Conversations.SendAsync(tenant.Id, visitor.ConversationId, agent, MessageContent.FromText("three"));

        using var again = await ConnectVisitorAsync(visitor.Token, visitor.ConversationId, lastSeen);
        var sending = Task.Run(async () =>
        {
            // Messages committed while the backfill runs must come once too.
            for (var i = 4; i <= 6; i++)
            {
                await kefu.Conversations.SendAsync(tenant.Id, visitor.ConversationId, agent, MessageContent.FromText("m" + i));
            }
        });
        var resumed = await CollectMessagesAsync(again, untilText: "m6");
        await sending;

        var texts = resumed.Select(m => (string?)m["text"]).ToList();
        Assert.Equal(["two", "three", "m4", "m5", "m6"], texts);
        var ids = resumed.Select(m => HostFactory.Id(m["id"])).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.All(ids, id => Assert.True(id > lastSeen));
    }

    [Fact]
    public async Task AMessageWithScript_ComesBackAsPlainData()
    {
        var tenant = await _factory.CreateTenantAsync("ws-script");
        await _factory.Kefu.Conversations.SetStatusAsync(tenant.Id, tenant.AgentId, AgentStatus.Online);
        var visitor = await _factory.OpenVisitorAsync(tenant.Id);
        const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";

        await (await visitor.Client.PostJsonAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages", new { text = Hostile })).JsonAsync();

        var response = await (await tenant.AgentSessionAsync()).Client.GetAsync($"/api/v1/workbench/conversations/{visitor.ConversationId}/messages");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
        var messages = JsonNode.Parse(raw)!.AsArray();
        Assert.Contains(messages, m => (string?)m!["text"] == Hostile);

        using var socket = await ConnectVisitorAsync(visitor.Token, visitor.ConversationId, 0);
        var frames = await CollectMessagesAsync(socket, untilText: Hostile);
        Assert.Equal(Hostile, (string?)frames[^1]["text"]);
    }

    [Fact]
    public async Task DisablingAnAgent_ClosesItsWebSocket()
    {
        var tenant = await _factory.CreateTenantAsync("ws-disable");
        var agent = await tenant.AgentSessionAsync();
        using var socket = await ConnectAgentAsync(agent, string.Empty);
        await ReceiveAsync(socket, f => (string?)f["type"] == "synced");

        await _factory.Kefu.Directory.SetAgentEnabledAsync(tenant.Id, tenant.AgentId, false);

        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Wait);
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
    }

    private async Task<WebSocket> ConnectAgentAsync(CookieSession session, string query)
    {
        var client = _factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers["Cookie"] = session.Cookies;
        return await client.ConnectAsync(new Uri(_factory.Server.BaseAddress, "ws/agent?" + query), CancellationToken.None);
    }

    private async Task<WebSocket> ConnectVisitorAsync(string token, long conversationId, long lastMessageId)
    {
        var client = _factory.Server.CreateWebSocketClient();
        var query = $"ws/visitor?token={Uri.EscapeDataString(token)}&conversationId={conversationId}&lastMessageId={lastMessageId}";
        return await client.ConnectAsync(new Uri(_factory.Server.BaseAddress, query), CancellationToken.None);
    }

    private static async Task SendAsync(WebSocket socket, JsonObject frame)
        => await socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonObject> ReceiveAsync(WebSocket socket, Func<JsonObject, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var frame = await ReadFrameAsync(socket, timeout.Token);
            if (wanted(frame))
            {
                return frame;
            }
        }
    }

    private static async Task<List<JsonObject>> CollectMessagesAsync(WebSocket socket, string untilText)
    {
        var messages = new List<JsonObject>();
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var frame = await ReadFrameAsync(socket, timeout.Token);
            if ((string?)frame["type"] == "message" && (string?)frame["message"]!["senderKind"] != "system")
            {
                var message = frame["message"]!.AsObject();
                messages.Add(message);
                if ((string?)message["text"] == untilText)
                {
                    return messages;
                }
            }
        }
    }

    private static async Task<JsonObject> ReadFrameAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), ct);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length))!.AsObject();
    }
}
