namespace Kefu.Analytics.Quality;

/// <summary>The kinds of quality-inspection rule (智能质检规则, E17 1.11).</summary>
public enum QualityRuleKind
{
    /// <summary>Visitor messages the sentiment analyser labelled negative: how many, and their share.</summary>
    NegativeSentiment,

    /// <summary>Negative evaluation words of the visitor (投诉, 差评 …), offset by positive ones (谢谢, 满意 …).</summary>
    EvaluationWords,

    /// <summary>The visitor's satisfaction rating: a low level, or a comment with complaint words.</summary>
    Rating,

    /// <summary>How often and how fast the agent replies: slow replies, the longest gap, too few replies.</summary>
    ReplyTiming,

    /// <summary>The agent's first reply after pick-up came late, or never.</summary>
    SlowFirstResponse,

    /// <summary>Phrases agents must not use (不知道, 不归我管 …).</summary>
    BannedPhrases,

    /// <summary>Visitor complaints about the service itself (转人工 repeated, 没人理, 太慢了 …).</summary>
    VisitorComplaints,
}

/// <summary>
/// A tenant's quality-inspection rules (智能质检, E17 1.11): one setting per rule kind, the score below which a
/// conversation is flagged (有问题), and the document version for optimistic concurrency. Read and change them with
/// <see cref="IQualityInspection.GetRulesAsync"/> and <see cref="IQualityInspection.SetRulesAsync"/>; a tenant that never
/// saved rules inspects with these defaults.
/// </summary>
/// <remarks>
/// <para>
/// Scoring: a conversation starts at 100; each rule kind that fires takes off its <see cref="QualityRule.Penalty"/> once,
/// however many of its checks fire (the penalty is carried by the kind's first reason, later reasons of the same kind
/// carry 0). The score is floored at 0. The conversation is flagged when the score is below
/// <see cref="FlagBelowScore"/>, or when a rule marked <see cref="QualityRule.AlwaysFlag"/> fires.
/// </para>
/// <para>
/// Words are matched after folding case, width and traditional → simplified (<see cref="Kefu.Text.TextFold"/>), with
/// noise characters inside a word skipped and repeated characters collapsed (投-诉 and 投投诉 match 投诉), by the
/// sensitive-word engine. Occurrences are counted leftmost-longest without overlap, over every message of the sender
/// (recalled messages too: the other side saw them).
/// </para>
/// </remarks>
public sealed record QualityRules
{
    /// <summary>The stored version: 0 for the defaults of a tenant that never saved rules. Give back the version read to save.</summary>
    public long Version { get; init; }

    /// <summary>A conversation scoring below this is flagged; 0 flags only through <see cref="QualityRule.AlwaysFlag"/>. <value>Default 80; 0–100.</value></summary>
    public int FlagBelowScore { get; init; } = 80;

    /// <summary>Rule 1: negative visitor sentiment.</summary>
    public NegativeSentimentRule NegativeSentiment { get; init; } = new();

    /// <summary>Rule 2: evaluation words of the visitor.</summary>
    public EvaluationWordsRule EvaluationWords { get; init; } = new();

    /// <summary>Rule 3: the satisfaction rating and its comment.</summary>
    public RatingRule Rating { get; init; } = new();

    /// <summary>Rule 4: reply frequency and intervals.</summary>
    public ReplyTimingRule ReplyTiming { get; init; } = new();

    /// <summary>Rule 5: slow first response after pick-up.</summary>
    public FirstResponseRule FirstResponse { get; init; } = new();

    /// <summary>Rule 6: banned phrases of agents.</summary>
    public BannedPhrasesRule BannedPhrases { get; init; } = new();

    /// <summary>Rule 7: visitor complaints about the service.</summary>
    public VisitorComplaintsRule VisitorComplaints { get; init; } = new();

    /// <summary>The setting of a rule kind.</summary>
    public QualityRule Of(QualityRuleKind kind) => kind switch
    {
        QualityRuleKind.NegativeSentiment => NegativeSentiment,
        QualityRuleKind.EvaluationWords => EvaluationWords,
        QualityRuleKind.Rating => Rating,
        QualityRuleKind.ReplyTiming => ReplyTiming,
        QualityRuleKind.SlowFirstResponse => FirstResponse,
        QualityRuleKind.BannedPhrases => BannedPhrases,
        QualityRuleKind.VisitorComplaints => VisitorComplaints,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown rule kind."),
    };
}

/// <summary>What every rule has: whether it runs, what it costs, and whether it flags on its own.</summary>
public abstract record QualityRule
{
    /// <summary>The largest penalty.</summary>
    public const int MaxPenalty = 100;

    /// <summary>Whether the rule runs. <value>Default true.</value></summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Points taken off the score of 100 when the rule fires (once per conversation); 0–100. The default depends on the rule.</summary>
    public int Penalty { get; init; }

    /// <summary>Whether the conversation is flagged whenever the rule fires, whatever the score. <value>Default false, except for banned phrases.</value></summary>
    public bool AlwaysFlag { get; init; }
}

