using System.Globalization;
using System.Reflection;
using Kefu.Text;

namespace Kefu.Analytics.Sentiment;

/// <summary>What a lexicon entry does besides (or instead of) carrying a polarity.</summary>
internal enum ModifierKind : byte
{
    None,
    Intensify,
    Negate,
    Contrast,
    Concede,
    Hypothetical,
    Question,
}

/// <summary>One entry: a polar weight (0 for none) and a modifier with its value.</summary>
internal readonly record struct LexiconEntry(float Weight, ModifierKind Kind, float Value)
{
    public bool IsPolar => Weight != 0;
}

/// <summary>
/// The sentiment lexicon compiled into a trie over folded characters: the root is a direct table over every UTF-16
/// unit, deeper nodes keep their children sorted for a binary search. Immutable and thread-safe once built.
/// </summary>
internal sealed class SentimentLexicon
{
    private const string WordsResource = "Kefu.Analytics.Sentiment.Lexicon.words.txt";
    private const string ModifiersResource = "Kefu.Analytics.Sentiment.Lexicon.modifiers.txt";

    private readonly int[] _root;
    private readonly int[] _edgeStart;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly int[] _nodeEntry;
    private readonly LexiconEntry[] _entries;

    private SentimentLexicon(Dictionary<string, LexiconEntry> entries)
    {
        // Build a pointer trie first, then flatten it.
        var children = new List<SortedDictionary<char, int>> { new() };
        var nodeEntry = new List<int> { -1 };
        _entries = new LexiconEntry[entries.Count];
        var index = 0;
        foreach (var (word, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var node = 0;
            foreach (var c in word)
            {
                if (!children[node].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children.Add(new SortedDictionary<char, int>());
                    nodeEntry.Add(-1);
                    children[node].Add(c, next);
                }

                node = next;
            }

            _entries[index] = entry;
            nodeEntry[node] = index++;
        }

        _root = new int[char.MaxValue + 1];
        Array.Fill(_root, -1);
        foreach (var (c, next) in children[0])
        {
            _root[c] = next;
        }

        _edgeStart = new int[children.Count + 1];
        var edges = children.Sum(c => c.Count);
        _edgeChars = new char[edges];
        _edgeTargets = new int[edges];
        var e = 0;
        for (var n = 0; n < children.Count; n++)
        {
            _edgeStart[n] = e;
            foreach (var (c, next) in children[n])
            {
                _edgeChars[e] = c;
                _edgeTargets[e++] = next;
            }
        }

        _edgeStart[children.Count] = e;
        _nodeEntry = [.. nodeEntry];
        Count = entries.Count;
    }

    /// <summary>The number of entries.</summary>
    public int Count { get; }

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public ref readonly LexiconEntry this[int index] => ref _entries[index];

    /// <summary>The lexicon shipped with Kefu.Analytics (embedded <c>Lexicon/words.txt</c> and <c>Lexicon/modifiers.txt</c>).</summary>
    public static SentimentLexicon LoadDefault()
    {
        var assembly = typeof(SentimentLexicon).Assembly;
        using var words = Open(assembly, WordsResource);
        using var modifiers = Open(assembly, ModifiersResource);
        return Parse(words, modifiers);

        static StreamReader Open(Assembly assembly, string name)
            => new(assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"The resource '{name}' is missing."));
    }

    /// <summary>
    /// Parses a words file (<c>word weight</c> lines) and a modifiers file (<c>kind word value</c> lines); <c>#</c>
    /// starts a comment. A word in both files is a polar word and a modifier.
    /// </summary>
    public static SentimentLexicon Parse(TextReader words, TextReader modifiers)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(modifiers);
        var entries = new Dictionary<string, LexiconEntry>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (words.ReadLine() is { } line)
        {
            lineNumber++;
            var parts = Split(line);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length < 2 || !TryParse(parts[^1], out var weight) || weight is < -3 or > 3)
            {
                throw new FormatException($"Sentiment words line {lineNumber}: expected '<word> <weight from -3 to 3>', got '{line}'.");
            }

            var word = TextFold.Fold(string.Join(' ', parts[..^1]));
            entries[word] = entries.TryGetValue(word, out var existing) ? existing with { Weight = weight } : new LexiconEntry(weight, ModifierKind.None, 0);
        }

        lineNumber = 0;
        while (modifiers.ReadLine() is { } line)
        {
            lineNumber++;
            var parts = Split(line);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length < 3 || !Enum.TryParse<ModifierKind>(parts[0], ignoreCase: true, out var kind) || kind == ModifierKind.None
                || !TryParse(parts[^1], out var value) || value is < 0 or > 3)
            {
                throw new FormatException($"Sentiment modifiers line {lineNumber}: expected '<kind> <word> <value from 0 to 3>', got '{line}'.");
            }

            var word = TextFold.Fold(string.Join(' ', parts[1..^1]));
            entries[word] = entries.TryGetValue(word, out var existing) ? existing with { Kind = kind, Value = value } : new LexiconEntry(0, kind, value);
        }

        return new SentimentLexicon(entries);

        static string[] Split(string line)
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var content = hash < 0 ? line : line[..hash];
            return content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        static bool TryParse(string text, out float value)
            => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
    }

    /// <summary>The longest entry starting at <paramref name="start"/> of folded text: its index, or −1; <paramref name="length"/> its length.</summary>
    public int Match(ReadOnlySpan<char> folded, int start, out int length)
    {
        length = 0;
        var node = _root[folded[start]];
        if (node < 0)
        {
            return -1;
        }

        var best = _nodeEntry[node];
        if (best >= 0)
        {
            length = 1;
        }

        for (var i = start + 1; i < folded.Length; i++)
        {
            var lo = _edgeStart[node];
            var count = _edgeStart[node + 1] - lo;
            if (count == 0)
            {
                break;
            }

            var found = _edgeChars.AsSpan(lo, count).BinarySearch(folded[i]);
            if (found < 0)
            {
                break;
            }

            node = _edgeTargets[lo + found];
            if (_nodeEntry[node] >= 0)
            {
                best = _nodeEntry[node];
                length = i - start + 1;
            }
        }

        return best;
    }
}
