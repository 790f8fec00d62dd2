using Kefu.Bots;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NSubstitute;

namespace Kefu.Routing.Tests;

/// <summary>Starts the engine with Kefu.Routing on a fake clock, and helpers the routing tests share.</summary>
internal static class RoutingHarness
{
    /// <summary>The robot id the robot tests use (robots are not directory entities: any positive id names one).</summary>
    public const long RobotId = 7;

    public static Task<KefuTestHarness> StartAsync(Action<RoutingBuilder>? routing = null, Action<KefuOptions>? options = null, Action<IKefuBuilder>? build = null) =>
        KefuTestHarness.StartAsync(options, b =>
        {
            b.AddRouting(routing);
            build?.Invoke(b);
        });

    /// <summary>Starts the engine with <paramref name="bot"/> as the robot seam.</summary>
    public static Task<KefuTestHarness> StartWithBotAsync(IBotResponder bot) =>
        StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton(bot)));

    /// <summary>
    /// A robot that greets on start and answers every visitor message by handing off to a human (to
    /// <paramref name="targetGroupId"/> when set: the robot's own transfer-to-human group).
    /// </summary>
    public static IBotResponder HandingOffBot(long? targetGroupId = null)
    {
        var bot = Substitute.For<IBotResponder>();
        bot.Start(Arg.Any<long>(), Arg.Any<long>(), Arg.Any<Conversation>()).Returns(new BotTurn(["您好，我是智能助手"]));
        HandOffTo(bot, targetGroupId);
        return bot;
    }

    /// <summary>Makes <paramref name="bot"/> hand every visitor message off to a human, to <paramref name="targetGroupId"/> when set.</summary>
    public static void HandOffTo(IBotResponder bot, long? targetGroupId) =>
        bot.Respond(Arg.Any<BotInput>()).Returns(new BotTurn(["正在为您转接人工客服"], HandOffToHuman: true, TargetGroupId: targetGroupId));

    public static IRoutingRules Rules(this KefuTestHarness h) => h.Services.GetRequiredService<IRoutingRules>();

    public static async Task<RoutingConfiguration> SaveRoutingAsync(this KefuTestHarness h, RoutingConfiguration configuration) =>
        await h.Rules().SaveAsync(h.TenantId, configuration);

    public static async Task<SkillGroup> AddGroupAsync(this KefuTestHarness h, string name, params Agent[] members)
    {
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, name);
        return members.Length == 0 ? group : await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [.. members.Select(m => m.Id)], []);
    }

    public static async Task<Conversation> OpenAsync(this KefuTestHarness h, ChannelKind channel = ChannelKind.Web, long? groupId = null,
        string? entry = null, long? associationId = null, string? navigation = null) =>
        await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest
        {
            ChannelKind = channel,
            GroupId = groupId,
            Entry = entry,
            AssociationId = associationId,
            NavigationOption = navigation,
        });

    /// <summary>The conversation as the engine has it now.</summary>
    public static async Task<Conversation> GetAsync(this KefuTestHarness h, long conversationId) =>
        await h.Kefu.Conversations.GetAsync(h.TenantId, conversationId);

    public static async Task<AgentPresence> SetStatusAsync(this KefuTestHarness h, long agentId, AgentStatus status, MediaKind media = MediaKind.Chat) =>
        await h.Kefu.Conversations.SetMediaStatusAsync(h.TenantId, agentId, media, status);

    public static async Task<AgentPresence> PresenceAsync(this KefuTestHarness h, long agentId) =>
        (await h.Kefu.Conversations.ListPresenceAsync(h.TenantId)).Single(p => p.AgentId == agentId);

    /// <summary>Adds an agent signed in for voice or video (chat stays offline).</summary>
    public static async Task<Agent> AddCallAgentAsync(this KefuTestHarness h, string name, MediaKind media)
    {
        var agent = await h.AddAgentAsync(name);
        await h.SetStatusAsync(agent.Id, AgentStatus.Online, media);
        return agent;
    }

    public static async Task UpdateConversationSettingsAsync(this KefuTestHarness h, Func<ConversationSettings, ConversationSettings> change)
    {
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateConversationSettingsAsync(h.TenantId, change(settings.Conversations));
    }

    public static async Task UpdatePhrasesAsync(this KefuTestHarness h, Func<CannedPhrases, CannedPhrases> change)
    {
        var settings = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        await h.Kefu.Directory.UpdateCannedPhrasesAsync(h.TenantId, change(settings.Phrases));
    }

    /// <summary>The texts of the system notices of a conversation, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> SystemNoticesAsync(this KefuTestHarness h, long conversationId)
    {
        var messages = await h.Kefu.History.GetMessagesAsync(h.TenantId, conversationId, limit: 100);
        return [.. messages.Where(m => m.SenderKind == ParticipantKind.System).OrderBy(m => m.Id).Select(m => m.Text ?? string.Empty)];
    }

    /// <summary>The recorded events of one payload kind, optionally of one conversation, in order.</summary>
    public static IReadOnlyList<KefuEvent> EventsOf(this KefuTestHarness h, KefuEvent.PayloadOneofCase kind, long? conversationId = null) =>
        [.. h.Events.Events.Where(e => e.PayloadCase == kind && (conversationId is null || e.ConversationId == conversationId))];

}
