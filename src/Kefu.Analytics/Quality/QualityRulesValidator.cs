using System.Globalization;
using Kefu.Text;

namespace Kefu.Analytics.Quality;

/// <summary>
/// Checks <see cref="QualityRules"/> against the ranges their documentation gives; every refusal is a
/// <see cref="KefuValidationException"/> naming the field as a caller writes it (<c>ReplyTiming.SlowReplySeconds</c>,
/// <c>BannedPhrases.Words[3]</c>) and its allowed range.
/// </summary>
internal static class QualityRulesValidator
{
    public const int MaxWords = 500;
    public const int MaxWordLength = 30;

    /// <summary>Checks every field and returns the rules with word lists trimmed and words repeated after folding dropped.</summary>
    public static QualityRules Validate(QualityRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Version < 0)
        {
            throw new KefuValidationException(nameof(QualityRules.Version), "0 or more: the version read", string.Create(CultureInfo.InvariantCulture, $"was {rules.Version}"));
        }

        Range(rules.FlagBelowScore, 0, 100, nameof(QualityRules.FlagBelowScore));

        var sentiment = Required(rules.NegativeSentiment, nameof(QualityRules.NegativeSentiment));
        Common(sentiment, nameof(QualityRules.NegativeSentiment));
        Range(sentiment.MinNegativeMessages, 1, 1000, $"{nameof(QualityRules.NegativeSentiment)}.{nameof(NegativeSentimentRule.MinNegativeMessages)}");
        Range(sentiment.MinNegativePercent, 1, 100, $"{nameof(QualityRules.NegativeSentiment)}.{nameof(NegativeSentimentRule.MinNegativePercent)}");
        Range(sentiment.MinAnalysedMessages, 1, 1000, $"{nameof(QualityRules.NegativeSentiment)}.{nameof(NegativeSentimentRule.MinAnalysedMessages)}");

        var evaluation = Required(rules.EvaluationWords, nameof(QualityRules.EvaluationWords));
        Common(evaluation, nameof(QualityRules.EvaluationWords));
        var negative = Words(evaluation.NegativeWords, $"{nameof(QualityRules.EvaluationWords)}.{nameof(EvaluationWordsRule.NegativeWords)}");
        var positive = Words(evaluation.PositiveWords, $"{nameof(QualityRules.EvaluationWords)}.{nameof(EvaluationWordsRule.PositiveWords)}");
        Range(evaluation.MinOccurrences, 1, 100, $"{nameof(QualityRules.EvaluationWords)}.{nameof(EvaluationWordsRule.MinOccurrences)}");
        if (!(evaluation.PositiveWeight is >= 0 and <= 10))
        {
            throw new KefuValidationException($"{nameof(QualityRules.EvaluationWords)}.{nameof(EvaluationWordsRule.PositiveWeight)}", "between 0 and 10",
                string.Create(CultureInfo.InvariantCulture, $"was {evaluation.PositiveWeight}"));
        }

        var rating = Required(rules.Rating, nameof(QualityRules.Rating));
        Common(rating, nameof(QualityRules.Rating));
        Range(rating.MaxLowLevelPercent, 0, 99, $"{nameof(QualityRules.Rating)}.{nameof(RatingRule.MaxLowLevelPercent)}");
        var commentWords = Words(rating.CommentWords, $"{nameof(QualityRules.Rating)}.{nameof(RatingRule.CommentWords)}");

        var timing = Required(rules.ReplyTiming, nameof(QualityRules.ReplyTiming));
        Common(timing, nameof(QualityRules.ReplyTiming));
        Range(timing.SlowReplySeconds, 5, 3600, $"{nameof(QualityRules.ReplyTiming)}.{nameof(ReplyTimingRule.SlowReplySeconds)}");
        Range(timing.MinSlowReplies, 1, 100, $"{nameof(QualityRules.ReplyTiming)}.{nameof(ReplyTimingRule.MinSlowReplies)}");
        Range(timing.MaxGapSeconds, 10, 86_400, $"{nameof(QualityRules.ReplyTiming)}.{nameof(ReplyTimingRule.MaxGapSeconds)}");
        Range(timing.MinReplyPercent, 0, 100, $"{nameof(QualityRules.ReplyTiming)}.{nameof(ReplyTimingRule.MinReplyPercent)}");
        Range(timing.MinVisitorMessagesForReplyRate, 1, 1000, $"{nameof(QualityRules.ReplyTiming)}.{nameof(ReplyTimingRule.MinVisitorMessagesForReplyRate)}");

        var first = Required(rules.FirstResponse, nameof(QualityRules.FirstResponse));
        Common(first, nameof(QualityRules.FirstResponse));
        Range(first.MaxSeconds, 1, 3600, $"{nameof(QualityRules.FirstResponse)}.{nameof(FirstResponseRule.MaxSeconds)}");

        var banned = Required(rules.BannedPhrases, nameof(QualityRules.BannedPhrases));
        Common(banned, nameof(QualityRules.BannedPhrases));
        var bannedWords = Words(banned.Words, $"{nameof(QualityRules.BannedPhrases)}.{nameof(BannedPhrasesRule.Words)}");
        Range(banned.MinOccurrences, 1, 100, $"{nameof(QualityRules.BannedPhrases)}.{nameof(BannedPhrasesRule.MinOccurrences)}");

        var complaints = Required(rules.VisitorComplaints, nameof(QualityRules.VisitorComplaints));
        Common(complaints, nameof(QualityRules.VisitorComplaints));
        var complaintWords = Words(complaints.Words, $"{nameof(QualityRules.VisitorComplaints)}.{nameof(VisitorComplaintsRule.Words)}");
        Range(complaints.MinOccurrences, 1, 100, $"{nameof(QualityRules.VisitorComplaints)}.{nameof(VisitorComplaintsRule.MinOccurrences)}");

        return rules with
        {
            EvaluationWords = evaluation with { NegativeWords = negative, PositiveWords = positive },
            Rating = rating with { CommentWords = commentWords },
            BannedPhrases = banned with { Words = bannedWords },
            VisitorComplaints = complaints with { Words = complaintWords },
        };
    }

    private static T Required<T>(T? rule, string field)
        where T : QualityRule =>
        rule ?? throw new KefuValidationException(field, "a rule setting, not null");

    private static void Common(QualityRule rule, string field) =>
        Range(rule.Penalty, 0, QualityRule.MaxPenalty, $"{field}.{nameof(QualityRule.Penalty)}");

    private static void Range(int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}"),
                string.Create(CultureInfo.InvariantCulture, $"was {value}"));
        }
    }

    private static string[] Words(IReadOnlyList<string>? words, string field)
    {
        var allowed = string.Create(CultureInfo.InvariantCulture, $"a list of at most {MaxWords} words of 1–{MaxWordLength} characters");
        if (words is null)
        {
            throw new KefuValidationException(field, allowed, "was null");
        }

        if (words.Count > MaxWords)
        {
            throw new KefuValidationException(field, allowed, string.Create(CultureInfo.InvariantCulture, $"had {words.Count} words"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i]?.Trim();
            if (string.IsNullOrEmpty(word) || word.Length > MaxWordLength)
            {
                throw new KefuValidationException(string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"),
                    string.Create(CultureInfo.InvariantCulture, $"1–{MaxWordLength} characters, not blank"),
                    word is null ? "was null or blank" : string.Create(CultureInfo.InvariantCulture, $"had {word.Length} characters"));
            }

            if (seen.Add(TextFold.Fold(word)))
            {
                result.Add(word);
            }
        }

        return [.. result];
    }
}
