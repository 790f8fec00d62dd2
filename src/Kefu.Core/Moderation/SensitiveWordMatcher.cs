using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kefu.Moderation;

/// <summary>A listed word and its category (M6).</summary>
/// <param name="Word">The word as listed.</param>
/// <param name="Category">Its category, for example <c>广告</c>; empty when the list gives none.</param>
public readonly record struct SensitiveWord(string Word, string Category = "");

/// <summary>One occurrence of a listed word (M6), at its position in the original text.</summary>
/// <param name="Word">The word as listed (the first listed form when several normalise alike).</param>
/// <param name="Category">The word's category.</param>
/// <param name="Start">Index of the first character of the occurrence in the original text.</param>
/// <param name="Length">Characters of the original text the occurrence spans, noise and repeats inside it included.</param>
public readonly record struct SensitiveWordMatch(string Word, string Category, int Start, int Length)
{
    /// <summary>Index just past the occurrence.</summary>
    public int End => Start + Length;
}

/// <summary>
/// A compiled sensitive-word list (M4–M6): immutable and safe to share between threads; to change a list, compile a
/// new matcher and swap the reference.
/// <para>
/// Layout: every character maps through one 64K table straight to its folded code (case, width and traditional →
/// simplified folding cost nothing at match time), noise characters to a skip marker and characters no word contains
/// to 0. The words form a trie (the goto function of an Aho–Corasick automaton: a dense array at the root, one
/// open-addressed hash of 64-bit edges below it). A bitset of the words' first two codes rejects almost every
/// position with two table reads, so the trie is walked only where a word can start. With noise skipping or repeat
/// collapsing on, the walk from a candidate start runs the set of trie nodes the text can be in (a repeated character
/// may be consumed as a repeat or as the next character of a word), so no occurrence is missed.
/// </para>
/// <para>
/// An occurrence that lies inside an occurrence of an allow-listed word (compiled with the same normalisation) is not
/// reported. <see cref="FindAll(ReadOnlySpan{char}, Span{SensitiveWordMatch})"/> and <see cref="ContainsAny"/>
/// allocate nothing.
/// </para>
/// </summary>
public sealed class SensitiveWordMatcher
{
    /// <summary>The character that <see cref="Mask(string)"/> writes over matches.</summary>
    public const char MaskCharacter = '*';

    private const ushort Noise = ushort.MaxValue;
    private const int MaxActive = 16;
    private const int NodeBits = 24;

    private readonly ushort[] _codes;
    private readonly int[] _rootChild;
    private readonly Node[] _nodes;
    private readonly ushort[] _label;
    private readonly ulong[] _bigrams;
    private readonly int _bigramShift;
    private readonly bool[] _single;
    private readonly bool _anySingle;
    private readonly ulong[] _pairs;
    private readonly int _pairShift;
    private readonly string[] _words;
    private readonly string[] _categories;
    private readonly SensitiveWordMatcher? _allow;
    private readonly bool _plain;
    private readonly bool _collapse;
    private readonly int _maxGap;

    private SensitiveWordMatcher(Builder b, SensitiveWordMatcher? allow)
    {
        _codes = b.Codes;
        _rootChild = b.RootChild;
        _nodes = b.Nodes;
        _label = b.Labels;
        _bigrams = b.Bigrams;
        _bigramShift = b.BigramShift;
        _single = b.Single;
        _pairs = b.Pairs;
        _pairShift = b.PairShift;
        _anySingle = Array.IndexOf(b.Single, true) >= 0;
        _words = [.. b.Words];
        _categories = [.. b.Categories];
        _allow = allow;
        Normalization = b.Normalization;
        _collapse = Normalization.CollapseRepeats;
        _maxGap = Normalization.SkipNoise ? Normalization.MaxNoiseGap : 0;
        _plain = !Normalization.SkipNoise && !Normalization.CollapseRepeats;
    }

    /// <summary>The normalisation the list was compiled with.</summary>
    public SensitiveWordNormalization Normalization { get; }

    /// <summary>Distinct words after normalisation (listed forms that normalise alike count once).</summary>
    public int WordCount => _words.Length;

