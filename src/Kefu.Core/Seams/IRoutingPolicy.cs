using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing;

/// <summary>An agent as the routing policy sees it inside the tenant's worker.</summary>
public interface IRoutingAgent
{
    /// <summary>The agent.</summary>
    Agent Agent { get; }
    /// <summary>The agent's presence.</summary>
    AgentStatus Status { get; }
    /// <summary>Conversations the agent serves now.</summary>
    int ActiveConversations { get; }
    /// <summary>Whether the agent has room for one more automatic assignment.</summary>
    bool HasSpareCapacity { get; }
    /// <summary>When the agent was last given a conversation, or came online.</summary>
    DateTimeOffset IdleSince { get; }
    /// <summary>Whether the agent belongs to the skill group.</summary>
    bool IsMemberOf(long groupId);
}

/// <summary>A conversation waiting in a queue.</summary>
public interface IQueuedConversation
{
    /// <summary>The conversation id.</summary>
    long ConversationId { get; }
    /// <summary>The skill group it waits for, null for any agent.</summary>
    long? GroupId { get; }
    /// <summary>When it joined the queue.</summary>
    DateTimeOffset QueuedAt { get; }
    /// <summary>An agent it must not go to (the agent who transferred it away or went offline), or null.</summary>
    long? ExcludedAgentId { get; }
}

/// <summary>What a routing policy may read of a tenant, inside the tenant's worker. Valid only during the call.</summary>
public interface IRoutingView
{
    /// <summary>The tenant.</summary>
    long TenantId { get; }
    /// <summary>The current time.</summary>
    DateTimeOffset Now { get; }
    /// <summary>The tenant's settings.</summary>
    TenantSettings Settings { get; }
    /// <summary>All agents of the tenant, in the order they were created.</summary>
    IReadOnlyList<IRoutingAgent> Agents { get; }
    /// <summary>Waiting conversations, oldest first.</summary>
    IReadOnlyList<IQueuedConversation> Queue { get; }
    /// <summary>The skill group, or null.</summary>
    SkillGroup? FindGroup(long groupId);
}

/// <summary>Why a conversation needs routing.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="VisitorId">The visitor.</param>
/// <param name="ChannelKind">Its channel kind.</param>
/// <param name="ChannelId">Its channel.</param>
/// <param name="AssociationId">Its association.</param>
/// <param name="Entry">The entry the visitor used.</param>
/// <param name="RequestedGroupId">A skill group asked for by the visitor's entry, a transfer or a robot's hand-off.</param>
/// <param name="ExcludedAgentId">An agent not to choose (the one transferring away).</param>
/// <param name="FromBot">True when a robot hands the conversation to a human.</param>
public readonly record struct RoutingRequest(
    long ConversationId,
    long VisitorId,
    ChannelKind ChannelKind,
    long? ChannelId,
    long? AssociationId,
    string? Entry,
    long? RequestedGroupId,
    long? ExcludedAgentId,
    bool FromBot);

/// <summary>What to do with a conversation.</summary>
public enum RoutingOutcome
{
    /// <summary>Give it to <see cref="RoutingDecision.AgentId"/> now.</summary>
    Assign,
    /// <summary>Offer it to <see cref="RoutingDecision.AgentId"/>, who must accept.</summary>
    Offer,
    /// <summary>Put it in the queue of <see cref="RoutingDecision.GroupId"/> (or the tenant's queue when null).</summary>
    Queue,
    /// <summary>Hand it to the robot <see cref="RoutingDecision.RobotId"/>.</summary>
    Bot,
}

/// <summary>A routing decision with its explanation (R13).</summary>
/// <param name="Outcome">What to do.</param>
/// <param name="AgentId">The agent, for <see cref="RoutingOutcome.Assign"/> and <see cref="RoutingOutcome.Offer"/>.</param>
/// <param name="GroupId">The skill group the conversation belongs to now.</param>
/// <param name="RobotId">The robot, for <see cref="RoutingOutcome.Bot"/>.</param>
/// <param name="Explanation">Which rule matched, which candidates there were, why this one.</param>
public readonly record struct RoutingDecision(RoutingOutcome Outcome, long? AgentId, long? GroupId, long? RobotId, string Explanation)
{
    /// <summary>Assign to an agent.</summary>
    public static RoutingDecision AssignTo(long agentId, long? groupId, string explanation) => new(RoutingOutcome.Assign, agentId, groupId, null, explanation);
    /// <summary>Offer to an agent.</summary>
    public static RoutingDecision OfferTo(long agentId, long? groupId, string explanation) => new(RoutingOutcome.Offer, agentId, groupId, null, explanation);
    /// <summary>Queue for a group.</summary>
    public static RoutingDecision QueueFor(long? groupId, string explanation) => new(RoutingOutcome.Queue, null, groupId, null, explanation);
    /// <summary>Hand to a robot.</summary>
    public static RoutingDecision ToBot(long robotId, string explanation) => new(RoutingOutcome.Bot, null, null, robotId, explanation);
}

/// <summary>
/// The routing seam: decides where conversations go. Called inside the tenant's sequential worker, so an
/// implementation needs no locks for per-tenant state and must not block. Kefu.Routing implements rules, queues and
/// strategies on it; Core's default is <see cref="FirstAvailableAgentRoutingPolicy"/>.
/// </summary>
public interface IRoutingPolicy
{
    /// <summary>Decides where a conversation that needs a human (or a robot) goes.</summary>
    RoutingDecision Route(in RoutingRequest request, IRoutingView view);

    /// <summary>
    /// Called when <paramref name="agent"/> has spare capacity (a conversation ended, the agent came online, capacity
    /// was raised, a transfer completed): returns the queued conversation the agent should take now, if any.
    /// </summary>
    IQueuedConversation? SelectForAgent(IRoutingAgent agent, IRoutingView view);

    /// <summary>Names of the routing rules of a tenant that use a skill group; a group in use cannot be deleted (C5).</summary>
    IReadOnlyList<string> RulesUsingGroup(long tenantId, long groupId);
}

/// <summary>
/// Core's default routing: the first online agent (in creation order) with spare capacity, restricted to the
/// requested skill group's members when there is one; otherwise the conversation queues. When capacity frees, the
/// oldest waiting conversation the agent may take. No robots, no rules.
/// </summary>
public sealed class FirstAvailableAgentRoutingPolicy : IRoutingPolicy
{
    /// <inheritdoc />
    public RoutingDecision Route(in RoutingRequest request, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var group = request.RequestedGroupId;
        var agents = view.Agents;
        for (var i = 0; i < agents.Count; i++)
        {
            var agent = agents[i];
            if (agent.Status == AgentStatus.Online && agent.HasSpareCapacity && agent.Agent.Id != request.ExcludedAgentId
                && (group is null || agent.IsMemberOf(group.Value)))
            {
                return RoutingDecision.AssignTo(agent.Agent.Id, group, "first online agent with spare capacity");
            }
        }

        return RoutingDecision.QueueFor(group, group is null ? "no online agent with spare capacity" : "no online member of the group with spare capacity");
    }

    /// <inheritdoc />
    public IQueuedConversation? SelectForAgent(IRoutingAgent agent, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(view);
        var queue = view.Queue;
        for (var i = 0; i < queue.Count; i++)
        {
            var waiting = queue[i];
            if ((waiting.GroupId is null || agent.IsMemberOf(waiting.GroupId.Value)) && waiting.ExcludedAgentId != agent.Agent.Id)
            {
                return waiting;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> RulesUsingGroup(long tenantId, long groupId) => [];
}
