namespace Kefu.Bots.Evaluation;

/// <summary>Two questions and whether they ask the same thing: one row of a question-pair set.</summary>
/// <param name="Text1">The first question.</param>
/// <param name="Text2">The second question.</param>
/// <param name="IsMatch">Whether they mean the same (label 1) or not (label 0).</param>
public sealed record QuestionPair(string Text1, string Text2, bool IsMatch);
