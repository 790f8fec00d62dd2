using System.Globalization;
using System.Runtime.CompilerServices;

namespace Kefu.Analytics.Text;

/// <summary>One line of a dictionary in jieba's format, <c>word [freq] [pos]</c>, as slices of the line.</summary>
internal readonly ref struct DictionaryLine
{
    private DictionaryLine(ReadOnlySpan<char> word, long frequency, ReadOnlySpan<char> partOfSpeech)
    {
        Word = word;
        Frequency = frequency;
        PartOfSpeech = partOfSpeech;
    }

    /// <summary>The word, untouched; empty for a blank line.</summary>
    public ReadOnlySpan<char> Word { get; }

    /// <summary>The frequency, or 0 when the line gives none.</summary>
    public long Frequency { get; }

    /// <summary>The part of speech, or empty.</summary>
    public ReadOnlySpan<char> PartOfSpeech { get; }

    /// <summary>
    /// Parses <paramref name="line"/> (number <paramref name="lineNumber"/>, from 1): fields separated by spaces or
    /// tabs; one field is a word, two a word and a frequency (digits) or a part of speech (letters), three a word, a
    /// frequency and a part of speech.
    /// </summary>
    /// <exception cref="FormatException">The line does not have that shape; the message names the line.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DictionaryLine Parse(ReadOnlySpan<char> line, int lineNumber)
    {
        line = line.Trim();
        if (line.IsEmpty)
        {
            return default;
        }

        var word = NextField(ref line);
        if (line.IsEmpty)
        {
            return new DictionaryLine(word, 0, []);
        }

        var second = NextField(ref line);
        var third = line.IsEmpty ? [] : NextField(ref line);
        if (!line.IsEmpty)
        {
            throw Error(lineNumber, $"expected 'word [frequency] [part of speech]' but found more than three fields after '{word.ToString()}'");
        }

        if (third.IsEmpty && IsTag(second))
        {
            return new DictionaryLine(word, 0, second);
        }

        if (!long.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out var frequency) || frequency < 1)
        {
            throw Error(lineNumber, $"the frequency '{second.ToString()}' of '{word.ToString()}' is not a whole number of at least 1");
        }

        if (!third.IsEmpty && !IsTag(third))
        {
            throw Error(lineNumber, $"the part of speech '{third.ToString()}' of '{word.ToString()}' is not a tag of letters");
        }

        return new DictionaryLine(word, frequency, third);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<char> NextField(scoped ref ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOfAny(' ', '\t');
        if (end < 0)
        {
            var all = rest;
            rest = [];
            return all;
        }

        var field = rest[..end];
        rest = rest[(end + 1)..].TrimStart();
        return field;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsTag(ReadOnlySpan<char> field)
    {
        foreach (var c in field)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static FormatException Error(int lineNumber, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Line {lineNumber}: {what}."));
}
