using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Bots.Assist;

/// <summary>A question–answer pair mined from a conversation (or an agent's edit), before it is stored.</summary>
/// <param name="Question">The visitor's question as written.</param>
/// <param name="Answer">The agent's answer as written.</param>
internal readonly record struct MinedPair(string Question, string Answer);

/// <summary>
/// A mined answer and every question it was given to (each question with the answer is one pair). Immutable: a change
/// makes a new one. <see cref="Version"/> is its document's version.
/// </summary>
internal sealed record HistoryAnswer(long Id, string Text, ImmutableArray<HistoryQuestion> Questions, ImmutableArray<long> Applied, long Version)
{
    /// <summary>How many times agents gave the answer, over all its questions.</summary>
    public int Uses { get; } = Questions.IsDefault ? 0 : Questions.Sum(q => q.Count);
}

/// <summary>One question of a mined answer: the pair's count and when it was last seen.</summary>
internal sealed record HistoryQuestion(string Text, string Normal, int Count, DateTimeOffset LastUsed);

/// <summary>An answer's feedback: totals, and the counts for each of the latest questions it was given feedback on. Immutable.</summary>
internal sealed record FeedbackStats(string Key, int Picks, int Edits, int Ignores, DateTimeOffset UpdatedAt, ImmutableArray<QuestionFeedback> Questions, long Version)
{
    public static FeedbackStats Empty(string key) => new(key, 0, 0, 0, default, [], 0);
}

/// <summary>An answer's feedback for one normalised question.</summary>
internal sealed record QuestionFeedback(string Question, int Picks, int Edits, int Ignores, DateTimeOffset At);

/// <summary>A parsed suggestion key.</summary>
internal readonly record struct SuggestionKey(AssistSource Source, long Id)
{
    public const string RulePrefix = "rule:";
    public const string PairPrefix = "pair:";

    public static SuggestionKey Rule(long id) => new(AssistSource.Rule, id);

    public static SuggestionKey Pair(long id) => new(AssistSource.History, id);

    public static bool TryParse(string? text, out SuggestionKey key)
    {
        key = default;
        if (text is null)
        {
            return false;
        }

        AssistSource source;
        int start;
        if (text.StartsWith(RulePrefix, StringComparison.Ordinal))
        {
            (source, start) = (AssistSource.Rule, RulePrefix.Length);
        }
        else if (text.StartsWith(PairPrefix, StringComparison.Ordinal))
        {
            (source, start) = (AssistSource.History, PairPrefix.Length);
        }
        else
        {
            return false;
        }

        if (!long.TryParse(text.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            return false;
        }

        key = new SuggestionKey(source, id);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Source == AssistSource.Rule ? RulePrefix : PairPrefix)}{Id}");
}

/// <summary>Stable ids of mined answers: a 53-bit FNV-1a hash of the normalised text, the same in every process.</summary>
internal static class AnswerIds
{
    public static long Of(string normalAnswer)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in normalAnswer)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }

        var id = (long)(hash & ((1UL << 53) - 1));
        return id == 0 ? 1 : id;
    }
}

/// <summary>
/// The configuration documents of agent assist, kind <see cref="Kind"/>: one per mined answer
/// (<c>answer:{id}</c>, <see cref="AnswerDocument"/>) and one per answer with feedback (<c>feedback:{suggestion key}</c>,
/// <see cref="FeedbackDocument"/>). Small documents, so mining a conversation or recording a click rewrites only what changed.
/// </summary>
internal static class AssistDocuments
{
    public const string Kind = "bots.assist";
    public const string AnswerPrefix = "answer:";
    public const string FeedbackPrefix = "feedback:";

    /// <summary>Web defaults, enums by name, and Chinese written as it is (a third of the size of \u escapes; the documents never go into HTML).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string AnswerKey(long id) => string.Create(CultureInfo.InvariantCulture, $"{AnswerPrefix}{id}");

    public static string FeedbackKey(string suggestionKey) => FeedbackPrefix + suggestionKey;

    public static string Serialize(HistoryAnswer answer) => JsonSerializer.Serialize(new AnswerDocument
    {
        Text = answer.Text,
        Questions = [.. answer.Questions.Select(q => new QuestionDocument { Text = q.Text, Count = q.Count, LastUsed = q.LastUsed })],
        Applied = [.. answer.Applied],
    }, Json);

    public static HistoryAnswer? DeserializeAnswer(long id, string content, long version)
    {
        var document = JsonSerializer.Deserialize<AnswerDocument>(content, Json);
        if (document is null || string.IsNullOrEmpty(document.Text))
        {
            return null;
        }

        var questions = document.Questions
            .Where(q => !string.IsNullOrWhiteSpace(q.Text))
            .Select(q => new HistoryQuestion(q.Text, Matching.QuestionText.Normalize(q.Text), Math.Max(1, q.Count), q.LastUsed))
            .ToImmutableArray();
        return new HistoryAnswer(id, document.Text, questions, [.. document.Applied], version);
    }

    public static string Serialize(FeedbackStats stats) => JsonSerializer.Serialize(new FeedbackDocument
    {
        Key = stats.Key,
        Picks = stats.Picks,
        Edits = stats.Edits,
        Ignores = stats.Ignores,
        UpdatedAt = stats.UpdatedAt,
        Questions = [.. stats.Questions.Select(q => new FeedbackEntryDocument { Question = q.Question, Picks = q.Picks, Edits = q.Edits, Ignores = q.Ignores, At = q.At })],
    }, Json);

    public static FeedbackStats? DeserializeFeedback(string content, long version)
    {
        var document = JsonSerializer.Deserialize<FeedbackDocument>(content, Json);
        if (document is null || !SuggestionKey.TryParse(document.Key, out _))
        {
            return null;
        }

        return new FeedbackStats(document.Key, Math.Max(0, document.Picks), Math.Max(0, document.Edits), Math.Max(0, document.Ignores), document.UpdatedAt,
            [.. document.Questions.Where(q => !string.IsNullOrEmpty(q.Question))
                .Select(q => new QuestionFeedback(q.Question ?? string.Empty, Math.Max(0, q.Picks), Math.Max(0, q.Edits), Math.Max(0, q.Ignores), q.At))], version);
    }

    /// <summary>Document <c>answer:{id}</c>: a mined answer, its questions with counts, and the conversations already mined into it.</summary>
    internal sealed class AnswerDocument
    {
        /// <summary>The answer as an agent first wrote it.</summary>
        public string Text { get; set; } = string.Empty;

        /// <summary>The questions it answered: each a pair with its count and last use.</summary>
        public List<QuestionDocument> Questions { get; set; } = [];

        /// <summary>The latest conversations mined into this answer, so a repeated close event counts once.</summary>
        public List<long> Applied { get; set; } = [];
    }

    /// <summary>One question of an answer.</summary>
    internal sealed class QuestionDocument
    {
        public string Text { get; set; } = string.Empty;

        public int Count { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }

    /// <summary>Document <c>feedback:{key}</c>: an answer's feedback totals, and its counts for each of the latest questions.</summary>
    internal sealed class FeedbackDocument
    {
        public string Key { get; set; } = string.Empty;

        public int Picks { get; set; }

        public int Edits { get; set; }

        public int Ignores { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public List<FeedbackEntryDocument> Questions { get; set; } = [];
    }

    /// <summary>The feedback on an answer for one normalised question, and when it last got some.</summary>
    internal sealed class FeedbackEntryDocument
    {
        public string? Question { get; set; }

        public int Picks { get; set; }

        public int Edits { get; set; }

        public int Ignores { get; set; }

        public DateTimeOffset At { get; set; }
    }
}
