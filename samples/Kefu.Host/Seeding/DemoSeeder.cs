using System.Globalization;
using System.Text.Json;
using Kefu.Bots;
using Kefu.Host.Infrastructure;
using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Moderation;
using Kefu.Routing;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Host.Seeding;

/// <summary>What the demo seed created, kept in the store (tenant 0, kind <c>host.demo</c>) so every start can print it.</summary>
/// <param name="TenantId">The demo tenant.</param>
/// <param name="Logins">Account and password of each demo sign-in, with its role.</param>
public sealed record DemoInfo(long TenantId, IReadOnlyList<DemoLogin> Logins);

/// <summary>A demo sign-in.</summary>
/// <param name="Role">What the account is.</param>
/// <param name="Account">The account.</param>
/// <param name="Password">The password.</param>
public sealed record DemoLogin(string Role, string Account, string Password);

/// <summary>Holds the demo information once the seed ran or was read back.</summary>
public sealed class DemoState
{
    /// <summary>The demo, when there is one.</summary>
    public DemoInfo? Demo { get; set; }
}

/// <summary>
/// Seeds a demo organisation into an empty store by driving the real engines: an operator, a tenant with an
/// administrator, two agents, a skill group, a web channel, a robot with knowledge rules, quick replies, sensitive
/// words, wrap-up categories, tags, and about two weeks of conversations. The history is written by a second
/// engine on the same store whose clock is moved back day by day, before the host's own engine starts, so the
/// reports, the dashboard's trend and the voice of the customer have data from the first page view.
/// </summary>
public static partial class DemoSeeder
{
    private const string DocumentKind = "host.demo";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The demo sign-ins, as printed.</summary>
    public static IEnumerable<string> Logins(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var demo = services.GetRequiredService<DemoState>().Demo;
        if (demo is null)
        {
            yield return "(no demo tenant: the store was not empty, or Kefu:Host:SeedDemo is false)";
            yield break;
        }

        foreach (var login in demo.Logins)
        {
            var tenant = login.Role == "operator" ? "(no tenant: POST /api/v1/auth/operator/login)" : $"tenantId {demo.TenantId}";
            yield return $"{login.Role,-10} {login.Account,-20} {login.Password,-14} {tenant}";
        }
    }

