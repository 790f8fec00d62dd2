using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu.Bots.Assist;

/// <summary>Kefu.Bots' <see cref="IAgentAssist"/>: rules through the robots' indexes, mined answers through the history index, ranked with feedback.</summary>
internal sealed class AgentAssist : IAgentAssist
{
    /// <summary>How many candidates each robot's rules offer before merging and ranking.</summary>
    private const int CandidatesPerSource = 10;

    /// <summary>How many mined answers the history index offers before they are scored again by similarity.</summary>
    private const int HistoryCandidates = 20;

    /// <summary>How many of a mined answer's questions (the most common) its similarity is taken over.</summary>
    private const int QuestionsCompared = 50;

    /// <summary>How far back the latest visitor question is looked for.</summary>
    private const int MaxMessagesScanned = 500;

    private const int Page = 50;

    private readonly AssistState _state;
    private readonly IBotCatalog _catalog;
    private readonly IConversationStore _conversations;
    private readonly IDirectoryStore _directory;

    public AgentAssist(AssistState state, IBotCatalog catalog, IConversationStore conversations, IDirectoryStore directory)
    {
        _state = state;
        _catalog = catalog;
        _conversations = conversations;
        _directory = directory;
    }

    /// <inheritdoc />
    public async ValueTask<AssistSuggestions> SuggestAsync(long tenantId, long conversationId, long? messageId = null, CancellationToken cancellationToken = default)
    {
        var conversation = await RequireConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        var question = await FindQuestionAsync(tenantId, conversationId, messageId, cancellationToken).ConfigureAwait(false);
        if (question is null)
        {
            return new AssistSuggestions(null, null, []);
        }

        var text = question.Text ?? string.Empty; // never null: FindQuestionAsync returns text messages only
        var normal = QuestionText.Normalize(text);
        var tenant = await _state.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var history = await tenant.GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        var candidates = new List<Candidate>();
        await AddRuleCandidatesAsync(tenantId, conversation, normal, candidates, cancellationToken).ConfigureAwait(false);
        AddHistoryCandidates(history, normal, candidates);

        var feedback = tenant.Feedback;
        var options = _state.Options;
        var answers = candidates
            .Where(c => c.Confidence > 0) // feedback never raises what does not match at all
            .Select(c => c with { Confidence = AssistRanking.Score(c.Confidence, feedback.GetValueOrDefault(c.Key), normal, history.Index) })
            .GroupBy(c => QuestionText.Normalize(c.Text), StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(c => c.Confidence).ThenBy(c => c.Source).ThenBy(c => c.Key, StringComparer.Ordinal).First())
            .Where(c => c.Confidence >= options.MinScore)
            .OrderByDescending(c => c.Confidence).ThenBy(c => c.Source).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(options.Suggestions)
            .Select(c => new AssistSuggestion(c.Key, c.Text, c.Source, c.RuleId, c.Confidence))
            .ToList();
        return new AssistSuggestions(question.Id, text, answers);
    }

