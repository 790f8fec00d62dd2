using System.Text.Json;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>
/// Checks that a command is refused with the expected error and changes nothing: no event is recorded and every part
/// of the tenant that the API can read back is as it was.
/// </summary>
internal static class Refusal
{
    /// <summary>Runs <paramref name="command"/>, which must throw <typeparamref name="TException"/> and leave the harness's tenant unchanged.</summary>
    public static async Task<TException> AssertAsync<TException>(KefuTestHarness h, Func<Task> command)
        where TException : KefuException
    {
        var stateBefore = await TenantSnapshot.TakeAsync(h.Kefu, h.TenantId);
        var eventsBefore = h.Events.Events.Count;

        var refusal = await Assert.ThrowsAnyAsync<TException>(command);

        Assert.Equal(eventsBefore, h.Events.Events.Count);
        Assert.Equal(stateBefore, await TenantSnapshot.TakeAsync(h.Kefu, h.TenantId));
        return refusal;
    }
}

/// <summary>Reads back a tenant's directory, settings, open conversations, queue and presence as one comparable text.</summary>
internal static class TenantSnapshot
{
    public static async Task<string> TakeAsync(IKefu kefu, long tenantId)
    {
        var d = kefu.Directory;
        var c = kefu.Conversations;
        var state = new
        {
            Settings = await d.GetSettingsAsync(tenantId),
            Departments = await d.ListDepartmentsAsync(tenantId),
            Roles = await d.ListRolesAsync(tenantId),
            Agents = await d.ListAgentsAsync(tenantId),
            SkillGroups = await d.ListSkillGroupsAsync(tenantId),
            Channels = await d.ListChannelsAsync(tenantId),
            Associations = await d.ListAssociationsAsync(tenantId),
            Tags = await d.ListTagsAsync(tenantId),
            WrapUpCategories = await d.ListWrapUpCategoriesAsync(tenantId),
            QuickReplyFolders = await d.ListQuickReplyFoldersAsync(tenantId),
            QuickReplies = await d.SearchQuickRepliesAsync(tenantId, agentId: null),
            OpenConversations = await c.ListOpenAsync(tenantId),
            Queue = await c.GetQueueAsync(tenantId),
            Presence = await c.ListPresenceAsync(tenantId),
        };
        return JsonSerializer.Serialize(state);
    }

    /// <summary>A deep, comparable copy of any value read from the API.</summary>
    public static string Of<T>(T value) => JsonSerializer.Serialize(value);
}
