using System.Numerics;
using Kefu.Events;

namespace Kefu.Engine;

/// <summary>
/// The client message ids a tenant has seen recently, for idempotent sends: keyed by conversation, sender and client
/// id (so one sender can never see another's message by guessing an id), bounded to the most recent
/// <see cref="KefuOptions.DeduplicationWindow"/> messages, oldest forgotten first. The client id is kept as a 128-bit
/// hash, so the index holds no object references: the garbage collector never scans it, and steady state allocates
/// nothing. Two different ids of the same sender in the same conversation would have to collide in 128 bits to be
/// confused.
/// </summary>
internal sealed class ClientIdIndex(int capacity)
{
    private readonly Dictionary<Key, Entry> _entries = new(KeyComparer.Instance);
    private readonly Queue<Key> _order = new();

    public readonly record struct Entry(long MessageId, DateTimeOffset SentAt);

    public bool TryGet(long conversationId, ParticipantKind senderKind, long senderId, string clientId, out Entry entry) =>
        _entries.TryGetValue(Key.Of(conversationId, senderKind, senderId, clientId), out entry);

    public void Add(long conversationId, ParticipantKind senderKind, long senderId, string clientId, Entry entry)
    {
        var key = Key.Of(conversationId, senderKind, senderId, clientId);
        if (!_entries.TryAdd(key, entry))
        {
            return;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _entries.Remove(_order.Dequeue());
        }
    }

    private readonly record struct Key(long ConversationId, long SenderId, ulong Low, ulong High, ParticipantKind SenderKind)
    {
        public static Key Of(long conversationId, ParticipantKind senderKind, long senderId, string clientId)
        {
            var (low, high) = Hash128(clientId);
            return new Key(conversationId, senderId, low, high, senderKind);
        }
    }

    private sealed class KeyComparer : IEqualityComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Key x, Key y) => x == y;

        public int GetHashCode(Key key) => (int)(key.Low ^ (key.Low >> 32) ^ (ulong)key.ConversationId ^ (ulong)key.SenderId);
    }

    /// <summary>Two independently seeded 64-bit lanes over the UTF-16 code units, each with the murmur3 finaliser.</summary>
    internal static (ulong Low, ulong High) Hash128(string value)
    {
        var a = 0x9E3779B97F4A7C15UL ^ (ulong)value.Length;
        var b = 0xC2B2AE3D27D4EB4FUL + (ulong)value.Length;
        foreach (var c in value)
        {
            a = BitOperations.RotateLeft((a ^ c) * 0x100000001B3UL, 29);
            b = BitOperations.RotateLeft((b + c) * 0xFF51AFD7ED558CCDUL, 31);
        }

        return (Mix(a), Mix(b ^ a));

        static ulong Mix(ulong h)
        {
            h ^= h >> 33;
            h *= 0xFF51AFD7ED558CCDUL;
            h ^= h >> 33;
            h *= 0xC4CEB9FE1A85EC53UL;
            return h ^ (h >> 33);
        }
    }
}
