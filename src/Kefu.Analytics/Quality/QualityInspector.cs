using System.Globalization;
using Kefu.Events;
using Kefu.Model;
using Kefu.Moderation;

namespace Kefu.Analytics.Quality;

/// <summary>
/// The rule engine: one tenant's <see cref="QualityRules"/> with their word lists compiled, applied to one conversation
/// at a time. Immutable and safe to share between threads; rules that change get a new inspector.
/// </summary>
internal sealed class QualityInspector
{
    private const string NegativeCategory = "-";
    private const string PositiveCategory = "+";

    private readonly SensitiveWordMatcher? _evaluation;
    private readonly SensitiveWordMatcher? _comment;
    private readonly SensitiveWordMatcher? _banned;
    private readonly SensitiveWordMatcher? _complaints;

    /// <param name="rules">Rules that passed <see cref="QualityRulesValidator.Validate"/>.</param>
    public QualityInspector(QualityRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        // Negative words first: a word in both lists counts as negative (the first listed form wins when compiling).
        _evaluation = Compile(rules.EvaluationWords.NegativeWords.Select(w => new SensitiveWord(w, NegativeCategory))
            .Concat(rules.EvaluationWords.PositiveWords.Select(w => new SensitiveWord(w, PositiveCategory))));
        _comment = Compile(rules.Rating.CommentWords.Select(w => new SensitiveWord(w)));
        _banned = Compile(rules.BannedPhrases.Words.Select(w => new SensitiveWord(w)));
        _complaints = Compile(rules.VisitorComplaints.Words.Select(w => new SensitiveWord(w)));
    }

    public QualityRules Rules { get; }

    /// <summary>Inspects a conversation.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="messages">Its messages, oldest first.</param>
    /// <param name="now">The inspection time: it stands in for the close of an open conversation.</param>
    public InspectionResult Inspect(Conversation conversation, IReadOnlyList<Message> messages, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(messages);
        var findings = new List<Finding>();
        if (Rules.NegativeSentiment.Enabled)
        {
            NegativeSentiment(messages, findings);
        }

        if (Rules.EvaluationWords.Enabled && _evaluation is not null)
        {
            EvaluationWords(_evaluation, messages, findings);
        }

        if (Rules.Rating.Enabled)
        {
            Rating(conversation, findings);
        }

        if (Rules.ReplyTiming.Enabled && conversation.AssignedAt is not null)
        {
            ReplyTiming(messages, findings);
        }

        if (Rules.FirstResponse.Enabled && conversation.AssignedAt is not null)
        {
            FirstResponse(conversation, messages, now, findings);
        }

        if (Rules.BannedPhrases.Enabled && _banned is not null)
        {
            Words(messages, ParticipantKind.Agent, _banned, Rules.BannedPhrases.MinOccurrences, QualityRuleKind.BannedPhrases, "banned.phrases",
                (n, words) => Format($"客服使用禁用语{n}次：{words}"), (n, words) => Format($"The agent used banned phrases {n} time(s): {words}"), findings);
        }

        if (Rules.VisitorComplaints.Enabled && _complaints is not null)
        {
            Words(messages, ParticipantKind.Visitor, _complaints, Rules.VisitorComplaints.MinOccurrences, QualityRuleKind.VisitorComplaints, "complaint.words",
                (n, words) => Format($"访客抱怨服务{n}次（阈值{Rules.VisitorComplaints.MinOccurrences}次）：{words}"),
                (n, words) => Format($"The visitor complained about the service {n} time(s) (threshold {Rules.VisitorComplaints.MinOccurrences}): {words}"), findings);
        }

        var reasons = new List<InspectionReason>(findings.Count);
        var penalised = new HashSet<QualityRuleKind>();
        var score = 100;
        var alwaysFlag = false;
        foreach (var f in findings)
        {
            var rule = Rules.Of(f.Rule);
            var penalty = penalised.Add(f.Rule) ? rule.Penalty : 0;
            score -= penalty;
            alwaysFlag |= rule.AlwaysFlag;
            reasons.Add(new InspectionReason(f.Rule, f.Code, f.Message, f.MessageEn, penalty, rule.AlwaysFlag, f.MessageIds, f.Words, f.Values));
        }

        score = Math.Max(0, score);
        return new InspectionResult
        {
            ConversationId = conversation.Id,
            AgentId = conversation.AgentId,
            VisitorId = conversation.VisitorId,
            ConversationCreatedAt = conversation.CreatedAt,
            ClosedAt = conversation.ClosedAt,
            InspectedAt = now,
            RulesVersion = Rules.Version,
            Score = score,
            Flagged = score < Rules.FlagBelowScore || alwaysFlag,
            MessagesInspected = messages.Count,
            Reasons = reasons,
        };
    }