    /// <inheritdoc />
    public async ValueTask RecordFeedbackAsync(long tenantId, long conversationId, AssistFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (!SuggestionKey.TryParse(feedback.SuggestionKey, out var key))
        {
            throw new KefuValidationException(nameof(AssistFeedback.SuggestionKey), "rule:{id} or pair:{id}, the id 1 or more", $"was '{feedback.SuggestionKey}'");
        }

        if (!Enum.IsDefined(feedback.Action))
        {
            throw new KefuValidationException(nameof(AssistFeedback.Action), "Picked, Edited or Ignored", $"was {(int)feedback.Action}");
        }

        var edited = feedback.EditedText?.Trim();
        if (feedback.Action == AssistAction.Edited && (string.IsNullOrEmpty(edited) || edited.Length > PairExtractor.MaxAnswerLength))
        {
            throw new KefuValidationException(nameof(AssistFeedback.EditedText), $"1–{PairExtractor.MaxAnswerLength} characters for an edit",
                edited is null ? "was null" : $"had {edited.Length} characters");
        }

        await RequireConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        var question = await FindQuestionAsync(tenantId, conversationId, feedback.MessageId, cancellationToken).ConfigureAwait(false);
        var tenant = await _state.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (key.Source == AssistSource.Rule)
        {
            await _catalog.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (!_catalog.TryGetRule(tenantId, key.Id, out _))
            {
                throw new KefuNotFoundException("KnowledgeRule", key.Id);
            }
        }
        else if (!tenant.Answers.ContainsKey(key.Id))
        {
            throw new KefuNotFoundException("AssistPair", key.Id);
        }

        var normal = question?.Text is { } asked ? QuestionText.Normalize(asked) : string.Empty;
        await _state.RecordFeedbackAsync(tenantId, key.ToString(), feedback.Action, normal, cancellationToken).ConfigureAwait(false);
        if (feedback.Action == AssistAction.Edited && question?.Text is { } q && edited is not null && PairExtractor.IsUseful(q, edited)
            && q.Length <= PairExtractor.MaxQuestionLength)
        {
            await _state.AddEditedPairAsync(tenantId, conversationId, new MinedPair(q.Trim(), edited), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<Conversation> RequireConversationAsync(long tenantId, long conversationId, CancellationToken cancellationToken)
    {
        if (await _directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }

        return await _conversations.GetConversationAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Conversation", conversationId);
    }

    /// <summary>The chosen visitor message, or the visitor's latest text message (null when there is none).</summary>
    private async ValueTask<Message?> FindQuestionAsync(long tenantId, long conversationId, long? messageId, CancellationToken cancellationToken)
    {
        if (messageId is { } id)
        {
            var message = await _conversations.GetMessageAsync(tenantId, conversationId, id, cancellationToken).ConfigureAwait(false)
                ?? throw new KefuNotFoundException("Message", id);
            if (!IsQuestion(message))
            {
                throw new KefuValidationException("messageId", "a text message the visitor sent in the conversation",
                    $"message {id} is a {message.Kind} message from {message.SenderKind}");
            }

            return message;
        }

        long? before = null;
        for (var scanned = 0; scanned < MaxMessagesScanned;)
        {
            var page = await _conversations.GetMessagesAsync(tenantId, conversationId, before, Page, cancellationToken).ConfigureAwait(false);
            for (var i = page.Count - 1; i >= 0; i--)
            {
                if (IsQuestion(page[i]))
                {
                    return page[i];
                }
            }

            if (page.Count < Page)
            {
                break;
            }

            before = page[0].Id;
            scanned += page.Count;
        }

        return null;
    }

    private static bool IsQuestion(Message message) =>
        message.SenderKind == ParticipantKind.Visitor && message.Kind == MessageKind.Text && !message.Recalled && !string.IsNullOrWhiteSpace(message.Text);

    /// <summary>The text answers of the conversation's robot; when it had none, or its rules answer nothing, those of all the tenant's robots.</summary>
    private async ValueTask AddRuleCandidatesAsync(long tenantId, Conversation conversation, string question, List<Candidate> candidates, CancellationToken cancellationToken)
    {
        await _catalog.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var before = candidates.Count;
        if (conversation.RobotId is { } robotId && _catalog.TryGetRobot(tenantId, robotId, out _))
        {
            AddRules(robotId);
            if (candidates.Count > before)
            {
                return;
            }
        }

        foreach (var robot in _catalog.RobotsOf(tenantId))
        {
            if (robot.Id != conversation.RobotId)
            {
                AddRules(robot.Id);
            }
        }

        void AddRules(long robotId)
        {
            var match = _catalog.IndexOf(tenantId, robotId).Match(question, CandidatesPerSource);
            foreach (var score in match.Candidates)
            {
                if (_catalog.TryGetRule(tenantId, score.RuleId, out var rule) && rule.Enabled
                    && rule.Answer.Kind == AnswerKind.Text && !string.IsNullOrWhiteSpace(rule.Answer.Text))
                {
                    candidates.Add(new Candidate(SuggestionKey.Rule(rule.Id).ToString(), rule.Answer.Text, AssistSource.Rule, rule.Id, score.Confidence));
                }
            }
        }
    }

    private static void AddHistoryCandidates(HistoryIndex history, string question, List<Candidate> candidates)
    {
        if (history.Answers.IsEmpty)
        {
            return;
        }

        var scores = new RuleScore[HistoryCandidates];
        var n = history.Index.Match(question, scores);
        for (var i = 0; i < n; i++)
        {
            if (history.Answers.TryGetValue(scores[i].RuleId, out var answer))
            {
                var nearest = answer.Questions.OrderByDescending(q => q.Count).Take(QuestionsCompared).Max(q => history.Index.Similarity(question, q.Normal));
                candidates.Add(new Candidate(SuggestionKey.Pair(answer.Id).ToString(), answer.Text, AssistSource.History, null,
                    AssistRanking.HistoryScore(scores[i].Confidence, nearest, answer.Uses)));
            }
        }
    }

    private sealed record Candidate(string Key, string Text, AssistSource Source, long? RuleId, double Confidence);
}
