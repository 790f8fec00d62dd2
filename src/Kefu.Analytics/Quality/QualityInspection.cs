using System.Collections.Concurrent;
using System.Globalization;
using Kefu.Model;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Quality;

/// <summary>
/// <see cref="IQualityInspection"/> over the conversation store and the configuration document store. Each tenant's
/// compiled rules are kept while their document version stays the same, so the word lists are compiled once per change.
/// </summary>
internal sealed class QualityInspection : IQualityInspection
{
    private const int MaxWriteAttempts = 5;

    private readonly IConversationStore _conversations;
    private readonly IConfigurationDocumentStore _documents;
    private readonly IDirectoryStore _directory;
    private readonly TimeProvider _time;
    private readonly QualityInspectionOptions _options;
    private readonly Kefu.Analytics.Reporting.QualityScores? _scores;
    private readonly ConcurrentDictionary<long, QualityInspector> _inspectors = new();

    public QualityInspection(IConversationStore conversations, IConfigurationDocumentStore documents, IDirectoryStore directory, TimeProvider time,
        IOptions<QualityInspectionOptions> options, Kefu.Analytics.Reporting.QualityScores? scores = null)
    {
        _scores = scores;
        ArgumentNullException.ThrowIfNull(options);
        _conversations = conversations;
        _documents = documents;
        _directory = directory;
        _time = time;
        _options = options.Value;
    }

    public async ValueTask<QualityRules> GetRulesAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await ReadRulesAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<QualityRules> SetRulesAsync(long tenantId, QualityRules rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var validated = QualityRulesValidator.Validate(rules);
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var document = await _documents.PutAsync(tenantId, QualityDocuments.RulesKind, QualityDocuments.RulesKey, QualityDocuments.Serialize(validated),
            validated.Version, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var stored = validated with { Version = document.Version };
        _inspectors[tenantId] = new QualityInspector(stored);
        return stored;
    }

    public async ValueTask<InspectionResult> InspectAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = await _conversations.GetConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Conversation", conversationId);
        return await InspectAsync(tenantId, conversation, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<InspectionResult?> GetResultAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = await _conversations.GetConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            return null;
        }

        var document = await _documents.GetAsync(tenantId, QualityDocuments.ResultKind(conversation.CreatedAt), QualityDocuments.Key(conversationId),
            cancellationToken).ConfigureAwait(false);
        return document is null ? null : QualityDocuments.ReadResult(document);
    }

    public async ValueTask<Page<InspectionResult>> ListAsync(long tenantId, InspectionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Validate(query);
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var matches = new List<InspectionResult>();
        if (query.To > query.From)
        {
            var last = (query.To - TimeSpan.FromTicks(1)).UtcDateTime.Date;
            for (var day = query.From.UtcDateTime.Date; day <= last; day = day.AddDays(1))
            {
                var documents = await _documents.ListAsync(tenantId, QualityDocuments.ResultKind(new DateTimeOffset(day, TimeSpan.Zero)), cancellationToken)
                    .ConfigureAwait(false);
                foreach (var document in documents)
                {
                    var result = QualityDocuments.ReadResult(document);
                    if (result.ConversationCreatedAt >= query.From && result.ConversationCreatedAt < query.To
                        && (!query.FlaggedOnly || result.Flagged)
                        && (query.AgentId is null || result.AgentId == query.AgentId))
                    {
                        matches.Add(result);
                    }
                }
            }
        }

        matches.Sort(static (a, b) =>
        {
            var byTime = b.ConversationCreatedAt.CompareTo(a.ConversationCreatedAt);
            return byTime != 0 ? byTime : b.ConversationId.CompareTo(a.ConversationId);
        });
        var items = matches.Skip(query.Offset).Take(query.PageSize).ToList();
        return new Page<InspectionResult>(items, matches.Count, query.Offset);
    }

    /// <summary>Inspects a conversation read from the store and stores the result in place of any earlier one.</summary>
    internal async ValueTask<InspectionResult> InspectAsync(long tenantId, Conversation conversation, CancellationToken cancellationToken)
    {
        var inspector = await InspectorAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var messages = await _conversations.GetLatestMessagesAsync(tenantId, conversation.Id, _options.MaxMessages, cancellationToken).ConfigureAwait(false);
        var result = inspector.Inspect(conversation, messages, _time.GetUtcNow());
        await StoreAsync(tenantId, result, cancellationToken).ConfigureAwait(false);
        if (_scores is not null)
        {
            // Reports average the first score each conversation gets (质检评分平均值, E17 1.8).
            await _scores.RecordAsync(tenantId, conversation.Id, result.Score, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask StoreAsync(long tenantId, InspectionResult result, CancellationToken cancellationToken)
    {
        var kind = QualityDocuments.ResultKind(result.ConversationCreatedAt);
        var key = QualityDocuments.Key(result.ConversationId);
        var content = QualityDocuments.Serialize(result);
        for (var attempt = 1; ; attempt++)
        {
            var current = await _documents.GetAsync(tenantId, kind, key, cancellationToken).ConfigureAwait(false);
            try
            {
                await _documents.PutAsync(tenantId, kind, key, content, current?.Version ?? 0, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency && attempt < MaxWriteAttempts)
            {
                // Another inspection of the same conversation wrote in between; the latest inspection wins.
            }
        }
    }

    private async ValueTask<QualityInspector> InspectorAsync(long tenantId, CancellationToken cancellationToken)
    {
        var document = await _documents.GetAsync(tenantId, QualityDocuments.RulesKind, QualityDocuments.RulesKey, cancellationToken).ConfigureAwait(false);
        var version = document?.Version ?? 0;
        if (_inspectors.TryGetValue(tenantId, out var cached) && cached.Rules.Version == version)
        {
            return cached;
        }

        var inspector = new QualityInspector(document is null ? new QualityRules() : QualityDocuments.ReadRules(document));
        _inspectors[tenantId] = inspector;
        return inspector;
    }

    private async ValueTask<QualityRules> ReadRulesAsync(long tenantId, CancellationToken cancellationToken)
    {
        var document = await _documents.GetAsync(tenantId, QualityDocuments.RulesKind, QualityDocuments.RulesKey, cancellationToken).ConfigureAwait(false);
        return document is null ? new QualityRules() : QualityDocuments.ReadRules(document);
    }

    private async ValueTask RequireTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (await _directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }
    }

    private void Validate(InspectionQuery query)
    {
        if (query.PageSize is < 1 or > InspectionQuery.MaxPageSize)
        {
            throw new KefuValidationException(nameof(InspectionQuery.PageSize), string.Create(CultureInfo.InvariantCulture, $"between 1 and {InspectionQuery.MaxPageSize}"),
                string.Create(CultureInfo.InvariantCulture, $"was {query.PageSize}"));
        }

        if (query.Offset < 0)
        {
            throw new KefuValidationException(nameof(InspectionQuery.Offset), "0 or more", string.Create(CultureInfo.InvariantCulture, $"was {query.Offset}"));
        }

        if (query.To < query.From)
        {
            throw new KefuValidationException(nameof(InspectionQuery.To), "at or after From");
        }

        if (query.To - query.From > TimeSpan.FromDays(_options.MaxListDays))
        {
            throw new KefuValidationException(nameof(InspectionQuery.To), string.Create(CultureInfo.InvariantCulture, $"at most {_options.MaxListDays} days after From"));
        }
    }
}
