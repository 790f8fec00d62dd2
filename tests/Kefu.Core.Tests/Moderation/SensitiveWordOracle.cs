using System.Globalization;
using System.Text;
using Kefu.Moderation;

namespace Kefu.Core.Tests.Moderation;

/// <summary>
/// A naive, obviously-correct model of <see cref="SensitiveWordMatcher"/>, written from the matcher's documented
/// semantics and independent of its trie: every listed word is tried at every text position by a direct walk.
/// Only the per-character helpers (<c>Fold</c>, <c>IsNoise</c>, the traditional → simplified table) are shared.
/// </summary>
internal sealed class SensitiveWordOracle
{
    private static readonly Lazy<char[]> SimplifiedTable = new(SensitiveWordNormalization.BuildSimplifiedTable);

    private readonly SensitiveWordNormalization _n;
    private readonly char[]? _simplified;
    private readonly List<(string Word, string Category, string Normalized)> _words = [];
    private readonly SensitiveWordOracle? _allow;

    public SensitiveWordOracle(IEnumerable<SensitiveWord> words, SensitiveWordNormalization normalization, IEnumerable<string>? allowList = null)
    {
        _n = normalization;
        _simplified = normalization.TraditionalToSimplified ? SimplifiedTable.Value : null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (word, category) in words)
        {
            var normalized = Normalize(word ?? string.Empty);
            if (normalized.Length > 0 && seen.Add(normalized))
            {
                _words.Add((word!, category ?? string.Empty, normalized));
            }
        }

        if (allowList is not null)
        {
            _allow = new SensitiveWordOracle(allowList.Select(w => new SensitiveWord(w)), normalization);
        }
    }

    public SensitiveWordOracle(IEnumerable<string> words, SensitiveWordNormalization normalization, IEnumerable<string>? allowList = null)
        : this(words.Select(w => new SensitiveWord(w)), normalization, allowList)
    {
    }

    public int WordCount => _words.Count;

    public char Fold(char c) => _n.Fold(c, _simplified);

    public bool IsNoise(char c) => _n.IsNoise(c) || _n.IsNoise(Fold(c));

    /// <summary>The word folded character by character, noise removed.</summary>
    public string Normalize(string word)
    {
        var sb = new StringBuilder();
        foreach (var c in word)
        {
            if (!IsNoise(c))
            {
                sb.Append(Fold(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>Every occurrence of every word, allow-listed ones removed, sorted by (Start, Length, Word).</summary>
    public List<SensitiveWordMatch> FindAll(string text)
    {
        var all = FindAllIgnoringAllowList(text);
        if (_allow is null)
        {
            return all;
        }

        var allowed = _allow.FindAllIgnoringAllowList(text);
        return all.Where(m => !allowed.Any(a => a.Start <= m.Start && a.End >= m.End)).ToList();
    }

    /// <summary>Every occurrence of every word, sorted by (Start, Length, Word).</summary>
    public List<SensitiveWordMatch> FindAllIgnoringAllowList(string text)
    {
        var result = new List<SensitiveWordMatch>();
        for (var p = 0; p < text.Length; p++)
        {
            foreach (var (word, category, normalized) in _words)
            {
                var end = MatchEnd(text, p, normalized);
                if (end >= 0)
                {
                    result.Add(new SensitiveWordMatch(word, category, p, end - p));
                }
            }
        }

        return Sorted(result);
    }

    /// <summary>The text with every character of every occurrence replaced by '*'.</summary>
    public string Mask(string text)
    {
        var chars = text.ToCharArray();
        foreach (var m in FindAll(text))
        {
            chars.AsSpan(m.Start, m.Length).Fill(SensitiveWordMatcher.MaskCharacter);
        }

        return new string(chars);
    }

    public static List<SensitiveWordMatch> Sorted(IEnumerable<SensitiveWordMatch> matches) =>
        [.. matches.OrderBy(m => m.Start).ThenBy(m => m.Length).ThenBy(m => m.Word, StringComparer.Ordinal).ThenBy(m => m.Category, StringComparer.Ordinal)];

    /// <summary>
    /// The exclusive end of the earliest-completing occurrence of normalised word <paramref name="w"/> starting at
    /// <paramref name="p"/>, or -1. Greedy: a character equal to the next word character always advances.
    /// </summary>
    private int MatchEnd(string text, int p, string w)
    {
        if (IsNoise(text[p]) || Fold(text[p]) != w[0])
        {
            return -1;
        }

        var k = 1;
        if (k == w.Length)
        {
            return p + 1;
        }

        var prev = w[0];
        var gap = 0;
        for (var j = p + 1; j < text.Length; j++)
        {
            var t = text[j];
            if (IsNoise(t))
            {
                gap++;
                if (gap > _n.MaxNoiseGap)
                {
                    return -1;
                }

                continue;
            }

            gap = 0;
            var f = Fold(t);
            if (f == w[k])
            {
                k++;
                prev = w[k - 1];
                if (k == w.Length)
                {
                    return j + 1;
                }
            }
            else if (_n.CollapseRepeats && f == prev)
            {
                // consumed as a repeat
            }
            else
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>A readable, copy-pasteable C# literal for a failure message.</summary>
    public static string Literal(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\' || c is >= '\u4E00' and <= '\u9FFF')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return sb.Append('"').ToString();
    }

    public static string Describe(IEnumerable<SensitiveWordMatch> matches) =>
        "[" + string.Join(", ", matches.Select(m => $"({Literal(m.Word)} {Literal(m.Category)} @{m.Start}+{m.Length})")) + "]";
}
