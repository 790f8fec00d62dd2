using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// A set of stop words: words never counted as keywords. Compared after folding (<see cref="TextFold"/>). Immutable;
/// <see cref="With"/> makes a copy with more words.
/// </summary>
public sealed class StopWords
{
    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private StopWords(HashSet<string> words)
    {
        _words = words;
        _lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>No stop words.</summary>
    public static StopWords Empty { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>
    /// The project's own list: Chinese function words, pronouns, particles, conjunctions and filler words common in
    /// chat (嗯, 哦, 好的, 亲), and English function words.
    /// </summary>
    public static StopWords Default { get; } = Create(DefaultStopWords.Chinese.Concat(DefaultStopWords.English));

    /// <summary>Number of words.</summary>
    public int Count => _words.Count;

    /// <summary>The words, folded.</summary>
    public IEnumerable<string> Words => _words;

    /// <summary>A set of <paramref name="words"/>, folded; blank words are ignored.</summary>
    public static StopWords Create(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            var folded = TextFold.Fold(w.Trim());
            if (folded.Length > 0)
            {
                set.Add(folded);
            }
        }

        return new StopWords(set);
    }

    /// <summary>This set and <paramref name="words"/>.</summary>
    public StopWords With(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return Create(_words.Concat(words));
    }

    /// <summary>This set without <paramref name="words"/> (compared folded).</summary>
    public StopWords Without(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var set = new HashSet<string>(_words, StringComparer.Ordinal);
        foreach (var w in words)
        {
            set.Remove(TextFold.Fold(w.Trim()));
        }

        return new StopWords(set);
    }

    /// <summary>Whether <paramref name="folded"/> (already folded) is a stop word.</summary>
    public bool Contains(ReadOnlySpan<char> folded) => _lookup.Contains(folded);
}
