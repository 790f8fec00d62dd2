using Kefu.Model;

namespace Kefu.Analytics.Sentiment;

/// <summary>
/// Gives a text a sentiment: <see cref="TextSentiment.Label"/> −1 negative, 0 neutral, 1 positive, and
/// <see cref="TextSentiment.Score"/> in [−1, 1] (the sign says the polarity, the magnitude the confidence).
/// Implementations are thread-safe and fast enough to run on the message path.
/// </summary>
public interface ISentimentAnalyzer
{
    /// <summary>The sentiment of <paramref name="text"/>.</summary>
    TextSentiment Analyze(ReadOnlySpan<char> text);
}
