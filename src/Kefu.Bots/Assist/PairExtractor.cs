using Kefu.Bots.Matching;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Bots.Assist;

/// <summary>
/// Finds the question–answer pairs of a conversation: the visitor's text messages since the agents' last reply, joined,
/// with the agents' next consecutive text messages, joined. Robot messages end a question (the robot answered it),
/// system notices and non-text messages are passed over, recalled messages ignored, and trivial pairs skipped.
/// </summary>
internal static class PairExtractor
{
    /// <summary>Longer questions are not kept.</summary>
    public const int MaxQuestionLength = 500;

    /// <summary>Longer answers are not kept.</summary>
    public const int MaxAnswerLength = 5000;

    /// <summary>
    /// Courtesies that carry no question or answer, normalised (<see cref="QuestionText"/>); longest first so that a
    /// phrase is removed before its parts.
    /// </summary>
    private static readonly string[] CjkCourtesies = [.. new[]
    {
        "请问有什么可以帮您", "请问有什么可以帮你", "有什么可以帮到您", "有什么可以帮您", "有什么可以帮你", "很高兴为您服务", "还有其他问题吗",
        "还有什么问题吗", "人工客服", "真人客服", "转人工", "找人工", "有人在吗", "在不在", "有人吗", "在吗", "在么", "在嘛", "您好", "你好", "哈喽", "早上好", "上午好", "中午好", "下午好",
        "晚上好", "谢谢", "多谢", "感谢", "不客气", "不用谢", "好的", "好滴", "嗯嗯", "再见", "拜拜", "没问题", "收到", "稍等", "是的", "亲爱的",
        "请问", "人工", "亲", "嗨", "嗯", "哦", "噢", "喔", "好", "的", "啊", "呀", "吧", "呢", "吗", "了", "哈", "您", "你", "我", "请", "在",
    }.OrderByDescending(p => p.Length)];

    private static readonly HashSet<string> LatinCourtesies = new(StringComparer.Ordinal)
    {
        "hi", "hello", "hey", "thanks", "thank", "thx", "you", "ok", "okay", "bye", "goodbye", "good", "morning", "afternoon", "evening",
        "yes", "yeah", "sure", "welcome", "please", "anyone", "there", "here", "is", "are", "great", "fine", "cool",
    };

    /// <summary>The pairs of a conversation's messages (oldest first).</summary>
    public static IReadOnlyList<MinedPair> Extract(IEnumerable<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pairs = new List<MinedPair>();
        var question = new List<string>();
        var answer = new List<string>();
        foreach (var m in messages)
        {
            if (m.Recalled || m.Kind == MessageKind.SystemNotice)
            {
                continue;
            }

            switch (m.SenderKind)
            {
                case ParticipantKind.Visitor:
                    Flush();
                    if (m.Kind == MessageKind.Text && m.Text is { } asked && !IsCourtesyOnly(asked))
                    {
                        question.Add(asked.Trim());
                    }

                    break;
                case ParticipantKind.Agent:
                    if (m.Kind == MessageKind.Text && !string.IsNullOrWhiteSpace(m.Text))
                    {
                        answer.Add(m.Text.Trim());
                    }

                    break;
                case ParticipantKind.Bot:
                    Flush();
                    question.Clear();
                    break;
                default:
                    break;
            }
        }

        Flush();
        return pairs;

        void Flush()
        {
            if (answer.Count == 0)
            {
                return;
            }

            if (question.Count > 0)
            {
                var q = string.Join(' ', question);
                var a = string.Join('\n', answer);
                if (q.Length <= MaxQuestionLength && a.Length <= MaxAnswerLength && IsUseful(q, a))
                {
                    pairs.Add(new MinedPair(q, a));
                }
            }

            question.Clear();
            answer.Clear();
        }
    }

    /// <summary>Whether a pair is worth keeping: a question and an answer that are more than courtesies, the answer 2 characters or more.</summary>
    public static bool IsUseful(string question, string answer) =>
        !IsCourtesyOnly(question) && QuestionText.Normalize(answer).Length >= 2 && !IsCourtesyOnly(answer);

    /// <summary>Whether a text says nothing but greetings and courtesies (fewer than 2 letters or digits are left without them).</summary>
    public static bool IsCourtesyOnly(string text)
    {
        var normal = QuestionText.Normalize(text);
        var left = 0;
        foreach (var token in normal.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Length > 0 && !QuestionText.IsCjk(token[0]) && LatinCourtesies.Contains(token))
            {
                continue;
            }

            var rest = token;
            foreach (var phrase in CjkCourtesies)
            {
                if (rest.Contains(phrase, StringComparison.Ordinal))
                {
                    rest = rest.Replace(phrase, string.Empty, StringComparison.Ordinal);
                }
            }

            left += rest.Length;
            if (left >= 2)
            {
                return false;
            }
        }

        return true;
    }
}
