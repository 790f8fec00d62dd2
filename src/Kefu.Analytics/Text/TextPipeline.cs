namespace Kefu.Analytics.Text;

/// <summary>
/// A tenant's own words: its user dictionary (words the segmenter should keep whole, with optional frequency and part
/// of speech), its focus words (关注词, added by hand: always keywords) and its stop words (never keywords). A snapshot:
/// the voice-of-the-customer analysis builds a <see cref="TextPipeline"/> from the vocabulary in force on a day, so a
/// stop word added today takes effect from the next day (E17 7.6).
/// </summary>
/// <param name="UserWords">The user dictionary (<see cref="UserDictionary"/> reads jieba's file format).</param>
/// <param name="FocusWords">The focus words.</param>
/// <param name="StopWords">The tenant's stop words, added to <see cref="Text.StopWords.Default"/>.</param>
public sealed record TenantVocabulary(IReadOnlyList<DictionaryWord> UserWords, IReadOnlyList<string> FocusWords, IReadOnlyList<string> StopWords)
{
    /// <summary>No words of the tenant's own.</summary>
    public static TenantVocabulary Empty { get; } = new([], [], []);
}

/// <summary>
/// The text pipeline of one tenant: a <see cref="ChineseSegmenter"/> that knows the tenant's user words and focus
/// words, and a <see cref="KeywordExtractor"/> over it. Focus words are always keywords (a single character or a word
/// the default filters would drop, such as a function word or a default stop word); the tenant's stop words never are,
/// even when they are also focus words. Immutable and thread-safe; building one costs the user words' overlay (a few
/// milliseconds for hundreds of words) and shares the base dictionary.
/// </summary>
public sealed class TextPipeline
{
    private TextPipeline(ChineseSegmenter segmenter, KeywordExtractor keywords, TenantVocabulary vocabulary)
    {
        Segmenter = segmenter;
        Keywords = keywords;
        Vocabulary = vocabulary;
    }

    /// <summary>The segmenter, with the user words and focus words laid over the base dictionary.</summary>
    public ChineseSegmenter Segmenter { get; }

    /// <summary>The keyword extractor: default stop words without the focus words, plus the tenant's stop words.</summary>
    public KeywordExtractor Keywords { get; }

    /// <summary>The vocabulary the pipeline was built from.</summary>
    public TenantVocabulary Vocabulary { get; }

    /// <summary>The stop words in force.</summary>
    public StopWords StopWords => Keywords.StopWords;

    /// <summary>A pipeline over <paramref name="dictionary"/> (usually <see cref="WordDictionary.LoadDefault"/>, loaded once and shared).</summary>
    /// <exception cref="Kefu.KefuValidationException"><paramref name="options"/> are out of range.</exception>
    public static TextPipeline Create(WordDictionary dictionary, TenantVocabulary vocabulary, KeywordOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        return Create(new ChineseSegmenter(dictionary), vocabulary, options);
    }

    /// <summary>
    /// A pipeline over <paramref name="segmenter"/>'s base dictionary; its own user words, if any, are replaced by the
    /// vocabulary's.
    /// </summary>
    /// <exception cref="Kefu.KefuValidationException"><paramref name="options"/> are out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A user word's frequency is negative.</exception>
    public static TextPipeline Create(ChineseSegmenter segmenter, TenantVocabulary vocabulary, KeywordOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(vocabulary.UserWords);
        ArgumentNullException.ThrowIfNull(vocabulary.FocusWords);
        ArgumentNullException.ThrowIfNull(vocabulary.StopWords);

        // A focus word the user dictionary already has keeps its frequency; others are suggested (kept whole).
        var userWords = new List<DictionaryWord>(vocabulary.UserWords.Count + vocabulary.FocusWords.Count);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in vocabulary.UserWords)
        {
            userWords.Add(w);
            known.Add(Kefu.Text.TextFold.Fold(w.Word.Trim()));
        }

        foreach (var f in vocabulary.FocusWords)
        {
            ArgumentNullException.ThrowIfNull(f, nameof(vocabulary));
            if (known.Add(Kefu.Text.TextFold.Fold(f.Trim())))
            {
                userWords.Add(new DictionaryWord(f, 0, ""));
            }
        }

        var withUser = segmenter.WithUserWords(userWords);
        var stopWords = StopWords.Default.Without(vocabulary.FocusWords).With(vocabulary.StopWords);
        return new TextPipeline(withUser, new KeywordExtractor(withUser, stopWords, vocabulary.FocusWords, options), vocabulary);
    }
}
