namespace Kefu.Analytics.Quality;

/// <summary>
/// The quality inspection of one conversation (质检结果): its score, whether it is flagged (有问题), and why. Inspecting
/// a conversation again replaces its result.
/// </summary>
public sealed record InspectionResult
{
    /// <summary>The conversation.</summary>
    public required long ConversationId { get; init; }

    /// <summary>The agent who served it (the last one, after transfers), null when no agent did.</summary>
    public long? AgentId { get; init; }

    /// <summary>The visitor.</summary>
    public long VisitorId { get; init; }

    /// <summary>When the conversation was created: results are filed and listed by this time.</summary>
    public DateTimeOffset ConversationCreatedAt { get; init; }

    /// <summary>When the conversation closed, null when it was inspected while open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When it was inspected.</summary>
    public DateTimeOffset InspectedAt { get; init; }

    /// <summary>The version of the tenant's <see cref="QualityRules"/> inspected with (0 for the defaults).</summary>
    public long RulesVersion { get; init; }

    /// <summary>The score: 100 less the penalties of the rules that fired, floored at 0.</summary>
    public int Score { get; init; }

    /// <summary>Whether the conversation is flagged (有问题): the score is below <see cref="QualityRules.FlagBelowScore"/>, or an always-flag rule fired.</summary>
    public bool Flagged { get; init; }

    /// <summary>How many messages were inspected (the latest, when the conversation was very long).</summary>
    public int MessagesInspected { get; init; }

    /// <summary>Why: one reason per check that fired, in rule order; empty when nothing fired.</summary>
    public IReadOnlyList<InspectionReason> Reasons { get; init; } = [];
}

/// <summary>
/// One finding of an inspection: which rule and check fired, a message for people in Chinese and English, and the
/// evidence.
/// </summary>
/// <param name="Rule">The rule kind.</param>
/// <param name="Code">
/// The check, stable for programs: <c>sentiment.negative_count</c>, <c>sentiment.negative_share</c>,
/// <c>evaluation.negative_words</c>, <c>rating.low</c>, <c>rating.comment</c>, <c>reply.slow</c>,
/// <c>reply.longest_gap</c>, <c>reply.rate</c>, <c>first_response.slow</c>, <c>first_response.none</c>,
/// <c>banned.phrases</c>, <c>complaint.words</c>.
/// </param>
/// <param name="Message">What was found, in Chinese, for the inspection detail page (质检详情).</param>
/// <param name="MessageEn">The same in English.</param>
/// <param name="Penalty">Points this reason took off the score (a rule's penalty counts once, on its first reason).</param>
/// <param name="AlwaysFlag">Whether the rule flags the conversation whatever the score.</param>
/// <param name="MessageIds">The messages that are the evidence (the negative, slow or offending messages), oldest first.</param>
/// <param name="Words">The listed words found, each once, in the order first found.</param>
/// <param name="Values">The measured values and the thresholds they were compared with, by name (for example <c>count</c>, <c>threshold</c>, <c>seconds</c>).</param>
public sealed record InspectionReason(
    QualityRuleKind Rule,
    string Code,
    string Message,
    string MessageEn,
    int Penalty,
    bool AlwaysFlag,
    IReadOnlyList<long> MessageIds,
    IReadOnlyList<string> Words,
    IReadOnlyDictionary<string, double> Values);

/// <summary>A query over the stored inspection results, newest conversation first.</summary>
public sealed record InspectionQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Conversations created at or after this time.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Conversations created before this time; at most <see cref="QualityInspectionOptions.MaxListDays"/> after <see cref="From"/>.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Only flagged conversations. <value>Default false.</value></summary>
    public bool FlaggedOnly { get; init; }

    /// <summary>Only conversations served by this agent.</summary>
    public long? AgentId { get; init; }

    /// <summary>Items to skip. <value>Default 0; 0 or more.</value></summary>
    public int Offset { get; init; }

    /// <summary>Page size. <value>Default 20; 1–100.</value></summary>
    public int PageSize { get; init; } = 20;
}
