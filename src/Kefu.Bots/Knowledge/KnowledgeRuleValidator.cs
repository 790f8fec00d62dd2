using Kefu.Bots.Matching;
using Kefu.Model;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// Checks a knowledge rule against the ranges its model documents; every refusal is a
/// <see cref="KefuValidationException"/> naming the field (<c>Questions[3]</c>, <c>Answer.Text</c>, <c>Keywords[0]</c>).
/// </summary>
internal static class KnowledgeRuleValidator
{
    public const int MaxQuestions = 200;
    public const int MaxQuestionLength = 500;
    public const int MaxAnswerLength = 5000;
    public const int MaxKeywords = 50;
    public const int MaxKeywordLength = 100;
    public const int MaxCategoryLength = 100;
    public const int MaxMediaUrlLength = 2048;
    public const int MaxMediaNameLength = 255;
    public const int MaxContentTypeLength = 100;

    /// <summary>
    /// Checks <paramref name="rule"/> as a rule of <paramref name="robot"/> and returns it normalised: questions and
    /// keywords trimmed with blank ones dropped, texts trimmed, a blank category or answer text made null.
    /// </summary>
    public static KnowledgeRule Validate(KnowledgeRule rule, Robot robot)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(robot);
        return rule with
        {
            RobotId = robot.Id,
            Questions = Questions(rule.Questions),
            Answer = Answer(rule.Answer, robot),
            Keywords = Keywords(rule.Keywords),
            Category = Category(rule.Category),
        };
    }

    private static List<string> Questions(IReadOnlyList<string>? questions)
    {
        const string field = nameof(KnowledgeRule.Questions);
        if (questions is null)
        {
            throw new KefuValidationException(field, $"1–{MaxQuestions} questions", "was null");
        }

        var kept = new List<string>(questions.Count);
        var normal = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i]?.Trim();
            if (string.IsNullOrEmpty(question))
            {
                continue;
            }

            var at = $"{field}[{i}]";
            if (question.Length > MaxQuestionLength)
            {
                throw new KefuValidationException(at, $"1–{MaxQuestionLength} characters", $"had {question.Length} characters");
            }

            if (question.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new KefuValidationException(at, "one line (each variant is a question of its own)", "contains a line break");
            }

            var form = QuestionText.Normalize(question);
            if (form.Length == 0)
            {
                throw new KefuValidationException(at, "a question with at least one letter or digit", $"'{question}' has none");
            }

            if (!normal.Add(form))
            {
                throw new KefuValidationException(at, "different from the rule's other questions (compared without case, width or punctuation)", $"'{question}' repeats an earlier question");
            }

            kept.Add(question);
        }

        if (kept.Count is 0 or > MaxQuestions)
        {
            throw new KefuValidationException(field, $"1–{MaxQuestions} questions that are not blank", $"had {kept.Count}");
        }

        return kept;
    }

    private static KnowledgeAnswer Answer(KnowledgeAnswer? answer, Robot robot)
    {
        const string field = nameof(KnowledgeRule.Answer);
        if (answer is null)
        {
            throw new KefuValidationException(field, "set, not null");
        }

        if (!Enum.IsDefined(answer.Kind))
        {
            throw new KefuValidationException($"{field}.{nameof(KnowledgeAnswer.Kind)}", "Text, Menu or Media", $"was {answer.Kind}");
        }

        var text = string.IsNullOrWhiteSpace(answer.Text) ? null : answer.Text.Trim();
        if (text is { Length: > MaxAnswerLength })
        {
            throw new KefuValidationException($"{field}.{nameof(KnowledgeAnswer.Text)}", $"at most {MaxAnswerLength} characters", $"had {text.Length} characters");
        }

        if (text is null && answer.Kind == AnswerKind.Text)
        {
            throw new KefuValidationException($"{field}.{nameof(KnowledgeAnswer.Text)}", $"1–{MaxAnswerLength} characters for a text answer", "was empty");
        }

        if (answer.Kind == AnswerKind.Menu)
        {
            if (answer.MenuId is not { } menuId || !robot.Menus.Any(m => m.Id == menuId))
            {
                var menus = robot.Menus.Count == 0 ? "none: the robot has no menus" : string.Join(", ", robot.Menus.Select(m => m.Id));
                throw new KefuValidationException($"{field}.{nameof(KnowledgeAnswer.MenuId)}", $"the id of one of the robot's menus ({menus})",
                    answer.MenuId is null ? "was empty" : $"menu {answer.MenuId} does not exist");
            }
        }
        else if (answer.MenuId is not null)
        {
            throw new KefuValidationException($"{field}.{nameof(KnowledgeAnswer.MenuId)}", "empty unless the answer is a menu", $"was {answer.MenuId}");
        }

        MediaAttachment? media = null;
        if (answer.Kind == AnswerKind.Media)
        {
            media = Media(answer.Media, $"{field}.{nameof(KnowledgeAnswer.Media)}");
        }
        else if (answer.Media is not null)
        {
            throw new KefuValidationException($"{field}.{nameof(KnowledgeAnswer.Media)}", "empty unless the answer is media");
        }

        return answer with { Text = text, Media = media };
    }

    private static MediaAttachment Media(MediaAttachment? media, string field)
    {
        if (media is null)
        {
            throw new KefuValidationException(field, "an attachment with an address and a name for a media answer", "was empty");
        }

        var url = RobotValidator.Text(media.Url, MaxMediaUrlLength, $"{field}.{nameof(MediaAttachment.Url)}");
        var name = RobotValidator.Text(media.Name, MaxMediaNameLength, $"{field}.{nameof(MediaAttachment.Name)}");
        if (media.Size < 0)
        {
            throw new KefuValidationException($"{field}.{nameof(MediaAttachment.Size)}", "0 or more bytes", $"was {media.Size}");
        }

        var contentType = string.IsNullOrWhiteSpace(media.ContentType) ? null : media.ContentType.Trim();
        if (contentType is { Length: > MaxContentTypeLength })
        {
            throw new KefuValidationException($"{field}.{nameof(MediaAttachment.ContentType)}", $"at most {MaxContentTypeLength} characters", $"had {contentType.Length} characters");
        }

        return media with { Url = url, Name = name, ContentType = contentType };
    }

    private static List<string> Keywords(IReadOnlyList<string>? keywords)
    {
        const string field = nameof(KnowledgeRule.Keywords);
        if (keywords is null)
        {
            throw new KefuValidationException(field, "a list (empty for none)", "was null");
        }

        var kept = new List<string>(keywords.Count);
        for (var i = 0; i < keywords.Count; i++)
        {
            var keyword = keywords[i]?.Trim();
            if (string.IsNullOrEmpty(keyword))
            {
                continue;
            }

            var at = $"{field}[{i}]";
            if (keyword.Length > MaxKeywordLength || keyword.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new KefuValidationException(at, $"one line of 1–{MaxKeywordLength} characters", $"had {keyword.Length} characters");
            }

            if (!keyword.Split('+').Any(part => QuestionText.Normalize(part).Length > 0))
            {
                throw new KefuValidationException(at, "words joined by '+', at least one with a letter or digit", $"'{keyword}' has none");
            }

            kept.Add(keyword);
        }

        if (kept.Count > MaxKeywords)
        {
            throw new KefuValidationException(field, $"at most {MaxKeywords} entries", $"had {kept.Count}");
        }

        return kept;
    }

    private static string? Category(string? category)
    {
        var trimmed = category?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length <= MaxCategoryLength
            ? trimmed
            : throw new KefuValidationException(nameof(KnowledgeRule.Category), $"at most {MaxCategoryLength} characters", $"had {trimmed.Length} characters");
    }
}
