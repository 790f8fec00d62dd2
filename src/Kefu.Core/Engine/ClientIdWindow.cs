using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Kefu.Events;

namespace Kefu.Engine;

/// <summary>
/// A sender's client message id as the de-duplication window keeps it: a 128-bit hash of the id seeded with the
/// sender, so one sender can never see another's message by guessing an id, and the window holds no references.
/// Two different ids of the same sender would have to collide in 128 bits to be confused.
/// </summary>
internal readonly record struct ClientIdKey(ulong Low, ulong High, long SenderId, ParticipantKind SenderKind)
{
    public static ClientIdKey Of(ParticipantKind senderKind, long senderId, string clientId)
    {
        var (low, high) = ClientIdWindow.Hash128(clientId, ((ulong)senderKind << 56) ^ (ulong)senderId);
        return new ClientIdKey(low, high, senderId, senderKind);
    }
}

/// <summary>
/// The client message ids of a conversation's most recent messages (<see cref="KefuOptions.DeduplicationWindow"/>,
/// oldest forgotten first), for idempotent sends. Kept per conversation, so a retry is recognised however busy the
/// rest of the tenant is, and the lookup touches only this conversation's few cache lines: the low halves of the
/// hashes sit in one array that is searched with vector instructions. It starts small and grows to the window, so a
/// short conversation costs a few hundred bytes.
/// </summary>
internal sealed class ClientIdWindow(int capacity)
{
    private const int InitialCapacity = 8;

    private ulong[] _lows = [];
    private Slot[] _slots = [];
    private int _count;
    private int _next;

    public readonly record struct Entry(long MessageId, DateTimeOffset SentAt);

    private readonly record struct Slot(ulong High, long SenderId, long MessageId, long SentAtTicks, ParticipantKind SenderKind);

    public int Count => _count;

    public bool TryGet(in ClientIdKey key, out Entry entry)
    {
        var lows = _lows.AsSpan(0, _count);
        var offset = 0;
        while (true)
        {
            var found = lows[offset..].IndexOf(key.Low);
            if (found < 0)
            {
                entry = default;
                return false;
            }

            offset += found;
            ref readonly var slot = ref _slots[offset];
            if (slot.High == key.High && slot.SenderId == key.SenderId && slot.SenderKind == key.SenderKind)
            {
                entry = new Entry(slot.MessageId, new DateTimeOffset(slot.SentAtTicks, TimeSpan.Zero));
                return true;
            }

            offset++;
        }
    }

    /// <summary>Remembers a key the window does not hold (the caller has checked), forgetting the oldest when full.</summary>
    public void Add(in ClientIdKey key, Entry entry)
    {
        int at;
        if (_count < capacity)
        {
            if (_count == _lows.Length)
            {
                var size = Math.Min(capacity, Math.Max(InitialCapacity, _count * 2));
                Array.Resize(ref _lows, size);
                Array.Resize(ref _slots, size);
            }

            at = _count++;
        }
        else
        {
            at = _next;
            _next = _next + 1 == capacity ? 0 : _next + 1;
        }

        _lows[at] = key.Low;
        _slots[at] = new Slot(key.High, key.SenderId, entry.MessageId, entry.SentAt.UtcTicks, key.SenderKind);
    }

    /// <summary>
    /// Two independently seeded 64-bit lanes over the UTF-16 code units, four at a time, each lane finished with the
    /// murmur3 finaliser. The length seeds both lanes, so ids that differ only by trailing zero characters differ.
    /// </summary>
    internal static (ulong Low, ulong High) Hash128(string value, ulong seed = 0)
    {
        var a = 0x9E3779B97F4A7C15UL ^ (ulong)value.Length ^ seed;
        var b = (0xC2B2AE3D27D4EB4FUL + (ulong)value.Length) ^ BitOperations.RotateLeft(seed, 32);
        var bytes = MemoryMarshal.AsBytes(value.AsSpan());
        while (bytes.Length >= sizeof(ulong))
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            a = BitOperations.RotateLeft((a ^ word) * 0x9E3779B97F4A7C15UL, 29);
            b = BitOperations.RotateLeft((b + word) * 0xFF51AFD7ED558CCDUL, 31);
            bytes = bytes[sizeof(ulong)..];
        }

        // The last zero to three characters, one at a time.
        foreach (var c in value.AsSpan(value.Length - (bytes.Length / sizeof(char))))
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
