using FsCheck;
using FsCheck.Fluent;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>Public and personal quick-reply libraries, search, ordering and sending (C15).</summary>
public class QuickReplyTests
{
    [Fact]
    public async Task SearchQuickReplies_ForAnAgent_ReturnsPublicAndOwnPersonalInFolderThenListOrder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var jane = await h.AddAgentAsync("Jane");
        var lei = await h.AddAgentAsync("Lei");
        var janeFolder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Personal, jane.Id, "我的");
        var greetings = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var leiFolder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Personal, lei.Id, "Lei's");
        var closing = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "结束语");
        var mine = await h.Kefu.Directory.AddQuickReplyAsync(t, janeFolder.Id, "Jane: your ORDER is on its way");
        var bye = await h.Kefu.Directory.AddQuickReplyAsync(t, closing.Id, "Thanks for your order, bye");
        var hello = await h.Kefu.Directory.AddQuickReplyAsync(t, greetings.Id, "Hello, how can I help?");
        var orderHello = await h.Kefu.Directory.AddQuickReplyAsync(t, greetings.Id, "Hello, about your order?");
        var leis = await h.Kefu.Directory.AddQuickReplyAsync(t, leiFolder.Id, "Lei: order status");

        var all = await h.Kefu.Directory.SearchQuickRepliesAsync(t, jane.Id);
        var order = await h.Kefu.Directory.SearchQuickRepliesAsync(t, jane.Id, "oRdEr");
        var publicOnly = await h.Kefu.Directory.SearchQuickRepliesAsync(t, null, "order");

        Assert.Equal([hello.Id, orderHello.Id, bye.Id, mine.Id], all.Select(q => q.Id));
        Assert.Equal([orderHello.Id, bye.Id, mine.Id], order.Select(q => q.Id));
        Assert.DoesNotContain(order, q => q.Id == leis.Id);
        Assert.Equal([orderHello.Id, bye.Id], publicOnly.Select(q => q.Id));
        Assert.Equal([hello.Id, orderHello.Id, bye.Id, leis.Id], (await h.Kefu.Directory.SearchQuickRepliesAsync(t, lei.Id)).Select(q => q.Id));
    }

    [Fact]
    public async Task SearchQuickReplies_KeywordMatchingNothing_IsEmpty()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(h.TenantId, QuickReplyLibrary.Public, null, "问候");
        await h.Kefu.Directory.AddQuickReplyAsync(h.TenantId, folder.Id, "您好");

        Assert.Empty(await h.Kefu.Directory.SearchQuickRepliesAsync(h.TenantId, null, "退款"));
        Assert.Single(await h.Kefu.Directory.SearchQuickRepliesAsync(h.TenantId, null, "您"));
    }

    [Fact]
    public async Task AddQuickReplyFolder_PersonalWithoutOwnerOrPublicWithOwner_ThrowsValidation()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();

        await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Kefu.Directory.AddQuickReplyFolderAsync(h.TenantId, QuickReplyLibrary.Personal, null, "x"));
        await Assert.ThrowsAsync<KefuValidationException>(async () => await h.Kefu.Directory.AddQuickReplyFolderAsync(h.TenantId, QuickReplyLibrary.Public, agent.Id, "x"));

        Assert.Empty(await h.Kefu.Directory.ListQuickReplyFoldersAsync(h.TenantId));
    }

    [Fact]
    public async Task MoveQuickReply_UpAndDown_ReordersWithinItsFolder()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var other = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "结束语");
        var a = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "A");
        var b = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "B");
        var c = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "C");
        var z = await h.Kefu.Directory.AddQuickReplyAsync(t, other.Id, "Z");

        var up = await h.Kefu.Directory.MoveQuickReplyAsync(t, c.Id, -2);
        Assert.Equal([c.Id, a.Id, b.Id], up.Select(q => q.Id));
        Assert.Equal([0, 1, 2], up.Select(q => q.Order));

        var down = await h.Kefu.Directory.MoveQuickReplyAsync(t, c.Id, 1);
        Assert.Equal([a.Id, c.Id, b.Id], down.Select(q => q.Id));

        var beyondEnd = await h.Kefu.Directory.MoveQuickReplyAsync(t, a.Id, 99);
        Assert.Equal([c.Id, b.Id, a.Id], beyondEnd.Select(q => q.Id));

        Assert.Equal([c.Id, b.Id, a.Id, z.Id], (await h.Kefu.Directory.SearchQuickRepliesAsync(t, null)).Select(q => q.Id));
        Assert.Equal(0, (await h.Kefu.Directory.SearchQuickRepliesAsync(t, null, "Z")).Single().Order);
    }

    [Fact]
    public async Task UpdateQuickReply_ToAnotherFolder_MovesItToTheEndOfThatFolderWithNewText()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var from = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var to = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "结束语");
        var moving = await h.Kefu.Directory.AddQuickReplyAsync(t, from.Id, "Bye");
        var staying = await h.Kefu.Directory.AddQuickReplyAsync(t, from.Id, "Hello");
        var existing = await h.Kefu.Directory.AddQuickReplyAsync(t, to.Id, "Thanks");

        var moved = await h.Kefu.Directory.UpdateQuickReplyAsync(t, moving.Id, to.Id, "Bye, have a nice day");

        Assert.Equal(to.Id, moved.FolderId);
        Assert.Equal("Bye, have a nice day", moved.Text);
        Assert.True(moved.Order > existing.Order);
        Assert.Equal([staying.Id, existing.Id, moving.Id], (await h.Kefu.Directory.SearchQuickRepliesAsync(t, null)).Select(q => q.Id));
        Assert.Equal(moving.Id, Assert.Single(await h.Kefu.Directory.SearchQuickRepliesAsync(t, null, "nice day")).Id);
    }

    [Fact]
    public async Task UpdateQuickReply_TextOnly_KeepsItsPlace()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var a = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "A");
        var b = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "B");

        var updated = await h.Kefu.Directory.UpdateQuickReplyAsync(t, a.Id, folder.Id, "A2");

        Assert.Equal(a with { Text = "A2" }, updated);
        Assert.Equal([a.Id, b.Id], (await h.Kefu.Directory.SearchQuickRepliesAsync(t, null)).Select(q => q.Id));
    }

    [Fact]
    public async Task DeleteQuickReplyFolder_DeletesItsQuickReplies()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var gone = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "旧");
        var kept = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "新");
        var doomed = await h.Kefu.Directory.AddQuickReplyAsync(t, gone.Id, "old text");
        var survivor = await h.Kefu.Directory.AddQuickReplyAsync(t, kept.Id, "new text");

        await h.Kefu.Directory.DeleteQuickReplyFolderAsync(t, gone.Id);

        Assert.Equal([kept.Id], (await h.Kefu.Directory.ListQuickReplyFoldersAsync(t)).Select(f => f.Id));
        Assert.Equal([survivor.Id], (await h.Kefu.Directory.SearchQuickRepliesAsync(t, null)).Select(q => q.Id));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.MoveQuickReplyAsync(t, doomed.Id, 1));
    }

    [Fact]
    public async Task DeleteQuickReply_RemovesItFromSearch()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var a = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "A");
        var b = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "B");

        await h.Kefu.Directory.DeleteQuickReplyAsync(t, a.Id);

        Assert.Equal([b.Id], (await h.Kefu.Directory.SearchQuickRepliesAsync(t, null)).Select(q => q.Id));
    }

    [Fact]
    public async Task SendQuickReply_PublicReply_IsSentAsTheAgentsTextMessage()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var reply = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "请问还有什么可以帮您？");
        h.Events.Clear();

        var sent = await h.Kefu.Conversations.SendQuickReplyAsync(t, conversation.Id, agent.Id, reply.Id, "qr-1");

        var message = (await h.Kefu.History.GetMessagesAsync(t, conversation.Id)).Single(m => m.Id == sent.MessageId);
        Assert.Equal((ParticipantKind.Agent, agent.Id, MessageKind.Text), (message.SenderKind, message.SenderId, message.Kind));
        Assert.Equal(reply.Text, message.Text);
        Assert.Equal("qr-1", message.ClientMessageId);
        Assert.Equal(message, (await h.Kefu.History.GetMessagesAsync(t, conversation.Id)).Last());
        var e = Assert.Single(h.Events.Events, x => x.PayloadCase == PayloadOneofCase.Message).Message;
        Assert.Equal(reply.Text, e.Text);
        Assert.Equal(1, (await h.Kefu.Conversations.GetAsync(t, conversation.Id)).AgentMessageCount);
    }

    [Fact]
    public async Task SendQuickReply_OwnPersonalReply_IsSent()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Personal, agent.Id, "我的");
        var reply = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "我是小简");

        var sent = await h.Kefu.Conversations.SendQuickReplyAsync(t, conversation.Id, agent.Id, reply.Id);

        Assert.Equal("我是小简", sent.Text);
        Assert.Equal("我是小简", (await h.Kefu.History.GetMessagesAsync(t, conversation.Id)).Single(m => m.Id == sent.MessageId).Text);
    }

    [Fact]
    public async Task SendQuickReply_AnotherAgentsPersonalReply_ThrowsNotFoundAndSendsNothing()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var agent = await h.AddAgentAsync(online: true);
        var owner = await h.AddAgentAsync();
        var conversation = await h.OpenConversationAsync();
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Personal, owner.Id, "Lei's");
        var reply = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "private text");
        var before = (await h.Kefu.History.GetMessagesAsync(t, conversation.Id, limit: 200)).Count;

        var error = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.SendQuickReplyAsync(t, conversation.Id, agent.Id, reply.Id));

        Assert.Equal(KefuErrorKind.NotFound, error.Kind);
        var messages = await h.Kefu.History.GetMessagesAsync(t, conversation.Id, limit: 200);
        Assert.Equal(before, messages.Count);
        Assert.DoesNotContain(messages, m => m.Text == "private text");
    }

    [Fact]
    public async Task SendQuickReply_ByAnAgentNotServing_ThrowsState()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        await h.AddAgentAsync(online: true);
        var bystander = await h.AddAgentAsync();
        var conversation = await h.OpenConversationAsync();
        var folder = await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "问候");
        var reply = await h.Kefu.Directory.AddQuickReplyAsync(t, folder.Id, "hello");

        await Assert.ThrowsAsync<KefuStateException>(async () => await h.Kefu.Conversations.SendQuickReplyAsync(t, conversation.Id, bystander.Id, reply.Id));
    }

    /// <summary>A quick reply to add: the folder it goes to (0, 1 public; 2 Jane's; 3 Lei's) and its text.</summary>
    public sealed record ReplySpec(int Folder, string Text);

    /// <summary>A library, the agent searching (0 Jane, 1 Lei, 2 nobody) and the keyword.</summary>
    public sealed record SearchCase(IReadOnlyList<ReplySpec> Replies, int Searcher, string? Keyword);

    private static readonly string[] Words = ["order", "ORDER", "refund", "Hello", "bye", "订单", "退款"];

    private static Gen<SearchCase> SearchCases()
    {
        var text = Gen.ListOf(Gen.Elements(Words), 3).Select(ws => string.Join(' ', ws));
        var reply = Gen.Choose(0, 3).SelectMany(f => text, (f, x) => new ReplySpec(f, x));
        var keyword = Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements<string?>("order", "Order", "REFUND", "hello bye", "订", "xyz"));
        return Gen.ListOf(reply).Select(l => l.Take(15).ToList())
            .SelectMany(replies => Gen.Choose(0, 2), (replies, searcher) => (replies, searcher))
            .SelectMany(x => keyword, (x, k) => new SearchCase(x.replies, x.searcher, k));
    }

    [Fact]
    public async Task SearchQuickReplies_AnyLibraryAndKeyword_EqualsANaiveOracle()
    {
        // FsCheck drives an async property: it runs on the thread pool so nothing blocks xUnit's synchronization context.
        var property = Prop.ForAll(SearchCases().ToArbitrary(), (Func<SearchCase, Task<bool>>)SearchMatchesOracleAsync);
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property));
    }

    private static async Task<bool> SearchMatchesOracleAsync(SearchCase c)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var jane = await h.AddAgentAsync("Jane");
        var lei = await h.AddAgentAsync("Lei");
        var folders = new[]
        {
            await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "P1"),
            await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Public, null, "P2"),
            await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Personal, jane.Id, "Jane"),
            await h.Kefu.Directory.AddQuickReplyFolderAsync(t, QuickReplyLibrary.Personal, lei.Id, "Lei"),
        };
        var added = new List<(int Folder, QuickReply Reply)>();
        foreach (var spec in c.Replies)
        {
            added.Add((spec.Folder, await h.Kefu.Directory.AddQuickReplyAsync(t, folders[spec.Folder].Id, spec.Text)));
        }

        long? searcher = c.Searcher switch { 0 => jane.Id, 1 => lei.Id, _ => null };
        var visibleFolders = c.Searcher switch { 0 => new[] { 0, 1, 2 }, 1 => [0, 1, 3], _ => [0, 1] };
        var expected = visibleFolders
            .SelectMany(f => added.Where(a => a.Folder == f).Select(a => a.Reply))
            .Where(r => c.Keyword is null || r.Text.Contains(c.Keyword, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Id);
        var actual = (await h.Kefu.Directory.SearchQuickRepliesAsync(t, searcher, c.Keyword)).Select(r => r.Id);
        return expected.SequenceEqual(actual);
    }
}
