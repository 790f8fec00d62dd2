using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Kefu.Bots.Assist;
using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Bots.Tests.Assist;

/// <summary>
/// An in-memory <see cref="IBotCatalog"/> for any tenant: robots and rules as given, indexes built at once. Stands in
/// for the knowledge part's catalog so these tests depend on nothing but agent assist.
/// </summary>
internal sealed class AssistCatalog : IBotCatalog
{
    private readonly NgramQuestionMatcher _matcher = new();
    private readonly Dictionary<long, Robot> _robots = [];
    private readonly Dictionary<long, KnowledgeRule> _rules = [];
    private readonly Dictionary<long, KnowledgeIndex> _indexes = [];

    public void Add(long robotId, params KnowledgeRule[] rules)
    {
        _robots[robotId] = new Robot { Id = robotId, Name = $"Robot {robotId}", Version = 1 };
        foreach (var rule in rules)
        {
            _rules[rule.Id] = rule with { RobotId = robotId, Version = 1 };
        }

        _indexes[robotId] = KnowledgeIndex.Build(_rules.Values.Where(r => r.RobotId == robotId), _matcher);
    }

    public ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public bool TryGetRobot(long tenantId, long robotId, [NotNullWhen(true)] out Robot? robot) => _robots.TryGetValue(robotId, out robot);

    public IReadOnlyList<Robot> RobotsOf(long tenantId) => [.. _robots.Values.OrderBy(r => r.Id)];

    public bool TryGetRule(long tenantId, long ruleId, [NotNullWhen(true)] out KnowledgeRule? rule) => _rules.TryGetValue(ruleId, out rule);

    public IReadOnlyList<KnowledgeRule> RulesOf(long tenantId, long robotId) => [.. _rules.Values.Where(r => r.RobotId == robotId).OrderBy(r => r.Id)];

    public KnowledgeIndex IndexOf(long tenantId, long robotId) => _indexes.GetValueOrDefault(robotId) ?? KnowledgeIndex.Empty;

    public Task WhenIndexedAsync(long tenantId, long robotId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>A small shop's knowledge rules.</summary>
internal static class Shop
{
    public const long RobotId = 7;
    public const long OtherRobotId = 8;
    public const long RefundRuleId = 101;
    public const long ShippingRuleId = 102;
    public const long AddressRuleId = 103;
    public const long InvoiceRuleId = 104;
    public const long MenuRuleId = 105;

    public const string RefundRule = "退款将在3-5个工作日内原路退回。";
    public const string ShippingRule = "全场满99元包邮，不满收取8元运费。";
    public const string AddressRule = "在订单详情页点击“修改地址”即可。";
    public const string InvoiceRule = "在订单详情页申请电子发票，1个工作日内发到您的邮箱。";

    public static KnowledgeRule[] Rules() =>
    [
        new() { Id = RefundRuleId, Questions = ["退款多久到账", "退款要多长时间", "钱什么时候退回来"], Answer = KnowledgeAnswer.FromText(RefundRule) },
        new() { Id = ShippingRuleId, Questions = ["运费怎么算", "邮费多少钱", "包邮吗"], Answer = KnowledgeAnswer.FromText(ShippingRule) },
        new() { Id = AddressRuleId, Questions = ["怎么修改收货地址", "收货地址填错了怎么办"], Answer = KnowledgeAnswer.FromText(AddressRule) },
        new() { Id = InvoiceRuleId, Questions = ["怎么开发票", "如何开具发票"], Answer = KnowledgeAnswer.FromText(InvoiceRule) },
        new() { Id = MenuRuleId, Questions = ["营业时间"], Answer = new KnowledgeAnswer(AnswerKind.Menu, "请选择：", MenuId: 1) },
    ];
}

/// <summary>The engine with Kefu.Bots on a fake clock, one agent online, and helpers to talk, close and wait for mining.</summary>
internal sealed class AssistHarness : IAsyncDisposable
{
    private Agent? _agent;

    private AssistHarness(KefuTestHarness h, AssistCatalog catalog)
    {
        H = h;
        Catalog = catalog;
    }

    public KefuTestHarness H { get; }

    public AssistCatalog Catalog { get; }

    public long TenantId => H.TenantId;

    public IAgentAssist Assist => H.Services.GetRequiredService<IAgentAssist>();

    public AssistState State => H.Services.GetRequiredService<AssistState>();

    public AssistMiningSink Sink => H.Services.GetServices<Kefu.Transport.IEventSink>().OfType<AssistMiningSink>().Single();

    public static async Task<AssistHarness> StartAsync(Action<AgentAssistOptions>? options = null, bool withRules = true)
    {
        var catalog = new AssistCatalog();
        if (withRules)
        {
            catalog.Add(Shop.RobotId, Shop.Rules());
        }

        var h = await KefuTestHarness.StartAsync(build: b => Register(b, catalog, options));
        return new AssistHarness(h, catalog);
    }

    /// <summary><c>AddBots()</c> with the test catalog in place of the knowledge part's.</summary>
    public static void Register(IKefuBuilder b, IBotCatalog catalog, Action<AgentAssistOptions>? options = null)
    {
        b.AddBots(bots =>
        {
            if (options is not null)
            {
                bots.ConfigureAssist(options);
            }
        });
        b.Services.Replace(ServiceDescriptor.Singleton(catalog));
    }

    public async Task<Agent> AgentAsync() => _agent ??= await H.AddAgentAsync("Agent", maxConcurrentChats: 100, online: true);

    /// <summary>Opens a conversation that the agent serves.</summary>
    public async Task<Conversation> OpenAsync()
    {
        var agent = await AgentAsync();
        var c = await H.OpenConversationAsync();
        Assert.Equal(agent.Id, c.AgentId);
        return c;
    }

    public async Task<long> VisitorAsync(Conversation c, string text) => (await H.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), text)).MessageId;

