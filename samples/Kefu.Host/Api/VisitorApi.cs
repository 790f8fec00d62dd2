using Kefu.Host.Infrastructure;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kefu.Host.Api;

/// <summary>
/// The visitor's side: open a conversation (anonymously; the answer carries a visitor token), send, type, read,
/// rate, end, the queue position and the pages browsed. A visitor reaches only its own conversations.
/// </summary>
internal static class VisitorApi
{
    public static void MapVisitorApi(this RouteGroupBuilder api)
    {
        var visitor = api.MapGroup("/visitor").WithTags("Visitor");

        visitor.MapPost("/conversations", async Task<Ok<VisitorSessionDto>> (VisitorOpenBody b, HttpContext http, IKefuConversations k, IKefuDirectory d, VisitorTokens tokens, IOptions<KefuHostOptions> options, CancellationToken ct) =>
        {
            // A visitor who already holds a token of this tenant keeps its identity (and gets its open conversation back).
            long? visitorId = null;
            var header = http.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Visitor ", StringComparison.Ordinal) && tokens.Read(header["Visitor ".Length..].Trim()) is { } known && known.TenantId == b.TenantId)
            {
                visitorId = known.VisitorId;
            }

            long? channelId = null;
            if (!string.IsNullOrEmpty(b.ChannelAccessCode))
            {
                var channel = (await d.ListChannelsAsync(b.TenantId, ct)).FirstOrDefault(ch => ch.AccessCode == b.ChannelAccessCode)
                    ?? throw new KefuValidationException("ChannelAccessCode", "the access code of one of the tenant's channels");
                channelId = channel.Id;
            }

            var conversation = await k.OpenAsync(b.TenantId, new ConversationRequest
            {
                VisitorId = visitorId,
                Visitor = visitorId is null ? b.Visitor ?? new VisitorProfile() : null,
                ChannelKind = b.ChannelKind,
                ChannelId = channelId,
                Entry = b.Entry,
                GroupId = b.GroupId,
                NavigationOption = b.NavigationOption,
            }, ct);
            var token = tokens.Issue(b.TenantId, conversation.VisitorId, options.Value.VisitorTokenLifetime);
            return TypedResults.Ok(new VisitorSessionDto(token, await ToDtoAsync(conversation, k, d, ct)));
        }).AllowAnonymous();

        var own = visitor.MapGroup("/conversations/{id:long}").RequireAuthorization(HostPermissions.Visitor);
        own.MapGet("/", async Task<Ok<VisitorConversationDto>> (long id, Caller c, IKefuConversations k, IKefuDirectory d, CancellationToken ct) =>
            TypedResults.Ok(await ToDtoAsync(await OwnAsync(k, c, id, ct), k, d, ct)));
        own.MapGet("/messages", async Task<Ok<IEnumerable<MessageDto>>> (long id, long? before, int? limit, Caller c, IKefuConversations k, IKefuHistory h, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            return TypedResults.Ok((await h.GetMessagesAsync(c.TenantId, id, before, limit ?? 20, ct)).Select(MessageDto.From));
        });
        own.MapPost("/messages", async Task<Ok<SendResult>> (long id, SendBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            return TypedResults.Ok(await k.SendAsync(c.TenantId, id, Participant.Visitor(c.VisitorId!.Value), b.ToContent(), b.ClientMessageId, ct));
        });
        own.MapPost("/typing", async Task<NoContent> (long id, TypingBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            await k.TypingAsync(c.TenantId, id, c.VisitorId!.Value, b.Text, ct);
            return TypedResults.NoContent();
        });
        own.MapPost("/read", async Task<NoContent> (long id, ReadBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            await k.MarkReadAsync(c.TenantId, id, Participant.Visitor(c.VisitorId!.Value), b.UpToMessageId, ct);
            return TypedResults.NoContent();
        });
        own.MapPost("/rating", async Task<Ok<VisitorConversationDto>> (long id, RatingInput b, Caller c, IKefuConversations k, IKefuDirectory d, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            return TypedResults.Ok(await ToDtoAsync(await k.RateAsync(c.TenantId, id, c.VisitorId!.Value, b, ct), k, d, ct));
        });
        own.MapPost("/end", async Task<Ok<VisitorConversationDto>> (long id, Caller c, IKefuConversations k, IKefuDirectory d, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            return TypedResults.Ok(await ToDtoAsync(await k.EndAsync(c.TenantId, id, Participant.Visitor(c.VisitorId!.Value), ct), k, d, ct));
        });
        own.MapGet("/queue-position", async Task<Ok<QueuePositionDto>> (long id, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            await OwnAsync(k, c, id, ct);
            var position = await k.GetQueuePositionAsync(c.TenantId, id, ct);
            return TypedResults.Ok(new QueuePositionDto(id, position?.Position, position?.QueuedAt));
        });

        visitor.MapGet("/settings", async Task<Ok<VisitorSettingsDto>> (Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var settings = await d.GetSettingsAsync(c.TenantId, ct);
            return TypedResults.Ok(new VisitorSettingsDto(settings.Rating, settings.AdditionalInfo));
        }).RequireAuthorization(HostPermissions.Visitor);
        visitor.MapPost("/pages", async Task<NoContent> (PageVisitBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            await k.RecordPageVisitAsync(c.TenantId, c.VisitorId!.Value, b.Url, b.Title, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(HostPermissions.Visitor);
    }

    /// <summary>The visitor's own conversation; another visitor's is not found.</summary>
    public static async Task<Conversation> OwnAsync(IKefuConversations k, Caller c, long id, CancellationToken ct)
    {
        var conversation = await k.GetAsync(c.TenantId, id, ct);
        return conversation.VisitorId == c.VisitorId ? conversation : throw new KefuNotFoundException("Conversation", id);
    }

    /// <summary>The visitor's view of a conversation.</summary>
    public static async Task<VisitorConversationDto> ToDtoAsync(Conversation c, IKefuConversations k, IKefuDirectory d, CancellationToken ct)
    {
        string? agentName = null;
        if (c.AgentId is { } agentId)
        {
            try
            {
                agentName = (await d.GetAgentAsync(c.TenantId, agentId, ct)).DisplayName;
            }
            catch (KefuNotFoundException)
            {
                // The agent was deleted since.
            }
        }

        var position = c.State == ConversationState.Queued ? await k.GetQueuePositionAsync(c.TenantId, c.Id, ct) : null;
        return new VisitorConversationDto(c.Id, c.VisitorId, c.State, c.AgentId, agentName, c.CreatedAt, c.ClosedAt, c.RatingInvited, c.Rating, position?.Position, c.AgentReadUpToMessageId);
    }
}

/// <summary>A queue position; null when the conversation is not waiting.</summary>
public sealed record QueuePositionDto(long ConversationId, int? Position, DateTimeOffset? QueuedAt);
