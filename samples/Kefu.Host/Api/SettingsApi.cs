using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Tenant settings, canned phrases (C16), ratings (C13), tags (C17), wrap-up categories (C14) and the public quick-reply library (C15).</summary>
internal static class SettingsApi
{
    public static void MapSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings").RequirePermission(KefuPermissions.ManageConfiguration);
        settings.MapGet("/", async Task<Ok<TenantSettings>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.GetSettingsAsync(c.TenantId, ct)));
        settings.MapPut("/conversations", async Task<Ok<TenantSettings>> (ConversationSettings b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateConversationSettingsAsync(c.TenantId, b, ct)));
        settings.MapPut("/canned-phrases", async Task<Ok<TenantSettings>> (CannedPhrases b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateCannedPhrasesAsync(c.TenantId, b, ct)));
        settings.MapPut("/ratings", async Task<Ok<TenantSettings>> (RatingSettings b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateRatingSettingsAsync(c.TenantId, b, ct)));
        settings.MapPut("/additional-info", async Task<Ok<TenantSettings>> (AdditionalInfoSettings b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateAdditionalInfoAsync(c.TenantId, b, ct)));

        var tags = api.MapGroup("/tags").WithTags("Tags").RequirePermission(KefuPermissions.ManageConfiguration);
        tags.MapGet("/", async Task<Ok<IReadOnlyList<TagDefinition>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListTagsAsync(c.TenantId, ct)));
        tags.MapPost("/", async Task<Created<TagDefinition>> (TagBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddTagAsync(c.TenantId, b.Scope, b.Name, ct);
            return TypedResults.Created($"/api/v1/tags/{created.Id}", created);
        });
        tags.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteTagAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });

        var categories = api.MapGroup("/wrap-up-categories").WithTags("Wrap-up categories").RequirePermission(KefuPermissions.ManageConfiguration);
        categories.MapGet("/", async Task<Ok<IReadOnlyList<WrapUpCategory>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListWrapUpCategoriesAsync(c.TenantId, ct)));
        categories.MapPost("/", async Task<Created<WrapUpCategory>> (CategoryBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddWrapUpCategoryAsync(c.TenantId, b.ParentId, b.Name, ct);
            return TypedResults.Created($"/api/v1/wrap-up-categories/{created.Id}", created);
        });
        categories.MapPut("/{id:long}", async Task<Ok<WrapUpCategory>> (long id, NameBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.RenameWrapUpCategoryAsync(c.TenantId, id, b.Name, ct)));
        categories.MapPost("/{id:long}/move", async Task<Ok<IReadOnlyList<WrapUpCategory>>> (long id, MoveBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.MoveWrapUpCategoryAsync(c.TenantId, id, b.By, ct)));
        categories.MapDelete("/{id:long}", async Task<Ok<IReadOnlyList<long>>> (long id, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.DeleteWrapUpCategoryAsync(c.TenantId, id, ct)));

        var folders = api.MapGroup("/quick-reply-folders").WithTags("Quick replies").RequirePermission(KefuPermissions.ManageConfiguration);
        folders.MapGet("/", async Task<Ok<IReadOnlyList<QuickReplyFolder>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListQuickReplyFoldersAsync(c.TenantId, ct)));
        folders.MapPost("/", async Task<Created<QuickReplyFolder>> (FolderBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddQuickReplyFolderAsync(c.TenantId, b.Library, b.OwnerAgentId, b.Name, ct);
            return TypedResults.Created($"/api/v1/quick-reply-folders/{created.Id}", created);
        });
        folders.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteQuickReplyFolderAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });

        var replies = api.MapGroup("/quick-replies").WithTags("Quick replies").RequirePermission(KefuPermissions.ManageConfiguration);
        replies.MapGet("/", async Task<Ok<IReadOnlyList<QuickReply>>> (string? keyword, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.SearchQuickRepliesAsync(c.TenantId, null, keyword, ct)));
        replies.MapPost("/", async Task<Created<QuickReply>> (QuickReplyBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddQuickReplyAsync(c.TenantId, b.FolderId, b.Text, ct);
            return TypedResults.Created($"/api/v1/quick-replies/{created.Id}", created);
        });
        replies.MapPut("/{id:long}", async Task<Ok<QuickReply>> (long id, QuickReplyBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateQuickReplyAsync(c.TenantId, id, b.FolderId, b.Text, ct)));
        replies.MapPost("/{id:long}/move", async Task<Ok<IReadOnlyList<QuickReply>>> (long id, MoveBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.MoveQuickReplyAsync(c.TenantId, id, b.By, ct)));
        replies.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteQuickReplyAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });
    }
}
