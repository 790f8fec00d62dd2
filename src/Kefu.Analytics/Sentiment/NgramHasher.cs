namespace Kefu.Analytics.Sentiment;

/// <summary>
/// Hashes the character 1…n-grams of folded text into buckets: white space is skipped, digits count as one digit.
/// The hash of a gram is a chain of multiply–xor steps over its characters, so grams of different lengths differ.
/// </summary>
internal static class NgramHasher
{
    private const uint Prime = 0x9E3779B1;
    private const uint Basis = 0x811C9DC5;

    /// <summary>The most bucket indices <see cref="Hash"/> writes for a text of <paramref name="length"/> characters.</summary>
    public static int Capacity(int length, int maxNgram) => length * maxNgram;

    /// <summary>
    /// Writes the bucket of every gram into <paramref name="buckets"/> (at least <see cref="Capacity"/> long), then
    /// sorts them and keeps each once; returns how many distinct buckets there are.
    /// </summary>
    public static int Hash(ReadOnlySpan<char> folded, int maxNgram, int bits, Span<int> buckets)
    {
        var shift = 32 - bits;
        var count = 0;
        for (var i = 0; i < folded.Length; i++)
        {
            var first = Normalize(folded[i]);
            if (first == ' ')
            {
                continue;
            }

            var h = Basis;
            var n = 0;
            for (var j = i; j < folded.Length && n < maxNgram; j++)
            {
                var c = Normalize(folded[j]);
                if (c == ' ')
                {
                    continue;
                }

                h = (h ^ c) * Prime;
                h ^= h >> 15;
                h *= 0x2C1B3C6D;
                n++;
                buckets[count++] = (int)((h * Prime) >> shift);
            }
        }

        if (count == 0)
        {
            return 0;
        }

        var span = buckets[..count];
        span.Sort();
        var distinct = 1;
        for (var k = 1; k < span.Length; k++)
        {
            if (span[k] != span[distinct - 1])
            {
                span[distinct++] = span[k];
            }
        }

        return distinct;
    }

    private static char Normalize(char c) => c switch
    {
        >= '0' and <= '9' => '0',
        ' ' or '\t' or '\r' or '\n' or '\u3000' or '\u00A0' => ' ',
        _ => c,
    };
}
