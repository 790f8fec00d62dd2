using Kefu.Analytics.Exports;
using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>History search and detail (C18) and customer records (IS 6).</summary>
internal static class HistoryApi
{
    public static void MapHistoryApi(this RouteGroupBuilder api)
    {
        var history = api.MapGroup("/history").WithTags("History").RequirePermission(KefuPermissions.ViewHistory);
        history.MapGet("/", async Task<Ok<Page<Conversation>>> ([AsParameters] HistoryParameters p, Caller c, IKefuHistory h, CancellationToken ct) =>
            TypedResults.Ok(string.IsNullOrWhiteSpace(p.Text)
                ? await h.SearchAsync(c.TenantId, p.ToQuery(), ct)
                : await HistoryTextSearch.SearchAsync(h, c.TenantId, p.ToQuery(), p.Text, ct)));
        history.MapGet("/export", ([AsParameters] HistoryParameters p, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "history", (fmt, lang, s, ct) => e.ExportHistoryAsync(c.TenantId, p.ToQuery() with { Offset = 0, PageSize = HistoryQuery.MaxPageSize }, fmt, s, lang, default, ct)));
        history.MapGet("/{id:long}", async Task<Ok<Conversation>> (long id, Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await k.GetAsync(c.TenantId, id, ct)));
        history.MapGet("/{id:long}/messages", async Task<Ok<IReadOnlyList<Message>>> (long id, long? before, int? limit, Caller c, IKefuConversations k, IKefuHistory h, CancellationToken ct) =>
        {
            await k.GetAsync(c.TenantId, id, ct);
            return TypedResults.Ok(await h.GetMessagesAsync(c.TenantId, id, before, limit ?? 50, ct));
        });

        var customers = api.MapGroup("/customers").WithTags("Customers").RequirePermission(KefuPermissions.ManageCustomers);
        customers.MapGet("/", async Task<Ok<Page<Visitor>>> (string? name, string? phone, string? email, int? offset, int? pageSize, Caller c, IKefuHistory h, CancellationToken ct) =>
            TypedResults.Ok(await h.SearchVisitorsAsync(c.TenantId, new VisitorQuery { Name = name, Phone = phone, Email = email, Offset = offset ?? 0, PageSize = pageSize ?? 10 }, ct)));
        customers.MapGet("/{id:long}", async Task<Ok<Visitor>> (long id, Caller c, IKefuHistory h, CancellationToken ct) => TypedResults.Ok(await h.GetVisitorAsync(c.TenantId, id, ct)));
        customers.MapPut("/{id:long}", async Task<Ok<Visitor>> (long id, VisitorProfile b, Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await k.UpdateVisitorAsync(c.TenantId, id, b, ct)));
        customers.MapPost("/{id:long}/tags/{tagId:long}", async Task<Ok<Visitor>> (long id, long tagId, Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await k.AddVisitorTagAsync(c.TenantId, id, tagId, ct)));
        customers.MapDelete("/{id:long}/tags/{tagId:long}", async Task<Ok<Visitor>> (long id, long tagId, Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await k.RemoveVisitorTagAsync(c.TenantId, id, tagId, ct)));
        customers.MapGet("/{id:long}/messages", async Task<Ok<IReadOnlyList<Message>>> (long id, long? before, int? limit, Caller c, IKefuHistory h, CancellationToken ct) =>
        {
            await h.GetVisitorAsync(c.TenantId, id, ct);
            return TypedResults.Ok(await h.GetVisitorMessagesAsync(c.TenantId, id, before, limit ?? 20, ct));
        });
        customers.MapGet("/{id:long}/conversations", async Task<Ok<Page<Conversation>>> (long id, int? offset, Caller c, IKefuHistory h, CancellationToken ct) =>
        {
            await h.GetVisitorAsync(c.TenantId, id, ct);
            return TypedResults.Ok(await h.SearchAsync(c.TenantId, new HistoryQuery { VisitorId = id, Offset = offset ?? 0 }, ct));
        });
    }

    /// <summary>History search parameters, from the query string; <c>text</c> finds conversations with a message containing it.</summary>
    internal sealed record HistoryParameters(
        long? ConversationId, DateTimeOffset? From, DateTimeOffset? To, bool? Closed, int? RatingLevel, long? ProblemTypeId,
        string? ChannelKind, long? AgentId, long? VisitorId, int? Offset, int? PageSize, string? Text)
    {
        public HistoryQuery ToQuery() => new()
        {
            ConversationId = ConversationId, From = From, To = To, Closed = Closed, RatingLevel = RatingLevel, ProblemTypeId = ProblemTypeId,
            ChannelKind = QueryValues.Optional<Kefu.Events.ChannelKind>(ChannelKind, "channelKind"), AgentId = AgentId, VisitorId = VisitorId, Offset = Offset ?? 0, PageSize = PageSize ?? 20,
        };
    }
}

/// <summary>
/// Finds conversations with a message containing a text (case-insensitive), among the most recent
/// <see cref="MaxScanned"/> conversations that match the other filters: the store has no text index, so the host
/// reads their messages. Total counts the matches within that window.
/// </summary>
internal static class HistoryTextSearch
{
    public const int MaxScanned = 500;
    public const int MaxTextLength = 100;
    private const int MessagesPerConversation = 200;

    public static async Task<Page<Conversation>> SearchAsync(IKefuHistory history, long tenantId, HistoryQuery query, string text, CancellationToken ct)
    {
        text = text.Trim();
        if (text.Length > MaxTextLength)
        {
            throw new KefuValidationException("Text", $"1–{MaxTextLength} characters", $"had {text.Length}");
        }

        if (query.PageSize is < 1 or > HistoryQuery.MaxPageSize)
        {
            throw new KefuValidationException("PageSize", $"1–{HistoryQuery.MaxPageSize}", $"was {query.PageSize}");
        }

        if (query.Offset < 0)
        {
            throw new KefuValidationException("Offset", "0 or more", $"was {query.Offset}");
        }

        var matches = new List<Conversation>();
        for (var scanned = 0; scanned < MaxScanned;)
        {
            var page = await history.SearchAsync(tenantId, query with { Offset = scanned, PageSize = HistoryQuery.MaxPageSize }, ct);
            foreach (var conversation in page.Items)
            {
                var messages = await history.GetMessagesAsync(tenantId, conversation.Id, null, MessagesPerConversation, ct);
                if (messages.Any(m => !m.Recalled && m.Text is { } t && t.Contains(text, StringComparison.OrdinalIgnoreCase)))
                {
                    matches.Add(conversation);
                }
            }

            scanned += page.Items.Count;
            if (!page.HasMore || page.Items.Count == 0)
            {
                break;
            }
        }

        return new Page<Conversation>([.. matches.Skip(query.Offset).Take(query.PageSize)], matches.Count, query.Offset);
    }
}
