namespace Kefu.Bots;

/// <summary>
/// What <see cref="KnowledgeBotResponder"/> remembers of one conversation (kept in <see cref="BotSession.State"/>):
/// the choices offered on the previous turn, the menus shown, the last question for the repeated-question reply,
/// and the questions in a row that got the fallback reply. Only the tenant's worker touches it.
/// </summary>
internal sealed class BotMemory
{
    /// <summary>The "did you mean" choices of the previous turn, numbered from 1; empty when none were offered.</summary>
    public IReadOnlyList<BotChoice> Suggestions { get; set; } = [];

    /// <summary>The robot's menus shown in this conversation: their items can be picked by text later.</summary>
    public HashSet<long> MenusShown { get; } = [];

    /// <summary>The normal form of the last question answered, null after a turn that answered nothing.</summary>
    public string? LastQuestion { get; set; }

    /// <summary>The rule that answered the last question.</summary>
    public long? LastRuleId { get; set; }

    /// <summary>How many times in a row the same question has been answered.</summary>
    public int SameQuestionCount { get; set; }

    /// <summary>Questions in a row that got the fallback reply.</summary>
    public int ConsecutiveMisses { get; set; }

    /// <summary>Forgets the question chain (a turn that answered nothing).</summary>
    public void BreakChain()
    {
        LastQuestion = null;
        LastRuleId = null;
        SameQuestionCount = 0;
    }
}

/// <summary>A "did you mean" choice: a rule and its title as the visitor saw it (normalised for comparison).</summary>
/// <param name="RuleId">The rule the choice answers.</param>
/// <param name="NormalTitle">The rule's title in normal form.</param>
internal sealed record BotChoice(long RuleId, string NormalTitle);