    /// <summary>Distinct allow-listed words after normalisation.</summary>
    public int AllowedWordCount => _allow?.WordCount ?? 0;

    /// <summary>
    /// Compiles a list. Words empty after normalisation (only noise) are dropped; words that normalise alike are
    /// kept once, the first listed form winning. Throws <see cref="KefuValidationException"/> for a bad normalisation.
    /// </summary>
    public static SensitiveWordMatcher Compile(IEnumerable<SensitiveWord> words, SensitiveWordNormalization? normalization = null, IEnumerable<string>? allowList = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        normalization ??= SensitiveWordNormalization.Default;
        normalization.Validate();
        var folding = new Folding(normalization);
        SensitiveWordMatcher? allow = null;
        if (allowList is not null)
        {
            var allowed = allowList.Select(w => new SensitiveWord(w)).ToList();
            if (allowed.Count > 0)
            {
                allow = new SensitiveWordMatcher(new Builder(allowed, folding), null);
            }
        }

        return new SensitiveWordMatcher(new Builder(words, folding), allow);
    }

    /// <summary>Compiles a list of uncategorised words.</summary>
    public static SensitiveWordMatcher Compile(IEnumerable<string> words, SensitiveWordNormalization? normalization = null, IEnumerable<string>? allowList = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        return Compile(words.Select(w => new SensitiveWord(w)), normalization, allowList);
    }

    /// <summary>Whether the text contains any listed word (outside allow-listed words). Allocates nothing.</summary>
    public bool ContainsAny(ReadOnlySpan<char> text)
    {
        var sink = new FirstSink();
        Run(text, ref sink);
        return sink.Found;
    }

    /// <summary>The first occurrence (smallest start, then shortest), if any.</summary>
    public bool FirstMatch(ReadOnlySpan<char> text, out SensitiveWordMatch match)
    {
        var sink = new FirstSink();
        Run(text, ref sink);
        match = sink.Found ? new SensitiveWordMatch(_words[sink.Word], _categories[sink.Word], sink.Start, sink.Length) : default;
        return sink.Found;
    }

    /// <summary>
    /// Writes the occurrences, by start then length, into <paramref name="destination"/> and returns how many were
    /// written; when that equals the buffer's length there may be more. Allocates nothing.
    /// </summary>
    public int FindAll(ReadOnlySpan<char> text, Span<SensitiveWordMatch> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        var sink = new BufferSink(destination, _words, _categories);
        Run(text, ref sink);
        return sink.Count;
    }

    /// <summary>Every occurrence, by start then length.</summary>
    public IReadOnlyList<SensitiveWordMatch> FindAll(ReadOnlySpan<char> text)
    {
        var sink = new ListSink(_words, _categories);
        Run(text, ref sink);
        return sink.Matches ?? (IReadOnlyList<SensitiveWordMatch>)[];
    }

