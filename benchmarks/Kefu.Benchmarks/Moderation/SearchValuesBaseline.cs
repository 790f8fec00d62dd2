using System.Buffers;
using Kefu.Moderation;

namespace Kefu.Benchmarks.Moderation;

/// <summary>
/// The baseline: <c>SearchValues.Create(words, StringComparison.Ordinal)</c> with <c>IndexOfAny</c>; FindAll
/// repeats IndexOfAny from one past each hit and expands each hit to every word that starts there.
/// </summary>
internal sealed class SearchValuesBaseline
{
    private readonly SearchValues<string> _values;
    private readonly Dictionary<char, string[]> _byFirst;

    public SearchValuesBaseline(string[] words)
    {
        _values = SearchValues.Create(words, StringComparison.Ordinal);
        _byFirst = words.GroupBy(w => w[0]).ToDictionary(g => g.Key, g => g.ToArray());
    }

    public bool ContainsAny(string message) => message.AsSpan().IndexOfAny(_values) >= 0;

    public int CountAll(string message) => Scan(message, null);

    public int Mask(string message, char[] destination)
    {
        message.AsSpan().CopyTo(destination);
        return Scan(message, destination);
    }

    /// <summary>
    /// Every occurrence: IndexOfAny from one past each hit, each hit expanded to every word that starts there.
    /// Counts the occurrences, or with a destination masks them there and counts the characters newly masked.
    /// </summary>
    private int Scan(string message, char[]? destination)
    {
        var count = 0;
        var offset = 0;
        var span = message.AsSpan();
        while (offset < span.Length)
        {
            var hit = span[offset..].IndexOfAny(_values);
            if (hit < 0)
            {
                break;
            }

            var at = offset + hit;
            foreach (var word in _byFirst[span[at]])
            {
                if (!span[at..].StartsWith(word, StringComparison.Ordinal))
                {
                    continue;
                }

                if (destination is null)
                {
                    count++;
                    continue;
                }

                for (var i = at; i < at + word.Length; i++)
                {
                    if (destination[i] != SensitiveWordMatcher.MaskCharacter)
                    {
                        destination[i] = SensitiveWordMatcher.MaskCharacter;
                        count++;
                    }
                }
            }

            offset = at + 1;
        }

        return count;
    }
}
