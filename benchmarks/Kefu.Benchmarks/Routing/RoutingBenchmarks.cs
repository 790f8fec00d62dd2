using BenchmarkDotNet.Attributes;
using Kefu.Events;
using Kefu.Model;
using Kefu.Routing;
using Kefu.Storage.InMemory;
using Microsoft.Extensions.Options;

namespace Kefu.Benchmarks.Routing;

/// <summary>
/// One routing decision of Kefu.Routing's policy with 100, 1,000 and 10,000 agents in a skill group and 10,000
/// conversations queued for it, on the policy's own indexes (as the tenant's worker calls it):
/// <list type="bullet">
/// <item><see cref="AssignAndRelease"/>: a new conversation is routed to the group (the strategy's best eligible agent),
/// the agent's load rises and later falls again, each change announced to the policy as the engine does.</item>
/// <item><see cref="SelectForFreedAgent"/>: an agent frees up and the policy picks the oldest conversation it may take
/// from the queues of its groups (the drain).</item>
/// </list>
/// The goal: the cost grows at most 3× from 100 to 10,000 agents (no scan of the agents) and nothing is allocated.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const long GroupId = 1_000_000;
    private const int Queued = 10_000;

    private RuleBasedRoutingPolicy _policy = null!;
    private BenchView _view = null!;
    private RoutingRequest _request;
    private long _sequence;

    /// <summary>Agents in the group.</summary>
    [Params(100, 1_000, 10_000)]
    public int Agents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var store = new InMemoryKefuStore();
        IAssignmentStrategy[] strategies = [new LeastLoadedStrategy(), new RoundRobinStrategy(), new LongestIdleStrategy(), new BestPickUpRateStrategy()];
        _policy = new RuleBasedRoutingPolicy(store, store, TimeProvider.System, strategies, Options.Create(new RoutingOptions()));
        _view = new BenchView(Agents, Queued, GroupId);
        foreach (var agent in _view.AgentList)
        {
            _policy.AgentChanged(agent, _view);
        }

        _request = new RoutingRequest(1, 1, ChannelKind.Web, null, null, null, EntryGroupId: GroupId, null, null, null, RoutingReason.New);
    }

    [Benchmark]
    public long AssignAndRelease()
    {
        var decision = _policy.Route(_request, _view);
        var agent = _view.ById(decision.AgentId!.Value);
        _view.Tick();
        agent.Chats++;
        agent.IdleSince = _view.Now;
        agent.LastAssignedSequence = ++_sequence;
        _policy.AgentChanged(agent, _view);
        agent.Chats--;
        agent.IdleSince = _view.Now;
        _policy.AgentChanged(agent, _view);
        return agent.Agent.Id;
    }

    [Benchmark]
    public long SelectForFreedAgent()
    {
        var agent = _view.AgentList[(int)(_sequence++ % _view.AgentList.Count)];
        return _policy.SelectForAgent(agent, MediaKind.Chat, _view)?.ConversationId ?? 0;
    }

    private sealed class BenchAgent(Agent agent, long groupId) : IRoutingAgent
    {
        private readonly HashSet<long> _groups = [groupId];

        public Agent Agent { get; } = agent;
        public AgentStatus Status => AgentStatus.Online;
        public int Chats { get; set; }
        public int ActiveConversations => Chats;
        public bool HasSpareCapacity => Chats < Agent.MaxConcurrentChats;
        public DateTimeOffset IdleSince { get; set; }
        public long LastAssignedSequence { get; set; }
        public int OffersReceived => 0;
        public int OffersAccepted => 0;
        public IReadOnlyCollection<long> Groups => _groups;
        public AgentStatus StatusOf(MediaKind media) => media == MediaKind.Chat ? AgentStatus.Online : AgentStatus.Offline;
        public int ActiveOf(MediaKind media) => media == MediaKind.Chat ? Chats : 0;
        public int CapacityOf(MediaKind media) => media == MediaKind.Chat ? Agent.MaxConcurrentChats : 1;
        public bool CanTakeAutomatically(MediaKind media) => StatusOf(media) == AgentStatus.Online && ActiveOf(media) < CapacityOf(media);
        public bool IsMemberOf(long id) => _groups.Contains(id);
    }

    private sealed class BenchQueued(long id, long order, QueueKey key, DateTimeOffset at) : IQueuedConversation
    {
        public long ConversationId { get; } = id;
        public QueueKey Queue { get; } = key;
        public long? GroupId => Queue.Id;
        public DateTimeOffset QueuedAt { get; } = at;
        public long? ExcludedAgentId => null;
        public long Order { get; } = order;
        public IQueuedConversation? Next { get; set; }
    }

    private sealed class BenchQueue(QueueKey key) : IRoutingQueue
    {
        public QueueKey Key { get; } = key;
        public int Count { get; set; }
        public IQueuedConversation? Oldest { get; set; }
    }

    private sealed class BenchView : IRoutingView
    {
        private readonly Dictionary<long, BenchAgent> _byId = [];
        private readonly Dictionary<QueueKey, BenchQueue> _queues = [];
        private readonly SkillGroup _group;

        public BenchView(int agents, int queued, long groupId)
        {
            Now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < agents; i++)
            {
                var agent = new BenchAgent(new Agent
                {
                    Id = i + 1,
                    Account = $"agent{i}",
                    PasswordHash = "-",
                    Name = $"Agent {i}",
                    EmployeeNumber = $"{i}",
                    MaxConcurrentChats = 10,
                }, groupId)
                { IdleSince = Now.AddSeconds(-i) };
                AgentList.Add(agent);
                _byId[agent.Agent.Id] = agent;
            }

            _group = new SkillGroup(groupId, "Bench", [.. AgentList.Select(a => a.Agent.Id)]);
            var key = QueueKey.Group(groupId, MediaKind.Chat);
            var queue = new BenchQueue(key) { Count = queued };
            BenchQueued? previous = null;
            for (var i = 0; i < queued; i++)
            {
                var entry = new BenchQueued(10_000_000 + i, i + 1, key, Now);
                if (previous is null)
                {
                    queue.Oldest = entry;
                }
                else
                {
                    previous.Next = entry;
                }

                previous = entry;
            }

            _queues[key] = queue;
            QueuedCount = queued;
        }

        public List<BenchAgent> AgentList { get; } = [];
        public long TenantId => 1;
        public DateTimeOffset Now { get; private set; }
        public TenantSettings Settings { get; } = new();
        public IReadOnlyList<IRoutingAgent> Agents => AgentList;
        public int QueuedCount { get; }
        public int QueuedCountOf(MediaKind media) => media == MediaKind.Chat ? QueuedCount : 0;
        public IEnumerable<IRoutingQueue> Queues => _queues.Values;
        public object? PolicyState { get; set; }

        public BenchAgent ById(long id) => _byId[id];
        public void Tick() => Now = Now.AddMilliseconds(1);
        public IRoutingAgent? FindAgent(long agentId) => _byId.GetValueOrDefault(agentId);
        public SkillGroup? FindGroup(long groupId) => groupId == _group.Id ? _group : null;

        public IRoutingQueue QueueOf(QueueKey key)
        {
            if (!_queues.TryGetValue(key, out var queue))
            {
                queue = new BenchQueue(key);
                _queues[key] = queue;
            }

            return queue;
        }
    }
}
