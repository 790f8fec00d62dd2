using FsCheck;
using FsCheck.Fluent;
using Kefu.Moderation;

namespace Kefu.Core.Tests.Moderation;

/// <summary>
/// Random word lists, allow-lists and texts over a small alphabet (so matches are frequent), checked against
/// <see cref="SensitiveWordOracle"/> under several normalisations.
/// </summary>
public class SensitiveWordMatcherPropertyTests
{
    private const int Runs = 300;

    /// <summary>Letters words are made of: ASCII in both cases, full-width, simplified and traditional CJK.</summary>
    private const string WordAlphabet = "abcAB敏感词詞ＡＢ";

    private static readonly string[] NoiseTokens = [" ", "*", ".", "-", "😀", "\u3000"];

    public static TheoryData<string> Normalizations => ["None", "Default", "NoiseNoRepeatsGap2", "RepeatsNoNoise", "CustomNoise", "FoldOnly"];

    /// <summary>The normalisations under which the matcher's own '*' cannot bridge a gap (Mask is idempotent).</summary>
    public static TheoryData<string> NormalizationsWithoutNoiseSkipping => ["None", "RepeatsNoNoise", "FoldOnly"];

    public static TheoryData<string> NormalizationsWithNoiseSkipping => ["Default", "NoiseNoRepeatsGap2", "CustomNoise"];

    internal static SensitiveWordNormalization Normalization(string name) => name switch
    {
        "None" => SensitiveWordNormalization.None,
        "Default" => SensitiveWordNormalization.Default,
        "NoiseNoRepeatsGap2" => SensitiveWordNormalization.Default with { CollapseRepeats = false, MaxNoiseGap = 2 },
        "RepeatsNoNoise" => SensitiveWordNormalization.None with { CollapseRepeats = true, IgnoreCase = true },
        "CustomNoise" => SensitiveWordNormalization.Default with { NoiseCharacters = "*\u3000", MaxNoiseGap = 1, FoldWidth = false },
        "FoldOnly" => SensitiveWordNormalization.Default with { SkipNoise = false, CollapseRepeats = false },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A word list, an allow-list and a text (as tokens, so a surrogate pair is never split by shrinking).</summary>
    internal sealed record MatchCase(string[] Words, string[] Allow, string[] Tokens)
    {
        public string Text => string.Concat(Tokens);

        public override string ToString() =>
            $"words=[{string.Join(", ", Words.Select(SensitiveWordOracle.Literal))}] allow=[{string.Join(", ", Allow.Select(SensitiveWordOracle.Literal))}] text={SensitiveWordOracle.Literal(Text)}";
    }

    private static Gen<string> WordGen(string alphabet, int maxLength)
    {
        var letter = Gen.Frequency((12, Gen.Elements(alphabet.ToCharArray())), (1, Gen.Elements(' ', '-')));
        return Gen.Choose(1, maxLength).SelectMany(n => letter.ArrayOf(n)).Select(cs => new string(cs));
    }

    private static Gen<MatchCase> Cases(string alphabet, int maxWordLength, int maxWords, int maxAllow, int maxTokens)
    {
        var words = Gen.Choose(1, maxWords).SelectMany(n => WordGen(alphabet, maxWordLength).ArrayOf(n));
        var allow = Gen.Choose(0, maxAllow).SelectMany(n => WordGen(alphabet, maxWordLength + 2).ArrayOf(n));
        var token = Gen.Frequency(
            (20, Gen.Elements(alphabet.Select(c => c.ToString()).ToArray())),
            (6, Gen.Elements(NoiseTokens)),
            (1, Gen.Constant("x")));
        var text = Gen.Choose(0, maxTokens).SelectMany(n => token.ArrayOf(n));
        return from w in words
               from a in allow
               from t in text
               select new MatchCase(w, a, t);
    }

    private static IEnumerable<MatchCase> Shrink(MatchCase c)
    {
        for (var i = 0; i < c.Tokens.Length; i++)
        {
            yield return c with { Tokens = [.. c.Tokens[..i], .. c.Tokens[(i + 1)..]] };
        }

        for (var i = 0; i < c.Words.Length && c.Words.Length > 1; i++)
        {
            yield return c with { Words = [.. c.Words[..i], .. c.Words[(i + 1)..]] };
        }

        for (var i = 0; i < c.Allow.Length; i++)
        {
            yield return c with { Allow = [.. c.Allow[..i], .. c.Allow[(i + 1)..]] };
        }

        for (var i = 0; i < c.Words.Length; i++)
        {
            for (var j = 0; j < c.Words[i].Length && c.Words[i].Length > 1; j++)
            {
                var words = (string[])c.Words.Clone();
                words[i] = words[i].Remove(j, 1);
                yield return c with { Words = words };
            }
        }
    }

    private static Arbitrary<MatchCase> SmallCases(bool withAllowList) =>
        Arb.From(Cases(WordAlphabet, maxWordLength: 5, maxWords: 30, maxAllow: withAllowList ? 5 : 0, maxTokens: 60), Shrink);

    private static void CheckAll(Arbitrary<MatchCase> cases, Action<MatchCase> property, int runs = Runs) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(runs), Prop.ForAll(cases, property));

