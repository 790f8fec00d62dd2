using System.Globalization;
using System.IO.Compression;
using System.Text;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>One dictionary word.</summary>
/// <param name="Word">The word.</param>
/// <param name="Frequency">How often it occurs in a reference corpus; at least 1.</param>
/// <param name="PartOfSpeech">Its part of speech in jieba's tag set (<c>n</c>, <c>v</c>, <c>a</c>, <c>nz</c> …), or empty.</param>
public readonly record struct DictionaryWord(string Word, long Frequency, string PartOfSpeech);

/// <summary>
/// An immutable word dictionary for segmentation: a prefix tree over folded characters (case, width, traditional →
/// simplified, as <see cref="TextFold"/> does) with each word's log probability and part of speech. Read by any
/// number of threads.
/// </summary>
/// <remarks>
/// The default dictionary is jieba's <c>dict.txt</c> (MIT licence, shipped with this package), in jieba's
/// <c>word freq pos</c> format; <see cref="Load(Stream)"/> reads any file in that format.
/// </remarks>
public sealed class WordDictionary
{
    private const string DefaultResource = "Kefu.Analytics.Text.Dictionary.jieba-dict.txt.gz";

    // The root's children by character, then each node's children as a sorted run of (label, node).
    private readonly int[] _root;
    private readonly int[] _childStart;
    private readonly int[] _childCount;
    private readonly char[] _labels;
    private readonly int[] _targets;
    private readonly float[] _logProbability;
    private readonly byte[] _partOfSpeech;
    private readonly string[] _tags;

    private WordDictionary(int[] root, int[] childStart, int[] childCount, char[] labels, int[] targets, float[] logProbability, byte[] partOfSpeech, string[] tags, int count, double total)
    {
        _root = root;
        _childStart = childStart;
        _childCount = childCount;
        _labels = labels;
        _targets = targets;
        _logProbability = logProbability;
        _partOfSpeech = partOfSpeech;
        _tags = tags;
        Count = count;
        TotalFrequency = total;
        MinLogProbability = (float)-Math.Log(total);
    }

    /// <summary>Number of words.</summary>
    public int Count { get; }

    /// <summary>The sum of the words' frequencies.</summary>
    public double TotalFrequency { get; }

    /// <summary>The log probability the segmenter gives a character that starts no word: log(1 / total).</summary>
    public float MinLogProbability { get; }

    /// <summary>jieba's dictionary (349,046 words), read from the package.</summary>
    public static WordDictionary LoadDefault()
    {
        using var resource = typeof(WordDictionary).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The resource {DefaultResource} is missing from Kefu.Analytics.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        return Load(gzip);
    }

    /// <summary>
    /// Reads a dictionary in jieba's format: one word a line, <c>word freq pos</c> separated by spaces, frequency and
    /// part of speech optional (frequency 1 and no part of speech when missing). UTF-8 with or without a BOM; blank
    /// lines are skipped. A later line for the same word replaces an earlier one.
    /// </summary>
    /// <exception cref="FormatException">A frequency is not a positive whole number (the line is named).</exception>
    public static WordDictionary Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var words = new List<DictionaryWord>(1 << 16);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var span = line.AsSpan().Trim();
            if (span.IsEmpty)
            {
                continue;
            }

            var first = span.IndexOf(' ');
            if (first < 0)
            {
                words.Add(new DictionaryWord(span.ToString(), 1, ""));
                continue;
            }

            var word = span[..first].ToString();
            var rest = span[(first + 1)..].TrimStart(' ');
            var second = rest.IndexOf(' ');
            var frequencyText = second < 0 ? rest : rest[..second];
            if (!long.TryParse(frequencyText, NumberStyles.None, CultureInfo.InvariantCulture, out var frequency) || frequency < 1)
            {
                throw new FormatException($"Line {lineNumber.ToString(CultureInfo.InvariantCulture)}: the frequency '{frequencyText.ToString()}' of '{word}' is not a whole number of at least 1.");
            }

