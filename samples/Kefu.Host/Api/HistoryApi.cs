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
            TypedResults.Ok(await h.SearchAsync(c.TenantId, p.ToQuery(), ct)));
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

    /// <summary>
    /// History search parameters, from the query string; <c>text</c> finds conversations with a message containing it
    /// (<see cref="HistoryQuery.Text"/>; empty or blank means no text filter).
    /// </summary>
    internal sealed record HistoryParameters(
        long? ConversationId, DateTimeOffset? From, DateTimeOffset? To, bool? Closed, int? RatingLevel, long? ProblemTypeId,
        string? ChannelKind, long? AgentId, long? VisitorId, int? Offset, int? PageSize, string? Text)
    {
        public HistoryQuery ToQuery() => new()
        {
            ConversationId = ConversationId, From = From, To = To, Closed = Closed, RatingLevel = RatingLevel, ProblemTypeId = ProblemTypeId,
            ChannelKind = QueryValues.Optional<Kefu.Events.ChannelKind>(ChannelKind, "channelKind"), AgentId = AgentId, VisitorId = VisitorId, Offset = Offset ?? 0, PageSize = PageSize ?? 20,
            Text = string.IsNullOrWhiteSpace(Text) ? null : Text,
        };
    }
}
