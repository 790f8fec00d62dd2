using System.Globalization;
using Kefu.Bots.Knowledge;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>
/// Runs a tenant with <c>AddKefu().AddBots()</c> on the in-memory adapters and a fake clock. Conversations opened with
/// <see cref="OpenWithRobotAsync"/> go to the robot (<see cref="EntryRobotRouting"/>); hand-offs go to the first
/// available agent of the robot's group, or queue for it.
/// </summary>
internal static class BotHarness
{
    public static Task<KefuTestHarness> StartAsync(Action<BotsBuilder>? bots = null, Action<IKefuBuilder>? build = null) =>
        KefuTestHarness.StartAsync(build: b =>
        {
            AddBotServices(b, bots);
            build?.Invoke(b);
        });

    /// <summary>What the bot tests add to <c>AddKefu()</c>: the bots and routing by entry.</summary>
    public static void AddBotServices(IKefuBuilder builder, Action<BotsBuilder>? bots = null) =>
        builder.AddBots(bots).UseRoutingPolicy<EntryRobotRouting>();

    public static IRobots Robots(this KefuTestHarness h) => h.Services.GetRequiredService<IRobots>();

    public static IKnowledgeBase Knowledge(this KefuTestHarness h) => h.Services.GetRequiredService<IKnowledgeBase>();

    public static IBotOptimization Optimization(this KefuTestHarness h) => h.Services.GetRequiredService<IBotOptimization>();

    /// <summary>Creates the shop's robot (handing off to <paramref name="handOffGroupId"/>) with its rules; returns it and its rules by title.</summary>
    public static async Task<(Robot Robot, IReadOnlyDictionary<string, KnowledgeRule> Rules)> CreateShopRobotAsync(this KefuTestHarness h, long? handOffGroupId,
        Func<Robot, Robot>? change = null)
    {
        var draft = ShopRobot.Robot(id: 0, handOffGroup: handOffGroupId);
        var menus = draft.Menus;
        var robot = await h.Robots().CreateAsync(h.TenantId, draft with { Menus = [.. menus.Select(m => m with { Items = [.. m.Items.Select(i => i with { RuleId = null })] })] });
        var rules = new Dictionary<string, KnowledgeRule>();
        foreach (var rule in ShopRobot.Rules())
        {
            var added = await h.Knowledge().AddRuleAsync(h.TenantId, robot.Id, rule with { Id = 0 });
            rules[added.Title] = added;
        }

        // Menu items that name rules can be saved once the rules exist.
        var ids = ShopRobot.Rules().ToDictionary(r => r.Id, r => rules[r.Title].Id);
        robot = robot with { Menus = [.. menus.Select(m => m with { Items = [.. m.Items.Select(i => i with { RuleId = i.RuleId is { } id ? ids[id] : null })] })] };
        robot = await h.Robots().UpdateAsync(h.TenantId, change is null ? robot : change(robot));
        await h.WhenIndexedAsync(robot.Id);
        return (robot, rules);
    }

    /// <summary>Waits until the robot answers from its latest rules.</summary>
    public static Task WhenIndexedAsync(this KefuTestHarness h, long robotId) =>
        h.Services.GetRequiredService<IBotCatalog>().WhenIndexedAsync(h.TenantId, robotId);

    /// <summary>Opens a web conversation for a new visitor, routed to the robot.</summary>
    public static async Task<Conversation> OpenWithRobotAsync(this KefuTestHarness h, long robotId) =>
        await h.Kefu.Conversations.OpenAsync(h.TenantId, h.Data.Conversation() with { Entry = EntryRobotRouting.EntryOf(robotId) });

    /// <summary>The visitor says <paramref name="text"/>; returns what the robot sent back, in order.</summary>
    public static async Task<IReadOnlyList<Message>> AskAsync(this KefuTestHarness h, Conversation conversation, string text)
    {
        var sent = await h.SendTextAsync(conversation.Id, Participant.Visitor(conversation.VisitorId), text);
        return [.. (await h.MessagesAsync(conversation.Id)).Where(m => m.Id > sent.MessageId && m.SenderKind == ParticipantKind.Bot)];
    }

    /// <summary>Every message of the conversation, oldest first.</summary>
    public static async Task<IReadOnlyList<Message>> MessagesAsync(this KefuTestHarness h, long conversationId) =>
        [.. (await h.Kefu.History.GetMessagesAsync(h.TenantId, conversationId, limit: 200)).OrderBy(m => m.Id)];

    /// <summary>The robot's messages of the conversation, oldest first.</summary>
    public static async Task<IReadOnlyList<Message>> BotMessagesAsync(this KefuTestHarness h, long conversationId) =>
        [.. (await h.MessagesAsync(conversationId)).Where(m => m.SenderKind == ParticipantKind.Bot)];

    /// <summary>Writes the log of unmatched questions now (it is otherwise written shortly after each question).</summary>
    public static Task FlushUnmatchedAsync(this KefuTestHarness h) => h.Services.GetRequiredService<Kefu.Bots.Optimization.UnmatchedQuestionLog>().FlushAsync();
}

/// <summary>
/// Routing for the bot tests: a new conversation whose entry is <c>robot:{id}</c> goes to that robot; everything else
/// (hand-offs included) goes to Core's first available agent, of the requested group when there is one.
/// </summary>
public sealed class EntryRobotRouting : IRoutingPolicy
{
    private const string Prefix = "robot:";
    private readonly FirstAvailableAgentRoutingPolicy _humans = new();

    public static string EntryOf(long robotId) => Prefix + robotId.ToString(CultureInfo.InvariantCulture);

    public RoutingDecision Route(in RoutingRequest request, IRoutingView view) =>
        request.Reason == RoutingReason.New && request.Entry is { } entry && entry.StartsWith(Prefix, StringComparison.Ordinal)
            ? RoutingDecision.ToBot(long.Parse(entry.AsSpan(Prefix.Length), CultureInfo.InvariantCulture), "entry names a robot")
            : _humans.Route(request, view);

    public IQueuedConversation? SelectForAgent(IRoutingAgent agent, MediaKind media, IRoutingView view) => _humans.SelectForAgent(agent, media, view);

    public IReadOnlyList<string> RulesUsingGroup(long tenantId, long groupId) => [];
}
