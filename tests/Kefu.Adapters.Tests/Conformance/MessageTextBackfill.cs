using System.Text.Json;
using Google.Protobuf;
using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>
/// Messages stored before the schema had their text beside the event, and what a text search must find once the
/// migration has filled it from the events: more messages than the migration reads at once, the match last.
/// </summary>
internal static class MessageTextBackfill
{
    public const long TenantId = 6;
    public const long ConversationId = 78;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The conversation's row as an earlier schema held it.</summary>
    public static string Json => JsonSerializer.Serialize(
        SearchColumnsBackfill.Conversation with { TenantId = TenantId, Id = ConversationId },
        new JsonSerializerOptions(JsonSerializerDefaults.General));

    /// <summary>The message rows: id and event. Only the last has the text searched for; the first has none.</summary>
    public static IEnumerable<(long MessageId, byte[] Event)> Messages => Enumerable.Range(1, 1001).Select(i =>
        ((long)i, ConformanceEvents.Message(T0, TenantId, i, ConversationId, i, i switch { 1 => "", 1001 => "旧的 Parcel 消息", _ => $"message {i}" }).ToByteArray()));

    /// <summary>Text searches that must find the conversation, and one that must not.</summary>
    public static async Task AssertFoundAsync(IConversationStore store)
    {
        foreach (var text in new[] { "parcel", "旧的", "message 1000" })
        {
            var page = await store.SearchConversationsAsync(TenantId, new HistoryQuery { Text = text });
            Assert.Equal(ConversationId, Assert.Single(page.Items).Id);
        }

        Assert.Equal(0, (await store.SearchConversationsAsync(TenantId, new HistoryQuery { Text = "message 1002" })).Total);
    }
}
