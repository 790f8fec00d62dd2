using Kefu.Bots;
using Kefu.Host.Security;
using Kefu.Model;
using Kefu.Routing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>
/// The agent's workbench (IS 5): presence, the open conversations and the queue, messages, recall, transfer, offers,
/// end, rating invitations, wrap-up, session tags, tickets, CRM parameters, quick replies, assist, invitations and
/// calls. Every endpoint acts as the signed-in agent; an agent sees only its own conversations unless it holds
/// <see cref="KefuPermissions.ViewAllConversations"/>.
/// </summary>
internal static class WorkbenchApi
{
    public static void MapWorkbenchApi(this RouteGroupBuilder api)
    {
        var w = api.MapGroup("/workbench").WithTags("Workbench").RequirePermission(KefuPermissions.ServeConversations);

        w.MapGet("/presence", async Task<Ok<IReadOnlyList<AgentPresence>>> (Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await k.ListPresenceAsync(c.TenantId, ct)));
        w.MapPut("/presence", async Task<Ok<AgentPresence>> (PresenceBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.SetMediaStatusAsync(c.TenantId, c.RequireAgent(), b.Media, b.Status, ct)));

        w.MapGet("/conversations", async Task<Ok<IReadOnlyList<Conversation>>> (bool? all, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.ListOpenAsync(c.TenantId, all == true && c.Has(KefuPermissions.ViewAllConversations) ? null : c.RequireAgent(), ct)));
        w.MapGet("/queue", async Task<Ok<IReadOnlyList<QueuePosition>>> (long? groupId, Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await k.GetQueueAsync(c.TenantId, groupId, ct)));
        w.MapPost("/queue/{conversationId:long}/pick", async Task<Ok<Conversation>> (long conversationId, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.PickFromQueueAsync(c.TenantId, c.RequireAgent(), conversationId, ct)));

        var one = w.MapGroup("/conversations/{id:long}");
        one.MapGet("/", async Task<Ok<Conversation>> (long id, Caller c, IKefuConversations k, CancellationToken ct) => TypedResults.Ok(await ReadableAsync(k, c, id, ct)));
        one.MapGet("/messages", async Task<Ok<IEnumerable<Message>>> (long id, long? before, int? limit, Caller c, IKefuConversations k, IKefuHistory h, CancellationToken ct) =>
        {
            await ReadableAsync(k, c, id, ct);
            return TypedResults.Ok((await h.GetMessagesAsync(c.TenantId, id, before, limit ?? 20, ct)).Select(m => m.Recalled ? m with { Text = null, Media = null } : m));
        });
        one.MapPost("/messages", async Task<Ok<SendResult>> (long id, SendBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.SendAsync(c.TenantId, id, Participant.Agent(c.RequireAgent()), b.ToContent(), b.ClientMessageId, ct)));
        one.MapPost("/quick-replies/{quickReplyId:long}", async Task<Ok<SendResult>> (long id, long quickReplyId, string? clientMessageId, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.SendQuickReplyAsync(c.TenantId, id, c.RequireAgent(), quickReplyId, clientMessageId, ct)));
        one.MapPost("/read", async Task<NoContent> (long id, ReadBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            await k.MarkReadAsync(c.TenantId, id, Participant.Agent(c.RequireAgent()), b.UpToMessageId, ct);
            return TypedResults.NoContent();
        });
        one.MapPost("/messages/{messageId:long}/recall", async Task<Ok<Message>> (long id, long messageId, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.RecallAsync(c.TenantId, id, c.RequireAgent(), messageId, ct)));
        one.MapPost("/transfer", async Task<Results<Ok<Conversation>, ProblemHttpResult>> (long id, TransferBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
        {
            var agent = c.RequireAgent();
            return (b.ToAgentId, b.ToGroupId) switch
            {
                ({ } to, null) => TypedResults.Ok(await k.RequestTransferAsync(c.TenantId, id, agent, to, b.Note, ct)),
                (null, { } group) => TypedResults.Ok(await k.TransferToGroupAsync(c.TenantId, id, agent, group, ct)),
                _ => TypedResults.Problem(statusCode: 400, title: "Validation failed", detail: "Give exactly one of toAgentId and toGroupId.", extensions: new Dictionary<string, object?> { ["field"] = "toAgentId" }),
            };
        });
        one.MapPost("/transfer/answer", async Task<Ok<Conversation>> (long id, AnswerBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.AnswerTransferAsync(c.TenantId, id, c.RequireAgent(), b.Accept, ct)));
        one.MapPost("/offer/answer", async Task<Ok<Conversation>> (long id, AnswerBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.AnswerOfferAsync(c.TenantId, id, c.RequireAgent(), b.Accept, ct)));
        one.MapPost("/end", async Task<Ok<Conversation>> (long id, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.EndAsync(c.TenantId, id, Participant.Agent(c.RequireAgent()), ct)));
        one.MapPost("/rating-invitation", async Task<Ok<Conversation>> (long id, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.InviteRatingAsync(c.TenantId, id, c.RequireAgent(), ct)));
        one.MapPut("/wrap-up/draft", async Task<Ok<Conversation>> (long id, WrapUpInput b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.SaveWrapUpDraftAsync(c.TenantId, id, c.RequireAgent(), b, ct)));
        one.MapPost("/wrap-up", async Task<Ok<Conversation>> (long id, WrapUpInput b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.SubmitWrapUpAsync(c.TenantId, id, c.RequireAgent(), b, ct)));
        one.MapPut("/tags", async Task<Ok<Conversation>> (long id, SessionTagsBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.SetSessionTagsAsync(c.TenantId, id, c.RequireAgent(), b.TagIds ?? [], b.Note, ct)));
        one.MapPost("/ticket", async Task<Ok<long>> (long id, TicketBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.RequestTicketAsync(c.TenantId, id, c.RequireAgent(), b.Title, b.Description, ct)));
        one.MapGet("/crm", async Task<Ok<CrmParameters>> (long id, Caller c, IKefuConversations k, IKefuHistory h, CancellationToken ct) =>
        {
            await ReadableAsync(k, c, id, ct);
            return TypedResults.Ok(await h.GetCrmParametersAsync(c.TenantId, id, c.RequireAgent(), ct));
        });
        one.MapGet("/assist", async Task<Ok<AssistSuggestions>> (long id, long? messageId, Caller c, IKefuConversations k, IAgentAssist a, CancellationToken ct) =>
        {
            await ReadableAsync(k, c, id, ct);
            return TypedResults.Ok(await a.SuggestAsync(c.TenantId, id, messageId, ct));
        });
        one.MapPost("/assist/feedback", async Task<NoContent> (long id, AssistFeedback b, Caller c, IKefuConversations k, IAgentAssist a, CancellationToken ct) =>
        {
            await ReadableAsync(k, c, id, ct);
            await a.RecordFeedbackAsync(c.TenantId, id, b, ct);
            return TypedResults.NoContent();
        });
        one.MapPut("/hold", async Task<Ok<Conversation>> (long id, HoldBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.HoldAsync(c.TenantId, id, c.RequireAgent(), b.Hold, ct)));
        one.MapPut("/recording", async Task<Ok<Conversation>> (long id, RecordingBody b, Caller c, IKefuConversations k, CancellationToken ct) =>
            TypedResults.Ok(await k.AttachRecordingAsync(c.TenantId, id, c.RequireAgent(), b.Url, ct)));

        // The visitor is looked up first, so another tenant's visitor is not found whatever the agent's state.
        w.MapPost("/visitors/{visitorId:long}/invite", async Task<Ok<Conversation>> (long visitorId, Caller c, IKefuConversations k, IKefuHistory h, CancellationToken ct) =>
        {
            await h.GetVisitorAsync(c.TenantId, visitorId, ct);
            return TypedResults.Ok(await k.InviteVisitorAsync(c.TenantId, c.RequireAgent(), visitorId, ct));
        });
        w.MapPost("/visitors/{visitorId:long}/call", async Task<Ok<Conversation>> (long visitorId, CallBody b, Caller c, IKefuConversations k, IKefuHistory h, CancellationToken ct) =>
        {
            await h.GetVisitorAsync(c.TenantId, visitorId, ct);
            return TypedResults.Ok(await k.CallVisitorAsync(c.TenantId, c.RequireAgent(), visitorId, b.Media, ct));
        });
        w.MapGet("/calls/recent", async Task<Ok<IReadOnlyList<Conversation>>> (int? count, Caller c, ICallCenter calls, CancellationToken ct) =>
            TypedResults.Ok(await calls.RecentCallsAsync(c.TenantId, c.RequireAgent(), count ?? 5, ct)));
        w.MapGet("/calls/video", async Task<Ok<IReadOnlyList<Conversation>>> (Caller c, ICallCenter calls, CancellationToken ct) =>
            TypedResults.Ok(await calls.RecentVideoCallsAsync(c.TenantId, null, ct)));

        // Quick replies the agent can use, and its personal library.
        w.MapGet("/quick-replies", async Task<Ok<IReadOnlyList<QuickReply>>> (string? keyword, Caller c, IKefuDirectory d, CancellationToken ct) =>
            TypedResults.Ok(await d.SearchQuickRepliesAsync(c.TenantId, c.RequireAgent(), keyword, ct)));
        w.MapGet("/quick-reply-folders", async Task<Ok<IEnumerable<QuickReplyFolder>>> (Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var agent = c.RequireAgent();
            return TypedResults.Ok((await d.ListQuickReplyFoldersAsync(c.TenantId, ct)).Where(f => f.Library == QuickReplyLibrary.Public || f.OwnerAgentId == agent));
        });
        w.MapPost("/quick-reply-folders", async Task<Created<QuickReplyFolder>> (NameBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddQuickReplyFolderAsync(c.TenantId, QuickReplyLibrary.Personal, c.RequireAgent(), b.Name, ct);
            return TypedResults.Created($"/api/v1/workbench/quick-reply-folders/{created.Id}", created);
        });
        w.MapPost("/quick-replies", async Task<Created<QuickReply>> (QuickReplyBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var agent = c.RequireAgent();
            var folder = (await d.ListQuickReplyFoldersAsync(c.TenantId, ct)).FirstOrDefault(f => f.Id == b.FolderId && f.OwnerAgentId == agent)
                ?? throw new KefuNotFoundException("QuickReplyFolder", b.FolderId);
            var created = await d.AddQuickReplyAsync(c.TenantId, folder.Id, b.Text, ct);
            return TypedResults.Created($"/api/v1/workbench/quick-replies/{created.Id}", created);
        });
        w.MapGet("/settings", async Task<Ok<WorkbenchSettingsDto>> (Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var settings = await d.GetSettingsAsync(c.TenantId, ct);
            return TypedResults.Ok(new WorkbenchSettingsDto((int)settings.Conversations.RecallWindow.TotalSeconds, settings.Rating, settings.AdditionalInfo));
        });
        w.MapGet("/tags", async Task<Ok<IReadOnlyList<TagDefinition>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListTagsAsync(c.TenantId, ct)));
        w.MapGet("/wrap-up-categories", async Task<Ok<IReadOnlyList<WrapUpCategory>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListWrapUpCategoriesAsync(c.TenantId, ct)));
        w.MapGet("/groups", async Task<Ok<IReadOnlyList<SkillGroup>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListSkillGroupsAsync(c.TenantId, ct)));
        w.MapGet("/colleagues", async Task<Ok<IEnumerable<object>>> (Caller c, IKefuDirectory d, CancellationToken ct) =>
            TypedResults.Ok((await d.ListAgentsAsync(c.TenantId, ct)).Where(a => a.Enabled).Select(a => (object)new { a.Id, a.DisplayName, a.AvatarUrl })));
    }

    /// <summary>The conversation when the agent may read it: its own (served, offered or being transferred to it) or any with view-all; otherwise not found.</summary>
    public static async Task<Conversation> ReadableAsync(IKefuConversations k, Caller c, long id, CancellationToken ct)
    {
        var conversation = await k.GetAsync(c.TenantId, id, ct);
        if (c.Has(KefuPermissions.ViewAllConversations) || c.Has(KefuPermissions.ViewHistory))
        {
            return conversation;
        }

        var agent = c.RequireAgent();
        return conversation.AgentId == agent || conversation.PendingTransferToAgentId == agent || conversation.InvitingAgentId == agent
            ? conversation
            : throw new KefuNotFoundException("Conversation", id);
    }
}
