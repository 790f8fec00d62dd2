using System.Text.Json;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Adapters.Tests.Conformance;

/// <summary>
/// A conversation stored before the schema had search columns, and what a search must find of it once the migration
/// has filled them from its JSON (creation instants to the millisecond at least).
/// </summary>
internal static class SearchColumnsBackfill
{
    public const long TenantId = 5;

    public static readonly Conversation Conversation = new()
    {
        Id = 77,
        TenantId = TenantId,
        VisitorId = 900,
        ChannelKind = ChannelKind.Web,
        State = ConversationState.Closed,
        AgentId = 7,
        CreatedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8)).AddTicks(1_234_567),
        ClosedAt = new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.FromHours(8)),
        Rating = new Rating(4, 5, [], null, new DateTimeOffset(2026, 3, 1, 8, 31, 0, TimeSpan.FromHours(8))),
        WrapUp = new WrapUp { ProblemTypeId = 11, Resolved = true, AgentId = 7 },
    };

    /// <summary>The row as an earlier schema held it: the JSON the stores write (System.Text.Json's general defaults).</summary>
    public static string Json => JsonSerializer.Serialize(Conversation, new JsonSerializerOptions(JsonSerializerDefaults.General));

    /// <summary>Searches that must find the conversation, and searches that must not.</summary>
    public static async Task AssertFoundAsync(IConversationStore store)
    {
        var at = Conversation.CreatedAt;
        HistoryQuery[] finding =
        [
            new(),
            new() { From = at.AddMilliseconds(-1), To = at.AddMilliseconds(1) },
            new() { AgentId = 7, RatingLevel = 4, ProblemTypeId = 11, ChannelKind = ChannelKind.Web, Closed = true, VisitorId = 900, ConversationId = 77 },
        ];
        HistoryQuery[] missing =
        [
            new() { From = at.AddMilliseconds(1) },
            new() { To = at.AddMilliseconds(-1) },
            new() { AgentId = 8 },
            new() { RatingLevel = 0 },
            new() { ProblemTypeId = 12 },
            new() { ChannelKind = ChannelKind.App },
            new() { Closed = false },
        ];
        foreach (var query in finding)
        {
            var page = await store.SearchConversationsAsync(TenantId, query);
            Assert.Equal(1, page.Total);
            Assert.Equal(77, Assert.Single(page.Items).Id);
        }

        foreach (var query in missing)
        {
            var page = await store.SearchConversationsAsync(TenantId, query);
            Assert.Equal(0, page.Total);
            Assert.Empty(page.Items);
        }
    }
}