            var tag = second < 0 ? "" : rest[(second + 1)..].Trim().ToString();
            words.Add(new DictionaryWord(word, frequency, tag));
        }

        return Create(words);
    }

    /// <summary>A dictionary of <paramref name="words"/>; empty words are ignored, a later duplicate replaces an earlier one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A frequency is below 1.</exception>
    public static WordDictionary Create(IEnumerable<DictionaryWord> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var byWord = new Dictionary<string, DictionaryWord>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            if (w.Frequency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(words), w.Frequency, $"The frequency of '{w.Word}' must be at least 1.");
            }

            var folded = TextFold.Fold(w.Word.Trim());
            if (folded.Length == 0)
            {
                continue;
            }

            byWord[folded] = w with { Word = folded };
        }

        var sorted = byWord.Values.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Word, b.Word));
        return Build(sorted, totalOverride: null);
    }

    /// <summary>
    /// A dictionary of extra words whose probabilities are on <paramref name="scale"/>'s scale (their frequencies
    /// count as if they were in <paramref name="scale"/>'s corpus), for a user dictionary laid over a base one.
    /// </summary>
    internal static WordDictionary CreateOverlay(IEnumerable<DictionaryWord> words, WordDictionary scale)
    {
        var byWord = new Dictionary<string, DictionaryWord>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            var folded = TextFold.Fold(w.Word.Trim());
            if (folded.Length > 0)
            {
                byWord[folded] = w with { Word = folded };
            }
        }

        var sorted = byWord.Values.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Word, b.Word));
        return Build(sorted, scale.TotalFrequency);
    }

    /// <summary>Whether <paramref name="word"/> (folded or not) is a word of the dictionary.</summary>
    public bool Contains(ReadOnlySpan<char> word) => Find(word) >= 0;

    /// <summary>The part of speech of <paramref name="word"/>, empty when it has none, null when it is not a word.</summary>
    public string? PartOfSpeech(ReadOnlySpan<char> word)
    {
        var node = Find(word);
        return node < 0 ? null : _tags[_partOfSpeech[node]];
    }

    /// <summary>The log probability of <paramref name="word"/>, or null when it is not a word.</summary>
    public float? LogProbability(ReadOnlySpan<char> word)
    {
        var node = Find(word);
        return node < 0 ? null : _logProbability[node];
    }

    /// <summary>The node reached from the root by folded character <paramref name="c"/>, or −1.</summary>
    internal int Start(char c) => _root[c];

    /// <summary>The child of <paramref name="node"/> by folded character <paramref name="c"/>, or −1.</summary>
    internal int Next(int node, char c)
    {
        var lo = _childStart[node];
        var hi = lo + _childCount[node] - 1;
        var labels = _labels;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var label = labels[mid];
            if (label == c)
            {
                return _targets[mid];
            }

            if (label < c)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>The log probability of the word ending at <paramref name="node"/>, or NaN when no word ends there.</summary>
    internal float WordLogProbability(int node) => _logProbability[node];

    /// <summary>The part-of-speech tag index of the word ending at <paramref name="node"/>.</summary>
    internal byte TagIndex(int node) => _partOfSpeech[node];

    /// <summary>The part-of-speech tag index of <paramref name="word"/>, or −1 when it is not a word.</summary>
    internal int TagIndexOf(ReadOnlySpan<char> word)
    {
        var node = Find(word);
        return node < 0 ? -1 : _partOfSpeech[node];
    }

    /// <summary>The part-of-speech tags, by index.</summary>
    internal IReadOnlyList<string> Tags => _tags;

    private int Find(ReadOnlySpan<char> word)
    {
        if (word.IsEmpty)
        {
            return -1;
        }

        var node = _root[TextFold.Char(word[0])];
        for (var i = 1; i < word.Length && node >= 0; i++)
        {
            node = Next(node, TextFold.Char(word[i]));
        }

        return node >= 0 && !float.IsNaN(_logProbability[node]) ? node : -1;
    }

    private static WordDictionary Build(DictionaryWord[] sorted, double? totalOverride)
    {
        double total = 0;
        foreach (var w in sorted)
        {
            total += w.Frequency;
        }

        total = totalOverride ?? Math.Max(total, 1);
        var logTotal = Math.Log(total);
        var tags = new List<string> { "" };
        var tagIndex = new Dictionary<string, byte>(StringComparer.Ordinal) { [""] = 0 };

        var root = new int[char.MaxValue + 1];
        Array.Fill(root, -1);
        var childStart = new List<int>(sorted.Length * 2);
        var childCount = new List<int>(sorted.Length * 2);
        var logProbability = new List<float>(sorted.Length * 2);
        var partOfSpeech = new List<byte>(sorted.Length * 2);
        var labels = new List<char>(sorted.Length * 2);
        var targets = new List<int>(sorted.Length * 2);

        int NewNode()
        {
            childStart.Add(0);
            childCount.Add(0);
            logProbability.Add(float.NaN);
            partOfSpeech.Add(0);
            return childStart.Count - 1;
        }

        // Words sharing a prefix are adjacent in ordinal order, and a word comes before its extensions: each node
        // covers a range [lo, hi) of the sorted words whose first `depth` characters are the node's path.
        var stack = new Stack<(int Node, int Lo, int Hi, int Depth)>();
        var lo0 = 0;
        while (lo0 < sorted.Length)
        {
            var c = sorted[lo0].Word[0];
            var hi0 = lo0;
            while (hi0 < sorted.Length && sorted[hi0].Word[0] == c)
            {
                hi0++;
            }

            var node = NewNode();
            root[c] = node;
            stack.Push((node, lo0, hi0, 1));
            lo0 = hi0;
        }

        while (stack.Count > 0)
        {
            var (node, lo, hi, depth) = stack.Pop();
            if (sorted[lo].Word.Length == depth)
            {
                var w = sorted[lo];
                logProbability[node] = (float)(Math.Log(w.Frequency) - logTotal);
                if (!tagIndex.TryGetValue(w.PartOfSpeech, out var t))
                {
                    if (tags.Count == byte.MaxValue)
                    {
                        throw new InvalidOperationException("A dictionary has at most 255 parts of speech.");
                    }

                    t = (byte)tags.Count;
                    tags.Add(w.PartOfSpeech);
                    tagIndex[w.PartOfSpeech] = t;
                }

                partOfSpeech[node] = t;
                lo++;
            }

            if (lo >= hi)
            {
                continue;
            }

            // Reserve this node's children as one contiguous run, then descend into each.
            var first = labels.Count;
            var groups = new List<(int Lo, int Hi)>();
            var i = lo;
            while (i < hi)
            {
                var c = sorted[i].Word[depth];
                var j = i;
                while (j < hi && sorted[j].Word[depth] == c)
                {
                    j++;
                }

                groups.Add((i, j));
                labels.Add(c);
                targets.Add(-1);
                i = j;
            }

            childStart[node] = first;
            childCount[node] = groups.Count;
            for (var g = 0; g < groups.Count; g++)
            {
                var child = NewNode();
                targets[first + g] = child;
                stack.Push((child, groups[g].Lo, groups[g].Hi, depth + 1));
            }
        }

        return new WordDictionary(root, [.. childStart], [.. childCount], [.. labels], [.. targets], [.. logProbability], [.. partOfSpeech], [.. tags], sorted.Length, total);
    }
}