/// <summary>
/// Rule 1: fires when at least <see cref="MinNegativeMessages"/> visitor messages are labelled negative by the sentiment
/// analyser, or when at least <see cref="MinAnalysedMessages"/> visitor messages carry a sentiment and at least
/// <see cref="MinNegativePercent"/> % of them are negative. Messages without a sentiment (no analyser ran) are not counted.
/// </summary>
public sealed record NegativeSentimentRule : QualityRule
{
    /// <summary>Creates the rule with its defaults: penalty 15.</summary>
    public NegativeSentimentRule() => Penalty = 15;

    /// <summary>Negative visitor messages that fire the rule. <value>Default 3; 1–1,000.</value></summary>
    public int MinNegativeMessages { get; init; } = 3;

    /// <summary>Share of negative visitor messages, in percent, that fires the rule. <value>Default 50; 1–100.</value></summary>
    public int MinNegativePercent { get; init; } = 50;

    /// <summary>Visitor messages with a sentiment needed before the share counts. <value>Default 4; 1–1,000.</value></summary>
    public int MinAnalysedMessages { get; init; } = 4;
}

/// <summary>
/// Rule 2: counts the occurrences of <see cref="NegativeWords"/> (<c>n</c>) and <see cref="PositiveWords"/> (<c>p</c>)
/// in the visitor's messages, and fires when <c>n ≥ 1</c> and <c>n − PositiveWeight × p ≥ MinOccurrences</c>: each
/// positive occurrence (谢谢, 解决了) cancels <see cref="PositiveWeight"/> of a negative one, so a visitor who complained
/// once and thanked twice at the end is not flagged with the default weight. A positive word inside a negative one
/// (满意 in 不满意) is not counted.
/// </summary>
public sealed record EvaluationWordsRule : QualityRule
{
    /// <summary>The default negative evaluation words.</summary>
    public static readonly IReadOnlyList<string> DefaultNegativeWords =
    [
        "投诉", "差评", "不满意", "很不满", "垃圾", "骗子", "骗人", "举报", "12315", "消协", "工商局", "曝光",
        "太差", "很差", "真差", "失望", "坑人", "坑爹", "欺骗", "忽悠", "恶心", "态度差", "态度恶劣", "服务差",
        "什么破", "退钱", "无语",
    ];

    /// <summary>The default positive evaluation words.</summary>
    public static readonly IReadOnlyList<string> DefaultPositiveWords =
    [
        "谢谢", "感谢", "多谢", "满意", "好评", "解决了", "非常好", "很好", "辛苦了", "点赞", "给力", "专业", "耐心", "太棒了",
    ];

    /// <summary>Creates the rule with its defaults: penalty 20.</summary>
    public EvaluationWordsRule() => Penalty = 20;

    /// <summary>Negative evaluation and complaint words. <value>Default <see cref="DefaultNegativeWords"/>; at most 500 words of 1–30 characters.</value></summary>
    public IReadOnlyList<string> NegativeWords { get; init; } = DefaultNegativeWords;

    /// <summary>Positive evaluation words that offset negative ones. <value>Default <see cref="DefaultPositiveWords"/>; at most 500 words of 1–30 characters.</value></summary>
    public IReadOnlyList<string> PositiveWords { get; init; } = DefaultPositiveWords;

    /// <summary>Net negative occurrences that fire the rule. <value>Default 1; 1–100.</value></summary>
    public int MinOccurrences { get; init; } = 1;

    /// <summary>How many negative occurrences one positive occurrence cancels; 0 turns the offset off. <value>Default 0.5; 0–10.</value></summary>
    public double PositiveWeight { get; init; } = 0.5;
}

/// <summary>
/// Rule 3: fires when the visitor's rating is low, or when the rating's comment contains one of <see cref="CommentWords"/>.
/// A level is normalised to a percentage, <c>(level − 1) ÷ (levels − 1) × 100</c> (0 the lowest level, 100 the highest),
/// so one threshold fits 2-, 3- and 5-level ratings: with the default 25 the two lowest of 5 levels, and the lowest of 3
/// or 2 levels, are low. An unrated conversation never fires.
/// </summary>
public sealed record RatingRule : QualityRule
{
    /// <summary>Creates the rule with its defaults: penalty 30.</summary>
    public RatingRule() => Penalty = 30;

    /// <summary>A normalised level at or below this is low. <value>Default 25; 0–99.</value></summary>
    public int MaxLowLevelPercent { get; init; } = 25;

    /// <summary>Complaint words looked for in the rating's comment; empty turns the comment check off. <value>Default <see cref="EvaluationWordsRule.DefaultNegativeWords"/>; at most 500 words of 1–30 characters.</value></summary>
    public IReadOnlyList<string> CommentWords { get; init; } = EvaluationWordsRule.DefaultNegativeWords;
}

