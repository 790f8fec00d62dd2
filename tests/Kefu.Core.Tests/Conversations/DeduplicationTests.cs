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
        await using var h = await KefuTestHarness.StartAsync(o => o.DeduplicationWindow = 1_000);
        await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var visitor = Participant.Visitor(c.VisitorId);
        for (var i = 0; i < 1_001; i++)
        {
            await h.SendTextAsync(c.Id, visitor, $"m{i}", $"id-{i}");
        }

        Assert.True((await h.SendTextAsync(c.Id, visitor, "m1", "id-1")).Duplicate);
        Assert.False((await h.SendTextAsync(c.Id, visitor, "m0", "id-0")).Duplicate); // beyond the window of 1,000
    }
}
