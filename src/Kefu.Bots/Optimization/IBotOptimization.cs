namespace Kefu.Bots;

/// <summary>Which unmatched questions to list.</summary>
public sealed record UnmatchedQuery
{
    /// <summary>Only questions last asked at or after this time; null for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only questions first asked before this time; null for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only groups asked at least this many times in all: 1 or more, default 1.</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>How many groups at most: 1–200, default 50.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>One distinct unmatched question of a group.</summary>
/// <param name="Text">The question as a visitor wrote it (the first way it was written).</param>
/// <param name="Count">How many times it was asked.</param>
/// <param name="FirstAskedAt">When it was first asked.</param>
/// <param name="LastAskedAt">When it was last asked.</param>
public sealed record UnmatchedQuestion(string Text, long Count, DateTimeOffset FirstAskedAt, DateTimeOffset LastAskedAt);

/// <summary>An existing knowledge rule like a group of unmatched questions (推荐知识规则).</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Title">The rule's first question.</param>
/// <param name="Similarity">How alike the group's representative question and the rule's closest question are, in [0, 1].</param>
public sealed record RuleRecommendation(long RuleId, string Title, double Similarity);

/// <summary>Similar questions a robot could not answer, grouped (问答优化, E17 2.13).</summary>
/// <param name="Key">
/// The group's id: it follows from the group's most asked question, so it stays the same between listings while that
/// question leads the group. Pass it to <see cref="IBotOptimization.AddToRuleAsync"/>, <see cref="IBotOptimization.CreateRuleAsync"/>
/// or <see cref="IBotOptimization.DismissAsync"/>.
/// </param>
/// <param name="Representative">The group's most asked question, as a visitor wrote it.</param>
/// <param name="Count">How many times the group's questions were asked, in all.</param>
/// <param name="Questions">The group's distinct questions, most asked first (up to 20).</param>
/// <param name="Recommendations">Up to three existing rules most like the group, most alike first.</param>
public sealed record UnmatchedGroup(long Key, string Representative, long Count, IReadOnlyList<UnmatchedQuestion> Questions,
    IReadOnlyList<RuleRecommendation> Recommendations);

/// <summary>
/// Q&amp;A optimisation (B6, E17 2.13): the questions a robot answered with its fallback reply or with "did you mean"
/// choices are collected automatically, grouped by similarity and shown most asked first, each group with the existing
/// rules most like it. An administrator adds a group's questions to a recommended or any rule, creates a new rule for
/// them, or dismisses them; either way the group's questions leave the list.
/// </summary>
public interface IBotOptimization
{
    /// <summary>The robot's unmatched questions in groups of similar ones, the most asked group first.</summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    /// <exception cref="KefuValidationException"><see cref="UnmatchedQuery.Limit"/> or <see cref="UnmatchedQuery.MinCount"/> is out of range, or <see cref="UnmatchedQuery.From"/> is after <see cref="UnmatchedQuery.To"/>.</exception>
    ValueTask<IReadOnlyList<UnmatchedGroup>> ListUnmatchedAsync(long tenantId, long robotId, UnmatchedQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a group's questions to the questions of one of the robot's rules (a recommended one or any other), skipping
    /// those the rule already has, up to the rule's 200 questions; returns the rule as stored.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant, the robot, the group or the rule (of this robot) does not exist.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the rule kept changing while it was updated.</exception>
    ValueTask<KnowledgeRule> AddToRuleAsync(long tenantId, long robotId, long groupKey, long ruleId, CancellationToken cancellationToken = default);

    /// <summary>Creates a rule of the robot with a group's questions (the most asked first: the rule's title) and <paramref name="answer"/>; returns it.</summary>
    /// <exception cref="KefuNotFoundException">The tenant, the robot or the group does not exist.</exception>
    /// <exception cref="KefuValidationException">The answer is not valid for a rule (an empty text answer, for example).</exception>
    ValueTask<KnowledgeRule> CreateRuleAsync(long tenantId, long robotId, long groupKey, KnowledgeAnswer answer, CancellationToken cancellationToken = default);

    /// <summary>Removes a group's questions from the list without adding them to any rule.</summary>
    /// <exception cref="KefuNotFoundException">The tenant, the robot or the group does not exist.</exception>
    ValueTask DismissAsync(long tenantId, long robotId, long groupKey, CancellationToken cancellationToken = default);
}
