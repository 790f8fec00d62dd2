using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Routing.Tests;

/// <summary>Starts the engine with Kefu.Routing on a fake clock, and helpers the routing tests share.</summary>
internal static class RoutingHarness
{
    public static Task<KefuTestHarness> StartAsync(Action<RoutingBuilder>? routing = null, Action<KefuOptions>? options = null, Action<IKefuBuilder>? build = null) =>
        KefuTestHarness.StartAsync(options, b =>
        {
            b.AddRouting(routing);
            build?.Invoke(b);
        });

    public static IRoutingRules Rules(this KefuTestHarness h) => h.Services.GetRequiredService<IRoutingRules>();

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
}
