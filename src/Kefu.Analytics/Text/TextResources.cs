namespace Kefu.Analytics.Text;

/// <summary>
/// The text pipeline's shared, read-only resources: the base dictionary (loaded once, on first use, from the
/// package) and the segmenter over it. One instance per service provider.
/// </summary>
public sealed class TextResources
{
    private readonly Lazy<ChineseSegmenter> _segmenter;

    /// <summary>Resources over jieba's dictionary shipped in the package.</summary>
    public TextResources()
        : this(WordDictionary.LoadDefault)
    {
    }

    /// <summary>Resources over the dictionary <paramref name="load"/> returns, called once on first use.</summary>
    public TextResources(Func<WordDictionary> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        _segmenter = new Lazy<ChineseSegmenter>(() => new ChineseSegmenter(load()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The segmenter over the base dictionary, with no user words.</summary>
    public ChineseSegmenter Segmenter => _segmenter.Value;

    /// <summary>The base dictionary.</summary>
    public WordDictionary Dictionary => Segmenter.Dictionary;
}