    private void NegativeSentiment(IReadOnlyList<Message> messages, List<Finding> findings)
    {
        var rule = Rules.NegativeSentiment;
        var analysed = 0;
        var negative = new List<long>();
        foreach (var m in messages)
        {
            if (m.SenderKind == ParticipantKind.Visitor && m.Sentiment is { } sentiment)
            {
                analysed++;
                if (sentiment.Label < 0)
                {
                    negative.Add(m.Id);
                }
            }
        }

        var n = negative.Count;
        if (n >= rule.MinNegativeMessages)
        {
            findings.Add(new Finding(QualityRuleKind.NegativeSentiment, "sentiment.negative_count",
                Format($"访客有{n}条消息为负面情绪（阈值{rule.MinNegativeMessages}条）"),
                Format($"{n} visitor messages were negative (threshold {rule.MinNegativeMessages})"),
                negative, [], Values(("count", n), ("threshold", rule.MinNegativeMessages), ("analysed", analysed))));
        }
        else if (n > 0 && analysed >= rule.MinAnalysedMessages && n * 100L >= (long)rule.MinNegativePercent * analysed)
        {
            var share = Math.Round(n * 100.0 / analysed, 1);
            findings.Add(new Finding(QualityRuleKind.NegativeSentiment, "sentiment.negative_share",
                Format($"访客负面情绪消息占比{share}%（{n}/{analysed}），阈值{rule.MinNegativePercent}%"),
                Format($"{share}% of the visitor's messages were negative ({n}/{analysed}), threshold {rule.MinNegativePercent}%"),
                negative, [], Values(("count", n), ("analysed", analysed), ("percent", share), ("threshold", rule.MinNegativePercent))));
        }
    }

    private void EvaluationWords(SensitiveWordMatcher matcher, IReadOnlyList<Message> messages, List<Finding> findings)
    {
        var rule = Rules.EvaluationWords;
        var negative = 0;
        var positive = 0;
        var ids = new List<long>();
        var words = new List<string>();
        foreach (var m in messages)
        {
            if (m.SenderKind != ParticipantKind.Visitor || string.IsNullOrEmpty(m.Text))
            {
                continue;
            }

            var found = false;
            foreach (var match in Occurrences(matcher, m.Text))
            {
                if (match.Category == NegativeCategory)
                {
                    negative++;
                    found = true;
                    AddOnce(words, match.Word);
                }
                else
                {
                    positive++;
                }
            }

            if (found)
            {
                ids.Add(m.Id);
            }
        }

        var net = negative - (rule.PositiveWeight * positive);
        if (negative >= 1 && net >= rule.MinOccurrences)
        {
            var list = string.Join("、", words);
            findings.Add(new Finding(QualityRuleKind.EvaluationWords, "evaluation.negative_words",
                Format($"访客使用负面评价词{negative}次（正面评价词{positive}次，净计{net}，阈值{rule.MinOccurrences}）：{list}"),
                Format($"The visitor used negative evaluation words {negative} time(s) (positive {positive}, net {net}, threshold {rule.MinOccurrences}): {string.Join(", ", words)}"),
                ids, words, Values(("negative", negative), ("positive", positive), ("net", net), ("threshold", rule.MinOccurrences), ("positiveWeight", rule.PositiveWeight))));
        }
    }

