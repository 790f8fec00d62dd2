namespace Kefu.Bots.Matching;

/// <summary>
/// Turns a normalised question into hashed features: for Chinese (and other scripts written without spaces) character
/// unigrams, bigrams and trigrams; for English and other spaced scripts lightly stemmed words, word bigrams and
/// character 2- to 5-grams of each word with its boundaries marked. Each feature carries its block (<see cref="IsCharBlock"/>),
/// so that the words and the characters within words can be weighted apart. Allocates nothing: features go to a caller's list.
/// </summary>
internal static class FeatureExtractor
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Feature families, mixed into each hash so that equal strings of different families differ.</summary>
    private const byte CjkUnigram = 1, CjkBigram = 2, CjkTrigram = 3, Word = 4, WordBigram = 5, WordGram = 6;

    /// <summary>Appends the features of <paramref name="normal"/> (already <see cref="QuestionText.Normalize(ReadOnlySpan{char})"/>d) to <paramref name="features"/>.</summary>
    public static void Extract(ReadOnlySpan<char> normal, List<ulong> features)
    {
        ulong previousWord = 0;
        var i = 0;
        while (i < normal.Length)
        {
            var c = normal[i];
            if (c == ' ')
            {
                i++;
                continue;
            }

            if (QuestionText.IsCjk(c))
            {
                var start = i;
                while (i < normal.Length && QuestionText.IsCjk(normal[i]))
                {
                    i++;
                }

                Cjk(normal[start..i], features);
                previousWord = 0;
                continue;
            }

            var wordStart = i;
            while (i < normal.Length && normal[i] != ' ' && !QuestionText.IsCjk(normal[i]))
            {
                i++;
            }

            var word = Stem(normal[wordStart..i]);
            var wordHash = Hash(Word, word);
            features.Add(wordHash);
            var bigram = previousWord != 0 ? Mix(Mix(WordBigram, previousWord), wordHash) & ~CharBlockBit : 0;
            if (bigram != 0)
            {
                features.Add(bigram);
            }

            previousWord = wordHash;
            Grams(normal[wordStart..i], features);
        }
    }

    private static void Cjk(ReadOnlySpan<char> run, List<ulong> features)
    {
        for (var k = 0; k < run.Length; k++)
        {
            features.Add(Hash(CjkUnigram, run.Slice(k, 1)));
            if (k + 1 < run.Length)
            {
                features.Add(Hash(CjkBigram, run.Slice(k, 2)));
            }

            if (k + 2 < run.Length)
            {
                features.Add(Hash(CjkTrigram, run.Slice(k, 3)));
            }
        }
    }

    /// <summary>Character 2- to 5-grams of the word with its boundaries marked (<c>&lt;word&gt;</c>).</summary>
    private static void Grams(ReadOnlySpan<char> word, List<ulong> features)
    {
        Span<char> marked = word.Length <= 62 ? stackalloc char[word.Length + 2] : new char[word.Length + 2];
        marked[0] = '<';
        word.CopyTo(marked[1..]);
        marked[^1] = '>';
        for (var n = 2; n <= 5; n++)
        {
            for (var k = 0; k + n <= marked.Length; k++)
            {
                features.Add(Hash(WordGram, marked.Slice(k, n)));
            }
        }
    }

    /// <summary>A light English stemmer: plural and possessive endings, -ing, -ed, -ly.</summary>
    internal static ReadOnlySpan<char> Stem(ReadOnlySpan<char> w)
    {
        if (w.Length <= 3)
        {
            return w;
        }

        if (w.EndsWith("ies") && w.Length > 4)
        {
            return w[..^2];
        }

        if (w.EndsWith("sses"))
        {
            return w[..^2];
        }

        if (w.EndsWith("ing") && w.Length > 5)
        {
            return w[..^3];
        }

        if (w.EndsWith("ed") && w.Length > 4)
        {
            return w[..^2];
        }

        if (w.EndsWith("ly") && w.Length > 4)
        {
            return w[..^2];
        }

        if (w[^1] == 's' && w[^2] is not 's' and not 'u' and not 'i')
        {
            return w[..^1];
        }

        return w;
    }

    private static ulong Hash(byte family, ReadOnlySpan<char> text)
    {
        var h = Mix(Offset, family);
        foreach (var c in text)
        {
            h = (h ^ c) * Prime;
        }

        var f = Finish(h);
        return family == WordGram ? f | CharBlockBit : f & ~CharBlockBit;
    }

    /// <summary>
    /// The top bit of a feature marks the character block (n-grams within words); clear marks the word block (words,
    /// word bigrams, and CJK n-grams, which are Chinese's words).
    /// </summary>
    internal const ulong CharBlockBit = 1UL << 63;

    internal static bool IsCharBlock(ulong feature) => (feature & CharBlockBit) != 0;

    private static ulong Mix(ulong h, ulong value) => Finish((h ^ value) * Prime);

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        return h;
    }
}
