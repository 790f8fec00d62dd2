using FsCheck;
using FsCheck.Fluent;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Routing.Tests.Properties;

/// <summary>
/// Random sequences of presence changes (chat and voice), arrivals (web, H5, app and phone), ends by agents and
/// visitors, transfers to groups, capacity changes, group membership changes and answers to ringing calls, run through
/// the real engine with Kefu.Routing. After every command: no agent holds more than its capacity, no conversation is
/// assigned twice or lost, and no conversation waits while an eligible online agent has room for it.
/// </summary>
public class RoutingPropertyTests
{
    private readonly record struct Op(int Kind, int A, int B);

    private static readonly Gen<Op[]> Operations =
        (from kind in Gen.Choose(0, 11)
         from a in Gen.Choose(0, 999)
         from b in Gen.Choose(0, 999)
         select new Op(kind, a, b)).ListOf().Select(ops => ops.ToArray());

    private static readonly string[] Strategies =
        [LeastLoadedStrategy.StrategyName, RoundRobinStrategy.StrategyName, LongestIdleStrategy.StrategyName, BestPickUpRateStrategy.StrategyName];

    private static readonly ChannelKind[] Channels = [ChannelKind.Web, ChannelKind.H5, ChannelKind.App, ChannelKind.Phone];

    [Fact]
    public void RuleBasedRouting_UnderRandomOperations_KeepsItsInvariants()
    {
        var property = Prop.ForAll(Operations.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (ops, seed) => RunAsync(ops, seed));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithEndSize(80), property);
    }

    private sealed class Model
    {
        public readonly HashSet<long> Opened = [];
        public readonly Dictionary<long, long> Excluded = []; // conversation → the agent it must not go to
    }

    private static async Task<bool> RunAsync(Op[] ops, int seed)
    {
        await using var h = await RoutingHarness.StartAsync();
        var t = h.TenantId;
        var kefu = h.Kefu;
        var agents = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            agents.Add((await h.AddAgentAsync(maxConcurrentChats: 1 + (i % 3))).Id);
        }

        var g1 = await kefu.Directory.AddSkillGroupAsync(t, "G1");
        var g2 = await kefu.Directory.AddSkillGroupAsync(t, "G2");
        await kefu.Directory.ChangeSkillGroupMembersAsync(t, g1.Id, [agents[0], agents[1], agents[2]], []);
        await kefu.Directory.ChangeSkillGroupMembersAsync(t, g2.Id, [agents[2], agents[3]], []);
        long[] groups = [g1.Id, g2.Id];
        await h.Rules().SaveAsync(t, new RoutingConfiguration
        {
            Rules =
            [
                new RoutingRule { Name = "web", Channel = ChannelKind.Web, AllDay = RoutingTarget.Group(g1.Id) },
                new RoutingRule { Name = "h5", Channel = ChannelKind.H5, AllDay = RoutingTarget.Group(g2.Id), Overflow = new QueueOverflow(1, RoutingTarget.Group(g1.Id)) },
                new RoutingRule { Name = "calls", Channel = ChannelKind.Phone, AllDay = RoutingTarget.Group(g1.Id) },
            ],
            Groups = [new GroupRouting(g1.Id, Strategies[seed % 4]), new GroupRouting(g2.Id, Strategies[(seed / 4) % 4])],
        });

        var model = new Model();
        AgentStatus[] statuses = [AgentStatus.Online, AgentStatus.Busy, AgentStatus.Offline, AgentStatus.Online, AgentStatus.Rest];
        foreach (var op in ops)
        {
            var open = await kefu.Conversations.ListOpenAsync(t);
            var served = open.Where(c => c.State == ConversationState.InService).ToList();
            var offered = open.Where(c => c.State == ConversationState.Offered).ToList();
            var agent = agents[op.A % agents.Count];
            switch (op.Kind)
            {
                case 0 or 1 or 2:
                    var opened = await kefu.Conversations.OpenAsync(t, new ConversationRequest { ChannelKind = Channels[op.B % Channels.Length] });
                    model.Opened.Add(opened.Id);
                    break;
                case 3 when served.Count > 0:
                    var ending = served[op.B % served.Count];
                    await kefu.Conversations.EndAsync(t, ending.Id, Participant.Agent(ending.AgentId!.Value));
                    break;
                case 4 when open.Count > 0:
                    var leaving = open[op.B % open.Count];
                    await kefu.Conversations.EndAsync(t, leaving.Id, Participant.Visitor(leaving.VisitorId));
                    break;
                case 5:
                    var status = statuses[op.B % statuses.Length];
                    if (status == AgentStatus.Offline)
                    {
                        foreach (var c in open.Where(c => c.AgentId == agent && c.State == ConversationState.Offered))
                        {
                            model.Excluded[c.Id] = agent; // requeued without them
                        }
                    }

                    await kefu.Conversations.SetStatusAsync(t, agent, status);
                    break;
                case 6:
                    var voice = statuses[op.B % statuses.Length];
                    foreach (var c in open.Where(c => c.AgentId == agent && c.ChannelKind == ChannelKind.Phone && voice == AgentStatus.Offline))
                    {
                        model.Excluded[c.Id] = agent;
                    }

                    await kefu.Conversations.SetMediaStatusAsync(t, agent, MediaKind.Voice, voice);
                    break;
                case 7:
                    var current = await kefu.Directory.GetAgentAsync(t, agent);
                    var active = (await kefu.Conversations.ListPresenceAsync(t)).Single(p => p.AgentId == agent).ActiveConversations;
                    var capacity = Math.Max(Math.Max(active, 1), op.B % 4);
                    await kefu.Directory.UpdateAgentAsync(t, agent, AgentProfile.From(current) with { MaxConcurrentChats = capacity });
                    break;
                case 8 when served.Count > 0:
                    var moving = served[op.B % served.Count];
                    model.Excluded[moving.Id] = moving.AgentId!.Value;
                    await kefu.Conversations.TransferToGroupAsync(t, moving.Id, moving.AgentId!.Value, groups[op.A % 2]);
                    break;
                case 9:
                    var group = groups[op.B % 2];
                    var members = (await kefu.Directory.ListSkillGroupsAsync(t)).Single(g => g.Id == group).MemberIds;
                    if (members.Contains(agent))
                    {
                        await kefu.Directory.ChangeSkillGroupMembersAsync(t, group, [], [agent]);
                    }
                    else
                    {
                        await kefu.Directory.ChangeSkillGroupMembersAsync(t, group, [agent], []);
                    }

                    break;
                case 10 when offered.Count > 0:
                    var ringing = offered[op.B % offered.Count];
                    var accept = op.A % 3 != 0;
                    if (!accept)
                    {
                        model.Excluded[ringing.Id] = ringing.AgentId!.Value;
                    }

                    await kefu.Conversations.AnswerOfferAsync(t, ringing.Id, ringing.AgentId!.Value, accept);
                    break;
                case 11 when served.Count > 0:
                    var hangUp = served.Where(c => c.ChannelKind == ChannelKind.Phone).ToList();
                    if (hangUp.Count > 0)
                    {
                        var call = hangUp[op.B % hangUp.Count];
                        await kefu.Conversations.EndAsync(t, call.Id, Participant.Agent(call.AgentId!.Value));
                    }

                    break;
            }

            var failure = await ViolationAsync(kefu, t, model);
            Assert.True(failure is null, $"after {op}: {failure}");
        }

        return true;
    }

    /// <summary>The first invariant that does not hold, or null.</summary>
    private static async Task<string?> ViolationAsync(IKefu kefu, long t, Model model)
    {
        var open = await kefu.Conversations.ListOpenAsync(t);
        var queue = await kefu.Conversations.GetQueueAsync(t);
        var presence = await kefu.Conversations.ListPresenceAsync(t);
        var groups = (await kefu.Directory.ListSkillGroupsAsync(t)).ToDictionary(g => g.Id, g => g.MemberIds);

        foreach (var p in presence)
        {
            var chats = open.Count(c => c.AgentId == p.AgentId && c.ChannelKind != ChannelKind.Phone && c.State is ConversationState.InService or ConversationState.Offered);
            var calls = open.Count(c => c.AgentId == p.AgentId && c.ChannelKind == ChannelKind.Phone && c.State is ConversationState.InService or ConversationState.Offered);
            if (chats + calls != p.ActiveConversations || calls != p.ActiveCalls)
            {
                return $"agent {p.AgentId} counts {p.ActiveConversations} ({p.ActiveCalls} calls) but serves {chats} chats and {calls} calls";
            }

            if (chats > p.MaxConcurrentChats || calls > 1)
            {
                return $"agent {p.AgentId} holds {chats} chats (max {p.MaxConcurrentChats}) and {calls} calls (max 1)";
            }
        }

        // Nothing lost: every conversation opened is open (once) or closed; queued ones are in the queue once.
        var openIds = open.Select(c => c.Id).ToHashSet();
        foreach (var id in model.Opened.Where(id => !openIds.Contains(id)))
        {
            var c = await kefu.Conversations.GetAsync(t, id);
            if (!c.IsClosed)
            {
                return $"conversation {id} is neither open nor closed";
            }
        }

        var queued = open.Where(c => c.State == ConversationState.Queued).Select(c => c.Id).Order().ToList();
        if (!queued.SequenceEqual(queue.Select(q => q.ConversationId).Order()))
        {
            return "the queue and the queued conversations differ";
        }

        if (open.FirstOrDefault(c => c.State is ConversationState.InService or ConversationState.Offered && c.AgentId is null) is { } orphan)
        {
            return $"conversation {orphan.Id} is {orphan.State} without an agent";
        }

        // Nobody waits while an eligible online agent has room.
        foreach (var waiting in queue)
        {
            var phone = waiting.Media == MediaKind.Voice;
            var free = presence.FirstOrDefault(p =>
                (phone ? p.VoiceStatus == AgentStatus.Online && p.ActiveCalls == 0 : p.Status == AgentStatus.Online && p.ActiveConversations - p.ActiveCalls < p.MaxConcurrentChats)
                && (waiting.AgentId is null || waiting.AgentId == p.AgentId)
                && (waiting.GroupId is null || (groups.TryGetValue(waiting.GroupId.Value, out var members) && members.Contains(p.AgentId)))
                && (waiting.Queue != QueueTargetKind.Ungrouped || !groups.Values.Any(m => m.Contains(p.AgentId)))
                && (!model.Excluded.TryGetValue(waiting.ConversationId, out var excluded) || excluded != p.AgentId));
            if (free is not null)
            {
                return $"conversation {waiting.ConversationId} waits for group {waiting.GroupId} ({waiting.Media}) while agent {free.AgentId} is online with room";
            }
        }

        return null;
    }
}