    public async Task<long> AgentSaysAsync(Conversation c, string text) => (await H.SendTextAsync(c.Id, Participant.Agent((await AgentAsync()).Id), text)).MessageId;

    /// <summary>Ends the conversation and returns once the outbox has delivered its events to the sinks and the history index is rebuilt.</summary>
    public async Task CloseAsync(Conversation c)
    {
        await H.Kefu.Conversations.EndAsync(TenantId, c.Id, Participant.Agent((await AgentAsync()).Id));
        await DeliveredAsync();
    }

    /// <summary>Waits until every committed event of the tenant went through the sinks, then for the history index.</summary>
    public async Task DeliveredAsync()
    {
        await H.DeliveredAsync();
        await State.WhenIndexedAsync(TenantId);
    }

    /// <summary>A closed conversation with the given exchanges (a visitor question, then the agent's answer).</summary>
    public async Task<Conversation> MineAsync(params (string Question, string Answer)[] exchanges)
    {
        var c = await OpenAsync();
        foreach (var (question, answer) in exchanges)
        {
            await VisitorAsync(c, question);
            await AgentSaysAsync(c, answer);
        }

        await CloseAsync(c);
        return c;
    }

    /// <summary>The stored pairs: (question, answer) → count.</summary>
    public async Task<Dictionary<(string Question, string Answer), int>> PairsAsync()
    {
        var tenant = await State.GetAsync(TenantId, default);
        return tenant.Answers.Values.SelectMany(a => a.Questions.Select(q => (Key: (q.Text, a.Text), q.Count))).ToDictionary(p => p.Key, p => p.Count);
    }

    /// <summary>
    /// Agent assist started afresh (a new <see cref="AssistState"/>, nothing in memory) over this engine's stores: what a
    /// restarted process sees. <paramref name="conversations"/> and <paramref name="catalog"/> replace the engine's.
    /// </summary>
    public ServiceProvider Restart(IConversationStore? conversations = null, IBotCatalog? catalog = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(H.Clock);
        services.AddSingleton(H.Services.GetRequiredService<IConfigurationDocumentStore>());
        services.AddSingleton(H.Services.GetRequiredService<IDirectoryStore>());
        services.AddSingleton(conversations ?? H.Services.GetRequiredService<IConversationStore>());
        services.AddSingleton<IQuestionMatcher, NgramQuestionMatcher>();
        services.AddSingleton(catalog ?? Catalog);
        BotsRegistration.AddAssist(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ValueTask DisposeAsync() => H.DisposeAsync();
}
