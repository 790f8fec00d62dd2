namespace Kefu.Bots.Evaluation;

/// <summary>A question and the category (intent) it belongs to: one row of an evaluation set.</summary>
/// <param name="Text">The question as written.</param>
/// <param name="Category">Its category; with <see cref="BotEvaluationOptions.OosLabel"/> that label means "out of scope".</param>
public sealed record LabelledText(string Text, string Category);
