using System.Text.RegularExpressions;
using Kefu.Analytics.Reporting;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kefu.Host.Tests.Browser;

/// <summary>
/// The admin console (wwwroot/admin) in chromium: a tenant administrator finds a conversation in history by its
/// text and reads it, sees it counted on today's dashboard with a chart drawn, gets a setting's validation error at
/// the field; the operator creates a tenant.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminConsoleTests(BrowserHost host)
{
    [Fact]
    public async Task Administrator_FindsAConversation_SeesTheDashboardAndAChart_AndAValidationErrorAtTheField()
    {
        var name = "ui" + Guid.NewGuid().ToString("N")[..8];
        var tenant = await host.Factory.CreateTenantAsync(name);
        var word = "ZQ" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var visitorText = $"我的快递单号 {word} 一直没有更新";
        await ServeOneConversationAsync(tenant, visitorText, "您好，我帮您查询一下物流");

        await using var session = await host.OpenAsync("admin");
        await session.StepAsync("sign in with the tenant from ?tenant=", async page =>
        {
            await page.GotoAsync($"/admin/?tenant={tenant.Id}");
            await Expect(page.Locator("#tenant")).ToHaveValueAsync(HostFactory.S(tenant.Id));
            await page.Locator("#account").FillAsync("admin@" + name);
            await page.Locator("#password").FillAsync("admin-123");
            await page.Locator("#signin-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("#nav a[data-route=history]")).ToBeVisibleAsync();
            await Expect(page.Locator("#who")).ToHaveTextAsync("Admin");
        });

        await session.StepAsync("find the conversation in history by a word of its text and read it", async page =>
        {
            await page.Locator("#nav a[data-route=history]").ClickAsync();
            await page.Locator("input.search-text").FillAsync(word);
            await page.Locator(".area form.toolbar button[type=submit]").ClickAsync();
            var rows = page.Locator(".area table.grid tbody tr.clickable");
            await Expect(rows).ToHaveCountAsync(1);
            await rows.First.Locator("button").ClickAsync();
            var transcript = page.Locator(".transcript");
            await Expect(transcript.Locator(".msg.visitor")).ToHaveTextAsync(new Regex(Regex.Escape(visitorText)));
            await Expect(transcript.Locator(".msg.agent")).ToContainTextAsync("我帮您查询一下物流");
        });

        await session.StepAsync("today's dashboard counts the conversation and draws the trend", async page =>
        {
            await page.Locator("#nav a[data-route=dashboard]").ClickAsync();
            await Expect(page.Locator("[data-stat=conversationsAccepted] .stat-value")).ToHaveTextAsync("1");
            await Expect(page.Locator("[data-stat=visits] .stat-value")).ToHaveTextAsync("1");
            var chart = page.Locator("svg.chart-line").First;
            await Expect(chart).ToBeVisibleAsync();
            await Expect(chart).ToHaveAttributeAsync("data-points", new Regex("^[1-9][0-9]*$"));
            await Expect(chart.Locator("path.series").First).ToHaveAttributeAsync("d", new Regex("^M[0-9.]+,[0-9.]+(L[0-9.]+,[0-9.]+)+$"));
            await Expect(page.Locator(".area table.grid tbody tr").First).ToContainTextAsync(DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        });

        await session.StepAsync("a bad recall window is refused with the error at its field; a good one is saved", async page =>
        {
            await page.Locator("#nav a[data-route=conversation]").ClickAsync();
            var recall = page.Locator("input[name=recallWindow]");
            await recall.FillAsync("1");
            await page.Locator("form.settings-form button[type=submit]").ClickAsync();
            var error = page.Locator(".field[data-field=recallwindow] .field-error");
            await Expect(error).ToBeVisibleAsync();
            await Expect(error).ToContainTextAsync("10 seconds and 10 minutes");
            await Expect(recall).ToHaveClassAsync(new Regex("invalid"));

            await recall.FillAsync("90");
            await page.Locator("form.settings-form button[type=submit]").ClickAsync();
            await Expect(error).ToBeHiddenAsync();
            await Expect(page.Locator("#toasts .toast").Last).ToHaveTextAsync("已保存");
        });

        var settings = await host.Factory.Kefu.Directory.GetSettingsAsync(tenant.Id);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Conversations.RecallWindow);
    }

    [Fact]
    public async Task Operator_SignsIn_AndCreatesATenant()
    {
        await host.Factory.Services.GetRequiredService<OperatorAccounts>().SetAsync("browser-operator", "operator-123");
        var tenantName = "浏览器租户 " + Guid.NewGuid().ToString("N")[..6];

        await using var session = await host.OpenAsync("operator");
        await session.StepAsync("sign in as the operator", async page =>
        {
            await page.GotoAsync("/admin/operator.html");
            await page.Locator("#account").FillAsync("browser-operator");
            await page.Locator("#password").FillAsync("operator-123");
            await page.Locator("#signin-form button[type=submit]").ClickAsync();
            await Expect(page.Locator(".area[data-area=tenants] table.grid")).ToBeVisibleAsync();
        });

        await session.StepAsync("create a tenant with its administrator", async page =>
        {
            await page.Locator(".area .page-head button.primary").ClickAsync();
            var dialog = page.Locator("dialog.dialog");
            await dialog.Locator("[data-field=name] input").FillAsync(tenantName);
            await dialog.Locator("[data-field=account] input").FillAsync("boss@browser");
            await dialog.Locator("[data-field=password] input").FillAsync("boss-1234");
            await dialog.Locator("[data-field='administrator.name'] input").FillAsync("老板");
            await dialog.Locator("button[type=submit]").ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.Locator(".area table.grid tbody tr.selected")).ToContainTextAsync(tenantName);
        });

        var created = (await host.Factory.Kefu.Organisation.ListTenantsAsync()).Single(t => t.Name == tenantName);
        var admin = await host.Factory.Kefu.Directory.AuthenticateAsync(created.Id, "boss@browser", "boss-1234");
        Assert.NotNull(admin);
    }

    /// <summary>A visitor writes, the agent answers and ends; returns when the reports count it.</summary>
    private async Task ServeOneConversationAsync(TestTenant tenant, string visitorText, string agentText)
    {
        var kefu = host.Factory.Kefu;
        await kefu.Conversations.SetStatusAsync(tenant.Id, tenant.AgentId, AgentStatus.Online);
        var conversation = await kefu.Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = "访客" } });
        await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText(visitorText));
        await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Agent(tenant.AgentId), MessageContent.FromText(agentText));
        await kefu.Conversations.EndAsync(tenant.Id, conversation.Id, Participant.Agent(tenant.AgentId));
        await kefu.FlushAsync(tenant.Id);

        // The reporting sink runs after the commit: wait (bounded) until today's figures include the conversation.
        var statistics = host.Factory.Services.GetRequiredService<IServiceStatistics>();
        var offset = TimeZoneInfo.Local.GetUtcOffset(DateTime.Now);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        TodayDashboard today;
        do
        {
            today = await statistics.GetTodayAsync(tenant.Id, offset);
            if (today.Today.ConversationsAccepted == 1)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Today's figures did not count the conversation: {today.Today}");
    }
}