    /// <summary>The text with every character of every occurrence replaced by <see cref="MaskCharacter"/>; the same instance when nothing matches.</summary>
    public string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!ContainsAny(text))
        {
            return text;
        }

        return string.Create(text.Length, (Matcher: this, Text: text), static (span, state) => state.Matcher.Mask(state.Text, span));
    }

    /// <summary>The text with every character of the given occurrences (found in it by a matcher) replaced by <see cref="MaskCharacter"/>.</summary>
    internal static string Mask(string text, IReadOnlyList<SensitiveWordMatch> matches) =>
        string.Create(text.Length, (Text: text, Matches: matches), static (span, state) =>
        {
            state.Text.AsSpan().CopyTo(span);
            foreach (var match in state.Matches)
            {
                span.Slice(match.Start, match.Length).Fill(MaskCharacter);
            }
        });

    /// <summary>
    /// Copies the text into <paramref name="destination"/> (at least as long) with every character of every
    /// occurrence replaced by <see cref="MaskCharacter"/>; returns how many characters were masked.
    /// </summary>
    public int Mask(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < text.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} characters; the text has {text.Length}.", nameof(destination));
        }

        text.CopyTo(destination);
        var sink = new MaskSink(destination);
        Run(text, ref sink);
        return sink.Masked;
    }

    // ---- Matching

    private void Run<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : IMatchSink, allows ref struct
    {
        var allowed = default(AllowedSpans);
        try
        {
            Search(text, ref sink, ref allowed);
        }
        finally
        {
            allowed.Dispose();
        }
    }

    private void Search<TSink>(ReadOnlySpan<char> text, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        if (_plain)
        {
            SearchPlain(text, ref sink, ref allowed);
        }
        else
        {
            SearchNormalized(text, ref sink, ref allowed);
        }
    }

    /// <summary>Passes an occurrence to the sink unless it lies inside an allow-listed occurrence.</summary>
    private bool Accept<TSink>(ReadOnlySpan<char> text, int start, int length, int word, ref AllowedSpans allowed, ref TSink sink)
        where TSink : IMatchSink, allows ref struct
        => (_allow is not null && allowed.Covers(_allow, text, start, start + length)) || sink.Add(start, length, word);

    private void SearchPlain<TSink>(ReadOnlySpan<char> text, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        var n = text.Length;
        if (n == 0)
        {
            return;
        }

        // The hot loop: one bitset read a position, keyed by the raw characters (without normalisation a word's
        // characters are its codes' characters). Every index is in range by construction (a bigram hash has exactly
        // the bitset's bits), so the bounds checks are skipped.
        ref var bigrams = ref MemoryMarshal.GetArrayDataReference(_bigrams);
        ref var chars = ref MemoryMarshal.GetReference(text);
        var shift = _bigramShift;
        var anySingle = _anySingle;
        uint c0 = chars;
        for (var i = 0; i < n; i++)
        {
            uint c1 = i + 1 < n ? Unsafe.Add(ref chars, i + 1) : 0xFFFFu;
            var h = ((c0 * 0x9E3779B1u) ^ (c1 * 0x7FEB352Du)) >> shift;
            if ((((Unsafe.Add(ref bigrams, (int)(h >> 6)) >> (int)(h & 63)) & 1) != 0 || anySingle) && !WalkPlain(text, i, c0, c1, ref sink, ref allowed))
            {
                return;
            }

            c0 = c1;
        }
    }

    private bool WalkPlain<TSink>(ReadOnlySpan<char> text, int start, uint c0, uint c1, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        if (_anySingle && _rootChild[_codes[c0]] is var first and not 0 && _nodes[first].Word >= 0
            && !Accept(text, start, 1, _nodes[first].Word, ref allowed, ref sink))
        {
            return false;
        }

        // The first two characters lead straight to a depth-2 node (the root's children can have hundreds of children).
        var node = start + 1 < text.Length ? Pair(c0, c1) : 0;
        if (node == 0)
        {
            return true;
        }

        if (_nodes[node].Word >= 0 && !Accept(text, start, 2, _nodes[node].Word, ref allowed, ref sink))
        {
            return false;
        }

        var codes = _codes;
        for (var j = start + 2; j < text.Length; j++)
        {
            int code = codes[text[j]];
            if (code == 0 || (node = Edge(node, code)) == 0)
            {
                return true;
            }

            if (_nodes[node].Word >= 0 && !Accept(text, start, j - start + 1, _nodes[node].Word, ref allowed, ref sink))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The depth-2 node of two leading characters (plain lists) or codes, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Pair(uint first, uint second)
    {
        var key = (first << 16) | second;
        var pairs = _pairs;
        var mask = pairs.Length - 1;
        var i = (int)((key * 0x9E3779B97F4A7C15UL) >> _pairShift);
        while (true)
        {
            var slot = pairs[i];
            if (slot == 0)
            {
                return 0;
            }

            if ((uint)slot == key)
            {
                return (int)(slot >> 32);
            }

            i = (i + 1) & mask;
        }
    }

    private void SearchNormalized<TSink>(ReadOnlySpan<char> text, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        var codes = _codes;
        for (var i = 0; i < text.Length; i++)
        {
            int c0 = codes[text[i]];
            if (c0 == 0 || c0 == Noise || _rootChild[c0] == 0 || !IsCandidate(text, i, c0))
            {
                continue;
            }

            if (!WalkNormalized(text, i, c0, ref sink, ref allowed))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Whether a word can start at <paramref name="start"/>: a one-character word, or the word's first two codes
    /// after the noise and repeats a match may skip. Never false where a word starts.
    /// </summary>
    private bool IsCandidate(ReadOnlySpan<char> text, int start, int c0)
    {
        if (_anySingle && _single[c0])
        {
            return true;
        }

        var codes = _codes;
        var gap = 0;
        for (var j = start + 1; j < text.Length; j++)
        {
            int code = codes[text[j]];
            if (code == Noise)
            {
                if (++gap > _maxGap)
                {
                    return false;
                }

                continue;
            }

            if (code == 0)
            {
                return false;
            }

            if (code == c0 && _collapse && !HasBigram(c0, c0))
            {
                gap = 0;
                continue;
            }

            return HasBigram(c0, code);
        }

        return false;
    }

    private bool WalkNormalized<TSink>(ReadOnlySpan<char> text, int start, int c0, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        // The live trie nodes: usually one or two, but runs of a repeated character keep a chain of them alive, so
        // the sets grow from the stack into pooled arrays when they must.
        var active = new NodeSet(stackalloc int[MaxActive]);
        var next = new NodeSet(stackalloc int[MaxActive]);
        var reported = new NodeSet(stackalloc int[MaxActive]);
        try
        {
            active.Add(_rootChild[c0]);
            var first = _nodes[active[0]].Word;
            if (first >= 0)
            {
                reported.Add(first);
                if (!Accept(text, start, 1, first, ref allowed, ref sink))
                {
                    return false;
                }
            }

            var codes = _codes;
            var gap = 0;
            for (var j = start + 1; j < text.Length && active.Count > 0; j++)
            {
                int code = codes[text[j]];
                if (code == Noise)
                {
                    if (++gap > _maxGap)
                    {
                        break;
                    }

                    continue;
                }

                if (code == 0)
                {
                    break;
                }

                gap = 0;
                next.Clear();
                for (var k = 0; k < active.Count; k++)
                {
                    var node = active[k];
                    var child = Edge(node, code);
                    if (child != 0 && !next.Contains(child))
                    {
                        next.Add(child);
                        var word = _nodes[child].Word;
                        if (word >= 0 && !reported.Contains(word))
                        {
                            reported.Add(word);
                            if (!Accept(text, start, j - start + 1, word, ref allowed, ref sink))
                            {
                                return false;
                            }
                        }
                    }

                    if (_collapse && _label[node] == code && !next.Contains(node))
                    {
                        next.Add(node);
                    }
                }

                var swap = active;
                active = next;
                next = swap;
            }

            return true;
        }
        finally
        {
            active.Dispose();
            next.Dispose();
            reported.Dispose();
        }
    }

    /// <summary>A small set of ints on the stack that moves to a pooled array when it outgrows it.</summary>
    private ref struct NodeSet(Span<int> initial)
    {
        private Span<int> _items = initial;
        private int[]? _rented;

        public int Count { get; private set; }

        public readonly int this[int index] => _items[index];

        public readonly bool Contains(int value) => _items[..Count].Contains(value);

        public void Add(int value)
        {
            if (Count == _items.Length)
            {
                var bigger = ArrayPool<int>.Shared.Rent(_items.Length * 2);
                _items[..Count].CopyTo(bigger);
                if (_rented is not null)
                {
                    ArrayPool<int>.Shared.Return(_rented);
                }

                _rented = bigger;
                _items = bigger;
            }

            _items[Count++] = value;
        }

        public void Clear() => Count = 0;

        public readonly void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<int>.Shared.Return(_rented);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasBigram(int c0, int c1)
    {
        var h = (((uint)c0 * 0x9E3779B1u) ^ ((uint)c1 * 0x7FEB352Du)) >> _bigramShift;
        return (_bigrams[h >> 6] & (1UL << (int)(h & 63))) != 0;
    }

    /// <summary>The child of a node by code, or 0: the children of a node are consecutive nodes, their labels one short run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Edge(int node, int code)
    {
        ref readonly var n = ref _nodes[node];
        int lo = n.FirstChild, hi = n.FirstChild + n.ChildCount - 1;
        ref var labels = ref MemoryMarshal.GetArrayDataReference(_label);
        while (hi - lo > 7)
        {
            var mid = (lo + hi) >>> 1;
            if (Unsafe.Add(ref labels, mid) < code)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (; lo <= hi; lo++)
        {
            if (Unsafe.Add(ref labels, lo) == code)
            {
                return lo;
            }
        }

        return 0;
    }

    /// <summary>A trie node; nodes are numbered breadth first, so the shallow nodes most walks visit sit together.</summary>
    private readonly record struct Node(int FirstChild, int ChildCount, int Word);

    // ---- Sinks: what a search does with each occurrence (return false to stop)

    private interface IMatchSink
    {
        bool Add(int start, int length, int word);
    }

    private struct FirstSink : IMatchSink
    {
        public bool Found;
        public int Start;
        public int Length;
        public int Word;

        public bool Add(int start, int length, int word)
        {
            (Found, Start, Length, Word) = (true, start, length, word);
            return false;
        }
    }

    private ref struct BufferSink(Span<SensitiveWordMatch> destination, string[] words, string[] categories) : IMatchSink
    {
        private readonly Span<SensitiveWordMatch> _destination = destination;
        public int Count;

        public bool Add(int start, int length, int word)
        {
            _destination[Count++] = new SensitiveWordMatch(words[word], categories[word], start, length);
            return Count < _destination.Length;
        }
    }

    private struct ListSink(string[] words, string[] categories) : IMatchSink
    {
        public List<SensitiveWordMatch>? Matches;

        public bool Add(int start, int length, int word)
        {
            (Matches ??= []).Add(new SensitiveWordMatch(words[word], categories[word], start, length));
            return true;
        }
    }

    private ref struct MaskSink(Span<char> destination) : IMatchSink
    {
        private readonly Span<char> _destination = destination;
        public int Masked;

        public bool Add(int start, int length, int word)
        {
            foreach (ref var c in _destination.Slice(start, length))
            {
                if (c != MaskCharacter)
                {
                    c = MaskCharacter;
                    Masked++;
                }
            }

            return true;
        }
    }

    /// <summary>Collects allow-listed occurrences (start, end) into a pooled array.</summary>
    private struct SpanCollector : IMatchSink
    {
        public long[]? Spans;
        public int Count;

        public bool Add(int start, int length, int word)
        {
            if (Spans is null || Count == Spans.Length)
            {
                var bigger = ArrayPool<long>.Shared.Rent(Math.Max(16, Count * 2));
                Spans?.AsSpan(0, Count).CopyTo(bigger);
                if (Spans is not null)
                {
                    ArrayPool<long>.Shared.Return(Spans);
                }

                Spans = bigger;
            }

            Spans[Count++] = ((long)start << 32) | (uint)(start + length);
            return true;
        }
    }

    /// <summary>The allow-listed occurrences of one text, found at its first listed occurrence.</summary>
    private struct AllowedSpans
    {
        private SpanCollector _spans;
        private bool _collected;

        public bool Covers(SensitiveWordMatcher allow, ReadOnlySpan<char> text, int start, int end)
        {
            if (!_collected)
            {
                _collected = true;
                var none = default(AllowedSpans);
                allow.Search(text, ref _spans, ref none);
            }

            for (var i = 0; i < _spans.Count; i++)
            {
                var span = _spans.Spans![i];
                if ((int)(span >> 32) <= start && (int)span >= end)
                {
                    return true;
                }
            }

            return false;
        }

        public readonly void Dispose()
        {
            if (_spans.Spans is { } spans)
            {
                ArrayPool<long>.Shared.Return(spans);
            }
        }
    }

    // ---- Compilation

    /// <summary>A normalisation resolved to per-character tables, shared by a list and its allow-list.</summary>
    private sealed class Folding
    {
        public Folding(SensitiveWordNormalization normalization)
        {
            Normalization = normalization;
            var simplified = normalization.TraditionalToSimplified ? SensitiveWordNormalization.BuildSimplifiedTable() : null;
            Folded = new char[char.MaxValue + 1];
            IsNoise = new bool[char.MaxValue + 1];
            for (var i = 0; i <= char.MaxValue; i++)
            {
                var c = (char)i;
                var folded = normalization.Fold(c, simplified);
                Folded[i] = folded;
                IsNoise[i] = normalization.IsNoise(c) || normalization.IsNoise(folded);
            }
        }

        public SensitiveWordNormalization Normalization { get; }

        public char[] Folded { get; }

        public bool[] IsNoise { get; }
    }

    private sealed class Builder
    {
        public readonly SensitiveWordNormalization Normalization;
        public readonly ushort[] Codes = new ushort[char.MaxValue + 1];
        public readonly int[] RootChild;
        public readonly Node[] Nodes;
        public readonly ushort[] Labels;
        public readonly ulong[] Bigrams;
        public readonly int BigramShift;
        public readonly bool[] Single;
        public readonly ulong[] Pairs;
        public readonly int PairShift;
        public readonly List<string> Words = [];
        public readonly List<string> Categories = [];

        public Builder(IEnumerable<SensitiveWord> words, Folding folding)
        {
            Normalization = folding.Normalization;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var normalizedWords = new List<string>();
            var buffer = new System.Text.StringBuilder();
            foreach (var (word, category) in words)
            {
                if (string.IsNullOrEmpty(word))
                {
                    continue;
                }

                buffer.Clear();
                foreach (var c in word)
                {
                    if (!folding.IsNoise[c])
                    {
                        buffer.Append(folding.Folded[c]);
                    }
                }

                var normalized = buffer.ToString();
                if (normalized.Length > 0 && seen.Add(normalized))
                {
                    normalizedWords.Add(normalized);
                    Words.Add(word);
                    Categories.Add(category ?? string.Empty);
                }
            }

            // The alphabet: each folded character any word uses gets a code from 1.
            var alphabet = new Dictionary<char, ushort>();
            foreach (var c in normalizedWords.SelectMany(w => w))
            {
                if (!alphabet.ContainsKey(c))
                {
                    alphabet[c] = checked((ushort)(alphabet.Count + 1));
                }
            }

            for (var i = 0; i <= char.MaxValue; i++)
            {
                Codes[i] = folding.IsNoise[i] ? Noise : alphabet.GetValueOrDefault(folding.Folded[i]);
            }

            // Each word as a string of codes; sorted, a trie is built by appending to the last child only.
            var coded = new (string Codes, int Word)[normalizedWords.Count];
            for (var w = 0; w < coded.Length; w++)
            {
                coded[w] = (string.Create(normalizedWords[w].Length, (normalizedWords[w], alphabet), static (span, state) =>
                {
                    for (var k = 0; k < span.Length; k++)
                    {
                        span[k] = (char)state.alphabet[state.Item1[k]];
                    }
                }), w);
            }

            Array.Sort(coded, static (a, b) => string.CompareOrdinal(a.Codes, b.Codes));
            var temp = new TempTrie();
            foreach (var (codes, word) in coded)
            {
                temp.Add(codes, word);
            }

            (Nodes, Labels, RootChild) = temp.Number(alphabet.Count);
            Single = new bool[alphabet.Count + 1];
            var bigramBits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, normalizedWords.Count)) + 6, 12, 22);
            Bigrams = new ulong[(1 << bigramBits) / 64];
            BigramShift = 32 - bigramBits;
            // Without noise skipping and repeat collapsing the bitset is keyed by the folded characters themselves
            // (folding off, the raw ones), so the search reads no code table to test a position.
            var byChars = !Normalization.SkipNoise && !Normalization.CollapseRepeats;
            var pairBits = Math.Max(4, BitOperations.Log2((uint)Math.Max(16, coded.Length * 2)) + 1);
            Pairs = new ulong[1 << pairBits];
            PairShift = 64 - pairBits;
            for (var w = 0; w < coded.Length; w++)
            {
                var (codes, word) = coded[w];
                if (codes.Length == 1)
                {
                    Single[codes[0]] = true;
                    continue;
                }

                var (first, second) = byChars ? (normalizedWords[word][0], normalizedWords[word][1]) : (codes[0], codes[1]);
                var h = (((uint)first * 0x9E3779B1u) ^ ((uint)second * 0x7FEB352Du)) >> BigramShift;
                Bigrams[h >> 6] |= 1UL << (int)(h & 63);
                AddPair(((uint)first << 16) | second, Depth2(codes));
            }
        }

        private int Depth2(string codes)
        {
            var node = RootChild[codes[0]];
            var n = Nodes[node];
            for (var i = n.FirstChild; i < n.FirstChild + n.ChildCount; i++)
            {
                if (Labels[i] == codes[1])
                {
                    return i;
                }
            }

            throw new InvalidOperationException("A word's depth-2 node is missing from the trie.");
        }

        private void AddPair(uint key, int node)
        {
            var mask = Pairs.Length - 1;
            var i = (int)((key * 0x9E3779B97F4A7C15UL) >> PairShift);
            while (Pairs[i] != 0)
            {
                if ((uint)Pairs[i] == key)
                {
                    return;
                }

                i = (i + 1) & mask;
            }

            Pairs[i] = key | ((ulong)node << 32);
        }
    }

    /// <summary>The trie while it is built: first-child / next-sibling links, children in code order.</summary>
    private sealed class TempTrie
    {
        private readonly List<(ushort Label, int FirstChild, int LastChild, int NextSibling, int Word)> _nodes = [(0, -1, -1, -1, -1)];

        public void Add(string codes, int word)
        {
            var node = 0;
            foreach (var c in codes)
            {
                var code = (ushort)c;
                var last = _nodes[node].LastChild;
                if (last >= 0 && _nodes[last].Label == code)
                {
                    node = last;
                    continue;
                }

                if (_nodes.Count >= (1 << NodeBits))
                {
                    throw new KefuValidationException("Words", $"lists whose trie has at most {1 << NodeBits:N0} nodes");
                }

                var child = _nodes.Count;
                _nodes.Add((code, -1, -1, -1, -1));
                var parent = _nodes[node];
                if (last >= 0)
                {
                    _nodes[last] = _nodes[last] with { NextSibling = child };
                    _nodes[node] = parent with { LastChild = child };
                }
                else
                {
                    _nodes[node] = parent with { FirstChild = child, LastChild = child };
                }

                node = child;
            }

            _nodes[node] = _nodes[node] with { Word = word };
        }

        /// <summary>Numbers the nodes breadth first (the root 0) so each node's children are consecutive.</summary>
        public (Node[] Nodes, ushort[] Labels, int[] RootChild) Number(int alphabetSize)
        {
            var order = new List<int>(_nodes.Count) { 0 };
            var newId = new int[_nodes.Count];
            for (var i = 0; i < order.Count; i++)
            {
                for (var child = _nodes[order[i]].FirstChild; child >= 0; child = _nodes[child].NextSibling)
                {
                    newId[child] = order.Count;
                    order.Add(child);
                }
            }

            var nodes = new Node[order.Count];
            var labels = new ushort[order.Count];
            for (var i = 0; i < order.Count; i++)
            {
                var old = _nodes[order[i]];
                var count = 0;
                for (var child = old.FirstChild; child >= 0; child = _nodes[child].NextSibling)
                {
                    count++;
                }

                nodes[i] = new Node(old.FirstChild >= 0 ? newId[old.FirstChild] : 0, count, old.Word);
                labels[i] = old.Label;
            }

            var rootChild = new int[alphabetSize + 1];
            for (var child = _nodes[0].FirstChild; child >= 0; child = _nodes[child].NextSibling)
            {
                rootChild[_nodes[child].Label] = newId[child];
            }

            return (nodes, labels, rootChild);
        }
    }
}
