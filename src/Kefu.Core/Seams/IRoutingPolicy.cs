using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Routing;

/// <summary>What an agent serves, for presence and capacity (R6, R7): chats, voice calls, video calls.</summary>
public enum MediaKind
{
    /// <summary>Web, H5, app and social-channel chats: many at once, up to the agent's maximum.</summary>
    Chat,
    /// <summary>Voice calls of the call centre: one at a time.</summary>
    Voice,
    /// <summary>Video calls: one at a time.</summary>
    Video,
}

/// <summary>Maps channel kinds to media kinds.</summary>
public static class MediaKinds
{
    /// <summary>All media kinds.</summary>
    public static IReadOnlyList<MediaKind> All { get; } = [MediaKind.Chat, MediaKind.Voice, MediaKind.Video];

    /// <summary>The media a conversation of <paramref name="kind"/> uses: phone is voice, video is video, the rest chat.</summary>
    public static MediaKind Of(ChannelKind kind) => kind switch
    {
        ChannelKind.Phone => MediaKind.Voice,
        ChannelKind.Video => MediaKind.Video,
        _ => MediaKind.Chat,
    };
}

/// <summary>An agent as the routing policy sees it inside the tenant's worker.</summary>
public interface IRoutingAgent
{
    /// <summary>The agent.</summary>
    Agent Agent { get; }
    /// <summary>The agent's chat presence (the status agents set in the workbench).</summary>
    AgentStatus Status { get; }
    /// <summary>The agent's presence for <paramref name="media"/>: chat follows <see cref="Status"/>; voice and video are signed in separately.</summary>
    AgentStatus StatusOf(MediaKind media);
    /// <summary>Conversations the agent serves or is offered now, of every media.</summary>
    int ActiveConversations { get; }
    /// <summary>Conversations of <paramref name="media"/> the agent serves or is offered now.</summary>
    int ActiveOf(MediaKind media);
    /// <summary>How many conversations of <paramref name="media"/> the agent takes at once: the maximum chats, or 1 for voice and video (R7).</summary>
    int CapacityOf(MediaKind media);
    /// <summary>Whether the agent has room for one more chat.</summary>
    bool HasSpareCapacity { get; }
    /// <summary>Whether automatic assignment may give the agent one more conversation of <paramref name="media"/>: online for it, with room.</summary>
    bool CanTakeAutomatically(MediaKind media);
    /// <summary>When the agent last came online, was given a conversation or finished one.</summary>
    DateTimeOffset IdleSince { get; }
    /// <summary>A tenant-wide counter value taken when the agent was last given a conversation (0 never): orders agents for round robin.</summary>
    long LastAssignedSequence { get; }
    /// <summary>Conversations offered to the agent (ringing) since the tenant loaded.</summary>
    int OffersReceived { get; }
    /// <summary>Offers the agent accepted.</summary>
    int OffersAccepted { get; }
    /// <summary>The skill groups the agent belongs to.</summary>
    IReadOnlyCollection<long> Groups { get; }
    /// <summary>Whether the agent belongs to the skill group.</summary>
    bool IsMemberOf(long groupId);
}

/// <summary>Which queue a waiting conversation is in.</summary>
public enum QueueTargetKind
{
    /// <summary>The tenant's queue: any agent may take it.</summary>
    Any,
    /// <summary>A skill group's queue: its members may take it.</summary>
    Group,
    /// <summary>A named agent's queue (a navigation rule chose that agent): only that agent takes it.</summary>
    Agent,
    /// <summary>The queue of agents in no skill group (E17 8.5.4, the default rule).</summary>
    Ungrouped,
}

