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

    public static JsonObject Message(MessageDto message, JsonSerializerOptions json)
        => new() { ["type"] = "message", ["message"] = JsonSerializer.SerializeToNode(message, json) };

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
