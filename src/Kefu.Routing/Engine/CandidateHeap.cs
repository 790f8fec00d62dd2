namespace Kefu.Routing.Engine;

/// <summary>An agent's place in one candidate heap.</summary>
internal sealed class HeapNode(IRoutingAgent agent, CandidateHeap heap, long groupId)
{
    public IRoutingAgent Agent { get; } = agent;
    public CandidateHeap Heap { get; } = heap;
    public long GroupId { get; } = groupId;
    public long AgentId { get; } = agent.Agent.Id;

    /// <summary>The node's index in the heap, or -1 while the agent is not eligible.</summary>
    public int Index = -1;
}

/// <summary>
/// The eligible agents of one skill group (or of the whole tenant) for one media, ordered best first by the group's
/// strategy: an indexed binary heap, so eligibility and load changes cost O(log n) and the best agent is at the root.
/// Only agents who may take one more conversation of the media automatically are in it.
/// </summary>
internal sealed class CandidateHeap(MediaKind media, IAssignmentStrategy strategy)
{
    private HeapNode[] _items = new HeapNode[8];

    public MediaKind Media { get; } = media;
    public IAssignmentStrategy Strategy { get; private set; } = strategy;
    public int Count { get; private set; }

    /// <summary>Replaces the strategy and restores the heap order.</summary>
    public void SetStrategy(IAssignmentStrategy strategy)
    {
        if (ReferenceEquals(strategy, Strategy))
        {
            return;
        }

        Strategy = strategy;
        for (var i = (Count / 2) - 1; i >= 0; i--)
        {
            SiftDown(i);
        }
    }

    /// <summary>Puts the node where its agent's eligibility and rank say it belongs.</summary>
    public void Update(HeapNode node)
    {
        var eligible = node.Agent.CanTakeAutomatically(Media);
        if (node.Index < 0)
        {
            if (eligible)
            {
                Insert(node);
            }
        }
        else if (!eligible)
        {
            Remove(node);
        }
        else
        {
            var i = node.Index;
            SiftUp(i);
            if (node.Index == i)
            {
                SiftDown(i);
            }
        }
    }

    public void Remove(HeapNode node)
    {
        var i = node.Index;
        if (i < 0)
        {
            return;
        }

        node.Index = -1;
        var last = --Count;
        if (i != last)
        {
            var moved = _items[last];
            _items[i] = moved;
            moved.Index = i;
            _items[last] = null!;
            SiftUp(i);
            if (moved.Index == i)
            {
                SiftDown(i);
            }
        }
        else
        {
            _items[last] = null!;
        }
    }

    /// <summary>The best eligible node that is not <paramref name="excludedAgentId"/>: the root, or the better of its children.</summary>
    public HeapNode? Best(long? excludedAgentId)
    {
        if (Count == 0)
        {
            return null;
        }

        var root = _items[0];
        if (root.AgentId != excludedAgentId)
        {
            return root;
        }

        if (Count == 1)
        {
            return null;
        }

        return Count == 2 || Compare(_items[1], _items[2]) <= 0 ? _items[1] : _items[2];
    }

    /// <summary>
    /// Writes the best candidates (best first, without the excluded agent) to <paramref name="destination"/>; the k best
    /// of a binary heap lie in its first k levels, so only the top 15 nodes are looked at.
    /// </summary>
    public int TopCandidates(long? excludedAgentId, Span<RoutingCandidate> destination, DateTimeOffset now)
    {
        Span<int> picked = stackalloc int[RoutingExplanation.MaxCandidates + 1];
        var want = Math.Min(destination.Length, RoutingExplanation.MaxCandidates);
        var levels = Math.Min(Count, excludedAgentId is null ? 7 : 15);
        var n = 0;
        for (var i = 0; i < levels; i++)
        {
            if (_items[i].AgentId == excludedAgentId)
            {
                continue;
            }

            // Insertion into the short sorted list of the best so far.
            var at = n;
            while (at > 0 && Compare(_items[i], _items[picked[at - 1]]) < 0)
            {
                at--;
            }

            if (at >= want)
            {
                continue;
            }

            for (var k = Math.Min(n, want - 1); k > at; k--)
            {
                picked[k] = picked[k - 1];
            }

            picked[at] = i;
            if (n < want)
            {
                n++;
            }
        }

        for (var k = 0; k < n; k++)
        {
            var node = _items[picked[k]];
            destination[k] = new RoutingCandidate(node.AgentId, Strategy.Score(node.Agent, Media, now));
        }

        return n;
    }

    private int Compare(HeapNode x, HeapNode y)
    {
        var c = Strategy.Compare(x.Agent, y.Agent, Media);
        return c != 0 ? c : x.AgentId.CompareTo(y.AgentId);
    }

    private void Insert(HeapNode node)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = node;
        node.Index = Count;
        Count++;
        SiftUp(node.Index);
    }

    private void SiftUp(int i)
    {
        var node = _items[i];
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (Compare(node, _items[parent]) >= 0)
            {
                break;
            }

            _items[i] = _items[parent];
            _items[i].Index = i;
            i = parent;
        }

        _items[i] = node;
        node.Index = i;
    }

    private void SiftDown(int i)
    {
        var node = _items[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Compare(_items[child + 1], _items[child]) < 0)
            {
                child++;
            }

            if (Compare(_items[child], node) >= 0)
            {
                break;
            }

            _items[i] = _items[child];
            _items[i].Index = i;
            i = child;
        }

        _items[i] = node;
        node.Index = i;
    }
}
