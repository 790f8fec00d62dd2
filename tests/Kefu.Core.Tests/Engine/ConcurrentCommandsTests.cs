using System.Collections.Concurrent;
using Kefu.Model;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Engine;

/// <summary>One tenant, many writers: the worker serialises everything, loses nothing, and its events replay to its state.</summary>
public class ConcurrentCommandsTests
{
    private const int Threads = 8;
    private const int CommandsPerThread = 1_250; // 10,000 in all

    private sealed record Ack(int Thread, int Index, string Kind, string Key, long ConversationId, long? MessageId, bool Duplicate);

    [Fact]
    public async Task EightWriters_TenThousandCommands_FinalStateEqualsAcknowledgedCommandsInCommitOrder()
    {
        // Retries pick any earlier message of the writer, up to ~800 back in its conversation: all inside the window.
        await using var h = await KefuTestHarness.StartAsync(o => o.DeduplicationWindow = 4_096);
        var kefu = h.Kefu;
        var t = h.TenantId;
        var shared = await h.AddAgentAsync("Shared");
        for (var i = 0; i < 4; i++)
        {
            await h.AddAgentAsync(maxConcurrentChats: 100, online: true);
        }

        var conversations = new List<Conversation>();
        for (var i = 0; i < Threads * 2; i++)
        {
            conversations.Add(await h.OpenConversationAsync());
        }

        Assert.All(conversations, c => Assert.Equal(ConversationState.InService, c.State));
        var sharedVisitor = conversations[0].VisitorId;
        h.Events.Clear();

        var acks = new ConcurrentQueue<Ack>();
        var writers = Enumerable.Range(0, Threads).Select(thread => Task.Run(async () =>
        {
            var random = new Random(thread);
            var mine = conversations.Skip(thread * 2).Take(2).ToArray();
            var sent = new List<(string ClientId, Conversation Conversation, Participant Sender)>();
            for (var i = 0; i < CommandsPerThread; i++)
            {
                var roll = random.Next(100);
                if (roll < 70 || sent.Count == 0)
                {
                    var c = mine[random.Next(mine.Length)];
                    var sender = random.Next(2) == 0 ? Participant.Visitor(c.VisitorId) : Participant.Agent(c.AgentId!.Value);
                    var clientId = $"t{thread}-m{i}";
                    var result = await kefu.Conversations.SendAsync(t, c.Id, sender, MessageContent.FromText($"message {clientId}"), clientId);
                    sent.Add((clientId, c, sender));
                    acks.Enqueue(new Ack(thread, i, "send", clientId, c.Id, result.MessageId, result.Duplicate));
                }
                else if (roll < 80)
                {
                    // A client retry: the same sender sends the same client message id again.
                    var (clientId, c, sender) = sent[random.Next(sent.Count)];
                    var result = await kefu.Conversations.SendAsync(t, c.Id, sender, MessageContent.FromText("retry"), clientId);
                    acks.Enqueue(new Ack(thread, i, "retry", clientId, c.Id, result.MessageId, result.Duplicate));
                }
                else if (roll < 90)
                {
                    var nickname = $"t{thread}-n{i}";
                    await kefu.Directory.UpdateAgentAsync(t, shared.Id, AgentProfile.From(shared) with { Nickname = nickname });
                    acks.Enqueue(new Ack(thread, i, "nickname", nickname, 0, null, false));
                }
                else
                {
                    var note = $"t{thread}-v{i}";
                    await kefu.Conversations.UpdateVisitorAsync(t, sharedVisitor, new VisitorProfile { Note = note });
                    acks.Enqueue(new Ack(thread, i, "note", note, 0, null, false));
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        Assert.Equal(Threads * CommandsPerThread, acks.Count);

        // Commit order: gap-free sequence numbers, one event per acknowledged change.
        var events = h.Events.Events;
        Assert.Equal(Enumerable.Range((int)events[0].Sequence, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));

        // Every acknowledged message is stored exactly once, and each conversation's stored order is its commit order.
        var stored = new List<Message>();
        foreach (var c in conversations)
        {
            var all = new List<Message>();
            long? before = null;
            while (true)
            {
                var page = await kefu.History.GetMessagesAsync(t, c.Id, before, 200);
                if (page.Count == 0)
                {
                    break;
                }

                all.InsertRange(0, page);
                before = page[0].Id;
            }

            var committed = events.Where(e => e.ConversationId == c.Id && e.PayloadCase == PayloadOneofCase.Message).Select(e => e.Message.MessageId).ToList();
            Assert.Equal(committed, all.Select(m => m.Id).Where(committed.Contains).ToList());
            Assert.Equal(all.Count, (await kefu.Conversations.GetAsync(t, c.Id)).MessageCount);
            stored.AddRange(all.Where(m => m.ClientMessageId is not null));
        }

        var sends = acks.Where(a => a.Kind == "send").ToList();
        Assert.All(sends, a => Assert.False(a.Duplicate));
        Assert.Equal(sends.Select(a => a.MessageId!.Value).Order(), stored.Select(m => m.Id).Order());
        var byClientId = stored.ToDictionary(m => m.ClientMessageId!);
        Assert.All(acks.Where(a => a.Kind == "retry"), a =>
        {
            Assert.True(a.Duplicate);
            Assert.Equal(byClientId[a.Key].Id, a.MessageId);
        });

        // Shared state ends as the last acknowledged update in commit order left it.
        var nicknames = events.Where(e => e.PayloadCase == PayloadOneofCase.AgentChanged && e.AgentChanged.AgentId == shared.Id).Select(e => e.AgentChanged.Nickname).ToList();
        Assert.Equal(acks.Where(a => a.Kind == "nickname").Select(a => a.Key).Order(), nicknames.Order());
        Assert.Equal(nicknames[^1], (await kefu.Directory.GetAgentAsync(t, shared.Id)).Nickname);
        var notes = events.Where(e => e.PayloadCase == PayloadOneofCase.VisitorChanged && e.VisitorChanged.VisitorId == sharedVisitor).Select(e => e.VisitorChanged.Note).ToList();
        Assert.Equal(acks.Where(a => a.Kind == "note").Select(a => a.Key).Order(), notes.Order());
        Assert.Equal(notes[^1], (await kefu.History.GetVisitorAsync(t, sharedVisitor)).Note);

        // Each writer's commands were applied in the order it issued them.
        var sequenceOfMessage = events.Where(e => e.PayloadCase == PayloadOneofCase.Message).ToDictionary(e => e.Message.MessageId, e => e.Sequence);
        var sequenceOfNickname = events.Where(e => e.PayloadCase == PayloadOneofCase.AgentChanged).ToDictionary(e => e.AgentChanged.Nickname, e => e.Sequence);
        foreach (var thread in Enumerable.Range(0, Threads))
        {
            var order = acks.Where(a => a.Thread == thread && a.Kind is "send" or "nickname").OrderBy(a => a.Index)
                .Select(a => a.Kind == "send" ? sequenceOfMessage[a.MessageId!.Value] : sequenceOfNickname[a.Key]).ToList();
            Assert.Equal(order.Order(), order);
        }
    }
}