/// <summary>A queue: what it holds (the tenant's, a group's or an agent's) and for which media.</summary>
/// <param name="Kind">Whose queue.</param>
/// <param name="Id">The group or agent id; 0 for the tenant's queue.</param>
/// <param name="Media">The media of the conversations in it.</param>
public readonly record struct QueueKey(QueueTargetKind Kind, long Id, MediaKind Media)
{
    /// <summary>The tenant's queue for <paramref name="media"/>.</summary>
    public static QueueKey Any(MediaKind media) => new(QueueTargetKind.Any, 0, media);
    /// <summary>A skill group's queue.</summary>
    public static QueueKey Group(long groupId, MediaKind media) => new(QueueTargetKind.Group, groupId, media);
    /// <summary>A named agent's queue.</summary>
    public static QueueKey Agent(long agentId, MediaKind media) => new(QueueTargetKind.Agent, agentId, media);
    /// <summary>The queue of agents in no skill group.</summary>
    public static QueueKey Ungrouped(MediaKind media) => new(QueueTargetKind.Ungrouped, 0, media);
    /// <summary>The queue for a group when one is given, else the tenant's.</summary>
    public static QueueKey For(long? groupId, MediaKind media) => groupId is { } g ? Group(g, media) : Any(media);

    /// <summary>Whether <paramref name="agent"/> may take conversations from this queue (membership only, not presence).</summary>
    public bool Admits(IRoutingAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Kind switch
        {
            QueueTargetKind.Any => true,
            QueueTargetKind.Group => agent.IsMemberOf(Id),
            QueueTargetKind.Ungrouped => agent.Groups.Count == 0,
            _ => agent.Agent.Id == Id,
        };
    }
}

/// <summary>A conversation waiting in a queue.</summary>
public interface IQueuedConversation
{
    /// <summary>The conversation id.</summary>
    long ConversationId { get; }
    /// <summary>The queue it waits in.</summary>
    QueueKey Queue { get; }
    /// <summary>The skill group it waits for, null for the tenant's or an agent's queue.</summary>
    long? GroupId { get; }
    /// <summary>When it joined the queue.</summary>
    DateTimeOffset QueuedAt { get; }
    /// <summary>An agent it must not go to (the agent who transferred it away, declined it or went offline), or null.</summary>
    long? ExcludedAgentId { get; }
    /// <summary>A tenant-wide number that grows with every enqueue: orders conversations across queues, oldest first, even within one millisecond.</summary>
    long Order { get; }
    /// <summary>The next (younger) conversation of the same queue, or null: walk a queue without allocating.</summary>
    IQueuedConversation? Next { get; }
}

/// <summary>One queue, oldest first.</summary>
public interface IRoutingQueue
{
    /// <summary>Which queue.</summary>
    QueueKey Key { get; }
    /// <summary>How many conversations wait in it.</summary>
    int Count { get; }
    /// <summary>The conversation that has waited longest, or null when empty; follow <see cref="IQueuedConversation.Next"/>.</summary>
    IQueuedConversation? Oldest { get; }
}

/// <summary>What a routing policy may read of a tenant, inside the tenant's worker.</summary>
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
    /// <summary>The agent, or null.</summary>
    IRoutingAgent? FindAgent(long agentId);
    /// <summary>The skill group, or null.</summary>
    SkillGroup? FindGroup(long groupId);
    /// <summary>How many conversations wait in all queues together.</summary>
    int QueuedCount { get; }
    /// <summary>How many conversations of <paramref name="media"/> wait in all queues together.</summary>
    int QueuedCountOf(MediaKind media);
    /// <summary>The queue with that key (an empty one when nobody waits in it).</summary>
    IRoutingQueue QueueOf(QueueKey key);
    /// <summary>The queues somebody waits in.</summary>
    IEnumerable<IRoutingQueue> Queues { get; }
    /// <summary>
    /// State the routing policy keeps for this tenant (indexes of candidates, counters), created by the policy on its
    /// first call. It lives as long as the tenant's worker and is read and written only on the worker's thread.
    /// </summary>
    object? PolicyState { get; set; }
}

/// <summary>Why a conversation is being routed.</summary>
public enum RoutingReason
{
    /// <summary>A visitor opened it.</summary>
    New,
    /// <summary>A robot hands it to a human (E17 8.5.5).</summary>
    HandOff,
    /// <summary>An agent transferred it to a skill group.</summary>
    Transfer,
    /// <summary>Its agent went offline and the tenant requeues such conversations.</summary>
    Requeue,
    /// <summary>The agent it was offered to declined it.</summary>
    OfferDeclined,
    /// <summary>The agent it was offered to did not answer in time (R12).</summary>
    OfferTimedOut,
    /// <summary>It waited in a queue and an agent who may take it became free (the drain, R9).</summary>
    CapacityFreed,
    /// <summary>An agent picked it from the queue, accepted its offer or invited the visitor.</summary>
    ByAgent,
}

