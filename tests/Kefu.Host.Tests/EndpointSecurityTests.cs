using System.Globalization;
using Xunit.Abstractions;
using System.Net;
using System.Text;
using System.Text.Json;
using Kefu.Analytics.Reporting;
using Kefu.Bots;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Host.Tests;

/// <summary>
/// Every endpoint the host maps, found in its <see cref="EndpointDataSource"/>: a caller of the same tenant without
/// the endpoint's permission gets 403, and a caller of another tenant holding every permission gets 404 for every
/// id of this tenant in the route; and this tenant is unchanged afterwards.
/// </summary>
public sealed class EndpointSecurityTests : IClassFixture<HostFactory>
{
    private const string CommonQuery = "version=1&format=csv&from=2026-01-01&to=2026-01-02";
    private static readonly string[] SelfService = ["/api/v1/auth/me", "/api/v1/auth/logout", "/api/v1/auth/antiforgery", "/api/v1/auth/password"];
    private readonly HostFactory _factory;
    private readonly ITestOutputHelper _output;

    public EndpointSecurityTests(HostFactory factory, ITestOutputHelper output)
    {
        _factory = factory;
        _output = output;
    }

    [Fact]
    public async Task EveryEndpoint_RefusesCallersWithoutItsPermission_AndHidesOtherTenantsData_ChangingNothing()
    {
        var a = await SeedAsync("tenant-a");
        var b = await _factory.CreateTenantAsync("tenant-b");
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 100, $"only {endpoints.Count} endpoints");
        var before = await SnapshotAsync(a);

        var noPermission = a.Tenant.NoPermission();
        var otherTenant = await b.AdminSessionAsync();
        var otherVisitor = await _factory.OpenVisitorAsync(b.Id);
        var failures = new List<string>();
        var checkedForbidden = 0;
        var checkedNotFound = 0;

        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(d => d.Policy).Where(p => p is not null).ToList();
            var inlinePolicy = endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null;
            if (anonymous)
            {
                continue;
            }

            if (policies.Count == 0 && !inlinePolicy)
            {
                failures.Add($"{pattern}: no authorization policy");
                continue;
            }

            var policy = policies.LastOrDefault();
            foreach (var method in methods)
            {
                var url = Fill(pattern, a) + "?" + CommonQuery;

                // 1. Same tenant, no permission.
                if (policy is not null && policy.StartsWith("perm:", StringComparison.Ordinal))
                {
                    var refused = await SendAsync(noPermission, method, url, endpoint, a);
                    checkedForbidden++;
                    if (refused.StatusCode != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{method} {pattern} without permission: {(int)refused.StatusCode}");
                    }
                }
                else if (policy == HostPermissions.Visitor)
                {
                    var refused = await SendAsync(noPermission, method, url, endpoint, a);
                    checkedForbidden++;
                    if (refused.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                    {
                        failures.Add($"{method} {pattern} as a server instead of the visitor: {(int)refused.StatusCode}");
                    }
                }
                else if (policy == HostPermissions.SignedIn && !SelfService.Contains(pattern))
                {
                    failures.Add($"{pattern}: only signed-in, no permission");
                }

                // 2. Another tenant, every permission, this tenant's ids.
                var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
                if (parameters.Count == 0 || parameters.Contains("word") || policy == Policy(HostPermissions.ManageOrganisation) || pattern.StartsWith("/api/v1/uploads", StringComparison.Ordinal))
                {
                    continue;
                }

                var caller = policy == HostPermissions.Visitor ? otherVisitor.Client : otherTenant.Client;
                var hidden = await SendAsync(caller, method, url, endpoint, a);
                checkedNotFound++;
                if (hidden.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add($"{method} {pattern} from another tenant: {(int)hidden.StatusCode} {await hidden.Content.ReadAsStringAsync()}");
                }
            }
        }

        _output.WriteLine($"{endpoints.Count} endpoints; 403 checked on {checkedForbidden}, 404 from another tenant on {checkedNotFound}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedForbidden > 100, $"403 checked on {checkedForbidden} endpoints");
        Assert.True(checkedNotFound > 50, $"404 checked on {checkedNotFound} endpoints");
        var after = await SnapshotAsync(a);
        Assert.Equal(before, after);
    }

