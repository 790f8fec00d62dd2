using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Conversations;

/// <summary>Idempotent sends: a retry is recognised per conversation and sender, and nobody else can use the id.</summary>
public class DeduplicationTests
{
    [Fact]
    public async Task SameClientIdFromAnotherSender_IsANewMessage_AndRevealsNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var fromVisitor = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "secret order number 42", "1");
        var fromAgent = await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "thanks", "1");
        Assert.False(fromAgent.Duplicate);
        Assert.NotEqual(fromVisitor.MessageId, fromAgent.MessageId);

        var stranger = await h.OpenConversationAsync();
        await Assert.ThrowsAsync<KefuStateException>(async () =>
            await h.SendTextAsync(c.Id, Participant.Visitor(stranger.VisitorId), "guess", "1"));
    }

    [Fact]
    public async Task Retry_AfterTheConversationClosed_StillReturnsTheOriginal()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var first = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "bye", "v-9");
        await h.Kefu.Conversations.EndAsync(h.TenantId, c.Id, Participant.Agent(agent.Id));
        var retry = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "bye", "v-9");
        Assert.True(retry.Duplicate);
        Assert.Equal((first.MessageId, first.SentAt), (retry.MessageId, retry.SentAt));
    }

    [Fact]
    public async Task Window_ForgetsTheOldestClientIds_OnlyBeyondItsSize()
    {
        await using var h = await KefuTestHarness.StartAsync(o => o.DeduplicationWindow = 16);
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var visitor = Participant.Visitor(c.VisitorId);
        for (var i = 0; i < 17; i++)
        {
            await h.SendTextAsync(c.Id, visitor, $"m{i}", $"id-{i}");
        }

        Assert.True((await h.SendTextAsync(c.Id, visitor, "m1", "id-1")).Duplicate);
        Assert.False((await h.SendTextAsync(c.Id, visitor, "m0", "id-0")).Duplicate); // beyond the window of 16
    }

    [Fact]
    public async Task Window_IsPerConversation_SoABusyConversationNeverCrowdsOutAQuietOnesRetry()
    {
        await using var h = await KefuTestHarness.StartAsync(o => o.DeduplicationWindow = 16);
        await h.AddAgentAsync(online: true, maxConcurrentChats: 2);
        var quiet = await h.OpenConversationAsync();
        var busy = await h.OpenConversationAsync();
        var original = await h.SendTextAsync(quiet.Id, Participant.Visitor(quiet.VisitorId), "where is my parcel?", "q-1");
        for (var i = 0; i < 100; i++)
        {
            await h.SendTextAsync(busy.Id, Participant.Visitor(busy.VisitorId), $"m{i}", $"b-{i}");
        }

        var retry = await h.SendTextAsync(quiet.Id, Participant.Visitor(quiet.VisitorId), "where is my parcel?", "q-1");
        Assert.True(retry.Duplicate);
        Assert.Equal(original.MessageId, retry.MessageId);
    }

    [Fact]
    public async Task Retry_ToAClosedConversationReadBackFromTheStore_StillReturnsTheOriginal()
    {
        await using var h = await KefuTestHarness.StartAsync(o => o.ClosedConversationCacheSize = 0);
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var first = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "bye", "v-9");
        await h.Kefu.Conversations.EndAsync(h.TenantId, c.Id, Participant.Agent(agent.Id));
        var retry = await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "bye", "v-9");
        Assert.True(retry.Duplicate);
        Assert.Equal(first.MessageId, retry.MessageId);
    }
}
