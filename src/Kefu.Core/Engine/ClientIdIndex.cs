using Kefu.Events;

namespace Kefu.Engine;

/// <summary>
/// The client message ids a tenant has seen recently, for idempotent sends: keyed by conversation, sender and client
/// id (so one sender can never see another's message by guessing an id), bounded to the most recent
/// <see cref="KefuOptions.DeduplicationWindow"/> messages, oldest forgotten first. Steady state allocates nothing.
/// </summary>
internal sealed class ClientIdIndex(int capacity)
{
    private readonly Dictionary<Key, Entry> _entries = new(KeyComparer.Instance);
    private readonly Queue<Key> _order = new();

    public readonly record struct Entry(long MessageId, DateTimeOffset SentAt);

    /// <summary>The key, with its hash computed once: a lookup, an insert and the eviction later share it.</summary>
    private readonly struct Key(long conversationId, ParticipantKind senderKind, long senderId, string clientId)
    {
        public readonly long ConversationId = conversationId;
        public readonly long SenderId = senderId;
        public readonly string ClientId = clientId;
        public readonly ParticipantKind SenderKind = senderKind;
        public readonly int Hash = HashCode.Combine(conversationId, senderKind, senderId, string.GetHashCode(clientId, StringComparison.Ordinal));
    }

    private sealed class KeyComparer : IEqualityComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Key x, Key y) => x.Hash == y.Hash && x.ConversationId == y.ConversationId && x.SenderId == y.SenderId
            && x.SenderKind == y.SenderKind && string.Equals(x.ClientId, y.ClientId, StringComparison.Ordinal);

        public int GetHashCode(Key key) => key.Hash;
    }

    public bool TryGet(long conversationId, ParticipantKind senderKind, long senderId, string clientId, out Entry entry) =>
        _entries.TryGetValue(new Key(conversationId, senderKind, senderId, clientId), out entry);

    public void Add(long conversationId, ParticipantKind senderKind, long senderId, string clientId, Entry entry)
    {
        var key = new Key(conversationId, senderKind, senderId, clientId);
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
}