/// <summary>Why a conversation needs routing.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="VisitorId">The visitor.</param>
/// <param name="ChannelKind">Its channel kind.</param>
/// <param name="ChannelId">Its channel.</param>
/// <param name="AssociationId">Its association.</param>
/// <param name="Entry">The entry the visitor used.</param>
/// <param name="EntryGroupId">The skill group the visitor's entry (button) is bound to.</param>
/// <param name="NavigationOption">The consultation-navigation option the visitor chose (R3), or null.</param>
/// <param name="TargetGroupId">The group a transfer, a robot's hand-off or a requeue asks for; null to let the policy decide.</param>
/// <param name="ExcludedAgentId">An agent not to choose (the one transferring away, declining or gone offline).</param>
/// <param name="Reason">Why it is routed.</param>
public readonly record struct RoutingRequest(
    long ConversationId,
    long VisitorId,
    ChannelKind ChannelKind,
    long? ChannelId,
    long? AssociationId,
    string? Entry,
    long? EntryGroupId,
    string? NavigationOption,
    long? TargetGroupId,
    long? ExcludedAgentId,
    RoutingReason Reason)
{
    /// <summary>True when a robot hands the conversation to a human.</summary>
    public bool FromBot => Reason == RoutingReason.HandOff;

    /// <summary>The conversation's media.</summary>
    public MediaKind Media => MediaKinds.Of(ChannelKind);
}

/// <summary>What to do with a conversation.</summary>
public enum RoutingOutcome
{
    /// <summary>Give it to <see cref="RoutingDecision.AgentId"/> now.</summary>
    Assign,
    /// <summary>Offer it to <see cref="RoutingDecision.AgentId"/>, who must accept (ringing).</summary>
    Offer,
    /// <summary>Put it in the queue of <see cref="RoutingDecision.GroupId"/>, of the agent <see cref="RoutingDecision.AgentId"/>, of the agents in no group (<see cref="RoutingDecision.Ungrouped"/>), or the tenant's.</summary>
    Queue,
    /// <summary>Hand it to the robot <see cref="RoutingDecision.RobotId"/>.</summary>
    Bot,
    /// <summary>Refuse a robot's hand-off: the conversation stays with its robot (robot-only mode).</summary>
    StayWithBot,
}

/// <summary>An agent the policy considered, with the strategy's score (lower is better unless the strategy says otherwise).</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Score">The strategy's score for the agent.</param>
public readonly record struct RoutingCandidate(long AgentId, double Score);

/// <summary>Up to three candidates, kept inline so a decision allocates nothing.</summary>
[InlineArray(RoutingExplanation.MaxCandidates)]
public struct RoutingCandidateBuffer
{
    private RoutingCandidate _element;
}

