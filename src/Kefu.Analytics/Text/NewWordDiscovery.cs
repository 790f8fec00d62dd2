using System.Numerics;
using System.Runtime.CompilerServices;
using Kefu.Text;

namespace Kefu.Analytics.Text;

/// <summary>
/// Finds words a tenant's messages use that the dictionary lacks — new product names, slang, jargon — with no labels:
/// a string of 2 to <see cref="NewWordOptions.MaxLength"/> characters (Chinese, or Chinese mixed with Latin letters
/// and digits) is a candidate when it is frequent (<see cref="NewWordOptions.MinFrequency"/>), cohesive (its parts
/// occur together far more often than chance: <see cref="NewWordOptions.MinCohesion"/>) and free (it is used in varied
/// contexts: <see cref="NewWordOptions.MinEntropy"/>).
/// </summary>
/// <remarks>
/// <para>
/// Dropped: words the segmenter already knows (its dictionary and user words), stop words, candidates that begin or
/// end with a stop character (<see cref="NewWordOptions.StopCharacters"/> and the single-character stop words),
/// phrases the segmenter cuts into known words of two or more characters each (<c>质量不错</c> = 质量 + 不错) or whose
/// first or last word is a stop word (<c>非常好</c>), numbers, and candidates that begin or end inside a Latin or
/// number run (<c>phone</c> in <c>iphone</c>). A Latin-only candidate such as <c>yyds</c> is reported like any other.
/// </para>
/// <para>
/// Text is folded (<see cref="TextFold"/>) and cut at anything but CJK letters, ASCII letters and digits. The n-grams
/// are counted level by level, by 64-bit polynomial hashes of their positions (no string an n-gram): an n-gram is
/// counted only where both its (n − 1)-grams are frequent, which prunes most of the text after the first levels.
/// Memory is about 30 bytes a character of text plus the frequent n-grams. Thread-safe; each call is independent.
/// </para>
/// </remarks>
public sealed class NewWordDiscovery
{
    private const ulong Base = 0x9E3779B97F4A7C15UL;

    // Characters that occur inside phrases, almost never inside a word.
    private const string PhraseCharacters = "很也都的了是着吗呢吧啊呀";

    // jieba's tags of single characters that glue known words into phrases anywhere: function words, adverbs,
    // numerals, measure words, pronouns, directions, time words.
    private static readonly HashSet<string> GlueTags = new(StringComparer.Ordinal)
    {
        "d", "dg", "p", "c", "u", "uj", "ul", "uz", "uv", "ud", "ug", "y", "m", "mq", "q", "r", "rr", "rz", "f", "e", "o", "t",
    };

    private readonly ChineseSegmenter _segmenter;
    private readonly StopWords _stopWords;
    private readonly NewWordOptions _options;
    private readonly HashSet<char> _stopCharacters;

    /// <summary>Discovery against <paramref name="segmenter"/>'s words, dropping <paramref name="stopWords"/>.</summary>
    /// <exception cref="KefuValidationException"><paramref name="options"/> are out of range.</exception>
    public NewWordDiscovery(ChineseSegmenter segmenter, StopWords stopWords, NewWordOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(stopWords);
        options ??= new NewWordOptions();
        options.Validate();
        _segmenter = segmenter;
        _stopWords = stopWords;
        _options = new NewWordOptions
        {
            MinFrequency = options.MinFrequency,
            MinCohesion = options.MinCohesion,
            MinEntropy = options.MinEntropy,
            MaxLength = options.MaxLength,
            MaxCandidates = options.MaxCandidates,
            StopCharacters = options.StopCharacters,
        };
        _stopCharacters = [.. TextFold.Fold(options.StopCharacters)];
        foreach (var w in stopWords.Words)
        {
            if (w.Length == 1)
            {
                _stopCharacters.Add(w[0]);
            }
        }
    }

    /// <summary>Discovery against <paramref name="dictionary"/>, dropping <see cref="StopWords.Default"/>.</summary>
    /// <exception cref="KefuValidationException"><paramref name="options"/> are out of range.</exception>
    public NewWordDiscovery(WordDictionary dictionary, NewWordOptions? options = null)
        : this(new ChineseSegmenter(dictionary), StopWords.Default, options)
    {
    }

