using System.Collections.Concurrent;
using System.Collections.Immutable;
using Kefu.Bots.Matching;
using Kefu.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kefu.Bots.Assist;

/// <summary>
/// The tenants' agent-assist state: loads a tenant's documents on first use, and applies mined pairs and feedback to the
/// store first, then to memory. Documents are written with optimistic concurrency; when another writer changed one
/// (another node), it is read again and the change applied again.
/// </summary>
internal sealed class AssistState : IDisposable
{
    /// <summary>How many conversations an answer document remembers, so a repeated close event counts once.</summary>
    internal const int AppliedPerAnswer = 256;

    /// <summary>How many questions an answer keeps feedback counts for (the ones with the latest feedback).</summary>
    internal const int FeedbackQuestions = 32;

    private const int MaxAttempts = 4;

    private readonly IConfigurationDocumentStore _documents;
    private readonly IQuestionMatcher _matcher;
    private readonly AgentAssistOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, Lazy<Task<AssistTenant>>> _tenants = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private int _disposed;

    public AssistState(IConfigurationDocumentStore documents, IQuestionMatcher matcher, IOptions<AgentAssistOptions> options, TimeProvider time, ILogger logger)
    {
        _documents = documents;
        _matcher = matcher;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _stoppingToken = _stopping.Token;
    }

    public AgentAssistOptions Options => _options;

    /// <summary>The tenant's state, loaded from the store on first use.</summary>
    public async ValueTask<AssistTenant> GetAsync(long tenantId, CancellationToken cancellationToken)
    {
        var lazy = _tenants.GetOrAdd(tenantId, id => new Lazy<Task<AssistTenant>>(() => LoadAsync(id)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            _tenants.TryRemove(new KeyValuePair<long, Lazy<Task<AssistTenant>>>(tenantId, lazy));
            throw;
        }
    }

    private async Task<AssistTenant> LoadAsync(long tenantId)
    {
        var documents = await _documents.ListAsync(tenantId, AssistDocuments.Kind, _stoppingToken).ConfigureAwait(false);
        var answers = ImmutableDictionary.CreateBuilder<long, HistoryAnswer>();
        var feedback = ImmutableDictionary.CreateBuilder<string, FeedbackStats>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            if (document.Key.StartsWith(AssistDocuments.AnswerPrefix, StringComparison.Ordinal)
                && long.TryParse(document.Key.AsSpan(AssistDocuments.AnswerPrefix.Length), out var id)
                && AssistDocuments.DeserializeAnswer(id, document.Content, document.Version) is { } answer)
            {
                answers[id] = answer;
            }
            else if (document.Key.StartsWith(AssistDocuments.FeedbackPrefix, StringComparison.Ordinal)
                && AssistDocuments.DeserializeFeedback(document.Content, document.Version) is { } stats)
            {
                feedback[stats.Key] = stats;
            }
        }

        return new AssistTenant(tenantId, answers.ToImmutable(), feedback.ToImmutable(), _matcher, _logger, _stoppingToken);
    }

    /// <summary>Completes when the tenant's history index reflects every change made so far (for tests and tools).</summary>
    public async Task WhenIndexedAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var tenant = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await tenant.WhenIndexedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the pairs of a conversation, once: an answer that already counted <paramref name="conversationId"/> is left
    /// alone, so a close event delivered twice (or an edit already mined) counts once.
    /// </summary>
    public ValueTask AddPairsAsync(long tenantId, long conversationId, IReadOnlyList<MinedPair> pairs, CancellationToken cancellationToken) =>
        AddAsync(tenantId, conversationId, pairs, edit: false, cancellationToken);

    /// <summary>
    /// Adds an agent's edited answer to a question as a pair of <paramref name="conversationId"/>: when the conversation
    /// is mined later and the agent sent that text, it is not counted again.
    /// </summary>
    public ValueTask AddEditedPairAsync(long tenantId, long conversationId, MinedPair pair, CancellationToken cancellationToken) =>
        AddAsync(tenantId, conversationId, [pair], edit: true, cancellationToken);

    private async ValueTask AddAsync(long tenantId, long conversationId, IReadOnlyList<MinedPair> pairs, bool edit, CancellationToken cancellationToken)
    {
        var tenant = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await tenant.Writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!edit && tenant.WasMined(conversationId))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var answers = tenant.Answers;
            var count = tenant.PairCount;
            var changed = false;
            foreach (var group in pairs.GroupBy(p => AnswerIds.Of(QuestionText.Normalize(p.Answer))))
            {
                var found = group.ToList();
                var before = answers.GetValueOrDefault(group.Key);
                var updated = await UpdateAnswerAsync(tenant, group.Key, before,
                    current => Apply(current, group.Key, found, conversationId, now), cancellationToken).ConfigureAwait(false);
                if (!ReferenceEquals(updated, before))
                {
                    answers = updated is null ? answers.Remove(group.Key) : answers.SetItem(group.Key, updated);
                    count += (updated?.Questions.Length ?? 0) - (before?.Questions.Length ?? 0);
                    changed = true;
                }
            }

