namespace Kefu;

/// <summary>
/// Time-ordered 64-bit ids: 41 bits of milliseconds since 2015-01-01 UTC (until 2084), 10 bits of node id, 12 bits of sequence,
/// so ids from different nodes never collide and ids from one node increase strictly. When the clock stands still or
/// goes back, the generator keeps counting on from its last id instead of waiting, so it never blocks.
/// </summary>
public sealed class SnowflakeIdGenerator : IKefuIdGenerator
{
    /// <summary>The epoch of the timestamp bits.</summary>
    public static readonly DateTimeOffset Epoch = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The largest node id, 1023.</summary>
    public const int MaxNodeId = 1023;

    private const int SequenceBits = 12;
    private const int NodeBits = 10;
    private const long SequenceMask = (1L << SequenceBits) - 1;

    private readonly long _node;
    private long _last; // last id's timestamp and sequence, without the node bits

    /// <summary>Creates a generator for one node.</summary>
    /// <param name="nodeId">This node's id, 0–1023, unique among the nodes sharing a store.</param>
    public SnowflakeIdGenerator(int nodeId)
    {
        Guard.Range(nodeId, 0, MaxNodeId, "NodeId");
        _node = nodeId;
    }

    /// <inheritdoc />
    public long NextId(DateTimeOffset now)
    {
        var millis = Math.Max(0, (now.UtcTicks - Epoch.UtcTicks) / TimeSpan.TicksPerMillisecond);
        var candidate = millis << SequenceBits;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = candidate > last ? candidate : last + 1;
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                var time = next >> SequenceBits;
                var sequence = next & SequenceMask;
                return (time << (SequenceBits + NodeBits)) | (_node << SequenceBits) | sequence;
            }
        }
    }

    /// <summary>The time encoded in a Kefu id.</summary>
    public static DateTimeOffset GetTimestamp(long id) => Epoch.AddMilliseconds(id >> (SequenceBits + NodeBits));
}
