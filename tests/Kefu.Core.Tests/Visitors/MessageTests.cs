using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Visitors;

/// <summary>Read receipts, typing previews, media messages and history paging (C9).</summary>
public class MessageTests
{
    private static (long Id, DateTimeOffset SentAt) Stored(SendResult result)
    {
        Assert.False(result.Blocked);
        return (result.MessageId, result.SentAt);
    }

    [Fact]
    public async Task MarkRead_ByVisitorAndAgent_EmitsMessagesReadAndRecordsTheReadPositions()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var question = Stored(await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "在吗"));
        var answer = Stored(await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "在的"));
        h.Events.Clear();

        await h.Kefu.Conversations.MarkReadAsync(t, c.Id, Participant.Visitor(c.VisitorId), answer.Id);
        await h.Kefu.Conversations.MarkReadAsync(t, c.Id, Participant.Agent(agent.Id), question.Id);

        var after = await h.Kefu.Conversations.GetAsync(t, c.Id);
        Assert.Equal(answer.Id, after.VisitorReadUpToMessageId);
        Assert.Equal(question.Id, after.AgentReadUpToMessageId);
        var reads = h.Events.Events;
        Assert.Equal([PayloadOneofCase.MessagesRead, PayloadOneofCase.MessagesRead], reads.Select(e => e.PayloadCase));
        Assert.All(reads, e => Assert.Equal(c.Id, e.ConversationId));
        Assert.Equal((ParticipantKind.Visitor, c.VisitorId, answer.Id), (reads[0].MessagesRead.ReaderKind, reads[0].MessagesRead.ReaderId, reads[0].MessagesRead.UpToMessageId));
        Assert.Equal((ParticipantKind.Agent, agent.Id, question.Id), (reads[1].MessagesRead.ReaderKind, reads[1].MessagesRead.ReaderId, reads[1].MessagesRead.UpToMessageId));
    }

    [Fact]
    public async Task MarkRead_OlderOrSameMessageAgain_EmitsNothingAndKeepsTheNewestPosition()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var visitor = Participant.Visitor(c.VisitorId);
        var older = Stored(await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "one"));
        var newer = Stored(await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "two"));
        await h.Kefu.Conversations.MarkReadAsync(t, c.Id, visitor, newer.Id);
        h.Events.Clear();

        await h.Kefu.Conversations.MarkReadAsync(t, c.Id, visitor, older.Id);
        await h.Kefu.Conversations.MarkReadAsync(t, c.Id, visitor, newer.Id);

        Assert.Empty(h.Events.Events);
        Assert.Equal(newer.Id, (await h.Kefu.Conversations.GetAsync(t, c.Id)).VisitorReadUpToMessageId);
    }

    [Fact]
    public async Task MarkRead_BySomeoneOutsideTheConversation_ThrowsState()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.AddAgentAsync(online: true);
        var bystander = await h.AddAgentAsync();
        var c = await h.OpenConversationAsync();
        var m = Stored(await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "hi"));

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.MarkReadAsync(h.TenantId, c.Id, Participant.Agent(bystander.Id), m.Id));
        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.MarkReadAsync(h.TenantId, c.Id, Participant.Visitor(c.VisitorId + 1), m.Id));

        Assert.Equal(0, (await h.Kefu.Conversations.GetAsync(h.TenantId, c.Id)).AgentReadUpToMessageId);
    }

    [Fact]
    public async Task Typing_ByVisitor_PublishesAPreviewWithSequenceZeroThatIsNotStored()
    {
        await using var h = await KefuTestHarness.StartAsync(build: OutboxRecorder.Register);
        var outbox = h.Services.GetRequiredService<OutboxRecorder>();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "你好");
        h.Events.Clear();
        var committedBefore = outbox.Committed.Count;

        await h.Kefu.Conversations.TypingAsync(t, c.Id, c.VisitorId, "我想问一下退");
        var committedAfterTyping = outbox.Committed.Count;
        await h.SendTextAsync(c.Id, Participant.Visitor(c.VisitorId), "我想问一下退款");
        await h.SendTextAsync(c.Id, Participant.Agent(agent.Id), "好的");

        var events = h.Events.Events;
        var typing = events[0];
        Assert.Equal(PayloadOneofCase.VisitorTyping, typing.PayloadCase);
        Assert.Equal(0, typing.Sequence);
        Assert.Equal(c.Id, typing.ConversationId);
        Assert.Equal((c.VisitorId, "我想问一下退"), (typing.VisitorTyping.VisitorId, typing.VisitorTyping.PreviewText));
        Assert.Equal(committedBefore, committedAfterTyping);
        Assert.DoesNotContain(outbox.Committed, e => e.PayloadCase == PayloadOneofCase.VisitorTyping || e.Sequence == 0);
        var stored = events.Skip(1).ToList();
        Assert.Equal([PayloadOneofCase.Message, PayloadOneofCase.Message], stored.Select(e => e.PayloadCase));
        var lastBefore = outbox.Committed[committedBefore - 1].Sequence;
        Assert.Equal([lastBefore + 1, lastBefore + 2], stored.Select(e => e.Sequence));
        Assert.DoesNotContain(await h.Kefu.History.GetMessagesAsync(t, c.Id, limit: 200), m => m.Text == "我想问一下退");
    }

    [Fact]
    public async Task Typing_InAClosedConversation_ThrowsStateAndPublishesNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var c = await h.OpenConversationAsync();
        await h.Kefu.Conversations.EndAsync(h.TenantId, c.Id, Participant.Visitor(c.VisitorId));
        h.Events.Clear();

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.TypingAsync(h.TenantId, c.Id, c.VisitorId, "hello"));

        Assert.Empty(h.Events.Events);
    }

    [Fact]
    public async Task Typing_ByAnotherVisitor_ThrowsState()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var c = await h.OpenConversationAsync();
        var other = await h.OpenConversationAsync();
        h.Events.Clear();

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.TypingAsync(h.TenantId, c.Id, other.VisitorId, "hello"));

        Assert.Empty(h.Events.Events);
    }

    [Fact]
    public async Task Send_ImageAndFile_KeepTheirMediaAttachment()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        var photo = new MediaAttachment("https://cdn.example.test/a.png", "a.png", 20_480, "image/png");
        var contract = new MediaAttachment("https://cdn.example.test/contract.pdf", "contract.pdf", 1_048_576, "application/pdf");
        h.Events.Clear();

        var image = Stored(await h.Kefu.Conversations.SendAsync(t, c.Id, Participant.Visitor(c.VisitorId), MessageContent.Image(photo)));
        var file = Stored(await h.Kefu.Conversations.SendAsync(t, c.Id, Participant.Agent(agent.Id), new MessageContent(MessageKind.File, "请查收合同", contract)));

        var stored = await h.Kefu.History.GetMessagesAsync(t, c.Id, limit: 200);
        var storedImage = stored.Single(m => m.Id == image.Id);
        var storedFile = stored.Single(m => m.Id == file.Id);
        Assert.Equal((MessageKind.Image, photo), (storedImage.Kind, storedImage.Media));
        Assert.Equal((MessageKind.File, contract, "请查收合同"), (storedFile.Kind, storedFile.Media, storedFile.Text));
        var events = h.Events.Events.Where(e => e.PayloadCase == PayloadOneofCase.Message).Select(e => e.Message).ToList();
        Assert.Equal((MessageKind.Image, photo.Url, photo.Name, photo.Size), (events[0].Kind, events[0].Media.Url, events[0].Media.Name, events[0].Media.Size));
        Assert.Equal((MessageKind.File, contract.Url, contract.Name, contract.Size), (events[1].Kind, events[1].Media.Url, events[1].Media.Name, events[1].Media.Size));
    }

    [Fact]
    public async Task Send_ImageWithoutAttachment_ThrowsValidationAndStoresNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var c = await h.OpenConversationAsync();
        var before = (await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 200)).Count;

        await Assert.ThrowsAsync<KefuValidationException>(async () =>
            await h.Kefu.Conversations.SendAsync(h.TenantId, c.Id, Participant.Visitor(c.VisitorId), new MessageContent(MessageKind.Image, "caption only")));

        Assert.Equal(before, (await h.Kefu.History.GetMessagesAsync(h.TenantId, c.Id, limit: 200)).Count);
    }

    [Fact]
    public async Task GetMessages_PagingBackwards_ReturnsEachPageOldestFirstAndCoversEveryMessageOnce()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var c = await h.OpenConversationAsync();
        for (var i = 0; i < 25; i++)
        {
            var sender = i % 2 == 0 ? Participant.Visitor(c.VisitorId) : Participant.Agent(agent.Id);
            await h.SendTextAsync(c.Id, sender, $"m{i}");
            await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        var all = await h.Kefu.History.GetMessagesAsync(t, c.Id, limit: 200);
        var pages = new List<IReadOnlyList<Message>>();
        long? before = null;
        while (true)
        {
            var page = await h.Kefu.History.GetMessagesAsync(t, c.Id, before, limit: 10);
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            before = page[0].Id;
        }

        Assert.Equal(all.Select(m => m.Id).Order(), all.Select(m => m.Id));
        Assert.Equal("m24", all[^1].Text);
        Assert.Equal(["m15", "m16", "m17", "m18", "m19", "m20", "m21", "m22", "m23", "m24"], pages[0].Select(m => m.Text));
        Assert.All(pages, p => Assert.Equal(p.Select(m => m.Id).Order(), p.Select(m => m.Id)));
        Assert.Equal(all.Select(m => m.Id), Enumerable.Reverse(pages).SelectMany(p => p).Select(m => m.Id));
        Assert.Equal((int)Math.Ceiling(all.Count / 10.0), pages.Count);
    }

    [Fact]
    public async Task GetVisitorMessages_AfterASecondConversation_SpansBothOldestFirst()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var first = await h.OpenConversationAsync();
        var visitor = Participant.Visitor(first.VisitorId);
        await h.SendTextAsync(first.Id, visitor, "first question");
        await h.SendTextAsync(first.Id, Participant.Agent(agent.Id), "first answer");
        await h.Kefu.Conversations.EndAsync(t, first.Id, Participant.Agent(agent.Id));
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var second = await h.Kefu.Conversations.OpenAsync(t, h.Data.Conversation(visitorId: first.VisitorId));
        await h.SendTextAsync(second.Id, visitor, "second question");
        var someoneElse = await h.OpenConversationAsync();
        await h.SendTextAsync(someoneElse.Id, Participant.Visitor(someoneElse.VisitorId), "not mine");

        var all = await h.Kefu.History.GetVisitorMessagesAsync(t, first.VisitorId, limit: 200);
        var expected = (await h.Kefu.History.GetMessagesAsync(t, first.Id, limit: 200))
            .Concat(await h.Kefu.History.GetMessagesAsync(t, second.Id, limit: 200)).Select(m => m.Id).ToList();
        var newest = await h.Kefu.History.GetVisitorMessagesAsync(t, first.VisitorId, limit: 2);
        var earlier = await h.Kefu.History.GetVisitorMessagesAsync(t, first.VisitorId, newest[0].Id, limit: 200);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(expected, all.Select(m => m.Id));
        Assert.Equal(new[] { first.Id, second.Id }, all.Select(m => m.ConversationId).Distinct());
        Assert.Contains(all, m => m.Text == "first question");
        Assert.Equal("second question", all[^1].Text);
        Assert.DoesNotContain(all, m => m.Text == "not mine");
        Assert.Equal(expected.TakeLast(2), newest.Select(m => m.Id));
        Assert.Equal(expected.SkipLast(2), earlier.Select(m => m.Id));
    }
}