            if (changed)
            {
                (answers, count) = await EvictAsync(tenant, answers, count, now, cancellationToken).ConfigureAwait(false);
                tenant.PublishAnswers(answers, count);
            }

            // An edit does not mine its conversation: its close event must still be mined.
            if (!edit)
            {
                tenant.RememberMined(conversationId);
            }
        }
        finally
        {
            tenant.Writer.Release();
        }
    }

    private static HistoryAnswer? Apply(HistoryAnswer? current, long id, IReadOnlyList<MinedPair> pairs, long conversationId, DateTimeOffset now)
    {
        if (current is not null && conversationId != 0 && current.Applied.Contains(conversationId))
        {
            return current;
        }

        var questions = (current?.Questions ?? []).ToBuilder();
        foreach (var pair in pairs)
        {
            var normal = QuestionText.Normalize(pair.Question);
            var at = -1;
            for (var i = 0; i < questions.Count && at < 0; i++)
            {
                at = questions[i].Normal == normal ? i : -1;
            }

            if (at >= 0)
            {
                questions[at] = questions[at] with { Count = questions[at].Count + 1, LastUsed = now };
            }
            else
            {
                questions.Add(new HistoryQuestion(pair.Question, normal, 1, now));
            }
        }

        var applied = current?.Applied ?? [];
        if (conversationId != 0)
        {
            applied = applied.Add(conversationId);
            if (applied.Length > AppliedPerAnswer)
            {
                applied = applied.RemoveRange(0, applied.Length - AppliedPerAnswer);
            }
        }

        return new HistoryAnswer(id, current?.Text ?? pairs[0].Answer, questions.ToImmutable(), applied, current?.Version ?? 0);
    }

    /// <summary>
    /// Removes the least used pairs past <see cref="AgentAssistOptions.MaxPairsPerTenant"/>: the lowest
    /// count ÷ (1 + days since last use ÷ 30), so old habits give way to new ones.
    /// </summary>
    private async ValueTask<(ImmutableDictionary<long, HistoryAnswer> Answers, int Count)> EvictAsync(AssistTenant tenant,
        ImmutableDictionary<long, HistoryAnswer> answers, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var excess = count - _options.MaxPairsPerTenant;
        if (excess <= 0)
        {
            return (answers, count);
        }

        var victims = answers.Values
            .SelectMany(a => a.Questions.Select(q => (Answer: a.Id, q.Normal, Use: q.Count / (1 + Math.Max(0, (now - q.LastUsed).TotalDays) / 30), q.LastUsed)))
            .OrderBy(v => v.Use).ThenBy(v => v.LastUsed).ThenBy(v => v.Answer)
            .Take(excess)
            .GroupBy(v => v.Answer, v => v.Normal);
        foreach (var group in victims)
        {
            var gone = group.ToHashSet(StringComparer.Ordinal);
            var updated = await UpdateAnswerAsync(tenant, group.Key, answers.GetValueOrDefault(group.Key), current =>
            {
                if (current is null)
                {
                    return null;
                }

                var kept = current.Questions.RemoveAll(q => gone.Contains(q.Normal));
                return kept.IsEmpty ? null : current with { Questions = kept };
            }, cancellationToken).ConfigureAwait(false);
            count += (updated?.Questions.Length ?? 0) - (answers.GetValueOrDefault(group.Key)?.Questions.Length ?? 0);
            answers = updated is null ? answers.Remove(group.Key) : answers.SetItem(group.Key, updated);
        }

        return (answers, count);
    }

    /// <summary>Records one feedback on an answer for a normalised question (empty when none).</summary>
    public async ValueTask RecordFeedbackAsync(long tenantId, string key, AssistAction action, string question, CancellationToken cancellationToken)
    {
        var tenant = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await tenant.Writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var feedback = tenant.Feedback;
            var documentKey = AssistDocuments.FeedbackKey(key);
            var updated = await UpdateDocumentAsync(tenant.TenantId, documentKey, feedback.GetValueOrDefault(key), current =>
            {
                var stats = current ?? FeedbackStats.Empty(key);
                return stats with
                {
                    Picks = stats.Picks + (action == AssistAction.Picked ? 1 : 0),
                    Edits = stats.Edits + (action == AssistAction.Edited ? 1 : 0),
                    Ignores = stats.Ignores + (action == AssistAction.Ignored ? 1 : 0),
                    UpdatedAt = now,
                    Questions = question.Length == 0 ? stats.Questions : Count(stats.Questions, question, action, now),
                };
            }, AssistDocuments.Serialize, (content, version) => AssistDocuments.DeserializeFeedback(content, version), s => s.Version,
                (s, version) => s with { Version = version }, cancellationToken).ConfigureAwait(false);
            feedback = updated is null ? feedback.Remove(key) : feedback.SetItem(key, updated);

            // Past the bound, the answer whose feedback is oldest goes.
            while (feedback.Count > _options.MaxFeedbackAnswersPerTenant && feedback.Values.Where(s => s.Key != key).MinBy(s => s.UpdatedAt) is { } oldest)
            {
                await UpdateDocumentAsync(tenant.TenantId, AssistDocuments.FeedbackKey(oldest.Key), oldest, _ => null, AssistDocuments.Serialize,
                    (content, version) => AssistDocuments.DeserializeFeedback(content, version), s => s.Version, (s, version) => s with { Version = version },
                    cancellationToken).ConfigureAwait(false);
                feedback = feedback.Remove(oldest.Key);
            }

            tenant.PublishFeedback(feedback);
        }
        finally
        {
            tenant.Writer.Release();
        }
    }

    /// <summary>Adds one feedback to a question's counts; past <see cref="FeedbackQuestions"/> the question with the oldest feedback goes.</summary>
    internal static ImmutableArray<QuestionFeedback> Count(ImmutableArray<QuestionFeedback> questions, string question, AssistAction action, DateTimeOffset now)
    {
        var at = -1;
        for (var i = 0; i < questions.Length && at < 0; i++)
        {
            at = questions[i].Question == question ? i : -1;
        }

        var entry = at >= 0 ? questions[at] : new QuestionFeedback(question, 0, 0, 0, now);
        entry = entry with
        {
            Picks = entry.Picks + (action == AssistAction.Picked ? 1 : 0),
            Edits = entry.Edits + (action == AssistAction.Edited ? 1 : 0),
            Ignores = entry.Ignores + (action == AssistAction.Ignored ? 1 : 0),
            At = now,
        };
        if (at >= 0)
        {
            return questions.SetItem(at, entry);
        }

        questions = questions.Add(entry);
        if (questions.Length <= FeedbackQuestions)
        {
            return questions;
        }

        var oldest = 0;
        for (var i = 1; i < questions.Length; i++)
        {
            oldest = questions[i].At < questions[oldest].At ? i : oldest;
        }

        return questions.RemoveAt(oldest);
    }

    private ValueTask<HistoryAnswer?> UpdateAnswerAsync(AssistTenant tenant, long id, HistoryAnswer? current, Func<HistoryAnswer?, HistoryAnswer?> change,
        CancellationToken cancellationToken) =>
        UpdateDocumentAsync(tenant.TenantId, AssistDocuments.AnswerKey(id), current, change, AssistDocuments.Serialize,
            (content, version) => AssistDocuments.DeserializeAnswer(id, content, version), a => a.Version, (a, version) => a with { Version = version },
            cancellationToken);

    /// <summary>
    /// Writes <paramref name="change"/> of a document (null deletes it; the same instance leaves it alone). When the
    /// stored version moved on, reads it again and applies the change to what is stored.
    /// </summary>
    private async ValueTask<T?> UpdateDocumentAsync<T>(long tenantId, string key, T? current, Func<T?, T?> change, Func<T, string> serialize,
        Func<string, long, T?> deserialize, Func<T, long> versionOf, Func<T, long, T> withVersion, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var next = change(current);
            try
            {
                if (ReferenceEquals(next, current))
                {
                    return current;
                }

                if (next is null)
                {
                    if (current is not null)
                    {
                        await _documents.DeleteAsync(tenantId, AssistDocuments.Kind, key, versionOf(current), cancellationToken).ConfigureAwait(false);
                    }

                    return null;
                }

                var stored = await _documents.PutAsync(tenantId, AssistDocuments.Kind, key, serialize(next), current is null ? 0 : versionOf(current),
                    _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return withVersion(next, stored.Version);
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency && attempt < MaxAttempts)
            {
                var fresh = await _documents.GetAsync(tenantId, AssistDocuments.Kind, key, cancellationToken).ConfigureAwait(false);
                current = fresh is null ? null : deserialize(fresh.Content, fresh.Version);
            }
        }
    }

    /// <summary>Stops the background builds. Safe to call more than once (a container may dispose a shared instance twice).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }
}
