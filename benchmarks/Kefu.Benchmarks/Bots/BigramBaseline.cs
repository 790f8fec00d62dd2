using Kefu.Bots;
using Kefu.Bots.Matching;

namespace Kefu.Benchmarks.Bots;

/// <summary>
/// The simplest honest matcher, the baseline of <see cref="BotBenchmarks"/>: every question of every rule kept as its
/// sorted set of character bigrams, and a question answered with the rule of the most alike one (Dice coefficient)
/// by a scan of them all. No index, no weighting, no training.
/// </summary>
public sealed class BigramBaseline
{
    private readonly int[][] _questions;
    private readonly long[] _ruleIds;

    public BigramBaseline(IEnumerable<KnowledgeRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var questions = new List<int[]>();
        var ruleIds = new List<long>();
        foreach (var rule in rules)
        {
            foreach (var question in rule.Questions)
            {
                questions.Add(Bigrams(question));
                ruleIds.Add(rule.Id);
            }
        }

        _questions = [.. questions];
        _ruleIds = [.. ruleIds];
    }

    /// <summary>The rule of the question most alike <paramref name="question"/>, or null when none shares a bigram.</summary>
    public long? Match(string question)
    {
        var query = Bigrams(question);
        var best = 0.0;
        long? rule = null;
        for (var q = 0; q < _questions.Length; q++)
        {
            var dice = Dice(query, _questions[q]);
            if (dice > best)
            {
                best = dice;
                rule = _ruleIds[q];
            }
        }

        return rule;
    }

    /// <summary>The Dice coefficient of the two texts' bigram sets.</summary>
    public static double Similarity(string first, string second) => Dice(Bigrams(first), Bigrams(second));

    /// <summary>The distinct bigrams of the normalised text, each two UTF-16 units packed in an int, sorted.</summary>
    internal static int[] Bigrams(string text)
    {
        var normal = QuestionText.Normalize(text);
        if (normal.Length < 2)
        {
            return normal.Length == 0 ? [] : [normal[0]];
        }

        var grams = new int[normal.Length - 1];
        for (var i = 0; i < grams.Length; i++)
        {
            grams[i] = (normal[i] << 16) | normal[i + 1];
        }

        Array.Sort(grams);
        var n = 1;
        for (var i = 1; i < grams.Length; i++)
        {
            if (grams[i] != grams[n - 1])
            {
                grams[n++] = grams[i];
            }
        }

        return grams[..n];
    }

    private static double Dice(int[] a, int[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return 2.0 * shared / (a.Length + b.Length);
    }
}
