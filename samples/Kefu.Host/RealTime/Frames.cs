using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Kefu.Events;
using Kefu.Host.Api;
using Kefu.Model;

namespace Kefu.Host.RealTime;

/// <summary>Builds the JSON frames of PROTOCOL.md.</summary>
internal static class Frames
{
    private static readonly JsonFormatter Proto = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>
    /// Writes a queued frame: a <see cref="JsonObject"/>, or a message or an acknowledgement serialized straight into the
    /// writer, as <c>{"type":"message","message":{…}}</c> and <c>{"type":"ack","ref":…,"result":{…}}</c>.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, object frame, JsonSerializerOptions json)
    {
        switch (frame)
        {
            case JsonObject node:
                node.WriteTo(writer, json);
                break;
            case MessageDto message:
                writer.WriteStartObject();
                writer.WriteString("type", "message");
                writer.WritePropertyName("message");
                JsonSerializer.Serialize(writer, message, json);
                writer.WriteEndObject();
                break;
            case Ack ack:
                writer.WriteStartObject();
                writer.WriteString("type", "ack");
                writer.WriteString("ref", ack.Reference);
                writer.WritePropertyName("result");
                if (ack.Result is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, ack.Result, ack.Result.GetType(), json);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"Not a frame: {frame.GetType()}", nameof(frame));
        }
    }

    public static MessageDto FromEvent(KefuEvent e)
    {
        var m = e.Message;
        return new MessageDto(
            m.MessageId, e.ConversationId, m.SenderKind, m.SenderId, m.Kind, string.IsNullOrEmpty(m.Text) ? null : m.Text,
            m.Media is { } media ? new MediaAttachment(media.Url, media.Name, media.Size, string.IsNullOrEmpty(media.ContentType) ? null : media.ContentType) : null,
            m.Menu is { } menu ? [.. menu.Items] : null,
            string.IsNullOrEmpty(m.ClientMessageId) ? null : m.ClientMessageId,
            DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs), Recalled: false);
    }

    /// <summary>An event frame; <paramref name="withData"/> false sends only its name, sequence and conversation.</summary>
    public static JsonObject Event(KefuEvent e, bool withData = true)
    {
        var frame = new JsonObject
        {
            ["type"] = "event",
            ["name"] = Name(e.PayloadCase),
            ["sequence"] = e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["conversationId"] = e.ConversationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (withData)
        {
            var field = KefuEvent.Descriptor.Oneofs[0].Accessor.GetCaseFieldDescriptor(e);
            if (field?.Accessor.GetValue(e) is IMessage payload)
            {
                frame["data"] = JsonNode.Parse(Proto.Format(payload));
            }
        }

        return frame;
    }

    public static string Name(KefuEvent.PayloadOneofCase c)
    {
        var s = c.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }

    public static JsonObject Error(string? reference, int status, string title, string? detail, string? field = null)
        => new() { ["type"] = "error", ["ref"] = reference, ["status"] = status, ["title"] = title, ["detail"] = detail, ["field"] = field };
}

/// <summary>An acknowledgement of a client frame, with the command's result.</summary>
internal sealed record Ack(string? Reference, object? Result);

/// <summary>
/// Which of a tenant's events an agent's connection wants, decided on the publishing thread so the connection is not
/// woken for the rest: its own account's changes, offers and assignments to it (whose conversations it then follows),
/// queue and presence news, and the events of the conversations it serves (all of them with view-all). Until the
/// connection has listed its open conversations every event passes, so none is missed in between.
/// </summary>
internal sealed class AgentRouting(long agentId, bool viewAll)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte> _conversations = new();

    // A one-bit-per-id Bloom filter of the conversations above (1,024 bits, two cache lines): every agent's connection
    // is asked about every event of the tenant, and most events are of conversations the agent does not serve, which
    // the filter turns away without a dictionary lookup. A bit is set before its conversation is added, and ids are
    // never removed, so a conversation in the dictionary always has its bit.
    private readonly ulong[] _seen = new ulong[16];
    private volatile bool _listed;

    /// <summary>Records the conversations the agent served when the connection opened.</summary>
    public void Listed(IEnumerable<long> conversationIds)
    {
        foreach (var id in conversationIds)
        {
            Follow(id);
        }

        _listed = true;
    }

    public bool Wants(KefuEvent e)
    {
        var toThisAgent = e.PayloadCase switch
        {
            KefuEvent.PayloadOneofCase.SessionOffered => e.SessionOffered.AgentId == agentId,
            KefuEvent.PayloadOneofCase.SessionAssigned => e.SessionAssigned.AgentId == agentId,
            KefuEvent.PayloadOneofCase.TransferRequested => e.TransferRequested.ToAgentId == agentId,
            KefuEvent.PayloadOneofCase.SessionTransferred => e.SessionTransferred.ToAgentId == agentId,
            KefuEvent.PayloadOneofCase.AgentChanged => e.AgentChanged.AgentId == agentId,
            KefuEvent.PayloadOneofCase.AgentDeleted => e.AgentDeleted.AgentId == agentId,
            KefuEvent.PayloadOneofCase.AgentStateChanged or KefuEvent.PayloadOneofCase.SessionQueued or KefuEvent.PayloadOneofCase.QueuePosition => true,
            _ => false,
        };
        if (toThisAgent)
        {
            if (e.PayloadCase is not (KefuEvent.PayloadOneofCase.AgentChanged or KefuEvent.PayloadOneofCase.AgentDeleted
                or KefuEvent.PayloadOneofCase.AgentStateChanged or KefuEvent.PayloadOneofCase.SessionQueued or KefuEvent.PayloadOneofCase.QueuePosition))
            {
                Follow(e.ConversationId);
            }

            return true;
        }

        if (viewAll || !_listed)
        {
            return true;
        }

        var (word, bit) = BitOf(e.ConversationId);
        return (Volatile.Read(ref _seen[word]) & bit) != 0 && _conversations.ContainsKey(e.ConversationId);
    }

    private void Follow(long conversationId)
    {
        var (word, bit) = BitOf(conversationId);
        Interlocked.Or(ref _seen[word], bit);
        _conversations.TryAdd(conversationId, 0);
    }

    private static (int Word, ulong Bit) BitOf(long conversationId)
    {
        var index = (int)(((ulong)conversationId * 0x9E3779B97F4A7C15UL) >> 54); // 10 bits: 0–1023
        return (index >> 6, 1UL << (index & 63));
    }
}
