using FsCheck;
using FsCheck.Fluent;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Engine;

/// <summary>
/// Random sequences of arrivals, ends, presence changes, capacity raises and transfers to a group: after every
/// command no agent holds more than its capacity, every open conversation is either waiting once or served by one
/// agent, agents' counts match what they serve, and nobody waits while an eligible online agent has room.
/// </summary>
public class AssignmentPropertyTests
{
    private readonly record struct Op(int Kind, int A, int B);

    private static readonly Gen<Op[]> Operations =
        (from kind in Gen.Choose(0, 6)
         from a in Gen.Choose(0, 99)
         from b in Gen.Choose(0, 99)
         select new Op(kind, a, b)).ListOf().Select(ops => ops.ToArray());

    [Fact]
    public void DefaultRouting_UnderRandomOperations_KeepsItsInvariants()
    {
        var property = Prop.ForAll(Operations.ToArbitrary(), RunAsync);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithEndSize(60), property);
    }

    private static async Task<bool> RunAsync(Op[] ops)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var kefu = h.Kefu;
        var agents = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            agents.Add((await h.AddAgentAsync(maxConcurrentChats: 1)).Id);
        }

        var group = await kefu.Directory.AddSkillGroupAsync(t, "G");
        await kefu.Directory.ChangeSkillGroupMembersAsync(t, group.Id, [agents[0], agents[1]], []);
        var excluded = new Dictionary<long, long>(); // conversation → the agent who transferred it away
        AgentStatus[] statuses = [AgentStatus.Online, AgentStatus.Busy, AgentStatus.Offline, AgentStatus.Online];

        foreach (var op in ops)
        {
            var open = await kefu.Conversations.ListOpenAsync(t);
            var served = open.Where(c => c.State == ConversationState.InService).ToList();
            switch (op.Kind)
            {
                case 0 or 1:
                    await kefu.Conversations.OpenAsync(t, h.Data.Conversation(groupId: op.A % 3 == 0 ? group.Id : null));
                    break;
                case 2 when served.Count > 0:
                    var ending = served[op.A % served.Count];
                    await kefu.Conversations.EndAsync(t, ending.Id, Participant.Agent(ending.AgentId!.Value));
                    break;
                case 3 when open.Count > 0:
                    var leaving = open[op.A % open.Count];
                    await kefu.Conversations.EndAsync(t, leaving.Id, Participant.Visitor(leaving.VisitorId));
                    break;
                case 4:
                    await kefu.Conversations.SetStatusAsync(t, agents[op.A % agents.Count], statuses[op.B % statuses.Length]);
                    break;
                case 5:
                    var agentId = agents[op.A % agents.Count];
                    var agent = await kefu.Directory.GetAgentAsync(t, agentId);
                    var active = (await kefu.Conversations.ListPresenceAsync(t)).Single(p => p.AgentId == agentId).ActiveConversations;
                    var capacity = Math.Max(active, op.B % 4); // raise or keep: lowering below the load is a different rule
                    await kefu.Directory.UpdateAgentAsync(t, agentId, AgentProfile.From(agent) with { MaxConcurrentChats = capacity });
                    break;
                case 6 when served.Count > 0:
                    var moving = served[op.A % served.Count];
                    excluded[moving.Id] = moving.AgentId!.Value;
                    await kefu.Conversations.TransferToGroupAsync(t, moving.Id, moving.AgentId!.Value, group.Id);
                    break;
            }

            if (!await InvariantsHoldAsync(kefu, t, group.Id, excluded))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> InvariantsHoldAsync(IKefu kefu, long t, long groupId, Dictionary<long, long> excluded)
    {
        var open = await kefu.Conversations.ListOpenAsync(t);
        var queue = await kefu.Conversations.GetQueueAsync(t);
        var presence = await kefu.Conversations.ListPresenceAsync(t);
        var members = (await kefu.Directory.ListSkillGroupsAsync(t)).Single(g => g.Id == groupId).MemberIds;

        foreach (var p in presence)
        {
            var serving = open.Count(c => c.AgentId == p.AgentId && c.State is ConversationState.InService or ConversationState.Offered);
            if (serving != p.ActiveConversations || p.ActiveConversations > p.MaxConcurrentChats)
            {
                return false;
            }
        }

        var queued = open.Where(c => c.State == ConversationState.Queued).Select(c => c.Id).Order().ToList();
        if (!queued.SequenceEqual(queue.Select(q => q.ConversationId).Order()) || open.Any(c => c.State == ConversationState.InService && c.AgentId is null))
        {
            return false;
        }

        foreach (var waiting in queue)
        {
            var someoneFree = presence.Any(p => p.Status == AgentStatus.Online && p.ActiveConversations < p.MaxConcurrentChats
                && (waiting.GroupId is null || members.Contains(p.AgentId))
                && (!excluded.TryGetValue(waiting.ConversationId, out var sender) || sender != p.AgentId));
            if (someoneFree)
            {
                return false;
            }
        }

        return true;
    }
}