/// <summary>
/// Why a routing decision was made (R13): the rule that matched, the strategy, how many agents were eligible, the best
/// candidates with their scores, and the reason for the outcome. A value type: building one allocates nothing.
/// </summary>
public readonly struct RoutingExplanation : IEquatable<RoutingExplanation>
{
    /// <summary>How many candidates an explanation keeps.</summary>
    public const int MaxCandidates = 3;

    private readonly RoutingCandidateBuffer _candidates;

    /// <summary>Creates an explanation.</summary>
    /// <param name="rule">The rule that matched ("channel rule: Web, work hours"), or empty.</param>
    /// <param name="reason">Why this outcome.</param>
    /// <param name="strategy">The strategy that ranked the candidates, or null.</param>
    /// <param name="eligible">How many agents were eligible.</param>
    /// <param name="candidates">The best candidates, best first; at most <see cref="MaxCandidates"/> are kept.</param>
    public RoutingExplanation(string rule, string reason, string? strategy = null, int eligible = 0, ReadOnlySpan<RoutingCandidate> candidates = default)
    {
        Rule = rule ?? string.Empty;
        Reason = reason ?? string.Empty;
        Strategy = strategy;
        Eligible = eligible;
        CandidateCount = Math.Min(candidates.Length, MaxCandidates);
        for (var i = 0; i < CandidateCount; i++)
        {
            _candidates[i] = candidates[i];
        }
    }

    /// <summary>The rule that matched, or empty.</summary>
    public string Rule { get; }
    /// <summary>Why this outcome.</summary>
    public string Reason { get; }
    /// <summary>The strategy that ranked the candidates, or null.</summary>
    public string? Strategy { get; }
    /// <summary>How many agents were eligible.</summary>
    public int Eligible { get; }
    /// <summary>How many candidates are kept.</summary>
    public int CandidateCount { get; }

    /// <summary>The candidate at <paramref name="index"/>, best first.</summary>
    public RoutingCandidate this[int index] => (uint)index < (uint)CandidateCount ? _candidates[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>An explanation that is only a reason.</summary>
    public static implicit operator RoutingExplanation(string reason) => new(string.Empty, reason);

    /// <summary>The explanation as one line of text.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Rule.Length > 0)
        {
            text.Append(Rule).Append(": ");
        }

        text.Append(Reason);
        if (Strategy is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{Strategy}, {Eligible} eligible");
            for (var i = 0; i < CandidateCount; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "; " : ", ")}agent {_candidates[i].AgentId} score {_candidates[i].Score:0.###}");
            }

            text.Append(']');
        }

        return text.ToString();
    }

    /// <summary>The explanation in the events' form.</summary>
    public RoutingExplanationInfo ToEvent()
    {
        var info = new RoutingExplanationInfo { Rule = Rule, Reason = Reason, Strategy = Strategy ?? string.Empty, Eligible = Eligible };
        for (var i = 0; i < CandidateCount; i++)
        {
            info.Candidates.Add(new RoutingCandidateInfo { AgentId = _candidates[i].AgentId, Score = _candidates[i].Score });
        }

        return info;
    }

    /// <inheritdoc />
    public bool Equals(RoutingExplanation other)
    {
        if (Rule != other.Rule || Reason != other.Reason || Strategy != other.Strategy || Eligible != other.Eligible || CandidateCount != other.CandidateCount)
        {
            return false;
        }

        for (var i = 0; i < CandidateCount; i++)
        {
            if (_candidates[i] != other._candidates[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RoutingExplanation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rule, Reason, Strategy, Eligible, CandidateCount);

    /// <summary>Equality.</summary>
    public static bool operator ==(RoutingExplanation left, RoutingExplanation right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RoutingExplanation left, RoutingExplanation right) => !left.Equals(right);
}

/// <summary>A routing decision with its explanation (R13).</summary>
/// <param name="Outcome">What to do.</param>
/// <param name="AgentId">The agent, for <see cref="RoutingOutcome.Assign"/> and <see cref="RoutingOutcome.Offer"/>; for <see cref="RoutingOutcome.Queue"/>, the named agent whose queue to join.</param>
/// <param name="GroupId">The skill group the conversation belongs to now.</param>
/// <param name="RobotId">The robot, for <see cref="RoutingOutcome.Bot"/>.</param>
/// <param name="Explanation">Which rule matched, which candidates there were, why this one.</param>
public readonly record struct RoutingDecision(RoutingOutcome Outcome, long? AgentId, long? GroupId, long? RobotId, RoutingExplanation Explanation)
{
    /// <summary>For <see cref="RoutingOutcome.Queue"/>: wait in the queue of the agents in no skill group rather than the tenant's.</summary>
    public bool Ungrouped { get; init; }

    /// <summary>Queue for the agents in no skill group (E17 8.5.4).</summary>
    public static RoutingDecision QueueForUngrouped(RoutingExplanation explanation) => new(RoutingOutcome.Queue, null, null, null, explanation) { Ungrouped = true };

    /// <summary>Assign to an agent.</summary>
    public static RoutingDecision AssignTo(long agentId, long? groupId, RoutingExplanation explanation) => new(RoutingOutcome.Assign, agentId, groupId, null, explanation);
    /// <summary>Offer to an agent.</summary>
    public static RoutingDecision OfferTo(long agentId, long? groupId, RoutingExplanation explanation) => new(RoutingOutcome.Offer, agentId, groupId, null, explanation);
    /// <summary>Queue for a group (or the tenant's queue when null).</summary>
    public static RoutingDecision QueueFor(long? groupId, RoutingExplanation explanation) => new(RoutingOutcome.Queue, null, groupId, null, explanation);
    /// <summary>Queue for a named agent.</summary>
    public static RoutingDecision QueueForAgent(long agentId, RoutingExplanation explanation) => new(RoutingOutcome.Queue, agentId, null, null, explanation);
    /// <summary>Hand to a robot.</summary>
    public static RoutingDecision ToBot(long robotId, RoutingExplanation explanation) => new(RoutingOutcome.Bot, null, null, robotId, explanation);
    /// <summary>Keep the conversation with its robot.</summary>
    public static RoutingDecision StayWithBot(RoutingExplanation explanation) => new(RoutingOutcome.StayWithBot, null, null, null, explanation);
}

/// <summary>
/// The routing seam: decides where conversations go. Called inside the tenant's sequential worker, so an
/// implementation needs no locks for per-tenant state (keep it in <see cref="IRoutingView.PolicyState"/>) and must not
/// block. Kefu.Routing implements rules, queues and strategies on it; Core's default is
/// <see cref="FirstAvailableAgentRoutingPolicy"/>.
/// </summary>
public interface IRoutingPolicy
{
    /// <summary>Decides where a conversation that needs a human (or a robot) goes.</summary>
    RoutingDecision Route(in RoutingRequest request, IRoutingView view);

    /// <summary>
    /// Called when <paramref name="agent"/> may take one more conversation of <paramref name="media"/> (a conversation
    /// ended, the agent came online, capacity was raised, a transfer completed): returns the queued conversation the
    /// agent should take now, if any.
    /// </summary>
    IQueuedConversation? SelectForAgent(IRoutingAgent agent, MediaKind media, IRoutingView view);

    /// <summary>
    /// Whether a queued conversation that <see cref="SelectForAgent"/> chose is assigned at once
    /// (<see cref="RoutingOutcome.Assign"/>) or rings first (<see cref="RoutingOutcome.Offer"/>). By default calls ring
    /// and chats are assigned.
    /// </summary>
    RoutingOutcome DrainOutcome(IQueuedConversation waiting, MediaKind media, IRoutingView view) =>
        media == MediaKind.Chat ? RoutingOutcome.Assign : RoutingOutcome.Offer;

    /// <summary>
    /// Called after anything the policy may rank an agent by changed: presence, load, capacity, groups, idle time,
    /// offers; <paramref name="removed"/> when the agent was deleted. Policies that keep indexes update them here.
    /// </summary>
    void AgentChanged(IRoutingAgent agent, IRoutingView view, bool removed = false)
    {
    }

    /// <summary>Loads what the policy keeps for a tenant (rules) before the tenant's worker starts.</summary>
    ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Names of the routing rules of a tenant that use a skill group; a group in use cannot be deleted (C5).</summary>
    IReadOnlyList<string> RulesUsingGroup(long tenantId, long groupId);
}

/// <summary>
/// Core's default routing: the first online agent (in creation order) with room, restricted to the requested skill
/// group's members when there is one; otherwise the conversation queues. When capacity frees, the oldest waiting
/// conversation the agent may take. No robots, no rules, linear scans: Kefu.Routing is the engine for real tenants.
/// </summary>
public sealed class FirstAvailableAgentRoutingPolicy : IRoutingPolicy
{
    /// <inheritdoc />
    public RoutingDecision Route(in RoutingRequest request, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var group = request.TargetGroupId ?? request.EntryGroupId;
        var media = request.Media;
        var agents = view.Agents;
        for (var i = 0; i < agents.Count; i++)
        {
            var agent = agents[i];
            if (agent.CanTakeAutomatically(media) && agent.Agent.Id != request.ExcludedAgentId && (group is null || agent.IsMemberOf(group.Value)))
            {
                return RoutingDecision.AssignTo(agent.Agent.Id, group, "first online agent with spare capacity");
            }
        }

        return RoutingDecision.QueueFor(group, group is null ? "no online agent with spare capacity" : "no online member of the group with spare capacity");
    }

    /// <inheritdoc />
    public IQueuedConversation? SelectForAgent(IRoutingAgent agent, MediaKind media, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(view);
        IQueuedConversation? best = null;
        foreach (var queue in view.Queues)
        {
            if (queue.Key.Media != media || !queue.Key.Admits(agent))
            {
                continue;
            }

            for (var waiting = queue.Oldest; waiting is not null; waiting = waiting.Next)
            {
                if (waiting.ExcludedAgentId != agent.Agent.Id)
                {
                    if (best is null || waiting.Order < best.Order)
                    {
                        best = waiting;
                    }

                    break;
                }
            }
        }

        return best;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> RulesUsingGroup(long tenantId, long groupId) => [];
}
