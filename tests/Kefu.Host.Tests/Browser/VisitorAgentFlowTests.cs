using System.Globalization;
using Kefu.Bots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kefu.Host.Tests.Browser;

/// <summary>
/// The visitor widget and the agent workbench in chromium, against the host on a loopback port: every step asserts
/// what a person would see on the screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class VisitorAgentFlowTests(BrowserHost host)
{
    private const string QuickReply = "请稍等，我帮您查询一下。";
    private const string RuleAnswer = "重复扣费会在 24 小时内自动退回。";

    [Fact]
    public async Task AVisitorQueues_AnAgentServesAndTransfers_TheVisitorRates()
    {
        var tenant = await host.Factory.CreateTenantAsync("flow");
        await PrepareAsync(tenant);
        await using var visitor = await host.OpenAsync("visitor");
        await using var wang = await host.OpenAsync("wang");
        await using var li = await host.OpenAsync("li");
        var v = visitor.Page;

        await visitor.StepAsync("the visitor opens the widget and waits in the queue", async page =>
        {
            await page.GotoAsync($"/visitor/?tenant={S(tenant.Id)}");
            await Expect(page.Locator("#queue-banner")).ToContainTextAsync("您前面还有 0 人");
            await Expect(page.Locator("#status")).ToHaveTextAsync("排队中");
            await ShotAsync(page, "visitor-queued");
        });

        await wang.StepAsync("the agent signs in and sees the visitor in the queue", async page =>
        {
            await SignInAsync(page, tenant, "wang@flow");
            await Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
            await page.Locator(".lists .tab[data-tab=queue]").ClickAsync();
            await Expect(page.Locator("#list-queue .queue-item")).ToHaveCountAsync(1);
            await Expect(page.Locator("#presence")).ToHaveValueAsync("offline");
            await ShotAsync(page, "agent-queue");
        });

        await wang.StepAsync("going online, the agent receives the conversation", async page =>
        {
            await page.Locator("#presence").SelectOptionAsync("online");
            await Expect(page.Locator("#list-queue .list-empty")).ToBeVisibleAsync();
            await page.Locator(".lists .tab[data-tab=mine]").ClickAsync();
            await Expect(page.Locator("#list-mine .item")).ToHaveCountAsync(1);
            await page.Locator("#list-mine .item").ClickAsync();
            await Expect(page.Locator("#chat-sub")).ToContainTextAsync("接待中");
        });

        await visitor.StepAsync("the visitor sees the agent join", async page =>
        {
            await Expect(page.Locator("#queue-banner")).ToBeHiddenAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("客服 王芳 为您服务");
        });

        await visitor.StepAsync("the visitor asks a question", async page =>
        {
            await page.Locator("#input").FillAsync("我被重复扣费了");
            await page.Locator("#input").PressAsync("Enter");
            await Expect(page.Locator("#messages .row.mine .bubble").Last).ToHaveTextAsync("我被重复扣费了");
        });

        await wang.StepAsync("the agent sees the question and the visitor's typing preview", async page =>
        {
            await Expect(page.Locator("#chat-messages .row.theirs .bubble").Last).ToHaveTextAsync("我被重复扣费了");
            await v.Locator("#input").PressSequentiallyAsync("还有一个问题");
            await Expect(page.Locator("#visitor-typing")).ToContainTextAsync("还有一个问题");
            await v.Locator("#input").FillAsync("");
        });

        await wang.StepAsync("the agent answers", async page =>
        {
            await page.Locator("#chat-input").FillAsync("您好，我来帮您看看");
            await page.Locator("#chat-input").PressAsync("Enter");
            await Expect(page.Locator("#chat-messages .row.mine .bubble").Last).ToHaveTextAsync("您好，我来帮您看看");
        });

        await visitor.StepAsync("the visitor sees the answer and that the agent read the question", async page =>
        {
            await Expect(page.Locator("#messages .row.theirs .bubble").Last).ToHaveTextAsync("您好，我来帮您看看");
            await Expect(page.Locator("#messages .row.mine .receipt").First).ToHaveTextAsync("已读");
        });

        await wang.StepAsync("the agent sends a quick reply", async page =>
        {
            await page.Locator(".side .tab[data-side=quick]").ClickAsync();
            var item = page.Locator(".quick-item", new() { HasText = QuickReply });
            await item.Locator(".quick-send").ClickAsync();
            await Expect(page.Locator("#chat-messages .row.mine .bubble").Last).ToHaveTextAsync(QuickReply);
            await Expect(v.Locator("#messages .row.theirs .bubble").Last).ToHaveTextAsync(QuickReply);
        });

        await wang.StepAsync("the agent sends an assist suggestion", async page =>
        {
            var suggestion = page.Locator("#assist-list .suggestion", new() { HasText = RuleAnswer });
            await Expect(suggestion).ToBeVisibleAsync();
            await suggestion.ClickAsync();
            await Expect(page.Locator("#chat-messages .row.mine .bubble").Last).ToHaveTextAsync(RuleAnswer);
            await Expect(v.Locator("#messages .row.theirs .bubble").Last).ToHaveTextAsync(RuleAnswer);
            await Expect(page.Locator("#assist")).ToBeHiddenAsync();
            await ShotAsync(page, "agent-chat");
            await ShotAsync(v, "visitor-chat");
        });

        await li.StepAsync("the second agent signs in and goes online", async page =>
        {
            await SignInAsync(page, tenant, "li@flow");
            await page.Locator("#presence").SelectOptionAsync("online");
            await Expect(page.Locator("#presence-dot")).ToHaveAttributeAsync("data-status", "online");
        });

        await wang.StepAsync("the agent transfers the conversation to the second agent", async page =>
        {
            await page.Locator("#transfer-button").ClickAsync();
            await page.Locator("#transfer-agent").SelectOptionAsync(S(tenant.SecondAgentId));
            await page.Locator("#transfer-note").FillAsync("账单问题");
            await page.Locator("#transfer-submit").ClickAsync();
            await Expect(page.Locator("#offer-banner")).ToContainTextAsync("等待 李明 接受转接");
        });

        await li.StepAsync("the second agent accepts the transfer", async page =>
        {
            await Expect(page.Locator("#list-mine .item")).ToHaveCountAsync(1);
            await Expect(page.Locator("#list-mine .item")).ToContainTextAsync("等待您接受");
            await page.Locator("#list-mine .item").ClickAsync();
            await Expect(page.Locator("#offer-banner")).ToContainTextAsync("王芳 请求将会话转接给您");
            await ShotAsync(page, "agent-transfer-offer");
            await page.Locator("#offer-accept").ClickAsync();
            await Expect(page.Locator("#offer-banner")).ToBeHiddenAsync();
            await Expect(page.Locator("#chat-messages")).ToContainTextAsync("我被重复扣费了");
        });

        await wang.StepAsync("the conversation leaves the first agent's list", async page =>
            await Expect(page.Locator("#list-mine .item")).ToHaveCountAsync(0));

        await visitor.StepAsync("the visitor is told of the new agent", async page =>
            await Expect(page.Locator("#status")).ToHaveTextAsync("客服 李明 为您服务"));

        await li.StepAsync("the second agent ends the conversation", async page =>
        {
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.Locator("#end-button").ClickAsync();
            await Expect(page.Locator("#chat-sub")).ToContainTextAsync("已结束");
        });

        await visitor.StepAsync("the visitor rates the conversation", async page =>
        {
            await Expect(page.Locator("#rating-dialog")).ToBeVisibleAsync();
            await page.Locator("#rating-levels .level[data-level='5']").ClickAsync();
            await page.Locator("#rating-comment").FillAsync("很耐心");
            await ShotAsync(page, "visitor-rating");
            await page.Locator("#rating-submit").ClickAsync();
            await Expect(page.Locator("#rating-dialog")).ToBeHiddenAsync();
            await Expect(page.Locator("#rating-result")).ToContainTextAsync("感谢您的评价：非常满意");
            await Expect(page.Locator("#ended")).ToBeVisibleAsync();
        });

        await li.StepAsync("the agent sees the rating", async page =>
            await Expect(page.Locator("#agent-rating")).ToContainTextAsync("★★★★★ 很耐心"));

        await li.StepAsync("the agent wraps up", async page =>
        {
            await page.Locator(".side .tab[data-side=wrapup]").ClickAsync();
            await Expect(page.Locator("#wrapup-category option")).ToHaveCountAsync(1);
            await page.Locator("#wrapup-detail").FillAsync("重复扣费");
            await page.Locator("#wrapup-draft").ClickAsync();
            await Expect(page.Locator("#wrapup-status")).ToContainTextAsync("草稿已保存");
            await ShotAsync(page, "agent-ended");
        });

        // The administrator finds the same conversation in history and counted on today's dashboard.
        await WaitForTodaysFiguresAsync(tenant.Id);
        await using var admin = await host.OpenAsync("admin");
        await admin.StepAsync("the administrator signs in to the console", async page =>
        {
            await page.GotoAsync($"/admin/?tenant={tenant.Id}");
            await page.Locator("#account").FillAsync("admin@" + tenant.Name);
            await page.Locator("#password").FillAsync("admin-123");
            await page.Locator("#signin-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("#nav a[data-route=history]")).ToBeVisibleAsync();
        });

        await admin.StepAsync("the administrator finds the conversation in history and reads it", async page =>
        {
            await page.Locator("#nav a[data-route=history]").ClickAsync();
            await page.Locator("input.search-text").FillAsync("重复扣费");
            await page.Locator(".area form.toolbar button[type=submit]").ClickAsync();
            var rows = page.Locator(".area table.grid tbody tr.clickable");
            await Expect(rows).ToHaveCountAsync(1);
            await rows.First.Locator("button").ClickAsync();
            await Expect(page.Locator(".transcript .msg.visitor").First).ToContainTextAsync("我被重复扣费了");
            await Expect(page.Locator(".transcript")).ToContainTextAsync(QuickReply);
        });

        await admin.StepAsync("today's dashboard counts the conversation", async page =>
        {
            await page.Locator("#nav a[data-route=dashboard]").ClickAsync();
            await Expect(page.Locator("[data-stat=conversationsAccepted] .stat-value")).ToHaveTextAsync("1");
            await Expect(page.Locator("svg.chart-line").First).ToBeVisibleAsync();
        });
    }

    /// <summary>The reporting sink runs after the commit: waits (bounded) until today's figures count the conversation.</summary>
    private async Task WaitForTodaysFiguresAsync(long tenantId)
    {
        var statistics = host.Factory.Services.GetRequiredService<Kefu.Analytics.Reporting.IServiceStatistics>();
        var offset = TimeZoneInfo.Local.GetUtcOffset(DateTime.Now);
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if ((await statistics.GetTodayAsync(tenantId, offset)).Today.ConversationsAccepted == 1)
            {
                return;
            }
        }

        Assert.Fail("Today's figures did not count the conversation within 20 s.");
    }

    [Fact]
    public async Task AScriptMessage_ShowsAsText_OnBothSides()
    {
        var tenant = await host.Factory.CreateTenantAsync("script");
        const string Script = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        await using var visitor = await host.OpenAsync("script-visitor");
        await using var agent = await host.OpenAsync("script-agent");
        var dialogs = 0;
        visitor.Page.Dialog += (_, _) => dialogs++;
        agent.Page.Dialog += (_, _) => dialogs++;

        await visitor.StepAsync("the visitor sends markup", async page =>
        {
            await page.GotoAsync($"/visitor/?tenant={S(tenant.Id)}");
            await Expect(page.Locator("#queue-banner")).ToBeVisibleAsync();
            await page.Locator("#input").FillAsync(Script);
            await page.Locator("#send-button").ClickAsync();
            await Expect(page.Locator("#messages .row.mine:not(.pending) .bubble")).ToHaveTextAsync(Script);
            await Expect(page.Locator("#messages script, #messages img")).ToHaveCountAsync(0);
        });

        await agent.StepAsync("the agent sees the same characters", async page =>
        {
            await SignInAsync(page, tenant, "wang@script");
            await page.Locator("#presence").SelectOptionAsync("online");
            await page.Locator("#list-mine .item").ClickAsync();
            await Expect(page.Locator("#chat-messages .row.theirs .bubble")).ToHaveTextAsync(Script);
            await Expect(page.Locator("#chat-messages script, #chat-messages img")).ToHaveCountAsync(0);
            await Expect(page.Locator("#list-mine .item-preview")).ToHaveTextAsync(Script);
        });

        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task TheH5Widget_FillsAPhoneScreen_AndResumesAfterAReload()
    {
        var tenant = await host.Factory.CreateTenantAsync("h5");
        await using var visitor = await host.OpenAsync("h5", mobile: true);

        await visitor.StepAsync("the widget fills the 375 × 667 screen", async page =>
        {
            await page.GotoAsync($"/visitor/?tenant={S(tenant.Id)}&channel=");
            await Expect(page.Locator("#queue-banner")).ToContainTextAsync("您前面还有 0 人");
            var box = await page.Locator("#widget").BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.Equal(375, box.Width, 1);
            Assert.Equal(667, box.Height, 1);
            await Expect(page.Locator("#send-button")).ToBeInViewportAsync();
        });

        await visitor.StepAsync("a message is sent from the phone", async page =>
        {
            await page.Locator("#input").FillAsync("手机上的问题");
            await page.Locator("#send-button").TapAsync();
            await Expect(page.Locator("#messages .row.mine:not(.pending) .bubble")).ToHaveTextAsync("手机上的问题");
        });

        await visitor.StepAsync("a reload resumes the same conversation", async page =>
        {
            var before = await page.EvaluateAsync<string>("() => localStorage.getItem('kefu.visitor." + S(tenant.Id) + "')");
            await page.ReloadAsync();
            await Expect(page.Locator("#messages .row.mine .bubble")).ToHaveTextAsync("手机上的问题");
            await Expect(page.Locator("#queue-banner")).ToContainTextAsync("您前面还有 0 人");
            Assert.Equal(before, await page.EvaluateAsync<string>("() => localStorage.getItem('kefu.visitor." + S(tenant.Id) + "')"));
        });

        await visitor.StepAsync("the language switch shows English", async page =>
        {
            await page.Locator("#lang-button").TapAsync();
            await Expect(page.Locator("#queue-banner")).ToContainTextAsync("0 ahead of you");
            await Expect(page.Locator("#send-button")).ToHaveTextAsync("Send");
            await ShotAsync(page, "visitor-h5-en");
        });
    }

    /// <summary>A team quick reply and a robot rule that assist suggests for double charges.</summary>
    private static async Task PrepareAsync(TestTenant tenant)
    {
        // Through the engines: the factory's HTTP clients do not reach a host on Kestrel.
        var directory = tenant.Factory.Kefu.Directory;
        var folder = await directory.AddQuickReplyFolderAsync(tenant.Id, Kefu.Model.QuickReplyLibrary.Public, null, "常用");
        await directory.AddQuickReplyAsync(tenant.Id, folder.Id, QuickReply);
        var services = tenant.Factory.Services;
        var robot = await services.GetRequiredService<IRobots>().CreateAsync(tenant.Id, new Robot { Name = "小K" });
        await services.GetRequiredService<IKnowledgeBase>().AddRuleAsync(tenant.Id, robot.Id, new KnowledgeRule
        {
            Questions = ["重复扣费", "为什么扣了两次钱", "被重复扣费了"],
            Answer = KnowledgeAnswer.FromText(RuleAnswer),
        });
    }

    private static async Task SignInAsync(IPage page, TestTenant tenant, string account)
    {
        await page.GotoAsync($"/agent/?tenant={S(tenant.Id)}");
        await Expect(page.Locator("#signin-tenant")).ToHaveValueAsync(S(tenant.Id));
        await page.Locator("#signin-account").FillAsync(account);
        await page.Locator("#signin-password").FillAsync("agent-123");
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("#app")).ToBeVisibleAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "open");
    }

    private static string S(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps a screenshot for people to look at when KEFU_PAGE_SHOTS names a directory.</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEFU_PAGE_SHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png") });
        }
    }
}
