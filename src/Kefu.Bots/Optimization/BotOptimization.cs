using System.Collections.Concurrent;
using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Bots.Optimization;

/// <summary>
/// The default <see cref="IBotOptimization"/>: groups the <see cref="UnmatchedQuestionLog"/> with
/// <see cref="UnmatchedGrouping"/> and hands a group's questions to <see cref="IKnowledgeBase"/>.
/// </summary>
internal sealed class BotOptimization : IBotOptimization
{
    private const int MaxQuestionsShown = 20;
    private const int MaxRecommendations = 3;
    private const int MaxRuleQuestions = 200;

    private readonly IBotCatalog _catalog;
    private readonly UnmatchedQuestionLog _log;
    private readonly IKnowledgeBase _knowledge;
    private readonly IDirectoryStore _directory;
    private readonly BotOptimizationOptions _options;

    /// <summary>The members (normal forms) of the groups of each robot's last listing, by group key: what the administrator saw.</summary>
    private readonly ConcurrentDictionary<(long TenantId, long RobotId), IReadOnlyDictionary<long, string[]>> _listed = new();

    public BotOptimization(IBotCatalog catalog, UnmatchedQuestionLog log, IKnowledgeBase knowledge, IDirectoryStore directory, IOptions<BotOptimizationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        _log = log;
        _knowledge = knowledge;
        _directory = directory;
        _options = options.Value;
    }

    public async ValueTask<IReadOnlyList<UnmatchedGroup>> ListUnmatchedAsync(long tenantId, long robotId, UnmatchedQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new UnmatchedQuery();
        if (query.Limit is < 1 or > 200)
        {
            throw new KefuValidationException(nameof(UnmatchedQuery.Limit), "1–200", $"was {query.Limit}");
        }

        if (query.MinCount < 1)
        {
            throw new KefuValidationException(nameof(UnmatchedQuery.MinCount), "1 or more", $"was {query.MinCount}");
        }

        if (query.From is { } from && query.To is { } to && from > to)
        {
            throw new KefuValidationException(nameof(UnmatchedQuery.From), "at or before To", $"{from:O} is after {to:O}");
        }

        await LoadAsync(tenantId, robotId, cancellationToken).ConfigureAwait(false);
        var index = _catalog.IndexOf(tenantId, robotId);
        var entries = _log.Snapshot(tenantId, robotId)
            .Where(e => (query.From is null || e.LastAskedAt >= query.From) && (query.To is null || e.FirstAskedAt < query.To));
        var groups = UnmatchedGrouping.Cluster(entries, index, _options.GroupSimilarity, cancellationToken)
            .Where(g => g.Count >= query.MinCount)
            .Take(query.Limit)
            .ToList();
        _listed[(tenantId, robotId)] = groups.ToDictionary(g => g.Key, g => g.Members.Select(m => m.Question).ToArray());
        return [.. groups.Select(g => Describe(tenantId, robotId, index, g))];
    }

