using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kefu.Model;

namespace Kefu.Host.Tests;

/// <summary>Each API area through HTTP, against the engines behind it.</summary>
public sealed class AreaTests : IClassFixture<HostFactory>
{
    private readonly HostFactory _factory;

    public AreaTests(HostFactory factory) => _factory = factory;

    [Fact]
    public async Task Directory_DepartmentsRolesAgentsGroupsChannels_RoundTripThroughTheEngine()
    {
        var tenant = await _factory.CreateTenantAsync("directory");
        var api = tenant.Admin();

        var sales = await (await api.PostJsonAsync("/api/v1/departments", new { name = "销售" })).JsonAsync(HttpStatusCode.Created);
        var east = await (await api.PostJsonAsync("/api/v1/departments", new { name = "华东", parentId = (string?)sales["id"] })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal((string?)sales["id"], (string?)east["parentId"]);
        var renamed = await (await api.PutJsonAsync($"/api/v1/departments/{(string?)east["id"]}", new { name = "华东区" })).JsonAsync();
        Assert.Equal("华东区", (string?)renamed["name"]);
        var deleted = await (await api.DeleteAsync($"/api/v1/departments/{(string?)sales["id"]}")).JsonAsync();
        Assert.Equal(2, deleted.AsArray().Count);

        var role = await (await api.PostJsonAsync("/api/v1/roles", new { code = "qa", name = "质检", permissions = new[] { KefuPermissions.ViewReports } })).JsonAsync(HttpStatusCode.Created);
        var disabled = await (await api.PutJsonAsync($"/api/v1/roles/{(string?)role["id"]}/enabled", new { enabled = false })).JsonAsync();
        Assert.False((bool)disabled["enabled"]!);

        var agent = await (await api.PostJsonAsync("/api/v1/agents", new { account = "zhao@directory", password = "agent-123", name = "赵六", employeeNumber = "E9", roleIds = new[] { (string?)role["id"] } })).JsonAsync(HttpStatusCode.Created);
        Assert.Null(agent["passwordHash"]);
        var list = await (await api.GetAsync("/api/v1/agents")).JsonAsync();
        Assert.Equal(4, list.AsArray().Count);
        Assert.DoesNotContain("pbkdf2", list.ToJsonString(), StringComparison.Ordinal);
        var updated = await (await api.PutJsonAsync($"/api/v1/agents/{(string?)agent["id"]}", new { name = "赵六", employeeNumber = "E9", maxConcurrentChats = 3 })).JsonAsync();
        Assert.Equal(3, (int)updated["maxConcurrentChats"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostJsonAsync($"/api/v1/agents/{(string?)agent["id"]}/password", new { newPassword = "reset-123" })).StatusCode);
        await _factory.LoginAsync(tenant.Id, "zhao@directory", "reset-123");

        var group = await (await api.PostJsonAsync("/api/v1/groups", new { name = "售后" })).JsonAsync(HttpStatusCode.Created);
        var members = await (await api.PutJsonAsync($"/api/v1/groups/{(string?)group["id"]}/members", new { add = new[] { HostFactory.S(tenant.AgentId), HostFactory.S(tenant.SecondAgentId) } })).JsonAsync();
        Assert.Equal(2, members["memberIds"]!.AsArray().Count);

        var channel = await (await api.PostJsonAsync("/api/v1/channels", new { kind = "wechat", name = "公众号", accessCode = "wx_main" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("wechat", (string?)channel["kind"]);
        var association = await (await api.PostJsonAsync("/api/v1/associations", new { channelId = (string?)channel["id"], name = "服务号" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal((string?)channel["id"], (string?)association["channelId"]);
        Assert.Single((await (await api.GetAsync("/api/v1/associations")).JsonAsync()).AsArray());
    }

    [Fact]
    public async Task Errors_AreProblemDetails_WithTheFieldForValidation()
    {
        var tenant = await _factory.CreateTenantAsync("errors");
        var api = tenant.Admin();

        var invalid = await (await api.PostJsonAsync("/api/v1/agents", new { account = "x@errors", password = "short", name = "X", employeeNumber = "E5" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Password", (string?)invalid["field"]);
        Assert.Equal("6–128 characters", (string?)invalid["allowed"]);

        var missing = await (await api.GetAsync("/api/v1/agents/42")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("Agent", (string?)missing["entity"]);

        await (await api.PostJsonAsync("/api/v1/groups", new { name = "重名" })).JsonAsync(HttpStatusCode.Created);
        var conflict = await (await api.PostJsonAsync("/api/v1/groups", new { name = "重名" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("Conflict", (string?)conflict["kind"]);

        var malformed = await api.PostAsync("/api/v1/groups", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Settings_CannedPhrasesRatingsTagsCategoriesAndQuickReplies_AreSaved()
    {
        var tenant = await _factory.CreateTenantAsync("settings");
        var api = tenant.Admin();
        var settings = await (await api.GetAsync("/api/v1/settings")).JsonAsync();

        var phrases = settings["phrases"]!.AsObject().DeepClone().AsObject();
        phrases["agentNoReply"] = new JsonObject { ["enabled"] = true, ["minutes"] = 30, ["text"] = "请稍候" };
        var refused = await (await api.PutAsync("/api/v1/settings/canned-phrases", new StringContent(phrases.ToJsonString(), Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("AgentNoReply", (string?)refused["field"], StringComparison.Ordinal);
        phrases["agentNoReply"] = new JsonObject { ["enabled"] = true, ["minutes"] = 5, ["text"] = "请稍候" };
        var saved = await (await api.PutAsync("/api/v1/settings/canned-phrases", new StringContent(phrases.ToJsonString(), Encoding.UTF8, "application/json"))).JsonAsync();
        Assert.Equal(5, (int)saved["phrases"]!["agentNoReply"]!["minutes"]!);

        var rating = await (await api.PutJsonAsync("/api/v1/settings/ratings", new { levels = 3 })).JsonAsync();
        Assert.Equal(3, (int)rating["rating"]!["levels"]!);

        var tag = await (await api.PostJsonAsync("/api/v1/tags", new { scope = "session", name = "投诉" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("session", (string?)tag["scope"]);
        var first = await (await api.PostJsonAsync("/api/v1/wrap-up-categories", new { name = "账单" })).JsonAsync(HttpStatusCode.Created);
        await (await api.PostJsonAsync("/api/v1/wrap-up-categories", new { name = "物流" })).JsonAsync(HttpStatusCode.Created);
        var moved = await (await api.PostJsonAsync($"/api/v1/wrap-up-categories/{(string?)first["id"]}/move", new { by = 1 })).JsonAsync();
        Assert.Equal(["物流", "账单"], moved.AsArray().Select(c => (string?)c!["name"]));

        var folder = await (await api.PostJsonAsync("/api/v1/quick-reply-folders", new { name = "常用" })).JsonAsync(HttpStatusCode.Created);
        await (await api.PostJsonAsync("/api/v1/quick-replies", new { folderId = (string?)folder["id"], text = "您好，请问有什么可以帮您？" })).JsonAsync(HttpStatusCode.Created);
        var found = await (await api.GetAsync("/api/v1/quick-replies?keyword=%E5%B8%AE")).JsonAsync();
        Assert.Single(found.AsArray());
    }

    [Fact]
    public async Task RoutingRobotsAndKnowledge_MatchAQuestion_AndImportExportCsv()
    {
        var tenant = await _factory.CreateTenantAsync("robots");
        var api = tenant.Admin();
        var group = await (await api.PostJsonAsync("/api/v1/groups", new { name = "售后" })).JsonAsync(HttpStatusCode.Created);
        var routing = await (await api.GetAsync("/api/v1/routing")).JsonAsync();
        routing["groups"] = new JsonArray(new JsonObject { ["groupId"] = (string?)group["id"], ["strategy"] = "round-robin" });
        var savedRouting = await (await api.PutAsync("/api/v1/routing", new StringContent(routing.ToJsonString(), Encoding.UTF8, "application/json"))).JsonAsync();
        Assert.Equal("round-robin", (string?)savedRouting["groups"]![0]!["strategy"]);

        var robot = await (await api.PostJsonAsync("/api/v1/robots", new { name = "小K" })).JsonAsync(HttpStatusCode.Created);
        var robotId = (string?)robot["id"];
        await (await api.PostJsonAsync($"/api/v1/robots/{robotId}/rules", new { questions = new[] { "怎么退款", "退款流程是什么" }, answer = new { kind = "text", text = "在订单页申请退款。" } })).JsonAsync(HttpStatusCode.Created);
        JsonNode match = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // A rule change rebuilds the robot's index off the message path; the new index is swapped in shortly after.
            match = await (await api.PostJsonAsync($"/api/v1/robots/{robotId}/match", new { question = "怎么退款" })).JsonAsync();
            if (match["candidates"]!.AsArray().Count > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("exact", (string?)match["kind"]);
        Assert.NotEmpty(match["candidates"]!.AsArray());

        var export = await api.GetAsync($"/api/v1/robots/{robotId}/export?format=Csv");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var csv = await export.Content.ReadAsByteArrayAsync();
        Assert.Contains("怎么退款", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(csv).TrimStart('\uFEFF')));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "rules.csv");
        var imported = await (await api.PostAsync($"/api/v1/robots/{robotId}/import?format=Csv&mode=Replace", form)).JsonAsync();
        Assert.Empty(imported["errors"]!.AsArray());
        var rules = await (await api.GetAsync($"/api/v1/robots/{robotId}/rules")).JsonAsync();
        Assert.Equal(1, (int)rules["total"]!);
    }

    [Fact]
    public async Task AConversation_FromVisitorToAgentToRatingAndWrapUp_IsServedThroughTheApi()
    {
        var tenant = await _factory.CreateTenantAsync("workbench");
        var api = tenant.Admin();
        var folder = await (await api.PostJsonAsync("/api/v1/quick-reply-folders", new { name = "常用" })).JsonAsync(HttpStatusCode.Created);
        var quick = await (await api.PostJsonAsync("/api/v1/quick-replies", new { folderId = (string?)folder["id"], text = "请稍等，我帮您查询一下。" })).JsonAsync(HttpStatusCode.Created);
        var category = await (await api.PostJsonAsync("/api/v1/wrap-up-categories", new { name = "账单" })).JsonAsync(HttpStatusCode.Created);

        // Nobody is online: the visitor waits first in line.
        var visitor = await _factory.OpenVisitorAsync(tenant.Id, "李雷");
        var position = await (await visitor.Client.GetAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/queue-position")).JsonAsync();
        Assert.Equal(1, (int)position["position"]!);

        var wang = await tenant.AgentSessionAsync();
        var li = await tenant.SecondAgentSessionAsync();
        await (await wang.Client.PutJsonAsync("/api/v1/workbench/presence", new { status = "online" })).JsonAsync();
        var mine = await (await wang.Client.GetAsync("/api/v1/workbench/conversations")).JsonAsync();
        Assert.Equal(HostFactory.S(visitor.ConversationId), (string?)mine[0]!["id"]);

        var c = $"/api/v1/workbench/conversations/{visitor.ConversationId}";
        await (await visitor.Client.PostJsonAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages", new { text = "我的账单多扣了钱", clientMessageId = "v1" })).JsonAsync();
        var sent = await (await wang.Client.PostJsonAsync($"{c}/messages", new { text = "您好", clientMessageId = "a1" })).JsonAsync();
        await (await wang.Client.PostAsync($"{c}/quick-replies/{(string?)quick["id"]}", null)).JsonAsync();
        var recalled = await (await wang.Client.PostAsync($"{c}/messages/{(string?)sent["messageId"]}/recall", null)).JsonAsync();
        Assert.Equal("您好", (string?)recalled["text"]);
        var assist = await (await wang.Client.GetAsync($"{c}/assist")).JsonAsync();
        Assert.NotNull(assist["answers"]);

        var seen = await (await visitor.Client.GetAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages?limit=50")).JsonAsync();
        var texts = seen.AsArray().Where(m => (string?)m!["kind"] == "text").Select(m => (string?)m!["text"]).ToList();
        Assert.Contains("我的账单多扣了钱", texts);
        Assert.Contains("请稍等，我帮您查询一下。", texts);
        Assert.DoesNotContain("您好", texts);

        // Transfer to the colleague, who accepts.
        await (await li.Client.PutJsonAsync("/api/v1/workbench/presence", new { status = "online" })).JsonAsync();
        await (await wang.Client.PostJsonAsync($"{c}/transfer", new { toAgentId = HostFactory.S(tenant.SecondAgentId), note = "账单问题" })).JsonAsync();
        var accepted = await (await li.Client.PostJsonAsync($"{c}/transfer/answer", new { accept = true })).JsonAsync();
        Assert.Equal(HostFactory.S(tenant.SecondAgentId), (string?)accepted["agentId"]);

        var lc = $"/api/v1/workbench/conversations/{visitor.ConversationId}";
        var ended = await (await li.Client.PostAsync($"{lc}/end", null)).JsonAsync();
        Assert.Equal("closed", (string?)ended["state"]);
        var rated = await (await visitor.Client.PostJsonAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/rating", new { level = 5, comment = "很好" })).JsonAsync();
        Assert.Equal(5, (int)rated["rating"]!["level"]!);
        var wrapped = await (await li.Client.PostJsonAsync($"{lc}/wrap-up", new { problemTypeId = (string?)category["id"], resolved = true })).JsonAsync();
        Assert.True((bool)wrapped["wrapUp"]!["submitted"]!);

        var history = await (await api.GetAsync($"/api/v1/history?agentId={tenant.SecondAgentId}")).JsonAsync();
        Assert.Equal(HostFactory.S(visitor.ConversationId), (string?)history["items"]![0]!["id"]);
        var customers = await (await api.GetAsync("/api/v1/customers?name=%E6%9D%8E%E9%9B%B7")).JsonAsync();
        Assert.Equal(HostFactory.S(visitor.VisitorId), (string?)customers["items"]![0]!["id"]);
        var profile = await (await api.PutJsonAsync($"/api/v1/customers/{visitor.VisitorId}", new { name = "李雷", phone = "13500000001" })).JsonAsync();
        Assert.Equal("13500000001", (string?)profile["profile"]?["phone"] ?? (string?)profile["phone"]);
    }

    [Fact]
    public async Task SensitiveWords_MaskWhatAVisitorSends()
    {
        var tenant = await _factory.CreateTenantAsync("words");
        var api = tenant.Admin();
        await (await api.PutJsonAsync("/api/v1/sensitive-words", new { mode = "mask", words = new[] { new { word = "笨蛋", category = "辱骂" } } })).JsonAsync();
        var visitor = await _factory.OpenVisitorAsync(tenant.Id);

        JsonNode result = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // A saved list is compiled off the message path and swapped in shortly after.
            result = await (await visitor.Client.PostJsonAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages", new { text = "你是笨蛋吗" })).JsonAsync();
            if ((string?)result["action"] == "mask")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("mask", (string?)result["action"]);
        var messages = await (await visitor.Client.GetAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages")).JsonAsync();
        var masked = messages.AsArray().Single(m => (string?)m!["id"] == (string?)result["messageId"]);
        Assert.Equal("你是**吗", (string?)masked!["text"]);
    }

    [Fact]
    public async Task ReportsVoiceAndQuality_AnswerFromTheEventsOfServedConversations()
    {
        var tenant = await _factory.CreateTenantAsync("reports");
        var api = tenant.Admin();
        var kefu = _factory.Kefu;
        await kefu.Conversations.SetStatusAsync(tenant.Id, tenant.AgentId, AgentStatus.Online);
        for (var i = 0; i < 3; i++)
        {
            var conversation = await kefu.Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = "V" + i } });
            await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("退款太慢了，很不满意"));
            await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Agent(tenant.AgentId), MessageContent.FromText("非常抱歉，马上为您处理"));
            await kefu.Conversations.EndAsync(tenant.Id, conversation.Id, Participant.Agent(tenant.AgentId));
            await kefu.Conversations.RateAsync(tenant.Id, conversation.Id, conversation.VisitorId, new RatingInput(1, Comment: "太慢"));
        }

        await kefu.FlushAsync(tenant.Id);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var now = DateTimeOffset.UtcNow;
        JsonNode dashboard = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // The reporting sink runs after the commit: wait until it has seen the three conversations.
            dashboard = await (await api.GetAsync("/api/v1/reports/today")).JsonAsync();
            if ((string?)dashboard["today"]!["conversationsAccepted"] == "3")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("3", (string?)dashboard["today"]!["conversationsAccepted"]);
        var report = await (await api.PostJsonAsync("/api/v1/reports/run", new { from = now.AddDays(-1), to = now.AddHours(1), metrics = new[] { "conversations", "messages" } })).JsonAsync();
        Assert.Equal(3d, (double)report["rows"]![0]!["values"]![0]!);
        var csv = await api.GetAsync($"/api/v1/reports/daily/export?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}&format=Csv&language=En");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var xlsx = await api.GetAsync($"/api/v1/reports/workload/export?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}&format=Xlsx");
        Assert.Equal((byte)'P', (await xlsx.Content.ReadAsByteArrayAsync())[0]);

        var trend = await (await api.GetAsync("/api/v1/voice/sentiment?scope=visitor&days=2")).JsonAsync();
        Assert.True(trend.AsArray().Sum(d => long.Parse((string)d!["negative"]!, System.Globalization.CultureInfo.InvariantCulture)) >= 3);
        var keywords = await (await api.PostJsonAsync("/api/v1/voice/keywords", new { from = today, to = today })).JsonAsync();
        Assert.Contains(keywords.AsArray(), k => ((string?)k!["word"])?.Contains("退款", StringComparison.Ordinal) == true);

        var rules = await (await api.GetAsync("/api/v1/quality/rules")).JsonAsync();
        await (await api.PutAsync("/api/v1/quality/rules", new StringContent(rules.ToJsonString(), Encoding.UTF8, "application/json"))).JsonAsync();
        JsonNode flagged = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            flagged = await (await api.PostJsonAsync("/api/v1/quality/inspections/search", new { from = now.AddDays(-1), to = now.AddHours(1), flaggedOnly = true })).JsonAsync();
            if ((int)flagged["total"]! == 3)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(3, (int)flagged["total"]!);
    }

    [Fact]
    public async Task Uploads_CheckSizeAndType_AndServeWithoutSniffing()
    {
        var tenant = await _factory.CreateTenantAsync("uploads");
        var visitor = await _factory.OpenVisitorAsync(tenant.Id);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

        var ok = await Upload(visitor.Client, png, "photo.png");
        var fake = await Upload(visitor.Client, Encoding.UTF8.GetBytes("<html><script>alert(1)</script>"), "photo.png");
        var exe = await Upload(visitor.Client, [0x4D, 0x5A, 0, 0], "tool.exe");
        var large = await Upload(visitor.Client, new byte[(1024 * 1024) + 1], "big.pdf");

        var attachment = await ok.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("image/png", (string?)attachment["contentType"]);
        Assert.Equal("file", (string?)(await fake.JsonAsync(HttpStatusCode.BadRequest))["field"]);
        Assert.Equal(HttpStatusCode.BadRequest, exe.StatusCode);
        Assert.True(large.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"got {large.StatusCode}");

        var download = await _factory.CreateClient().GetAsync((string)attachment["url"]!);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var sent = await (await visitor.Client.PostJsonAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages", new { kind = "image", media = attachment })).JsonAsync();
        Assert.NotEqual("0", (string?)sent["messageId"]);
    }

    private static async Task<HttpResponseMessage> Upload(HttpClient client, byte[] content, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), "file", name);
        return await client.PostAsync("/api/v1/uploads", form);
    }
}
