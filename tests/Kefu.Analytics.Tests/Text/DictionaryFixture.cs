using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

/// <summary>jieba's dictionary from the package, loaded once for every test class of the collection.</summary>
public sealed class DictionaryFixture
{
    public WordDictionary Dictionary { get; } = WordDictionary.LoadDefault();

    public ChineseSegmenter Segmenter => new(Dictionary);

    /// <summary>The tokens of <paramref name="text"/> joined with '/'.</summary>
    public static string Join(ITokenizer tokenizer, string text)
    {
        var tokens = new List<Token>();
        tokenizer.Tokenize(text, tokens);
        return string.Join('/', tokens.Select(t => text.Substring(t.Start, t.Length)));
    }
}

[CollectionDefinition(Name)]
public sealed class DictionaryCollection : ICollectionFixture<DictionaryFixture>
{
    public const string Name = "jieba dictionary";
}