    /// <summary>Seeds when the store has no tenant; reads back the demo information otherwise.</summary>
    public static async Task SeedIfEmptyAsync(IServiceProvider hostServices, IConfiguration configuration, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(hostServices);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = hostServices.GetRequiredService<IOptions<StorageOptions>>().Value;
        var options = hostServices.GetRequiredService<IOptions<KefuHostOptions>>().Value;
        var state = hostServices.GetRequiredService<DemoState>();

        if (storage.Provider == StorageProvider.InMemory)
        {
            // Nothing is shared with a second engine in memory: seed through the host's own, on the real clock.
            await InitialiseStoreAsync(hostServices);
            if ((await hostServices.GetRequiredService<IKefu>().Organisation.ListTenantsAsync()).Count == 0)
            {
                state.Demo = await SeedAsync(hostServices, clock: null, days: 0, perDay: 0, logger);
            }

            return;
        }

        // A private engine over the same store with a clock it moves itself.
        var clock = new SeedClock(TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(options.SeedDays + 1));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<HostMetrics>();
        services.AddMetrics();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<OperatorAccounts>();
        HostSetup.AddKefuEngines(services, storage, nodeId: configuration.GetValue("Kefu:NodeId", 1) + 1);
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            var documents = provider.GetRequiredService<IConfigurationDocumentStore>();
            var existing = await documents.GetAsync(0, DocumentKind, "demo");
            if ((await provider.GetRequiredService<IKefu>().Organisation.ListTenantsAsync()).Count == 0)
            {
                state.Demo = await SeedAsync(provider, clock, options.SeedDays, options.SeedConversationsPerDay, logger);
                await WaitForSinksAsync(provider, state.Demo.TenantId);
            }
            else if (existing is not null)
            {
                state.Demo = JsonSerializer.Deserialize<DemoInfo>(existing.Content, Json);
            }
        }
        finally
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    private static async Task InitialiseStoreAsync(IServiceProvider services)
    {
        foreach (var service in services.GetServices<IHostedService>().Where(s => s.GetType().Name.EndsWith("StoreInitializer", StringComparison.Ordinal)))
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForSinksAsync(IServiceProvider services, long tenantId)
    {
        // Events stay in the outbox until every sink (reports, voice of the customer, quality, assist) took them.
        var outbox = services.GetRequiredService<IOutboxStore>();
        for (var i = 0; i < 600; i++)
        {
            if ((await outbox.ReadPendingAsync(tenantId, 0, 1)).Count == 0)
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<DemoInfo> SeedAsync(IServiceProvider services, SeedClock? clock, int days, int perDay, ILogger logger)
    {
        var kefu = services.GetRequiredService<IKefu>();
        var logins = new List<DemoLogin>
        {
            new("operator", "operator", "operator-123"),
            new("admin", "admin@demo.kefu", "admin-123"),
            new("agent", "wang@demo.kefu", "agent-123"),
            new("agent", "li@demo.kefu", "agent-123"),
        };

        await services.GetRequiredService<OperatorAccounts>().SetAsync("operator", "operator-123");
        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant
        {
            Name = "演示公司 Demo Co.",
            Administrator = new NewAgent { Account = "admin@demo.kefu", Password = "admin-123", Name = "管理员 Admin", EmployeeNumber = "A001" },
        });
        var t = tenant.Id;
        var d = kefu.Directory;
        var agentRole = await d.AddRoleAsync(t, new RoleDefinition("agent", "客服", [KefuPermissions.ServeConversations, KefuPermissions.ViewHistory, KefuPermissions.ManageCustomers], "Serves conversations"));
        var wang = await d.AddAgentAsync(t, new NewAgent { Account = "wang@demo.kefu", Password = "agent-123", Name = "王芳", Nickname = "小王", EmployeeNumber = "E001", MaxConcurrentChats = 8, RoleIds = [agentRole.Id] });
        var li = await d.AddAgentAsync(t, new NewAgent { Account = "li@demo.kefu", Password = "agent-123", Name = "李明", Nickname = "小李", EmployeeNumber = "E002", MaxConcurrentChats = 8, RoleIds = [agentRole.Id] });
        var group = await d.AddSkillGroupAsync(t, "售后 After-sales");
        await d.ChangeSkillGroupMembersAsync(t, group.Id, [wang.Id, li.Id], []);
        await d.AddChannelAsync(t, ChannelKind.Web, "官网 Website", "website");
        await d.AddChannelAsync(t, ChannelKind.H5, "手机网页 Mobile", "mobile");
        var billing = await d.AddWrapUpCategoryAsync(t, null, "账单问题");
        var refund = await d.AddWrapUpCategoryAsync(t, null, "退款");
        var delivery = await d.AddWrapUpCategoryAsync(t, null, "物流");
        var product = await d.AddWrapUpCategoryAsync(t, null, "产品咨询");
        await d.AddTagAsync(t, TagScope.Session, "投诉");
        await d.AddTagAsync(t, TagScope.Session, "咨询");
        await d.AddTagAsync(t, TagScope.Visitor, "VIP");
        var folder = await d.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "常用 Common");
        await d.AddQuickReplyAsync(t, folder.Id, "您好，请问有什么可以帮您？");
        await d.AddQuickReplyAsync(t, folder.Id, "请稍等，我帮您查询一下。");
        await d.AddQuickReplyAsync(t, folder.Id, "感谢您的耐心等待，还有其他问题吗？");
        await d.UpdateRatingSettingsAsync(t, new RatingSettings { Levels = 5 });

        var robots = services.GetRequiredService<IRobots>();
        var robot = await robots.CreateAsync(t, new Robot { Name = "小K", HandOff = new HandOffSettings { TargetGroupId = group.Id } });
        var knowledge = services.GetRequiredService<IKnowledgeBase>();
        await knowledge.AddRuleAsync(t, robot.Id, new KnowledgeRule { Questions = ["怎么退款", "退款流程是什么", "我想申请退款"], Answer = KnowledgeAnswer.FromText("在“我的订单”中选择订单，点击“申请退款”即可，款项 1–3 个工作日原路退回。"), Keywords = ["退款+多久"] });
        await knowledge.AddRuleAsync(t, robot.Id, new KnowledgeRule { Questions = ["快递到哪了", "怎么查物流", "我的包裹什么时候到"], Answer = KnowledgeAnswer.FromText("在“我的订单”中点击“查看物流”即可看到包裹的实时位置。") });
        await knowledge.AddRuleAsync(t, robot.Id, new KnowledgeRule { Questions = ["怎么开发票", "发票在哪里开", "可以开增值税发票吗"], Answer = KnowledgeAnswer.FromText("订单完成后在“我的订单 → 申请发票”中填写抬头，电子发票会发到您的邮箱。") });
        await knowledge.AddRuleAsync(t, robot.Id, new KnowledgeRule { Questions = ["营业时间", "客服几点上班", "什么时候有人工客服"], Answer = KnowledgeAnswer.FromText("人工客服每天 9:00–21:00 在线。") });
        await knowledge.AddRuleAsync(t, robot.Id, new KnowledgeRule { Questions = ["账单多扣钱了", "重复扣费", "为什么扣了两次钱"], Answer = KnowledgeAnswer.FromText("重复扣费会在 24 小时内自动退回；如未退回，请输入“转人工”。") });

        await services.GetRequiredService<IRoutingRules>().SaveAsync(t, new RoutingConfiguration
        {
            RobotMode = RobotMode.ByRules,
            DefaultRobotId = robot.Id,
            DefaultTarget = RoutingTarget.Group(group.Id),
            Rules = [new RoutingRule { Name = "机器人入口 Robot entry", Entry = "robot", AllDay = RoutingTarget.Robot(robot.Id) }],
            Groups = [new GroupRouting(group.Id, LeastLoadedStrategy.StrategyName)],
        });
        await services.GetRequiredService<ISensitiveWords>().SaveAsync(t, new SensitiveWordSettings
        {
            Mode = SensitiveWordMode.Mask,
            Words = [new SensitiveWord("傻瓜", "辱骂"), new SensitiveWord("笨蛋", "辱骂"), new SensitiveWord("加微信", "引流")],
            AllowList = ["不加微信"],
        });

        var info = new DemoInfo(t, logins);
        if (clock is not null)
        {
            await SeedHistoryAsync(kefu, clock, t, [wang.Id, li.Id], [billing.Id, refund.Id, delivery.Id, product.Id], days, perDay);
        }

        var documents = services.GetRequiredService<IConfigurationDocumentStore>();
        await documents.PutAsync(0, DocumentKind, "demo", JsonSerializer.Serialize(info, Json), 0, (clock as TimeProvider ?? TimeProvider.System).GetUtcNow());
        Log.Seeded(logger, t, days, perDay);
        return info;
    }

    private static readonly (string Question, string Answer, string Closing, int Rating, string? Comment)[] Scripts =
    [
        ("你好，我这个月的账单多扣了一笔钱", "您好，我帮您查一下，已为您退回多扣的 30 元", "好的，谢谢！处理很快", 5, "处理很快"),
        ("我的快递三天了还没到，太慢了", "非常抱歉，物流有延误，我已经帮您催促快递公司", "希望快点吧，有点失望", 3, "物流太慢"),
        ("怎么申请退款？", "在“我的订单”中选择订单，点击“申请退款”即可", "明白了，谢谢", 5, null),
        ("这个产品有没有蓝色的？", "有的，蓝色款目前有货，您可以直接下单", "太好了，很满意", 5, "客服很耐心"),
        ("退款一直没到账，很不满意", "抱歉让您久等，退款已加急处理，预计今天到账", "还是不满意，太慢了", 2, "退款太慢"),
        ("发票怎么开？", "订单完成后在“我的订单 → 申请发票”中填写抬头即可", "好的，明白了", 4, null),
        ("你们客服态度太差了，投诉！", "非常抱歉给您带来不好的体验，我马上为您处理", "算了吧", 1, "态度差"),
        ("小米粒手机壳什么时候补货？", "预计下周三补货，到货后会短信通知您", "好的，谢谢，期待", 4, null),
    ];

    private static async Task SeedHistoryAsync(IKefu kefu, SeedClock clock, long t, long[] agents, long[] problems, int days, int perDay)
    {
        var c = kefu.Conversations;
        var todayStart = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var n = 0;
        for (var day = days; day >= 0; day--)
        {
            var dayStart = todayStart.AddDays(-day).AddHours(1);
            var conversations = day == 0 ? Math.Min(perDay, 4) : perDay - (day % 3);
            var spacing = day == 0
                ? TimeSpan.FromMinutes(Math.Max(1, (TimeProvider.System.GetUtcNow() - todayStart).TotalMinutes / (conversations + 2)))
                : TimeSpan.FromMinutes(40);
            if (day == 0)
            {
                dayStart = todayStart;
            }

            clock.MoveTo(dayStart);
            foreach (var agent in agents)
            {
                await c.SetStatusAsync(t, agent, AgentStatus.Online);
            }

            for (var i = 0; i < conversations; i++, n++)
            {
                clock.MoveTo(dayStart + (spacing * (i + 1)));
                var script = Scripts[n % Scripts.Length];
                var conversation = await c.OpenAsync(t, new ConversationRequest
                {
                    Visitor = new VisitorProfile { Name = string.Create(CultureInfo.InvariantCulture, $"访客 {10000 + n}"), Phone = string.Create(CultureInfo.InvariantCulture, $"1350000{n % 10000:0000}") },
                    ChannelKind = n % 4 == 0 ? ChannelKind.H5 : ChannelKind.Web,
                });
                var current = await c.GetAsync(t, conversation.Id);
                if (current.AgentId is not { } agentId)
                {
                    continue;
                }

                var visitor = Participant.Visitor(conversation.VisitorId);
                var agent = Participant.Agent(agentId);
                await Step(clock, c.SendAsync(t, conversation.Id, visitor, MessageContent.FromText(script.Question), "v1"));
                await Step(clock, c.SendAsync(t, conversation.Id, agent, MessageContent.FromText("您好，请稍等，我帮您查询一下"), "a1"));
                await Step(clock, c.SendAsync(t, conversation.Id, agent, MessageContent.FromText(script.Answer), "a2"));
                await Step(clock, c.SendAsync(t, conversation.Id, visitor, MessageContent.FromText(script.Closing), "v2"));
                clock.Advance(TimeSpan.FromSeconds(20));
                await c.EndAsync(t, conversation.Id, agent);
                if (n % 5 != 4)
                {
                    await c.RateAsync(t, conversation.Id, conversation.VisitorId, new RatingInput(script.Rating, Comment: script.Comment));
                }

                await c.SubmitWrapUpAsync(t, conversation.Id, agentId, new WrapUpInput(problems[n % problems.Length], Resolved: script.Rating >= 3, Detail: script.Question));
            }

            if (day > 0)
            {
                clock.MoveTo(dayStart + (spacing * (conversations + 2)));
                foreach (var agent in agents)
                {
                    await c.SetStatusAsync(t, agent, AgentStatus.Offline);
                }
            }
        }

        // The host starts with the agents offline: they go online when they sign in.
        foreach (var agent in agents)
        {
            await c.SetStatusAsync(t, agent, AgentStatus.Offline);
        }

        await kefu.FlushAsync(t);
    }

    private static async Task Step(SeedClock clock, ValueTask<SendResult> send)
    {
        await send;
        clock.Advance(TimeSpan.FromSeconds(25));
    }

    /// <summary>A clock the seed moves by hand; it never goes back and never passes the real time.</summary>
    private sealed class SeedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_gate)
            {
                return _now;
            }
        }

        public void MoveTo(DateTimeOffset at)
        {
            lock (_gate)
            {
                var real = System.GetUtcNow();
                at = at > real ? real : at;
                _now = at > _now ? at : _now.AddMilliseconds(1);
            }
        }

        public void Advance(TimeSpan by) => MoveTo(GetUtcNow() + by);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo tenant {TenantId} with {Days} days of history ({PerDay} conversations a day)")]
        public static partial void Seeded(ILogger logger, long tenantId, int days, int perDay);
    }
}
