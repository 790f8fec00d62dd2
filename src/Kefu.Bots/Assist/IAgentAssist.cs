namespace Kefu.Bots;

/// <summary>
/// Agent assist (人机协作, B5): suggests answers to the visitor's question while an agent serves a conversation, from the
/// knowledge rules of the tenant's robots and from question–answer pairs mined from the tenant's closed conversations,
/// and learns from what the agents do with the suggestions. Register with <c>services.AddKefu().AddBots()</c>.
/// </summary>
/// <remarks>
/// <para>
/// Mining: when a conversation closes, each visitor question (the visitor's text messages since the agents' last reply,
/// greetings left out) is paired with the agents' next reply (their consecutive text messages). Pairs whose question is
/// only greetings, whose answer is only greetings or shorter than 2 characters, and messages of robots and the system are
/// skipped. Pairs with the same normalised question and answer are counted, not repeated; a tenant keeps at most
/// <see cref="AgentAssistOptions.MaxPairsPerTenant"/> pairs, the least used going first. Delivering the same close
/// event twice counts its pairs once.
/// </para>
/// <para>Ranking: see <see cref="AgentAssistOptions"/> for how feedback changes the scores.</para>
/// </remarks>
public interface IAgentAssist
{
    /// <summary>
    /// Suggests the best answers (3 by default, <see cref="AgentAssistOptions.Suggestions"/>) to the visitor's latest text
    /// message, or to the earlier visitor message <paramref name="messageId"/>: from the knowledge rules of the
    /// conversation's robot (of all the tenant's robots when it had none, or when its rules answer nothing) and from the
    /// mined pairs. Answers with the same text are merged. Returns no answers, and a null question, when the visitor has
    /// sent no text yet.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant, the conversation or the message does not exist.</exception>
    /// <exception cref="KefuValidationException"><paramref name="messageId"/> is not a visitor's text message.</exception>
    ValueTask<AssistSuggestions> SuggestAsync(long tenantId, long conversationId, long? messageId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records what an agent did with a suggestion, for the question of <see cref="AssistFeedback.MessageId"/> (the
    /// visitor's latest text message when null). The feedback is stored and changes the ranking of later suggestions;
    /// an edited text is also kept as a mined pair for the question, so it can be suggested later.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant, the conversation, the message or the suggested rule or pair does not exist.</exception>
    /// <exception cref="KefuValidationException">The key is not <c>rule:{id}</c> or <c>pair:{id}</c>, the action is unknown, an edit has no text, or the message is not a visitor's text message.</exception>
    ValueTask RecordFeedbackAsync(long tenantId, long conversationId, AssistFeedback feedback, CancellationToken cancellationToken = default);
}

/// <summary>Where a suggested answer comes from.</summary>
public enum AssistSource
{
    /// <summary>A knowledge rule of one of the tenant's robots.</summary>
    Rule,

    /// <summary>A question–answer pair mined from closed conversations (or an agent's edited answer).</summary>
    History,
}

/// <summary>What an agent did with a suggested answer (E17 4.3.1).</summary>
public enum AssistAction
{
    /// <summary>Sent it as it was.</summary>
    Picked,

    /// <summary>Took it into the input box and changed it before sending.</summary>
    Edited,

    /// <summary>Saw it and answered otherwise.</summary>
    Ignored,
}

/// <summary>The suggestions for one visitor question.</summary>
/// <param name="MessageId">The visitor message the suggestions answer, null when the visitor has sent no text.</param>
/// <param name="Question">That message's text.</param>
/// <param name="Answers">The best answers, best first (at most <see cref="AgentAssistOptions.Suggestions"/>).</param>
public sealed record AssistSuggestions(long? MessageId, string? Question, IReadOnlyList<AssistSuggestion> Answers);

/// <summary>A suggested answer.</summary>
/// <param name="Key">
/// The answer's stable key, given back in <see cref="AssistFeedback.SuggestionKey"/>: <c>rule:{id}</c> for a knowledge
/// rule, <c>pair:{id}</c> for a mined answer (the id names the answer's normalised text, shared by every question it was
/// given to).
/// </param>
/// <param name="Text">The answer's text.</param>
/// <param name="Source">Where it comes from.</param>
/// <param name="RuleId">The knowledge rule, for <see cref="AssistSource.Rule"/>.</param>
/// <param name="Score">How good the answer is thought to be, in (0, 1), feedback included; higher is better.</param>
public sealed record AssistSuggestion(string Key, string Text, AssistSource Source, long? RuleId, double Score);

/// <summary>What an agent did with one suggestion.</summary>
/// <param name="SuggestionKey">The suggestion's <see cref="AssistSuggestion.Key"/>.</param>
/// <param name="Action">What the agent did.</param>
/// <param name="EditedText">The text the agent sent, required for <see cref="AssistAction.Edited"/> (1–5000 characters), ignored otherwise.</param>
/// <param name="MessageId">The visitor message the suggestion answered; the latest visitor text message when null.</param>
public sealed record AssistFeedback(string SuggestionKey, AssistAction Action, string? EditedText = null, long? MessageId = null);