    /// <summary>
    /// The new words of <paramref name="messages"/>, best first (by <see cref="NewWordCandidate.Score"/>), at most
    /// <see cref="NewWordOptions.MaxCandidates"/>.
    /// </summary>
    public IReadOnlyList<NewWordCandidate> Discover(IEnumerable<string> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var corpus = Corpus.Build(messages, cancellationToken);
        if (corpus.Length == 0)
        {
            return [];
        }

        var counter = new Counter(corpus, _options.MaxLength, _options.MinFrequency, cancellationToken);
        var cohesive = counter.Cohesive(_options.MinCohesion);
        var kept = new List<Found>(cohesive.Count);
        foreach (var f in cohesive)
        {
            var word = new string(corpus.Text, f.First, f.Length);
            if (Admissible(word))
            {
                kept.Add(f with { Word = word });
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var scored = counter.Boundaries(kept);
        var result = new List<NewWordCandidate>();
        foreach (var c in scored)
        {
            if (c.Frequency >= _options.MinFrequency && c.Entropy >= _options.MinEntropy)
            {
                result.Add(c);
            }
        }

        result = DropExtensions(result);
        result.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var s and not 0 ? s : string.CompareOrdinal(a.Word, b.Word));
        return result.Count > _options.MaxCandidates ? result[.._options.MaxCandidates] : result;
    }

    // A found word extended by a known word or a stop word (店里 + 绝绝子, 绝绝子 + 了) is a phrase with the word in it.
    private List<NewWordCandidate> DropExtensions(List<NewWordCandidate> found)
    {
        var words = new HashSet<string>(found.Count, StringComparer.Ordinal);
        foreach (var c in found)
        {
            words.Add(c.Word);
        }

        var lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
        var kept = new List<NewWordCandidate>(found.Count);
        foreach (var c in found)
        {
            var w = c.Word.AsSpan();
            var extension = false;
            for (var s = 1; s < w.Length && !extension; s++)
            {
                extension = (lookup.Contains(w[..s]) && Known(w[s..])) || (lookup.Contains(w[s..]) && Known(w[..s]));
            }

            if (!extension)
            {
                kept.Add(c);
            }
        }

        return kept;

        bool Known(ReadOnlySpan<char> part) =>
            _stopWords.Contains(part) || (part.Length == 1 ? _stopCharacters.Contains(part[0]) : _segmenter.Dictionary.Contains(part) || _segmenter.UserWords?.Contains(part) == true);
    }

    private bool Admissible(string word)
    {
        if (_stopCharacters.Contains(word[0]) || _stopCharacters.Contains(word[^1]) || word.AsSpan().IndexOfAny(PhraseCharacters) >= 0
            || _stopWords.Contains(word) || _segmenter.Dictionary.Contains(word) || _segmenter.UserWords?.Contains(word) == true)
        {
            return false;
        }

        var hasLetter = false;
        foreach (var c in word)
        {
            hasLetter |= !char.IsAsciiDigit(c);
        }

        if (!hasLetter)
        {
            return false;
        }

        // A phrase of known words: the segmenter's words of two or more characters (or Latin words) or numbers glued by
        // single characters that are predicates or function words (性价比 + 高, 装 + xp, 2008 + 年, 75 + mm), or with a stop word at
        // either end (非常 + 好). A known word with a single-character noun (钢化 + 膜, 快递 + 员) may be a new word.
        var tokens = new List<Token>(word.Length);
        _segmenter.Tokenize(word, tokens);
        if (tokens.Count <= 1)
        {
            return tokens.Count == 1 && tokens[0].Length == word.Length;
        }

        if (_stopWords.Contains(tokens[0].Slice(word)) || _stopWords.Contains(tokens[^1].Slice(word)))
        {
            return false;
        }

        var known = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind is TokenKind.Latin or TokenKind.Number || t.Length >= 2)
            {
                known++;
            }
            else if (t.Kind == TokenKind.Word && !IsGlue(t.Slice(word), first: i == 0, last: i == tokens.Count - 1))
            {
                return true;
            }
        }