    private void Rating(Conversation conversation, List<Finding> findings)
    {
        if (conversation.Rating is not { } rating)
        {
            return;
        }

        var rule = Rules.Rating;
        var percent = rating.LevelCount > 1 ? Math.Round((rating.Level - 1) * 100.0 / (rating.LevelCount - 1), 1) : 0;
        if (percent <= rule.MaxLowLevelPercent)
        {
            findings.Add(new Finding(QualityRuleKind.Rating, "rating.low",
                Format($"访客评价为{rating.Level}级（共{rating.LevelCount}级，折合{percent}%），不高于阈值{rule.MaxLowLevelPercent}%"),
                Format($"The visitor rated {rating.Level} of {rating.LevelCount} ({percent}%), at or below the threshold of {rule.MaxLowLevelPercent}%"),
                [], [], Values(("level", rating.Level), ("levelCount", rating.LevelCount), ("percent", percent), ("threshold", rule.MaxLowLevelPercent))));
        }

        if (_comment is not null && !string.IsNullOrEmpty(rating.Comment))
        {
            var matches = Occurrences(_comment, rating.Comment);
            if (matches.Count > 0)
            {
                var words = new List<string>();
                foreach (var match in matches)
                {
                    AddOnce(words, match.Word);
                }

                findings.Add(new Finding(QualityRuleKind.Rating, "rating.comment",
                    Format($"评价备注含投诉词：{string.Join("、", words)}"),
                    Format($"The rating's comment has complaint words: {string.Join(", ", words)}"),
                    [], words, Values(("count", matches.Count))));
            }
        }
    }

    private void ReplyTiming(IReadOnlyList<Message> messages, List<Finding> findings)
    {
        var rule = Rules.ReplyTiming;
        var visitorMessages = 0;
        var agentMessages = 0;
        var agentSeen = false;
        Message? waiting = null;
        var slow = new List<long>();
        double longest = 0;
        Message? longestFrom = null;
        Message? longestTo = null;
        foreach (var m in messages)
        {
            if (m.SenderKind == ParticipantKind.Visitor)
            {
                visitorMessages++;
                waiting ??= m;
            }
            else if (m.SenderKind == ParticipantKind.Agent)
            {
                agentMessages++;
                if (waiting is not null && agentSeen)
                {
                    var gap = Math.Max(0, (m.SentAt - waiting.SentAt).TotalSeconds);
                    if (gap > rule.SlowReplySeconds)
                    {
                        slow.Add(waiting.Id);
                    }

                    if (gap > longest)
                    {
                        (longest, longestFrom, longestTo) = (gap, waiting, m);
                    }
                }

                agentSeen = true;
                waiting = null;
            }
        }

        if (slow.Count >= rule.MinSlowReplies)
        {
            findings.Add(new Finding(QualityRuleKind.ReplyTiming, "reply.slow",
                Format($"客服有{slow.Count}次回复超过{rule.SlowReplySeconds}秒（阈值{rule.MinSlowReplies}次）"),
                Format($"{slow.Count} agent replies took longer than {rule.SlowReplySeconds} s (threshold {rule.MinSlowReplies})"),
                slow, [], Values(("count", slow.Count), ("seconds", rule.SlowReplySeconds), ("threshold", rule.MinSlowReplies))));
        }

        if (longestFrom is not null && longestTo is not null && longest > rule.MaxGapSeconds)
        {
            var seconds = Math.Round(longest, 1);
            findings.Add(new Finding(QualityRuleKind.ReplyTiming, "reply.longest_gap",
                Format($"客服最长回复间隔{seconds}秒，超过{rule.MaxGapSeconds}秒"),
                Format($"The longest agent reply took {seconds} s, more than {rule.MaxGapSeconds} s"),
                [longestFrom.Id, longestTo.Id], [], Values(("seconds", seconds), ("threshold", rule.MaxGapSeconds))));
        }

        if (rule.MinReplyPercent > 0 && visitorMessages >= rule.MinVisitorMessagesForReplyRate
            && agentMessages * 100L < (long)rule.MinReplyPercent * visitorMessages)
        {
            var percent = Math.Round(agentMessages * 100.0 / visitorMessages, 1);
            findings.Add(new Finding(QualityRuleKind.ReplyTiming, "reply.rate",
                Format($"客服消息{agentMessages}条、访客消息{visitorMessages}条，回复率{percent}%低于{rule.MinReplyPercent}%"),
                Format($"{agentMessages} agent messages to {visitorMessages} visitor messages: a reply rate of {percent}%, below {rule.MinReplyPercent}%"),
                [], [], Values(("agentMessages", agentMessages), ("visitorMessages", visitorMessages), ("percent", percent), ("threshold", rule.MinReplyPercent))));
        }
    }

