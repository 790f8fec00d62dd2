using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// to 0; without any normalisation each character is its own code and the table is not read. The words form a trie
/// (the goto function of an Aho–Corasick automaton): a dense array at the root, an open-addressed table from a word's
/// first two codes to its depth-2 node, below that each node's children as consecutive nodes in label order. A bitset
/// keyed by the two codes starting a position (two-code words) and by the three (longer words) rejects about 97 % of
/// the positions of Chinese text, eight at a time with AVX2, so the trie is walked only where a word can start. With
/// noise skipping or repeat collapsing on, the walk follows the one trie node the text can be in, and where a
/// repeated character may be consumed either as a repeat or as the next character of a word, the set of nodes, so no
/// occurrence is missed.
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
    private const int StartBitsPerPrefix = 8;

    private readonly ushort[] _codes;
    private readonly int[] _rootChild;
    private readonly Node[] _nodes;
    private readonly ulong[] _bigrams;
    private readonly int _bigramShift;
    private readonly bool[] _single;
    private readonly bool _anySingle;
    private readonly PairSlot[] _pairs;
    private readonly int _pairShift;
    private readonly ulong[] _starts;
    private readonly int _startShift;
    private readonly string[] _words;
    private readonly string[] _categories;
    private readonly SensitiveWordMatcher? _allow;
    private readonly bool _exact;
    private readonly bool _collapse;
    private readonly int _maxGap;

    private SensitiveWordMatcher(Builder b, SensitiveWordMatcher? allow)
    {
        _codes = b.Codes;
        _rootChild = b.RootChild;
        _nodes = b.Nodes;
        _bigrams = b.Bigrams;
        _bigramShift = b.BigramShift;
        _single = b.Single;
        _pairs = b.Pairs;
        _pairShift = b.PairShift;
        _starts = b.Starts;
        _startShift = b.StartShift;
        _anySingle = Array.IndexOf(b.Single, true) >= 0;
        _words = [.. b.Words];
        _categories = [.. b.Categories];
        _allow = allow;
        Normalization = b.Normalization;
        _collapse = Normalization.CollapseRepeats;
        _maxGap = Normalization.SkipNoise ? Normalization.MaxNoiseGap : 0;
        _exact = b.Exact && !_anySingle;
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
        if (_exact)
        {
            SearchExact(text, ref sink, ref allowed);
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

    private void SearchExact<TSink>(ReadOnlySpan<char> text, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        var i = Avx2.IsSupported ? SearchExactAvx2(text, ref sink, ref allowed) : 0;
        for (i = i < 0 ? -1 : NextStart(text, i); i >= 0; i = NextStart(text, i + 1))
        {
            if (!WalkExact(text, i, ref sink, ref allowed))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The search eight positions at a time (texts of ten characters or more): the hashes of <see cref="NextStart"/>
    /// in vector lanes and their bits fetched by two gathers (the bitset read as 32-bit words: the same bits on a
    /// little-endian machine), then a walk from each candidate in order. Every position but the last but one is
    /// searched; returns that position (0 for a shorter text), or -1 when the sink stopped the search.
    /// </summary>
    private unsafe int SearchExactAvx2<TSink>(ReadOnlySpan<char> text, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        var n = text.Length;
        var shift = _startShift & 31;
        if (n < 10)
        {
            return 0;
        }

        fixed (char* chars = text)
        fixed (ulong* starts = _starts)
        {
            // Up to 64 positions are tested before the candidates among them are walked, so the branch on whether a
            // block has a candidate (about one in three, unpredictably) is not taken eight positions at a time.
            var i = 0;
            while (i <= n - 10)
            {
                var from = i;
                var mask = 0UL;
                for (var bit = 0; bit < 64 && i <= n - 10; bit += 8, i += 8)
                {
                    mask |= (ulong)Candidates((ushort*)chars + i, starts, shift) << bit;
                }

                // The candidates' two-code slots are fetched together, so their cache misses overlap.
                for (var m = mask; m != 0; m &= m - 1)
                {
                    var at = (ushort*)chars + from + BitOperations.TrailingZeroCount(m);
                    Sse.Prefetch0(Unsafe.AsPointer(ref _pairs[PairIndex(at[0], at[1])]));
                }

                for (; mask != 0; mask &= mask - 1)
                {
                    if (!WalkExact(text, from + BitOperations.TrailingZeroCount(mask), ref sink, ref allowed))
                    {
                        return -1;
                    }
                }
            }

            // The last block ends at the last but two position, overlapping the previous one; the overlap is masked off.
            var last = n - 10;
            if (i <= last + 7)
            {
                for (var mask = Candidates((ushort*)chars + last, starts, shift) & (0xFFu << (i - last)); mask != 0; mask &= mask - 1)
                {
                    if (!WalkExact(text, last + BitOperations.TrailingZeroCount(mask), ref sink, ref allowed))
                    {
                        return -1;
                    }
                }
            }
        }

        return n - 2;
    }

    /// <summary>The candidate bits of the eight positions from <paramref name="chars"/> (ten characters read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint Candidates(ushort* chars, ulong* starts, int shift)
    {
        var c0 = Avx2.ConvertToVector256Int32(chars).AsUInt32();
        var c1 = Avx2.ConvertToVector256Int32(chars + 1).AsUInt32();
        var c2 = Avx2.ConvertToVector256Int32(chars + 2).AsUInt32();
        var pair = (c0 * Vector256.Create(0x9E3779B1u)) ^ (c1 * Vector256.Create(0x7FEB352Du));
        var h2 = Vector256.ShiftRightLogical(pair, shift);
        var h3 = Vector256.ShiftRightLogical(pair ^ (c2 * Vector256.Create(0x846CA68Bu)), shift);
        var w2 = Avx2.GatherVector256((uint*)starts, Vector256.ShiftRightLogical(h2, 5).AsInt32(), 4);
        var w3 = Avx2.GatherVector256((uint*)starts, Vector256.ShiftRightLogical(h3, 5).AsInt32(), 4);
        var hits = Avx2.ShiftRightLogicalVariable(w2, h2 & Vector256.Create(31u)) | Avx2.ShiftRightLogicalVariable(w3, h3 & Vector256.Create(31u));
        return Vector256.ExtractMostSignificantBits(Vector256.ShiftLeft(hits, 31));
    }

    /// <summary>
    /// The first position from <paramref name="i"/> where a word can start, or -1: the hot loop over the raw characters
    /// (a list compiled without normalisation codes each character as itself). Two bits a position, one for the two
    /// characters starting there (two-character words), one for the three (longer words' first three), reject all but
    /// a few positions. Every bitset index is in range by construction (a hash has exactly the bitset's bits) and
    /// i + 2 &lt; n, so the bounds checks are skipped; kept out of line so the loop's values stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextStart(ReadOnlySpan<char> text, int i)
    {
        var n = text.Length;
        var shift = _startShift & 31;
        ref var starts = ref MemoryMarshal.GetArrayDataReference(_starts);
        ref var chars = ref MemoryMarshal.GetReference(text);
        for (; i < n - 2; i++)
        {
            var pair = (Unsafe.Add(ref chars, i) * 0x9E3779B1u) ^ (Unsafe.Add(ref chars, i + 1) * 0x7FEB352Du);
            var h2 = pair >> shift;
            var h3 = (pair ^ (Unsafe.Add(ref chars, i + 2) * 0x846CA68Bu)) >> shift;
            if (((Unsafe.Add(ref starts, (int)(h2 >> 6)) >> (int)h2 | Unsafe.Add(ref starts, (int)(h3 >> 6)) >> (int)h3) & 1) != 0)
            {
                return i;
            }
        }

        // At the last but one position only a two-character word fits.
        if (i == n - 2)
        {
            var h2 = StartHash(Unsafe.Add(ref chars, i), Unsafe.Add(ref chars, i + 1), 0) >> shift;
            if (((Unsafe.Add(ref starts, (int)(h2 >> 6)) >> (int)h2) & 1) != 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The hash of a word's first three characters, or of a two-character word's two (third 0); the bitset index is its top bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StartHash(uint c0, uint c1, uint c2) => (c0 * 0x9E3779B1u) ^ (c1 * 0x7FEB352Du) ^ (c2 * 0x846CA68Bu);

    private bool WalkExact<TSink>(ReadOnlySpan<char> text, int start, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        // The first two characters lead straight to a depth-2 node (the root's children can have hundreds of
        // children); below it the labels are the characters themselves.
        ref readonly var pair = ref Pair(text[start], text[start + 1]);
        if (pair.Key == 0)
        {
            return true;
        }

        if (pair.Word >= 0 && !Accept(text, start, 2, pair.Word, ref allowed, ref sink))
        {
            return false;
        }

        var (first, count) = (pair.FirstChild, pair.ChildCount);
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        for (var j = start + 2; j < text.Length; j++)
        {
            var child = Child(first, count, text[j]);
            if (child == 0)
            {
                return true;
            }

            ref readonly var node = ref Unsafe.Add(ref nodes, child);
            if (node.Word >= 0 && !Accept(text, start, j - start + 1, node.Word, ref allowed, ref sink))
            {
                return false;
            }

            (first, count) = (node.FirstChild, node.ChildCount);
        }

        return true;
    }

    /// <summary>The first slot to probe for two leading codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PairIndex(uint first, uint second) => (int)(((ulong)((first << 16) | second) * 0x9E3779B97F4A7C15UL) >> _pairShift);

    /// <summary>The slot of the depth-2 node of two leading codes (characters, for a list without normalisation); an empty slot (key 0) when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly PairSlot Pair(uint first, uint second)
    {
        var key = (first << 16) | second;
        var pairs = _pairs;
        var mask = pairs.Length - 1;
        var i = PairIndex(first, second);
        while (pairs[i].Key != key && pairs[i].Key != 0)
        {
            i = (i + 1) & mask;
        }

        return ref pairs[i];
    }

    private void SearchNormalized<TSink>(ReadOnlySpan<char> text, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        var codes = _codes;
        for (var i = 0; i < text.Length; i++)
        {
            int c0 = codes[text[i]];
            if (c0 == 0 || c0 == Noise || !MayStart(text, i, c0))
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
    /// Whether a word can start at <paramref name="start"/>, never false where one does. When the next two characters
    /// are word characters, each differing from the one before (no noise to skip, no repeat to collapse), they can
    /// only be a word's second and third codes, so the bitset of the exact search decides; otherwise
    /// <see cref="IsCandidate"/> looks past the noise and repeats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayStart(ReadOnlySpan<char> text, int start, int c0)
    {
        if (start + 2 < text.Length && !_anySingle)
        {
            var codes = _codes;
            int c1 = codes[text[start + 1]];
            if (c1 != Noise && c1 != c0)
            {
                if (c1 == 0)
                {
                    return false;
                }

                int c2 = codes[text[start + 2]];
                if (c2 != Noise && c2 != c1 && c2 != 0)
                {
                    var h2 = StartHash((uint)c0, (uint)c1, 0) >> _startShift;
                    var h3 = StartHash((uint)c0, (uint)c1, (uint)c2) >> _startShift;
                    return ((_starts[h2 >> 6] >> (int)h2 | _starts[h3 >> 6] >> (int)h3) & 1) != 0;
                }

                return HasBigram(c0, c1);
            }
        }

        return IsCandidate(text, start, c0);
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

        for (var j = start + 1; NextCode(text, ref j) is var code and not 0; j++)
        {
            if (code != c0 || !_collapse || HasBigram(c0, c0))
            {
                return HasBigram(c0, code);
            }
        }

        return false;
    }

    /// <summary>
    /// The code of the first word character from <paramref name="j"/> on, which <paramref name="j"/> is moved to,
    /// skipping at most the maximum gap of noise characters; 0 when the text ends, the gap is longer, or a character
    /// no word contains comes first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int NextCode(ReadOnlySpan<char> text, ref int j)
    {
        var codes = _codes;
        for (var gap = 0; j < text.Length; j++)
        {
            int code = codes[text[j]];
            if (code != Noise)
            {
                return code;
            }

            if (++gap > _maxGap)
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// The walk from a candidate start while the text can be in one trie node only: each code either leads to a child
    /// or, with collapsing, repeats the node's own code. When it can do both (a word such as <c>哈哈</c>), the walk
    /// starts again from the start tracking every node (<see cref="WalkNormalizedSet"/>), passing over the
    /// occurrences already reported, which that walk finds first and in the same order.
    /// </summary>
    private bool WalkNormalized<TSink>(ReadOnlySpan<char> text, int start, int c0, ref TSink sink, ref AllowedSpans allowed)
        where TSink : IMatchSink, allows ref struct
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref readonly var root = ref Unsafe.Add(ref nodes, _rootChild[c0]);
        if (root.Word >= 0 && !Accept(text, start, 1, root.Word, ref allowed, ref sink))
        {
            return false;
        }

        var (first, count, label) = (root.FirstChild, root.ChildCount, c0);
        var reported = root.Word >= 0 ? 1 : 0;
        var depth1 = true;
        for (var j = start + 1; NextCode(text, ref j) is var code and not 0; j++)
        {
            int word;
            if (depth1)
            {
                // The root's children can have hundreds of children: the two-code table finds the depth-2 node at once.
                ref readonly var pair = ref Pair((uint)c0, (uint)code);
                if (pair.Key == 0)
                {
                    if (_collapse && code == label)
                    {
                        continue;
                    }

                    return true;
                }

                if (_collapse && code == label)
                {
                    return WalkNormalizedSet(text, start, c0, reported, ref sink, ref allowed);
                }

                (first, count, word, depth1) = (pair.FirstChild, pair.ChildCount, pair.Word, false);
            }
            else
            {
                var child = Child(first, count, code);
                if (child == 0)
                {
                    if (_collapse && code == label)
                    {
                        continue;
                    }

                    return true;
                }

                if (_collapse && code == label)
                {
                    return WalkNormalizedSet(text, start, c0, reported, ref sink, ref allowed);
                }

                ref readonly var node = ref Unsafe.Add(ref nodes, child);
                (first, count, word) = (node.FirstChild, node.ChildCount, node.Word);
            }

            label = code;
            if (word >= 0)
            {
                reported++;
                if (!Accept(text, start, j - start + 1, word, ref allowed, ref sink))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The walk from a candidate start tracking the set of trie nodes the text can be in; the first
    /// <paramref name="skip"/> occurrences were reported by <see cref="WalkNormalized"/> already.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool WalkNormalizedSet<TSink>(ReadOnlySpan<char> text, int start, int c0, int skip, ref TSink sink, ref AllowedSpans allowed)
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
                if (skip-- <= 0 && !Accept(text, start, 1, first, ref allowed, ref sink))
                {
                    return false;
                }
            }

            for (var j = start + 1; active.Count > 0 && NextCode(text, ref j) is var code and not 0; j++)
            {
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
                            if (skip-- <= 0 && !Accept(text, start, j - start + 1, word, ref allowed, ref sink))
                            {
                                return false;
                            }
                        }
                    }

                    if (_collapse && _nodes[node].Label == code && !next.Contains(node))
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

    /// <summary>
    /// The child of a node by code, or 0: the children of a node are consecutive nodes in label order, so the labels
    /// read are those of the nodes the walk goes on to (one cache line for a few children). Node indexes are in range
    /// by construction, so the bounds checks are skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Edge(int node, int code) => Child(_nodes[node].FirstChild, _nodes[node].ChildCount, code);

    /// <summary>The child with label <paramref name="code"/> among the <paramref name="count"/> nodes from <paramref name="first"/>, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Child(int first, int count, int code)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        int lo = first, hi = first + count - 1;
        while (hi - lo > 7)
        {
            var mid = (lo + hi) >>> 1;
            if (Unsafe.Add(ref nodes, mid).Label < code)
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
            if (Unsafe.Add(ref nodes, lo).Label == code)
            {
                return lo;
            }
        }

        return 0;
    }

    /// <summary>
    /// A trie node (16 bytes, four to a cache line); nodes are numbered breadth first, so the shallow nodes most walks
    /// visit sit together. <see cref="Label"/> is the code of the edge into the node.
    /// </summary>
    private readonly record struct Node(int FirstChild, int ChildCount, int Word, int Label);

    /// <summary>A slot of the two-code table: the key (first code &lt;&lt; 16 | second, 0 for an empty slot) and its depth-2 node's children and word.</summary>
    private readonly record struct PairSlot(uint Key, int FirstChild, int ChildCount, int Word);

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
        public readonly ulong[] Bigrams;
        public readonly int BigramShift;
        public readonly bool[] Single;
        public readonly PairSlot[] Pairs;
        public readonly int PairShift;
        public readonly bool Exact;
        public readonly ulong[] Starts;
        public readonly int StartShift;
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

            // The alphabet: each folded character any word uses gets a code from 1. Without normalisation each
            // character is its own code (unless a word holds one of the two the codes reserve), so the search reads
            // the text's characters as codes.
            Exact = Normalization.IsNone && !normalizedWords.Any(w => w.AsSpan().ContainsAny('\0', (char)Noise));
            var alphabet = new Dictionary<char, ushort>();
            foreach (var c in normalizedWords.SelectMany(w => w))
            {
                if (!alphabet.ContainsKey(c))
                {
                    alphabet[c] = Exact ? c : checked((ushort)(alphabet.Count + 1));
                }
            }

            var maxCode = Exact ? char.MaxValue - 1 : alphabet.Count;

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

            (Nodes, RootChild) = temp.Number(maxCode);
            Single = new bool[maxCode + 1];
            var bigramBits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, normalizedWords.Count)) + 6, 12, 22);
            Bigrams = new ulong[(1 << bigramBits) / 64];
            BigramShift = 32 - bigramBits;
            var pairBits = Math.Max(4, BitOperations.Log2((uint)Math.Max(16, CountPrefixes(coded, 2))) + 1);
            Pairs = new PairSlot[1 << pairBits];
            PairShift = 64 - pairBits;
            var startBits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, CountPrefixes(coded, 3))) + StartBitsPerPrefix, 12, 24);
            Starts = new ulong[(1 << startBits) / 64];
            StartShift = 32 - startBits;
            for (var w = 0; w < coded.Length; w++)
            {
                var (codes, word) = coded[w];
                if (codes.Length == 1)
                {
                    Single[codes[0]] = true;
                    continue;
                }

                var (first, second) = (codes[0], codes[1]);
                var h = (((uint)first * 0x9E3779B1u) ^ ((uint)second * 0x7FEB352Du)) >> BigramShift;
                Bigrams[h >> 6] |= 1UL << (int)(h & 63);
                var start = StartHash(first, second, codes.Length == 2 ? 0u : codes[2]) >> StartShift;
                Starts[start >> 6] |= 1UL << (int)(start & 63);
                AddPair(((uint)first << 16) | second, Nodes[Depth2(codes)]);
            }
        }

        /// <summary>Distinct prefixes of <paramref name="length"/> codes (whole words when shorter) of words sorted by code.</summary>
        private static int CountPrefixes((string Codes, int Word)[] sorted, int length)
        {
            var count = 0;
            for (var w = 0; w < sorted.Length; w++)
            {
                if (w == 0 || !sorted[w].Codes.AsSpan(0, Math.Min(length, sorted[w].Codes.Length)).SequenceEqual(sorted[w - 1].Codes.AsSpan(0, Math.Min(length, sorted[w - 1].Codes.Length))))
                {
                    count++;
                }
            }

            return count;
        }

        private int Depth2(string codes)
        {
            var node = RootChild[codes[0]];
            var n = Nodes[node];
            for (var i = n.FirstChild; i < n.FirstChild + n.ChildCount; i++)
            {
                if (Nodes[i].Label == codes[1])
                {
                    return i;
                }
            }

            throw new InvalidOperationException("A word's depth-2 node is missing from the trie.");
        }

        private void AddPair(uint key, Node node)
        {
            var mask = Pairs.Length - 1;
            var i = (int)((key * 0x9E3779B97F4A7C15UL) >> PairShift);
            while (Pairs[i].Key != 0)
            {
                if (Pairs[i].Key == key)
                {
                    return;
                }

                i = (i + 1) & mask;
            }

            Pairs[i] = new PairSlot(key, node.FirstChild, node.ChildCount, node.Word);
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
        public (Node[] Nodes, int[] RootChild) Number(int alphabetSize)
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
            for (var i = 0; i < order.Count; i++)
            {
                var old = _nodes[order[i]];
                var count = 0;
                for (var child = old.FirstChild; child >= 0; child = _nodes[child].NextSibling)
                {
                    count++;
                }

                nodes[i] = new Node(old.FirstChild >= 0 ? newId[old.FirstChild] : 0, count, old.Word, old.Label);
            }

            var rootChild = new int[alphabetSize + 1];
            for (var child = _nodes[0].FirstChild; child >= 0; child = _nodes[child].NextSibling)
            {
                rootChild[_nodes[child].Label] = newId[child];
            }

            return (nodes, rootChild);
        }
    }
}