/// <summary>
/// Rule 4: the agent's replies once the conversation is under way. A visitor turn is a run of visitor messages; its reply
/// time runs from its first message (or the pick-up, when later) to the next agent message. Turns before the agent's
/// first message are left to <see cref="FirstResponseRule"/>, and a last turn that no agent answered is not measured
/// (visitors often end with thanks). Three checks, each a reason of its own:
/// <list type="bullet">
/// <item>at least <see cref="MinSlowReplies"/> replies took longer than <see cref="SlowReplySeconds"/>;</item>
/// <item>the longest reply took longer than <see cref="MaxGapSeconds"/>;</item>
/// <item>with at least <see cref="MinVisitorMessagesForReplyRate"/> visitor messages, agent messages are fewer than
/// <see cref="MinReplyPercent"/> % of the visitor messages (0 turns this check off).</item>
/// </list>
/// </summary>
public sealed record ReplyTimingRule : QualityRule
{
    /// <summary>Creates the rule with its defaults: penalty 15.</summary>
    public ReplyTimingRule() => Penalty = 15;

    /// <summary>A reply slower than this many seconds is slow. <value>Default 60; 5–3,600.</value></summary>
    public int SlowReplySeconds { get; init; } = 60;

    /// <summary>Slow replies that fire the rule. <value>Default 2; 1–100.</value></summary>
    public int MinSlowReplies { get; init; } = 2;

    /// <summary>A single reply slower than this many seconds fires the rule. <value>Default 300; 10–86,400.</value></summary>
    public int MaxGapSeconds { get; init; } = 300;

    /// <summary>Agent messages as a percentage of visitor messages below which the rule fires; 0 turns the check off. <value>Default 30; 0–100.</value></summary>
    public int MinReplyPercent { get; init; } = 30;

    /// <summary>Visitor messages needed before the reply rate counts. <value>Default 5; 1–1,000.</value></summary>
    public int MinVisitorMessagesForReplyRate { get; init; } = 5;
}

/// <summary>
/// Rule 5: fires when the agent's first message came more than <see cref="MaxSeconds"/> after the pick-up (接起), or when
/// no agent message came at all and the conversation closed more than <see cref="MaxSeconds"/> after the pick-up. A
/// conversation never picked up by an agent never fires.
/// </summary>
public sealed record FirstResponseRule : QualityRule
{
    /// <summary>Creates the rule with its defaults: penalty 10.</summary>
    public FirstResponseRule() => Penalty = 10;

    /// <summary>The longest acceptable first response, in seconds. <value>Default 60; 1–3,600.</value></summary>
    public int MaxSeconds { get; init; } = 60;
}

/// <summary>Rule 6: fires when the agents' messages contain <see cref="Words"/> at least <see cref="MinOccurrences"/> times.</summary>
public sealed record BannedPhrasesRule : QualityRule
{
    /// <summary>The default banned phrases: dismissive, buck-passing or rude replies.</summary>
    public static readonly IReadOnlyList<string> DefaultWords =
    [
        "不知道", "不归我管", "不关我事", "与我无关", "你自己看", "你自己查", "自己去看", "爱买不买", "爱要不要",
        "别问我", "我也没办法", "随便你", "你听不懂吗", "说了多少遍", "烦不烦", "有病", "神经病", "投诉也没用",
        "找别人去", "不会自己看吗",
    ];

    /// <summary>Creates the rule with its defaults: penalty 30, always flags.</summary>
    public BannedPhrasesRule()
    {
        Penalty = 30;
        AlwaysFlag = true;
    }

    /// <summary>The banned phrases. <value>Default <see cref="DefaultWords"/>; at most 500 words of 1–30 characters.</value></summary>
    public IReadOnlyList<string> Words { get; init; } = DefaultWords;

    /// <summary>Occurrences that fire the rule. <value>Default 1; 1–100.</value></summary>
    public int MinOccurrences { get; init; } = 1;
}

/// <summary>
/// Rule 7: fires when the visitor's messages contain <see cref="Words"/> at least <see cref="MinOccurrences"/> times.
/// Kept apart from <see cref="EvaluationWordsRule"/>: these words complain about the service process (waiting, being
/// ignored, asking for a human again and again), not about the product or the company, and no thanks offsets them.
/// </summary>
public sealed record VisitorComplaintsRule : QualityRule
{
    /// <summary>The default complaint words.</summary>
    public static readonly IReadOnlyList<string> DefaultWords =
    [
        "转人工", "人工客服", "没人理", "没人回", "有人吗", "人呢", "太慢了", "好慢", "怎么还不回", "半天不回", "等了半天",
        "等半天", "不回复", "答非所问", "听不懂", "找你们领导", "找你们经理", "叫你们领导",
    ];

    /// <summary>Creates the rule with its defaults: penalty 15.</summary>
    public VisitorComplaintsRule() => Penalty = 15;

    /// <summary>The complaint words. <value>Default <see cref="DefaultWords"/>; at most 500 words of 1–30 characters.</value></summary>
    public IReadOnlyList<string> Words { get; init; } = DefaultWords;

    /// <summary>Occurrences that fire the rule. <value>Default 2; 1–100.</value></summary>
    public int MinOccurrences { get; init; } = 2;
}