    private void FirstResponse(Conversation conversation, IReadOnlyList<Message> messages, DateTimeOffset now, List<Finding> findings)
    {
        var rule = Rules.FirstResponse;
        var assigned = conversation.AssignedAt ?? throw new InvalidOperationException("Only a conversation an agent picked up has a first response.");
        var first = messages.FirstOrDefault(m => m.SenderKind == ParticipantKind.Agent && m.SentAt >= assigned);
        var firstAt = conversation.FirstAgentMessageAt ?? first?.SentAt;
        if (firstAt is { } at)
        {
            var seconds = Math.Round((at - assigned).TotalSeconds, 1);
            if (seconds > rule.MaxSeconds)
            {
                findings.Add(new Finding(QualityRuleKind.SlowFirstResponse, "first_response.slow",
                    Format($"接起后{seconds}秒才首次回复，超过{rule.MaxSeconds}秒"),
                    Format($"The agent's first reply came {seconds} s after pick-up, more than {rule.MaxSeconds} s"),
                    first is null ? [] : [first.Id], [], Values(("seconds", seconds), ("threshold", rule.MaxSeconds))));
            }

            return;
        }

        var waited = Math.Round(((conversation.ClosedAt ?? now) - assigned).TotalSeconds, 1);
        if (waited > rule.MaxSeconds)
        {
            findings.Add(new Finding(QualityRuleKind.SlowFirstResponse, "first_response.none",
                Format($"接起后{waited}秒客服一直未回复，超过{rule.MaxSeconds}秒"),
                Format($"The agent never replied in the {waited} s after pick-up, more than {rule.MaxSeconds} s"),
                [], [], Values(("seconds", waited), ("threshold", rule.MaxSeconds))));
        }
    }

    private static void Words(IReadOnlyList<Message> messages, ParticipantKind sender, SensitiveWordMatcher matcher, int threshold, QualityRuleKind kind, string code,
        Func<int, string, string> message, Func<int, string, string> messageEn, List<Finding> findings)
    {
        var count = 0;
        var ids = new List<long>();
        var words = new List<string>();
        foreach (var m in messages)
        {
            if (m.SenderKind != sender || string.IsNullOrEmpty(m.Text))
            {
                continue;
            }

            var matches = Occurrences(matcher, m.Text);
            if (matches.Count == 0)
            {
                continue;
            }

            count += matches.Count;
            ids.Add(m.Id);
            foreach (var match in matches)
            {
                AddOnce(words, match.Word);
            }
        }

        if (count >= threshold)
        {
            findings.Add(new Finding(kind, code, message(count, string.Join("、", words)), messageEn(count, string.Join(", ", words)),
                ids, words, Values(("count", count), ("threshold", threshold))));
        }
    }

    /// <summary>The occurrences in <paramref name="text"/>, leftmost-longest and without overlap (满意 inside 不满意 is not one).</summary>
    internal static List<SensitiveWordMatch> Occurrences(SensitiveWordMatcher matcher, string text)
    {
        var all = matcher.FindAll(text);
        var result = new List<SensitiveWordMatch>();
        var end = 0;
        for (var i = 0; i < all.Count; i++)
        {
            var best = all[i];
            if (best.Start < end)
            {
                continue;
            }

            while (i + 1 < all.Count && all[i + 1].Start == best.Start)
            {
                i++;
                if (all[i].Length > best.Length)
                {
                    best = all[i];
                }
            }

            result.Add(best);
            end = best.End;
        }

        return result;
    }

    private static SensitiveWordMatcher? Compile(IEnumerable<SensitiveWord> words)
    {
        var list = words.ToList();
        return list.Count == 0 ? null : SensitiveWordMatcher.Compile(list);
    }

    private static void AddOnce(List<string> words, string word)
    {
        if (!words.Contains(word, StringComparer.Ordinal))
        {
            words.Add(word);
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, double> Values(params (string Name, double Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private sealed record Finding(QualityRuleKind Rule, string Code, string Message, string MessageEn, IReadOnlyList<long> MessageIds,
        IReadOnlyList<string> Words, IReadOnlyDictionary<string, double> Values);
}
