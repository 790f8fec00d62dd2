using System.Buffers;
using System.Numerics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>One dictionary word.</summary>
/// <param name="Word">The word.</param>
/// <param name="Frequency">How often it occurs in a reference corpus: at least 1 in a <see cref="WordDictionary"/>; as a
/// user word (<see cref="ChineseSegmenter.WithUserWords"/>), 0 asks for just enough to keep the word whole.</param>
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

    /// <summary>jieba's dictionary (349,046 lines, 347,541 words once folded), read from the package.</summary>
    public static WordDictionary LoadDefault()
    {
        using var resource = typeof(WordDictionary).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The resource {DefaultResource} is missing from Kefu.Analytics.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        return Load(gzip);
    }

    /// <summary>
    /// Reads a dictionary in jieba's format: one word a line, <c>word freq pos</c> separated by spaces or tabs, frequency
    /// and part of speech optional (frequency 1 and no part of speech when missing). UTF-8 with or without a BOM; blank
    /// lines are skipped. A later line for the same word replaces an earlier one.
    /// </summary>
    /// <exception cref="FormatException">A frequency is not a positive whole number, or a line has more than three
    /// fields (the line is named).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static WordDictionary Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var text = ReadAllText(stream, out var length);
        try
        {
            // About one edge of the prefix tree for every four characters of a jieba-style file.
            var builder = new Builder(Math.Max(1 << 10, length / 8));
            var lines = text.AsSpan(0, length);
            var lineNumber = 0;
            while (!lines.IsEmpty)
            {
                lineNumber++;
                var newline = lines.IndexOf('\n');
                var line = newline < 0 ? lines : lines[..newline];
                lines = newline < 0 ? [] : lines[(newline + 1)..];
                var entry = DictionaryLine.Parse(line, lineNumber);
                if (entry.Word.IsEmpty)
                {
                    continue;
                }

                // Fold in place: the buffer is ours.
                var word = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(entry.Word), entry.Word.Length);
                TextFold.Fold(word, word);
                builder.Add(word, entry.Frequency == 0 ? 1 : entry.Frequency, entry.PartOfSpeech);
            }

            return builder.Build(totalOverride: null);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>A dictionary of <paramref name="words"/>; empty words are ignored, a later duplicate replaces an earlier one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A frequency is below 1.</exception>
    public static WordDictionary Create(IEnumerable<DictionaryWord> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var builder = new Builder(1 << 10);
        foreach (var w in words)
        {
            if (w.Frequency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(words), w.Frequency, $"The frequency of '{w.Word}' must be at least 1.");
            }

            AddFolded(builder, w);
        }

        return builder.Build(totalOverride: null);
    }

    /// <summary>
    /// A dictionary of extra words whose probabilities are on <paramref name="scale"/>'s scale (their frequencies
    /// count as if they were in <paramref name="scale"/>'s corpus), for a user dictionary laid over a base one.
    /// </summary>
    internal static WordDictionary CreateOverlay(IEnumerable<DictionaryWord> words, WordDictionary scale)
    {
        var builder = new Builder(1 << 10);
        foreach (var w in words)
        {
            AddFolded(builder, w with { Frequency = Math.Max(w.Frequency, 1) });
        }

        return builder.Build(scale.TotalFrequency);
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

    private static void AddFolded(Builder builder, DictionaryWord w)
    {
        var trimmed = w.Word.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return;
        }

        char[]? rented = null;
        var folded = trimmed.Length <= 256 ? stackalloc char[trimmed.Length] : (rented = ArrayPool<char>.Shared.Rent(trimmed.Length)).AsSpan(0, trimmed.Length);
        TextFold.Fold(trimmed, folded);
        builder.Add(folded, w.Frequency, (w.PartOfSpeech ?? "").AsSpan().Trim());
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    // The whole stream decoded at once (rented; the caller returns it): one vectorised UTF-8 decode instead of a
    // string a line.
    private static char[] ReadAllText(Stream stream, out int length)
    {
        byte[] bytes;
        int byteCount;
        using (var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(int.MaxValue, Math.Max(0, stream.Length - stream.Position)) : 1 << 20))
        {
            stream.CopyTo(buffer);
            bytes = buffer.GetBuffer();
            byteCount = (int)buffer.Length;
        }

        var span = bytes.AsSpan(0, byteCount);
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        var text = ArrayPool<char>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxCharCount(span.Length)));
        length = Encoding.UTF8.GetChars(span, text);
        return text;
    }

    /// <summary>
    /// Builds the prefix tree by inserting words one by one into a hash of (node, character) edges, then lays each
    /// node's children out as one sorted run by sorting the edges once: no string comparisons, no string a word.
    /// </summary>
    private sealed class Builder
    {
        private readonly int[] _root;
        private readonly EdgeTable _edges;
        private readonly List<long> _frequency;
        private readonly List<byte> _tag;
        private readonly List<string> _tags = [""];
        private readonly Dictionary<string, byte> _tagIndex = new(StringComparer.Ordinal) { [""] = 0 };
        private readonly Dictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _tagLookup;
        private int _count;

        public Builder(int capacity)
        {
            _root = new int[char.MaxValue + 1];
            Array.Fill(_root, -1);
            _edges = new EdgeTable(capacity * 2);
            _frequency = new List<long>(capacity * 2);
            _tag = new List<byte>(capacity * 2);
            _tagLookup = _tagIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(ReadOnlySpan<char> folded, long frequency, ReadOnlySpan<char> partOfSpeech)
        {
            var node = _root[folded[0]];
            if (node < 0)
            {
                node = _root[folded[0]] = NewNode();
            }

            for (var i = 1; i < folded.Length; i++)
            {
                var key = ((long)node << 16) | folded[i];
                ref var child = ref _edges.GetOrAdd(key, out var exists);
                if (!exists)
                {
                    child = NewNode();
                }

                node = child;
            }

            if (_frequency[node] == 0)
            {
                _count++;
            }

            _frequency[node] = frequency;
            _tag[node] = TagIndex(partOfSpeech);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public WordDictionary Build(double? totalOverride)
        {
            double total = 0;
            foreach (var f in _frequency)
            {
                total += f;
            }

            total = totalOverride ?? Math.Max(total, 1);
            var logTotal = Math.Log(total);
            var nodes = _frequency.Count;
            var logProbability = new float[nodes];
            for (var i = 0; i < nodes; i++)
            {
                var f = _frequency[i];
                logProbability[i] = f == 0 ? float.NaN : (float)(Math.Log(f) - logTotal);
            }

            var (keys, targets) = _edges.ToArrays();
            Array.Sort(keys, targets);
            var labels = new char[keys.Length];
            var childStart = new int[nodes];
            var childCount = new int[nodes];
            for (var i = 0; i < keys.Length; i++)
            {
                var parent = (int)(keys[i] >> 16);
                labels[i] = (char)(keys[i] & 0xFFFF);
                if (childCount[parent]++ == 0)
                {
                    childStart[parent] = i;
                }
            }

            return new WordDictionary(_root, childStart, childCount, labels, targets, logProbability, [.. _tag], [.. _tags], _count, total);
        }

        private int NewNode()
        {
            _frequency.Add(0);
            _tag.Add(0);
            return _frequency.Count - 1;
        }

        private byte TagIndex(ReadOnlySpan<char> partOfSpeech)
        {
            if (_tagLookup.TryGetValue(partOfSpeech, out var t))
            {
                return t;
            }

            if (_tags.Count == byte.MaxValue)
            {
                throw new InvalidOperationException("A dictionary has at most 255 parts of speech.");
            }

            t = (byte)_tags.Count;
            var tag = partOfSpeech.ToString();
            _tags.Add(tag);
            _tagIndex[tag] = t;
            return t;
        }
    }

    /// <summary>An open-addressing hash of (node, character) edges to child nodes: keys are never negative.</summary>
    private sealed class EdgeTable(int capacity)
    {
        private long[] _keys = NewKeys(capacity);
        private int[] _values = new int[Math.Max(16, (int)BitOperations.RoundUpToPowerOf2((uint)capacity))];

        public int Count { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ref int GetOrAdd(long key, out bool exists)
        {
            if ((Count + 1) * 2 > _keys.Length)
            {
                Grow();
            }

            var mask = _keys.Length - 1;
            var i = Slot(key, mask);
            while (true)
            {
                var k = _keys[i];
                if (k == key)
                {
                    exists = true;
                    return ref _values[i];
                }

                if (k < 0)
                {
                    _keys[i] = key;
                    Count++;
                    exists = false;
                    return ref _values[i];
                }

                i = (i + 1) & mask;
            }
        }

        public (long[] Keys, int[] Values) ToArrays()
        {
            var keys = new long[Count];
            var values = new int[Count];
            var n = 0;
            for (var i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] >= 0)
                {
                    keys[n] = _keys[i];
                    values[n] = _values[i];
                    n++;
                }
            }

            return (keys, values);
        }

        private static int Slot(long key, int mask) => (int)((ulong)(key * -7046029254386353131L) >> 40) & mask;

        private static long[] NewKeys(int capacity)
        {
            var keys = new long[Math.Max(16, (int)BitOperations.RoundUpToPowerOf2((uint)capacity))];
            Array.Fill(keys, -1L);
            return keys;
        }

        private void Grow()
        {
            var (keys, values) = ToArrays();
            _keys = NewKeys(_keys.Length * 2);
            _values = new int[_keys.Length];
            Count = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                GetOrAdd(keys[i], out _) = values[i];
            }
        }
    }
}
