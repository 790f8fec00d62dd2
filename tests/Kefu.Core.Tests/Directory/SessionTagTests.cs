using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>Tag definitions, session tags and notes, and the mandatory tag on close (C17).</summary>
public class SessionTagTests
{
    [Fact]
    public async Task AddTag_SessionAndVisitorScopes_AreListedWithTheirScope()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;

        var session = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "投诉");
        var visitor = await h.Kefu.Directory.AddTagAsync(t, TagScope.Visitor, "投诉");

        Assert.Equal([session, visitor], await h.Kefu.Directory.ListTagsAsync(t));
        Assert.Equal(TagScope.Session, session.Scope);
        Assert.Equal(TagScope.Visitor, visitor.Scope);
    }

    [Fact]
    public async Task DeleteTag_RemovesTheDefinition()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var kept = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "咨询");
        var gone = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "投诉");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();

        await h.Kefu.Directory.DeleteTagAsync(t, gone.Id);

        Assert.Equal([kept], await h.Kefu.Directory.ListTagsAsync(t));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, agent.Id, [gone.Id]));
    }

    [Fact]
    public async Task SetSessionTags_WithNote_StoresThemAndEmitsSessionTagsChanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var complaint = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "投诉");
        var refund = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "退款");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        h.Events.Clear();

        var tagged = await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, agent.Id, [complaint.Id, refund.Id, complaint.Id], "客户要求退款");

        Assert.Equal([complaint.Id, refund.Id], tagged.TagIds);
        Assert.Equal("客户要求退款", tagged.Note);
        Assert.Equal(tagged.TagIds, (await h.Kefu.Conversations.GetAsync(t, conversation.Id)).TagIds);
        var e = Assert.Single(h.Events.Events, x => x.PayloadCase == PayloadOneofCase.SessionTagsChanged);
        Assert.Equal(conversation.Id, e.ConversationId);
        Assert.Equal([complaint.Id, refund.Id], e.SessionTagsChanged.TagIds);
        Assert.Equal("客户要求退款", e.SessionTagsChanged.Note);
    }

    [Fact]
    public async Task SetSessionTags_Again_ReplacesTheTags()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var complaint = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "投诉");
        var refund = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "退款");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, agent.Id, [complaint.Id], "first");

        var replaced = await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, agent.Id, [refund.Id]);

        Assert.Equal([refund.Id], replaced.TagIds);
        Assert.Null(replaced.Note);
    }

    [Fact]
    public async Task SetSessionTags_WithVisitorTag_ThrowsNotFoundAndKeepsTags()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var visitorTag = await h.Kefu.Directory.AddTagAsync(t, TagScope.Visitor, "VIP");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, agent.Id, [visitorTag.Id]));

        Assert.Empty((await h.Kefu.Conversations.GetAsync(t, conversation.Id)).TagIds);
    }

    [Fact]
    public async Task SetSessionTags_ByAnAgentNotServing_ThrowsState()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var tag = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "投诉");
        await h.AddAgentAsync(online: true);
        var other = await h.AddAgentAsync();
        var conversation = await h.OpenConversationAsync();

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, other.Id, [tag.Id]));
    }

    [Fact]
    public async Task End_MandatoryTagWithoutTag_ThrowsStateThenClosesOnceTagged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var settings = await h.Kefu.Directory.GetSettingsAsync(t);
        await h.Kefu.Directory.UpdateConversationSettingsAsync(t, settings.Conversations with { MandatorySessionTagOnClose = true });
        var tag = await h.Kefu.Directory.AddTagAsync(t, TagScope.Session, "咨询");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        var by = Participant.Agent(agent.Id);

        var refusal = await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.EndAsync(t, conversation.Id, by));
        var stillOpen = await h.Kefu.Conversations.GetAsync(t, conversation.Id);
        await h.Kefu.Conversations.SetSessionTagsAsync(t, conversation.Id, agent.Id, [tag.Id]);
        var ended = await h.Kefu.Conversations.EndAsync(t, conversation.Id, by);

        Assert.Contains("MandatorySessionTagOnClose", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(ConversationState.InService, stillOpen.State);
        Assert.Equal(ConversationState.Closed, ended.State);
        Assert.Equal(CloseReason.AgentEnded, ended.CloseReason);
        Assert.Equal([tag.Id], ended.TagIds);
    }

    [Fact]
    public async Task End_MandatoryTagSwitchedOff_ClosesWithoutTag()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();

        var ended = await h.Kefu.Conversations.EndAsync(t, conversation.Id, Participant.Agent(agent.Id));

        Assert.False((await h.Kefu.Directory.GetSettingsAsync(t)).Conversations.MandatorySessionTagOnClose);
        Assert.Equal(ConversationState.Closed, ended.State);
    }
}