    private static string Diff(MatchCase c, string normalization, IEnumerable<SensitiveWordMatch> expected, IEnumerable<SensitiveWordMatch> actual) =>
        $"normalization={normalization} {c}{Environment.NewLine}expected={SensitiveWordOracle.Describe(expected)}{Environment.NewLine}actual  ={SensitiveWordOracle.Describe(actual)}";

    [Theory]
    [MemberData(nameof(Normalizations))]
    public void FindAll_EqualsNaiveOracle_ForRandomListsAndTexts(string normalization)
    {
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: false), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n);
            var oracle = new SensitiveWordOracle(c.Words, n);
            var expected = oracle.FindAll(c.Text);
            var actual = matcher.FindAll(c.Text);
            Assert.True(expected.SequenceEqual(SensitiveWordOracle.Sorted(actual)), Diff(c, normalization, expected, actual));
            Assert.Equal(oracle.WordCount, matcher.WordCount);
        });
    }

    [Theory]
    [MemberData(nameof(Normalizations))]
    public void FindAll_IsOrderedAndEveryMatchSpansTheTextFromTheWordsFirstToItsLastCharacter(string normalization)
    {
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: false), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n);
            var oracle = new SensitiveWordOracle(c.Words, n);
            var text = c.Text;
            var actual = matcher.FindAll(text);
            for (var i = 0; i < actual.Count; i++)
            {
                var m = actual[i];
                var message = Diff(c, normalization, [m], actual);
                Assert.True(m.Start >= 0 && m.Length >= 1 && m.End <= text.Length, message);
                var normalized = oracle.Normalize(m.Word);
                Assert.True(normalized.Length >= 1 && m.Length >= normalized.Length, message);
                Assert.False(oracle.IsNoise(text[m.Start]), message);
                Assert.Equal(normalized[0], oracle.Fold(text[m.Start]));
                Assert.False(oracle.IsNoise(text[m.End - 1]), message);
                Assert.Equal(normalized[^1], oracle.Fold(text[m.End - 1]));
                if (i > 0)
                {
                    var p = actual[i - 1];
                    Assert.True(p.Start < m.Start || (p.Start == m.Start && p.Length <= m.Length), message);
                    Assert.False(p.Start == m.Start && p.Word == m.Word, message);
                }
            }
        });
    }

    [Theory]
    [MemberData(nameof(Normalizations))]
    public void ContainsAnyFirstMatchAndBufferedFindAll_AgreeWithFindAll(string normalization)
    {
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: true), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n, c.Allow);
            var text = c.Text;
            var all = matcher.FindAll(text);
            Assert.Equal(all.Count > 0, matcher.ContainsAny(text));
            Assert.Equal(all.Count > 0, matcher.FirstMatch(text, out var first));
            Assert.Equal(all.Count > 0 ? all[0] : default, first);
            for (var size = 0; size <= all.Count + 1; size++)
            {
                var buffer = new SensitiveWordMatch[size];
                var written = matcher.FindAll(text, buffer);
                Assert.Equal(Math.Min(size, all.Count), written);
                Assert.Equal(all.Take(written), buffer.Take(written));
                Assert.All(buffer.Skip(written), m => Assert.Equal(default, m));
            }
        });
    }

    [Theory]
    [MemberData(nameof(Normalizations))]
    public void Mask_MasksExactlyTheOracleSpans(string normalization)
    {
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: true), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n, c.Allow);
            var oracle = new SensitiveWordOracle(c.Words, n, c.Allow);
            var text = c.Text;
            var expected = oracle.Mask(text);
            var masked = matcher.Mask(text);
            Assert.True(expected == masked, $"normalization={normalization} {c}{Environment.NewLine}expected={SensitiveWordOracle.Literal(expected)}{Environment.NewLine}actual  ={SensitiveWordOracle.Literal(masked)}");

            var destination = new char[text.Length + 3];
            var count = matcher.Mask(text, destination);
            Assert.Equal(expected, new string(destination, 0, text.Length));
            Assert.Equal(Enumerable.Range(0, text.Length).Count(i => expected[i] == '*' && text[i] != '*'), count);
        });
    }

    [Theory]
    [MemberData(nameof(NormalizationsWithoutNoiseSkipping))]
    public void Mask_IsIdempotent_WhenNoiseSkippingIsOff(string normalization)
    {
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: false), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n);
            var once = matcher.Mask(c.Text);
            var twice = matcher.Mask(once);
            Assert.True(once == twice, $"normalization={normalization} {c}{Environment.NewLine}once ={SensitiveWordOracle.Literal(once)}{Environment.NewLine}twice={SensitiveWordOracle.Literal(twice)}");
        });
    }

    [Theory]
    [MemberData(nameof(NormalizationsWithNoiseSkipping))]
    public void Mask_OfMaskedText_OnlyMasksMore_AndMasksTheOracleSpansOfTheMaskedText(string normalization)
    {
        // With noise skipping on, '*' is itself noise: masking one word can turn the characters between two others
        // into a skippable gap, so a second Mask may mask more (see Mask_IsNotIdempotent_WhenMaskedCharactersBridgeANoiseGap).
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: false), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n);
            var oracle = new SensitiveWordOracle(c.Words, n);
            var once = matcher.Mask(c.Text);
            var twice = matcher.Mask(once);
            Assert.Equal(oracle.Mask(once), twice);
            Assert.All(Enumerable.Range(0, once.Length), i => Assert.True(once[i] != '*' || twice[i] == '*'));
        });
    }

    [Fact]
    public void Mask_IsNotIdempotent_WhenMaskedCharactersBridgeANoiseGap()
    {
        // "c" is masked; the '*' it leaves is noise, so "a*b" now holds "ab" with a one-character gap.
        var matcher = SensitiveWordMatcher.Compile(["ab", "c"], SensitiveWordNormalization.Default);

        var once = matcher.Mask("acb");

        Assert.Equal("a*b", once);
        Assert.Equal("***", matcher.Mask(once));
    }

    [Theory]
    [MemberData(nameof(Normalizations))]
    public void FindAll_WithAllowList_ReportsExactlyTheMatchesOutsideAllowListedOccurrences(string normalization)
    {
        var n = Normalization(normalization);
        CheckAll(SmallCases(withAllowList: true), c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n, c.Allow);
            var oracle = new SensitiveWordOracle(c.Words, n);
            var allowOracle = new SensitiveWordOracle(c.Allow, n);
            var text = c.Text;
            var allowed = allowOracle.FindAllIgnoringAllowList(text);
            var actual = matcher.FindAll(text);
            bool Inside(SensitiveWordMatch m) => allowed.Any(a => a.Start <= m.Start && a.End >= m.End);

            var expected = oracle.FindAll(text).Where(m => !Inside(m)).ToList();
            var message = Diff(c, normalization, expected, actual);
            Assert.True(!actual.Any(Inside), message);
            Assert.True(expected.All(actual.Contains), message);
            Assert.True(expected.SequenceEqual(SensitiveWordOracle.Sorted(actual)), message);
            Assert.Equal(allowOracle.WordCount, matcher.AllowedWordCount);
        });
    }

    [Theory]
    [InlineData("Default")]
    [InlineData("NoiseNoRepeatsGap2")]
    [InlineData("RepeatsNoNoise")]
    public void FindAll_EqualsNaiveOracle_ForLongWordsAndTextsMadeOfRuns(string normalization)
    {
        // Words and texts made of runs of one letter ("aaabbbbbb"): with repeats collapsing, many trie nodes of
        // several words are live at once during one walk.
        var n = Normalization(normalization);
        var run = from letter in Gen.Elements("aAb".ToCharArray())
                  from length in Gen.Choose(1, 9)
                  select new string(letter, length);
        var word = Gen.Choose(1, 3).SelectMany(k => run.ArrayOf(k)).Select(string.Concat);
        var words = Gen.Choose(1, 12).SelectMany(k => word.ArrayOf(k));
        var token = Gen.Frequency((8, run), (1, Gen.Elements(NoiseTokens)));
        var text = Gen.Choose(0, 6).SelectMany(k => token.ArrayOf(k));
        var cases = Arb.From(from w in words from t in text select new MatchCase(w, [], t), Shrink);
        CheckAll(cases, c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n);
            var expected = new SensitiveWordOracle(c.Words, n).FindAll(c.Text);
            var actual = matcher.FindAll(c.Text);
            Assert.True(expected.SequenceEqual(SensitiveWordOracle.Sorted(actual)), Diff(c, normalization, expected, actual));
        }, runs: 1000);
    }

    [Theory]
    [MemberData(nameof(Normalizations))]
    public void FindAllAndContainsAny_EqualNaiveOracle_ForWordsOfTwoCharactersOrMoreAndLongTexts(string normalization)
    {
        // Lists without one-character words (as filter-bench loads them) take the search that tests eight positions
        // at a time; texts of up to 200 tokens cover its blocks and the characters left after the last block.
        var n = Normalization(normalization);
        var cases = Arb.From(
            Cases(WordAlphabet, maxWordLength: 5, maxWords: 30, maxAllow: 3, maxTokens: 200)
                .Select(c => c with { Words = [.. c.Words.Where(w => w.Length >= 2).DefaultIfEmpty("敏感")] }),
            Shrink);
        CheckAll(cases, c =>
        {
            var matcher = SensitiveWordMatcher.Compile(c.Words, n, c.Allow);
            var expected = new SensitiveWordOracle(c.Words, n, c.Allow).FindAll(c.Text);
            var actual = matcher.FindAll(c.Text);
            Assert.True(expected.SequenceEqual(SensitiveWordOracle.Sorted(actual)), Diff(c, normalization, expected, actual));
            Assert.Equal(expected.Count > 0, matcher.ContainsAny(c.Text));
        });
    }

    [Fact]
    public void FindAll_FindsEveryWord_WhenMoreThan16TrieNodesAreLiveAtOnce()
    {
        // Reading "aaa" then eight b's, every a^i b^j (i <= 3, j <= 8) prefix of the three words is live from start 0:
        // 24 trie nodes. All three words occur from start 0 (the extra a's and b's collapse as repeats).
        string[] words = ["abbbbbbbb", "aabbbbbbbb", "aaabbbbbbbb"];
        const string text = "aaabbbbbbbb";
        var n = SensitiveWordNormalization.Default;

        var expected = new SensitiveWordOracle(words, n).FindAll(text);
        var actual = SensitiveWordMatcher.Compile(words, n).FindAll(text);

        Assert.Contains(new SensitiveWordMatch("abbbbbbbb", "", 0, 11), expected);
        Assert.True(expected.SequenceEqual(SensitiveWordOracle.Sorted(actual)), $"expected={SensitiveWordOracle.Describe(expected)}{Environment.NewLine}actual  ={SensitiveWordOracle.Describe(actual)}");
    }
}
