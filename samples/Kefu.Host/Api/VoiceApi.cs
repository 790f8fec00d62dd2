using Kefu.Analytics.Exports;
using Kefu.Analytics.Sentiment;
using Kefu.Analytics.Text;
using Kefu.Analytics.Voice;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>The voice of the customer (E17 7, A1–A5): sentiment trend, hot keywords, topics, keyword detail, vocabularies and the tenant's sentiment model.</summary>
internal static class VoiceApi
{
    public static void MapVoiceApi(this RouteGroupBuilder api)
    {
        var v = api.MapGroup("/voice").WithTags("Voice of the customer").RequirePermission(KefuPermissions.ViewReports);
        v.MapGet("/sentiment", async Task<Ok<IReadOnlyList<SentimentDay>>> (string? scope, DateOnly? to, int? days, Caller c, IVoiceOfCustomer voice, CancellationToken ct) =>
            TypedResults.Ok(await voice.GetSentimentTrendAsync(c.TenantId, QueryValues.Enum(scope, VoiceScope.Visitor, "scope"), to, days ?? 16, ct)));
        v.MapGet("/sentiment/export", (string? scope, DateOnly? to, int? days, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "sentiment", (fmt, lang, s, ct) => e.ExportSentimentTrendAsync(c.TenantId, QueryValues.Enum(scope, VoiceScope.Visitor, "scope"), fmt, s, to, days ?? 16, lang, ct)));
        v.MapPost("/keywords", async Task<Ok<IReadOnlyList<KeywordStat>>> (KeywordQuery b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.GetKeywordsAsync(c.TenantId, b, ct)));
        v.MapPost("/keywords/export", (KeywordQuery b, string format, string? language, Caller c, IReportExports e) =>
            Exports.File(format, language, "keywords", (fmt, lang, s, ct) => e.ExportKeywordsAsync(c.TenantId, b, fmt, s, lang, ct)));
        v.MapGet("/keywords/{word}", async Task<Ok<KeywordDetail>> (string word, string? scope, DateOnly from, DateOnly to, Caller c, IVoiceOfCustomer voice, CancellationToken ct) =>
            TypedResults.Ok(await voice.GetKeywordDetailAsync(c.TenantId, word, QueryValues.Enum(scope, VoiceScope.All, "scope"), from, to, ct)));
        v.MapPost("/keyword-messages", async Task<Ok<KeywordMessagePage>> (KeywordMessageQuery b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.GetKeywordMessagesAsync(c.TenantId, b, ct)));
        v.MapPost("/topics", async Task<Ok<VoiceTopics>> (TopicQuery b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.GetTopicsAsync(c.TenantId, b, ct)));
        v.MapGet("/new-words", async Task<Ok<IReadOnlyList<NewWordCandidate>>> (DateOnly from, DateOnly to, Caller c, IVoiceOfCustomer voice, CancellationToken ct) =>
            TypedResults.Ok(await voice.DiscoverNewWordsAsync(c.TenantId, from, to, ct)));

        var vocabulary = api.MapGroup("/voice/vocabulary").WithTags("Voice of the customer").RequirePermission(KefuPermissions.ManageConfiguration);
        vocabulary.MapGet("/", async Task<Ok<VoiceVocabulary>> (Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.GetVocabularyAsync(c.TenantId, ct)));
        vocabulary.MapPost("/stop-words", async Task<Ok<VoiceVocabulary>> (WordsBody b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.AddStopWordsAsync(c.TenantId, b.Words ?? [], ct)));
        vocabulary.MapPost("/stop-words/remove", async Task<Ok<VoiceVocabulary>> (WordsBody b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.RemoveStopWordsAsync(c.TenantId, b.Words ?? [], ct)));
        vocabulary.MapPut("/focus-words", async Task<Ok<VoiceVocabulary>> (WordsBody b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.SetFocusWordsAsync(c.TenantId, b.Words ?? [], ct)));
        vocabulary.MapPost("/user-words", async Task<Ok<VoiceVocabulary>> (WordsBody b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.AddUserWordsAsync(c.TenantId, b.Words ?? [], ct)));
        vocabulary.MapPut("/user-words", async Task<Ok<VoiceVocabulary>> (WordsBody b, Caller c, IVoiceOfCustomer voice, CancellationToken ct) => TypedResults.Ok(await voice.SetUserWordsAsync(c.TenantId, b.Words ?? [], ct)));

        var model = api.MapGroup("/voice/sentiment-model").WithTags("Voice of the customer").RequirePermission(KefuPermissions.ManageConfiguration);
        model.MapPost("/", async Task<Ok<SentimentTrainingSummary>> (IFormFile file, Caller c, ISentimentModels models, CancellationToken ct) =>
        {
            await using var stream = file.OpenReadStream();
            return TypedResults.Ok(await models.TrainAsync(c.TenantId, stream, ct));
        }).DisableAntiforgery();
        model.MapDelete("/", async Task<Results<NoContent, NotFound>> (Caller c, ISentimentModels models, CancellationToken ct) =>
            await models.DeleteAsync(c.TenantId, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
    }
}
