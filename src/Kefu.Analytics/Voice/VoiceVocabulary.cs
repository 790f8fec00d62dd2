namespace Kefu.Analytics.Voice;

/// <summary>A change to a stop word: from <see cref="EffectiveFrom"/> on the word is (or is no longer) a stop word.</summary>
/// <param name="Word">The word, folded.</param>
/// <param name="Stopped">True when the word became a stop word, false when it was taken off the list.</param>
/// <param name="EffectiveFrom">The first day (UTC) the change applies: the day after it was made (E17 7.6).</param>
public sealed record StopWordChange(string Word, bool Stopped, DateOnly EffectiveFrom);

/// <summary>
/// A tenant's vocabulary for the voice of the customer: its own dictionary words, its focus words (关注词, always
/// counted as keywords) and its stop words with the day each change takes effect.
/// </summary>
public sealed record VoiceVocabulary
{
    /// <summary>Words the segmenter keeps whole (product names, slang, discovered new words), folded.</summary>
    public IReadOnlyList<string> UserWords { get; init; } = [];

    /// <summary>Focus words: always keywords, shown even when rare; they take effect at once.</summary>
    public IReadOnlyList<string> FocusWords { get; init; } = [];

    /// <summary>Stop-word changes, oldest first; the last change of a word that has taken effect decides.</summary>
    public IReadOnlyList<StopWordChange> StopWordChanges { get; init; } = [];

    /// <summary>The tenant's stop words in effect on <paramref name="day"/>.</summary>
    public IReadOnlyList<string> StopWordsOn(DateOnly day)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var change in StopWordChanges)
        {
            if (change.EffectiveFrom <= day)
            {
                state[change.Word] = change.Stopped;
            }
        }

        return [.. state.Where(p => p.Value).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Stop words as an administrator sees them: every word whose latest change adds it, with when it applies.</summary>
    public IReadOnlyList<StopWordChange> ListedStopWords()
    {
        var latest = new Dictionary<string, StopWordChange>(StringComparer.Ordinal);
        foreach (var change in StopWordChanges)
        {
            latest[change.Word] = change;
        }

        return [.. latest.Values.Where(c => c.Stopped).OrderBy(c => c.Word, StringComparer.Ordinal)];
    }
}
