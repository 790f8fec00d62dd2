namespace Kefu.Analytics.Sentiment;

/// <summary>A labelled training text.</summary>
/// <param name="Text">The text.</param>
/// <param name="Positive">True for a positive text, false for a negative one.</param>
public readonly record struct SentimentSample(string Text, bool Positive);