        return known == 0;
    }

    // A single character that glues known words into a phrase: a function word anywhere, a verb before its object
    // (装 + xp, jieba tags 装 zg) or inside (物流 + 超 + 快, 性价比 + 较 + 高), an adjective or verb after its subject
    // (性价比 + 高, 水分 + 足). A final zg is a suffix rather (棒棒 + 哒, 充电 + 宝).
    private bool IsGlue(ReadOnlySpan<char> character, bool first, bool last)
    {
        var tag = _segmenter.Dictionary.PartOfSpeech(character);
        return tag is not null && (GlueTags.Contains(tag)
            || (!last && tag is "v" or "vg" or "zg")
            || (last && !first && tag is "a" or "ag" or "v" or "vg"));
    }

    /// <summary>An n-gram that passed the count and cohesion thresholds, at its first occurrence.</summary>
    private sealed record Found(ulong Key, int First, int Length, int Count, double Cohesion)
    {
        public string Word { get; init; } = "";
    }

    /// <summary>The folded messages end to end, each followed by a line break.</summary>
    private sealed class Corpus
    {
        private Corpus(char[] text, int length)
        {
            Text = text;
            Length = length;
        }

        public char[] Text { get; }

        public int Length { get; }

        public static Corpus Build(IEnumerable<string> messages, CancellationToken cancellationToken)
        {
            var text = new char[1 << 16];
            var length = 0;
            var n = 0;
            foreach (var m in messages)
            {
                if (m is null)
                {
                    continue;
                }

                if ((++n & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (length + m.Length + 1 > text.Length)
                {
                    Array.Resize(ref text, (int)Math.Min(Array.MaxLength, Math.Max((long)text.Length * 2, length + m.Length + 1L)));
                }

                TextFold.Fold(m, text.AsSpan(length, m.Length));
                length += m.Length;
                text[length++] = '\n';
            }

            return new Corpus(text, length);
        }
    }

    /// <summary>The counts of the frequent n-grams, level by level.</summary>
    private sealed class Counter
    {
        private readonly char[] _text;
        private readonly int _length;
        private readonly int _maxLength;
        private readonly int _minFrequency;
        private readonly ulong[] _prefix;
        private readonly ulong[] _power;
        private readonly int[] _charCount = new int[char.MaxValue + 1];
        private readonly NgramTable?[] _tables;
        private readonly byte[] _level;
        private readonly double _logTotal;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Counter(Corpus corpus, int maxLength, int minFrequency, CancellationToken cancellationToken)
        {
            _text = corpus.Text;
            _length = corpus.Length;
            _maxLength = maxLength;
            _minFrequency = minFrequency;
            _prefix = new ulong[_length + 1];
            _power = new ulong[maxLength + 1];
            _power[0] = 1;
            for (var k = 1; k <= maxLength; k++)
            {
                _power[k] = _power[k - 1] * Base;
            }

            long total = 0;
            var text = _text;
            for (var i = 0; i < _length; i++)
            {
                var c = text[i];
                _prefix[i + 1] = (_prefix[i] * Base) + c;
                if (IsWordChar(c))
                {
                    _charCount[c]++;
                    total++;
                }
            }

            _logTotal = Math.Log(Math.Max(total, 1));

            // _level[i]: the longest frequent n-gram starting at i (0 when the character is not a frequent word
            // character). An n-gram of length k at i is counted only when those at i and i + 1 of length k − 1 are
            // frequent, so each level reads the one before it.
            _level = new byte[_length + 1];
            for (var i = 0; i < _length; i++)
            {
                var c = text[i];
                _level[i] = (byte)(IsWordChar(c) && _charCount[c] >= minFrequency ? 1 : 0);
            }

            _tables = new NgramTable?[maxLength + 1];
            for (var k = 2; k <= maxLength; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var table = new NgramTable(1 << 14);
                var level = _level;
                var previous = k - 1;
                var any = false;
                for (var i = 0; i + k <= _length; i++)
                {
                    if (level[i] >= previous && level[i + 1] >= previous)
                    {
                        table.Add(Key(i, k), i);
                        any = true;
                    }
                }

                _tables[k] = table;
                if (!any)
                {
                    break;
                }

                for (var i = 0; i + k <= _length; i++)
                {
                    if (level[i] >= previous && level[i + 1] >= previous && table.Count(Key(i, k)) >= minFrequency)
                    {
                        level[i] = (byte)k;
                    }
                }
            }
        }

        /// <summary>The frequent n-grams of two characters or more whose weakest split has at least <paramref name="minCohesion"/> nats of mutual information.</summary>
        public List<Found> Cohesive(double minCohesion)
        {
            var found = new List<Found>();
            for (var k = 2; k <= _maxLength; k++)
            {
                var table = _tables[k];
                if (table is null)
                {
                    break;
                }

                foreach (var (key, count, first) in table.Entries())
                {
                    if (count < _minFrequency)
                    {
                        continue;
                    }

                    // ln(p(w) / (p(a) p(b))) = ln(c(w)) − ln(c(a)) − ln(c(b)) + ln(N).
                    var weakest = double.MaxValue;
                    for (var s = 1; s < k && weakest >= minCohesion; s++)
                    {
                        var pmi = Math.Log(count) - Math.Log(CountAt(first, s)) - Math.Log(CountAt(first + s, k - s)) + _logTotal;
                        weakest = Math.Min(weakest, pmi);
                    }

                    if (weakest >= minCohesion)
                    {
                        found.Add(new Found(key, first, k, count, weakest));
                    }
                }
            }

            return found;
        }

        /// <summary>The candidates' free occurrences and neighbour entropies.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public List<NewWordCandidate> Boundaries(List<Found> candidates)
        {
            var index = new Dictionary<ulong, int>(candidates.Count);
            var lengths = new bool[_maxLength + 1];
            for (var c = 0; c < candidates.Count; c++)
            {
                index[candidates[c].Key] = c;
                lengths[candidates[c].Length] = true;
            }

            var free = new int[candidates.Count];
            // Per candidate and side, Σ n·ln n over the neighbour characters' counts n (a boundary is a new
            // neighbour each time and adds 0); the entropy is then ln(total) − Σ/total.
            var neighbours = new Dictionary<long, int>();
            var text = _text;
            for (var k = 2; k <= _maxLength; k++)
            {
                if (!lengths[k])
                {
                    continue;
                }

                for (var i = 0; i + k <= _length; i++)
                {
                    if (_level[i] < k || !index.TryGetValue(Key(i, k), out var c))
                    {
                        continue;
                    }

                    var left = i > 0 ? text[i - 1] : '\n';
                    var right = i + k < _length ? text[i + k] : '\n';
                    if ((IsAsciiAlphanumeric(left) && IsAsciiAlphanumeric(text[i])) || (IsAsciiAlphanumeric(right) && IsAsciiAlphanumeric(text[i + k - 1])))
                    {
                        continue;
                    }

                    free[c]++;
                    if (IsWordChar(left))
                    {
                        neighbours[((long)c << 17) | left] = neighbours.GetValueOrDefault(((long)c << 17) | left) + 1;
                    }

                    if (IsWordChar(right))
                    {
                        neighbours[((long)c << 17) | (1L << 16) | right] = neighbours.GetValueOrDefault(((long)c << 17) | (1L << 16) | right) + 1;
                    }
                }
            }

            var sums = new double[candidates.Count * 2];
            foreach (var (key, n) in neighbours)
            {
                sums[((key >> 17) * 2) + ((key >> 16) & 1)] += n * Math.Log(n);
            }

            var result = new List<NewWordCandidate>(candidates.Count);
            for (var c = 0; c < candidates.Count; c++)
            {
                var n = free[c];
                if (n == 0)
                {
                    continue;
                }

                var leftEntropy = Math.Max(0, Math.Log(n) - (sums[2 * c] / n));
                var rightEntropy = Math.Max(0, Math.Log(n) - (sums[(2 * c) + 1] / n));
                var f = candidates[c];
                var score = Math.Log(1 + n) * Math.Min(f.Cohesion, 15) * Math.Min(leftEntropy, rightEntropy);
                result.Add(new NewWordCandidate(f.Word, n, f.Cohesion, leftEntropy, rightEntropy, score));
            }

            return result;
        }

        private static bool IsWordChar(char c) => ChineseSegmenter.IsCjk(c) || ChineseSegmenter.IsAsciiAlphanumeric(c);

        private static bool IsAsciiAlphanumeric(char c) => ChineseSegmenter.IsAsciiAlphanumeric(c);

        private int CountAt(int start, int length) =>
            length == 1 ? _charCount[_text[start]] : _tables[length]!.Count(Key(start, length));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ulong Key(int start, int length)
        {
            var hash = _prefix[start + length] - (_prefix[start] * _power[length]);
            // splitmix64's finaliser over the hash and the length.
            var z = hash + ((ulong)length * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>An open-addressing hash of n-gram keys to their count and first position.</summary>
    private sealed class NgramTable(int capacity)
    {
        private ulong[] _keys = new ulong[BitOperations.RoundUpToPowerOf2((uint)capacity)];
        private int[] _counts = new int[BitOperations.RoundUpToPowerOf2((uint)capacity)];
        private int[] _first = new int[BitOperations.RoundUpToPowerOf2((uint)capacity)];
        private int _used;

        public void Add(ulong key, int position)
        {
            if ((_used + 1) * 2 > _keys.Length)
            {
                Grow();
            }

            var mask = _keys.Length - 1;
            var i = (int)key & mask;
            while (_counts[i] != 0)
            {
                if (_keys[i] == key)
                {
                    _counts[i]++;
                    return;
                }

                i = (i + 1) & mask;
            }

            _keys[i] = key;
            _counts[i] = 1;
            _first[i] = position;
            _used++;
        }

        public int Count(ulong key)
        {
            var mask = _keys.Length - 1;
            var i = (int)key & mask;
            while (_counts[i] != 0)
            {
                if (_keys[i] == key)
                {
                    return _counts[i];
                }

                i = (i + 1) & mask;
            }

            return 0;
        }

        public IEnumerable<(ulong Key, int Count, int First)> Entries()
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                if (_counts[i] != 0)
                {
                    yield return (_keys[i], _counts[i], _first[i]);
                }
            }
        }

        private void Grow()
        {
            var keys = _keys;
            var counts = _counts;
            var first = _first;
            _keys = new ulong[keys.Length * 2];
            _counts = new int[keys.Length * 2];
            _first = new int[keys.Length * 2];
            var mask = _keys.Length - 1;
            for (var j = 0; j < keys.Length; j++)
            {
                if (counts[j] == 0)
                {
                    continue;
                }

                var i = (int)keys[j] & mask;
                while (_counts[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                _keys[i] = keys[j];
                _counts[i] = counts[j];
                _first[i] = first[j];
            }
        }
    }
}