    private static string Policy(string permission) => HostPermissions.Policy(permission);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, RouteEndpoint endpoint, Seeded a)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            if (accepts?.ContentTypes.Any(t => t.StartsWith("multipart", StringComparison.Ordinal)) == true || endpoint.RoutePattern.RawText!.EndsWith("import", StringComparison.Ordinal))
            {
                var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("问题,答案\n")), "file", "rules.csv" } };
                request.Content = form;
            }
            else
            {
                request.Content = new StringContent(Body(accepts?.RequestType, a), Encoding.UTF8, "application/json");
            }
        }

        return await client.SendAsync(request);
    }

    private static string Body(Type? type, Seeded a) => type?.Name switch
    {
        null => "{}",
        "DepartmentBody" or "NameBody" or "Robot" or "VisitorProfile" => """{"name":"X"}""",
        "RoleDefinition" => """{"code":"x","name":"X","permissions":[]}""",
        "EnabledBody" => """{"enabled":false}""",
        "AgentProfile" => """{"name":"X","employeeNumber":"E77"}""",
        "ResetPasswordBody" => """{"newPassword":"changed-123"}""",
        "MembersBody" => """{"add":[],"remove":[]}""",
        "ChannelBody" => """{"kind":"web","name":"X","accessCode":"x_code"}""",
        "MoveBody" => """{"by":1}""",
        "QuickReplyBody" => $$"""{"folderId":"{{a.FolderId}}","text":"X"}""",
        "KnowledgeRule" => """{"questions":["q?"],"answer":{"kind":"text","text":"a"}}""",
        "QuestionBody" => """{"question":"怎么退款"}""",
        "KnowledgeAnswer" => """{"kind":"text","text":"a"}""",
        "SendBody" => """{"text":"hello"}""",
        "ReadBody" => $$"""{"upToMessageId":"{{a.MessageId}}"}""",
        "TransferBody" => $$"""{"toAgentId":"{{a.Tenant.SecondAgentId}}"}""",
        "AnswerBody" => """{"accept":true}""",
        "WrapUpInput" => $$"""{"problemTypeId":"{{a.CategoryId}}","resolved":true}""",
        "SessionTagsBody" => """{"tagIds":[]}""",
        "TicketBody" => """{"title":"X"}""",
        "AssistFeedback" => """{"suggestionKey":"k","action":"picked"}""",
        "HoldBody" => """{"hold":true}""",
        "RecordingBody" => """{"url":"https://example.com/r.mp3"}""",
        "CallBody" => """{"media":"voice"}""",
        "RatingInput" => """{"level":5}""",
        "TypingBody" => """{"text":"x"}""",
        _ => "{}",
    };

    private static string Fill(string pattern, Seeded a)
    {
        var segments = pattern.Split('/');
        var area = segments.Length > 3 ? segments[3] : string.Empty;
        var result = new StringBuilder();
        foreach (var segment in segments.Skip(1))
        {
            result.Append('/');
            if (!segment.StartsWith('{'))
            {
                result.Append(segment);
                continue;
            }

            var name = segment.Trim('{', '}').Split(':')[0];
            var value = name switch
            {
                "conversationId" => a.ConversationId,
                "visitorId" => a.VisitorId,
                "ruleId" => a.RuleId,
                "messageId" => a.MessageId,
                "quickReplyId" => a.QuickReplyId,
                "tagId" => a.VisitorTagId,
                "groupKey" => 1,
                "tenantId" => a.Tenant.Id,
                "name" => -1,
                _ => area switch
                {
                    "departments" => a.DepartmentId,
                    "roles" => a.Tenant.AgentRoleId,
                    "agents" => a.Tenant.SecondAgentId,
                    "groups" => a.GroupId,
                    "channels" => a.ChannelId,
                    "associations" => a.AssociationId,
                    "tags" => a.VisitorTagId,
                    "wrap-up-categories" => a.CategoryId,
                    "quick-reply-folders" => a.FolderId,
                    "quick-replies" => a.QuickReplyId,
                    "robots" => a.RobotId,
                    "api-keys" => a.ApiKeyId,
                    "customers" => a.VisitorId,
                    _ => a.ConversationId,
                },
            };
            result.Append(value == -1 ? "weekly" : value.ToString(CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }

    private async Task<Seeded> SeedAsync(string name)
    {
        var tenant = await _factory.CreateTenantAsync(name);
        var kefu = _factory.Kefu;
        var t = tenant.Id;
        var d = kefu.Directory;
        var department = await d.AddDepartmentAsync(t, null, "客服部");
        var group = await d.AddSkillGroupAsync(t, "售后");
        var channel = await d.AddChannelAsync(t, ChannelKind.Web, "官网", "website");
        var association = await d.AddAssociationAsync(t, channel.Id, "主站");
        var visitorTag = await d.AddTagAsync(t, TagScope.Visitor, "VIP");
        var category = await d.AddWrapUpCategoryAsync(t, null, "账单");
        var folder = await d.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "常用");
        var quick = await d.AddQuickReplyAsync(t, folder.Id, "您好");
        var robot = await _factory.Services.GetRequiredService<IRobots>().CreateAsync(t, new Robot { Name = "小K" });
        var rule = await _factory.Services.GetRequiredService<IKnowledgeBase>().AddRuleAsync(t, robot.Id, new KnowledgeRule { Questions = ["怎么退款"], Answer = KnowledgeAnswer.FromText("申请退款") });
        await _factory.Services.GetRequiredService<IReports>().SaveAsync(t, new ReportDefinition { Name = "weekly", Metrics = ["conversations"], Days = 7 });
        var key = (await _factory.Services.GetRequiredService<ApiKeyStore>().ListAsync(t)).First();
        await kefu.Conversations.SetStatusAsync(t, tenant.AgentId, AgentStatus.Online);
        var conversation = await kefu.Conversations.OpenAsync(t, new ConversationRequest { Visitor = new VisitorProfile { Name = "访客甲" } });
        await kefu.Conversations.SendAsync(t, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("你好"));
        var reply = await kefu.Conversations.SendAsync(t, conversation.Id, Participant.Agent(tenant.AgentId), MessageContent.FromText("您好"));
        return new Seeded(tenant, department.Id, group.Id, channel.Id, association.Id, visitorTag.Id, category.Id, folder.Id, quick.Id, robot.Id, rule.Id, key.Id, conversation.Id, conversation.VisitorId, reply.MessageId);
    }

    private async Task<string> SnapshotAsync(Seeded a)
    {
        var api = a.Tenant.Admin();
        var paths = new[]
        {
            "departments", "roles", "agents", "groups", "channels", "associations", "tags", "wrap-up-categories", "quick-reply-folders", "quick-replies",
            "robots", $"robots/{a.RobotId}/rules", "routing", "sensitive-words", "settings", "history?pageSize=100", "customers?pageSize=100",
            "api-keys", "reports/saved", "quality/rules", "voice/vocabulary", $"history/{a.ConversationId}", $"history/{a.ConversationId}/messages",
        };
        var snapshot = new StringBuilder();
        foreach (var path in paths)
        {
            var response = await api.GetAsync("/api/v1/" + path);
            snapshot.Append(path).Append(" => ").Append((int)response.StatusCode).Append(' ').AppendLine(await response.Content.ReadAsStringAsync());
        }

        snapshot.AppendLine(JsonSerializer.Serialize(await _factory.Kefu.Conversations.ListPresenceAsync(a.Tenant.Id)));
        return snapshot.ToString();
    }

    private sealed record Seeded(
        TestTenant Tenant, long DepartmentId, long GroupId, long ChannelId, long AssociationId, long VisitorTagId, long CategoryId, long FolderId,
        long QuickReplyId, long RobotId, long RuleId, long ApiKeyId, long ConversationId, long VisitorId, long MessageId);
}
