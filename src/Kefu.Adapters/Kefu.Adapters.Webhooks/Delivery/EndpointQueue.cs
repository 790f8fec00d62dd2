using Kefu.Adapters.Webhooks.Endpoints;
using Kefu.Events;

namespace Kefu.Adapters.Webhooks.Delivery;

/// <summary>
/// One endpoint's deliveries in this process: a lane per conversation (or per agent, per visitor, or the tenant for
/// events outside conversations), each delivered one at a time in commit order, lanes side by side. A lane with dead
/// letters is parked: its later events go straight to the dead-letter list, so a replay restores the order.
/// </summary>
internal sealed class EndpointQueue
{
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deadPerLane = new(StringComparer.Ordinal);
    private readonly HashSet<long> _queued = [];

    public EndpointQueue(long tenantId, long endpointId, int maxConcurrentRequests)
    {
        TenantId = tenantId;
        EndpointId = endpointId;
        Requests = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
    }

    public long TenantId { get; }
    public long EndpointId { get; }

    /// <summary>Guards the in-memory lanes; held only for short, synchronous steps.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Serialises the changes that touch both the store and the lanes: enqueue, dead-lettering, replay, discard, removal.</summary>
    public SemaphoreSlim Mutation { get; } = new(1, 1);

    /// <summary>Bounds the requests in flight to the endpoint.</summary>
    public SemaphoreSlim Requests { get; }

    /// <summary>The highest sequence queued in this process: a batch handed again by the outbox is not queued twice. Under <see cref="Mutation"/>.</summary>
    public long HighWater { get; set; }

    /// <summary>Set when the endpoint was removed. Under <see cref="Gate"/>.</summary>
    public bool Closed { get; set; }

    /// <summary>Set when a lane stopped because the endpoint was disabled. Under <see cref="Gate"/>.</summary>
    public bool HasPausedLanes { get; set; }

    public bool IsParked(string lane) => _deadPerLane.ContainsKey(lane);

    public void AddDead(string lane) => _deadPerLane[lane] = _deadPerLane.GetValueOrDefault(lane) + 1;

    public void RemoveDead(string lane)
    {
        if (_deadPerLane.TryGetValue(lane, out var count))
        {
            if (count <= 1)
            {
                _deadPerLane.Remove(lane);
            }
            else
            {
                _deadPerLane[lane] = count - 1;
            }
        }
    }

    /// <summary>Appends a delivery to its lane; returns the lane when it has no runner yet (the caller starts one). Call under <see cref="Gate"/>.</summary>
    public Lane? Append(PendingDelivery delivery)
    {
        if (Closed || !_queued.Add(delivery.Sequence))
        {
            return null;
        }

        if (!_lanes.TryGetValue(delivery.Lane, out var lane))
        {
            lane = new Lane(delivery.Lane);
            _lanes.Add(delivery.Lane, lane);
        }

        lane.Items.Enqueue(delivery);
        return lane.TryClaim() ? lane : null;
    }

    /// <summary>Removes a lane's head after it was delivered or dead-lettered. Call under <see cref="Gate"/>.</summary>
    public void RemoveHead(Lane lane)
    {
        var head = lane.Items.Dequeue();
        _queued.Remove(head.Sequence);
    }

    /// <summary>Takes every delivery out of a lane, to dead-letter them. Call under <see cref="Gate"/>.</summary>
    public PendingDelivery[] Drain(Lane lane)
    {
        PendingDelivery[] items = [.. lane.Items];
        lane.Items.Clear();
        foreach (var item in items)
        {
            _queued.Remove(item.Sequence);
        }

        return items;
    }

    /// <summary>
    /// Ends a runner when its lane is empty (true), keeping the lane claimed otherwise; a closed queue ends every runner.
    /// Call under <see cref="Gate"/>.
    /// </summary>
    public bool TryRelease(Lane lane)
    {
        if (Closed || lane.Items.Count == 0)
        {
            lane.Release();
            if (lane.Items.Count == 0)
            {
                _lanes.Remove(lane.Key);
            }

            return true;
        }

        return false;
    }

    /// <summary>Ends a runner because the endpoint is disabled; its deliveries wait for <see cref="ClaimIdle"/>. Call under <see cref="Gate"/>.</summary>
    public void Pause(Lane lane)
    {
        lane.Release();
        HasPausedLanes = true;
    }

    /// <summary>Lanes that have deliveries and no runner, claimed for the caller to start. Call under <see cref="Gate"/>.</summary>
    public List<Lane> ClaimIdle()
    {
        List<Lane> idle = [];
        if (Closed)
        {
            return idle;
        }

        foreach (var lane in _lanes.Values)
        {
            if (lane.Items.Count > 0 && lane.TryClaim())
            {
                idle.Add(lane);
            }
        }

        HasPausedLanes = false;
        return idle;
    }

    /// <summary>The lane key of an event: its conversation, else the agent or visitor it is about, else the tenant.</summary>
    public static string LaneOf(KefuEvent e) => e.ConversationId != 0
        ? "c" + e.ConversationId
        : e.PayloadCase switch
        {
            KefuEvent.PayloadOneofCase.AgentCreated => "a" + e.AgentCreated.AgentId,
            KefuEvent.PayloadOneofCase.AgentChanged => "a" + e.AgentChanged.AgentId,
            KefuEvent.PayloadOneofCase.AgentStateChanged => "a" + e.AgentStateChanged.AgentId,
            KefuEvent.PayloadOneofCase.AgentLogout => "a" + e.AgentLogout.AgentId,
            KefuEvent.PayloadOneofCase.AgentDeleted => "a" + e.AgentDeleted.AgentId,
            KefuEvent.PayloadOneofCase.VisitorChanged => "v" + e.VisitorChanged.VisitorId,
            KefuEvent.PayloadOneofCase.VisitorTagAdded => "v" + e.VisitorTagAdded.VisitorId,
            KefuEvent.PayloadOneofCase.VisitorTagRemoved => "v" + e.VisitorTagRemoved.VisitorId,
            _ => "t",
        };
}

/// <summary>One lane: deliveries in commit order and whether a runner works on it.</summary>
internal sealed class Lane(string key)
{
    private bool _running;

    public string Key { get; } = key;
    public Queue<PendingDelivery> Items { get; } = new();

    public bool TryClaim()
    {
        if (_running)
        {
            return false;
        }

        _running = true;
        return true;
    }

    public void Release() => _running = false;
}

/// <summary>A queued delivery in memory: the stored form, the event, and the document version it was last written with.</summary>
internal sealed class PendingDelivery(StoredDelivery stored, KefuEvent kefuEvent, long version)
{
    public StoredDelivery Stored { get; set; } = stored;
    public KefuEvent Event { get; } = kefuEvent;
    public long Version { get; set; } = version;
    public long Sequence => Stored.Sequence;
    public string Lane => Stored.Lane;
    public int Attempts { get; set; } = stored.Attempts;
    public string? LastError { get; set; } = stored.LastError;
    public byte[]? Body { get; set; }
}