    public async ValueTask<KnowledgeRule> AddToRuleAsync(long tenantId, long robotId, long groupKey, long ruleId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, robotId, cancellationToken).ConfigureAwait(false);
        var members = MembersOf(tenantId, robotId, groupKey);
        for (var attempt = 1; ; attempt++)
        {
            var rule = await _knowledge.GetRuleAsync(tenantId, ruleId, cancellationToken).ConfigureAwait(false);
            if (rule.RobotId != robotId)
            {
                throw new KefuNotFoundException("KnowledgeRule", ruleId);
            }

            var known = rule.Questions.Select(q => UnmatchedQuestionLog.KeyOf(QuestionText.Normalize(q))).ToHashSet(StringComparer.Ordinal);
            var questions = rule.Questions.ToList();
            var handled = new List<string>();
            foreach (var member in members)
            {
                if (known.Contains(member.Question))
                {
                    handled.Add(member.Question);
                }
                else if (questions.Count < MaxRuleQuestions)
                {
                    questions.Add(member.Examples[0]);
                    known.Add(member.Question);
                    handled.Add(member.Question);
                }
            }

            try
            {
                var updated = questions.Count == rule.Questions.Count
                    ? rule
                    : await _knowledge.UpdateRuleAsync(tenantId, rule with { Questions = questions }, cancellationToken).ConfigureAwait(false);
                Handled(tenantId, robotId, groupKey, handled);
                return updated;
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency && attempt < 3)
            {
                // Someone changed the rule meanwhile: read it again and add to the new version.
            }
        }
    }

    public async ValueTask<KnowledgeRule> CreateRuleAsync(long tenantId, long robotId, long groupKey, KnowledgeAnswer answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await LoadAsync(tenantId, robotId, cancellationToken).ConfigureAwait(false);
        var members = MembersOf(tenantId, robotId, groupKey).Take(MaxRuleQuestions).ToList();
        var draft = new KnowledgeRule { RobotId = robotId, Questions = [.. members.Select(m => m.Examples[0])], Answer = answer };
        var rule = await _knowledge.AddRuleAsync(tenantId, robotId, draft, cancellationToken).ConfigureAwait(false);
        Handled(tenantId, robotId, groupKey, members.Select(m => m.Question));
        return rule;
    }

    public async ValueTask DismissAsync(long tenantId, long robotId, long groupKey, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, robotId, cancellationToken).ConfigureAwait(false);
        var members = MembersOf(tenantId, robotId, groupKey);
        Handled(tenantId, robotId, groupKey, members.Select(m => m.Question));
    }

    private async ValueTask LoadAsync(long tenantId, long robotId, CancellationToken cancellationToken)
    {
        if (await _directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }

        await _catalog.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await _log.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (!_catalog.TryGetRobot(tenantId, robotId, out _))
        {
            throw new KefuNotFoundException("Robot", robotId);
        }
    }

    /// <summary>
    /// The group's questions still in the log, most asked first: the members as last listed, or, for a key not listed
    /// (another node listed it, or the list was filtered), the group of that key over the whole log.
    /// </summary>
    private List<UnmatchedEntry> MembersOf(long tenantId, long robotId, long groupKey)
    {
        var entries = _log.Snapshot(tenantId, robotId).ToDictionary(e => e.Question, StringComparer.Ordinal);
        IEnumerable<string>? members = null;
        if (_listed.TryGetValue((tenantId, robotId), out var listed) && listed.TryGetValue(groupKey, out var seen))
        {
            members = seen;
        }
        else if (UnmatchedGrouping.Cluster(entries.Values, _catalog.IndexOf(tenantId, robotId), _options.GroupSimilarity)
            .Find(g => g.Key == groupKey) is { } group)
        {
            members = group.Members.Select(m => m.Question);
        }

        var present = (members ?? []).Select(m => entries.GetValueOrDefault(m)).OfType<UnmatchedEntry>()
            .OrderByDescending(e => e.Count).ThenBy(e => e.Question, StringComparer.Ordinal).ToList();
        return present.Count > 0 ? present : throw new KefuNotFoundException("UnmatchedGroup", groupKey);
    }

    private void Handled(long tenantId, long robotId, long groupKey, IEnumerable<string> questions)
    {
        _log.Remove(tenantId, robotId, questions);
        if (_listed.TryGetValue((tenantId, robotId), out var listed) && listed.ContainsKey(groupKey))
        {
            _listed[(tenantId, robotId)] = listed.Where(p => p.Key != groupKey).ToDictionary(p => p.Key, p => p.Value);
        }
    }

    private UnmatchedGroup Describe(long tenantId, long robotId, KnowledgeIndex index, QuestionGroup group)
    {
        var leader = group.Leader;
        var questions = group.Members.Take(MaxQuestionsShown)
            .Select(m => new UnmatchedQuestion(m.Examples.Count > 0 ? m.Examples[0] : m.Question, m.Count, m.FirstAskedAt, m.LastAskedAt))
            .ToList();
        return new UnmatchedGroup(group.Key, questions[0].Text, group.Count, questions, Recommend(tenantId, robotId, index, group));
    }

    /// <summary>
    /// The rules the pipeline finds for the group's leading question, and the rules it found when the members were asked,
    /// ranked by how alike the leading question and each rule's closest question are.
    /// </summary>
    private List<RuleRecommendation> Recommend(long tenantId, long robotId, KnowledgeIndex index, QuestionGroup group)
    {
        var leader = group.Leader.Question;
        var candidates = new Dictionary<long, double>();
        foreach (var score in index.Match(leader, 10).Candidates)
        {
            candidates.TryAdd(score.RuleId, score.Confidence);
        }

        foreach (var member in group.Members)
        {
            if (member.RuleId is { } seen)
            {
                candidates.TryAdd(seen, 0);
            }
        }

        var recommendations = new List<(RuleRecommendation Recommendation, double Confidence)>();
        foreach (var (ruleId, confidence) in candidates)
        {
            if (!_catalog.TryGetRule(tenantId, ruleId, out var rule) || rule.RobotId != robotId)
            {
                continue;
            }

            var similarity = rule.Questions.Count == 0 ? 0 : rule.Questions.Max(q => UnmatchedGrouping.Similarity(index, leader, QuestionText.Normalize(q)));
            if (similarity > 0 || confidence > 0)
            {
                recommendations.Add((new RuleRecommendation(rule.Id, rule.Title, Math.Round(similarity, 4)), confidence));
            }
        }

        return [.. recommendations
            .OrderByDescending(r => r.Recommendation.Similarity)
            .ThenByDescending(r => r.Confidence)
            .ThenBy(r => r.Recommendation.RuleId)
            .Take(MaxRecommendations)
            .Select(r => r.Recommendation)];
    }
}
