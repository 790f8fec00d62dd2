using System.Runtime.InteropServices;
using Kefu.Bots.Matching;

namespace Kefu.Bots.Optimization;

/// <summary>A group of similar unmatched questions: its leader (the most asked) and every member, the leader first.</summary>
/// <param name="Key">The group's id, derived from the leader's normal form.</param>
/// <param name="Members">The questions, most asked first.</param>
/// <param name="Count">How many times the members were asked, in all.</param>
internal sealed record QuestionGroup(long Key, IReadOnlyList<UnmatchedEntry> Members, long Count)
{
    public UnmatchedEntry Leader => Members[0];
}

/// <summary>
/// Greedy leader clustering of unmatched questions: the most asked question leads the first group; each next question
/// joins the most similar leader when that similarity reaches the threshold, or leads a new group. Leaders worth
/// comparing are found through the words and character pairs they share with the question, so a list of tens of
/// thousands of questions groups in well under a second.
/// </summary>
internal static class UnmatchedGrouping
{
    /// <summary>Leaders compared with each question at most (those sharing the most words or character pairs with it).</summary>
    private const int MaxComparisons = 32;

    /// <summary>Leaders looked at per shared word or character pair at most (the most asked ones): very common pairs say little.</summary>
    private const int MaxPostingScan = 256;

    /// <summary>Groups <paramref name="entries"/>, the most asked group first.</summary>
    /// <param name="entries">Distinct questions (by normal form).</param>
    /// <param name="index">The robot's index, whose similarity decides (see <see cref="Similarity(KnowledgeIndex, string, string)"/>).</param>
    /// <param name="threshold">How alike a question and a leader must be to join its group.</param>
    /// <param name="cancellationToken">Cancels the grouping.</param>
    public static List<QuestionGroup> Cluster(IEnumerable<UnmatchedEntry> entries, KnowledgeIndex index, double threshold, CancellationToken cancellationToken = default)
    {
        var ordered = entries.OrderByDescending(e => e.Count).ThenByDescending(e => e.LastAskedAt).ThenBy(e => e.Question, StringComparer.Ordinal).ToList();
        var leaders = new List<(UnmatchedEntry Leader, string[] Tokens, List<UnmatchedEntry> Members)>();
        var postings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var shared = new Dictionary<int, int>();
        var candidates = new List<(int Leader, double Overlap)>();
        for (var n = 0; n < ordered.Count; n++)
        {
            if ((n & 1023) == 1023)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var entry = ordered[n];
            var tokens = Tokens(entry.Question);
            shared.Clear();
            foreach (var token in tokens)
            {
                if (postings.TryGetValue(token, out var list))
                {
                    var scan = Math.Min(list.Count, MaxPostingScan);
                    for (var i = 0; i < scan; i++)
                    {
                        CollectionsMarshal.GetValueRefOrAddDefault(shared, list[i], out _)++;
                    }
                }
            }

            // The overlap (Dice) follows from the shared count, and bounds the similarity from above (see Similarity):
            // only leaders whose overlap could reach the threshold are worth asking the index about.
            candidates.Clear();
            var floor = threshold * threshold;
            foreach (var (leader, common) in shared)
            {
                var overlap = 2.0 * common / (leaders[leader].Tokens.Length + tokens.Length);
                if (overlap >= floor)
                {
                    candidates.Add((leader, overlap));
                }
            }

            candidates.Sort(static (a, b) => b.Overlap != a.Overlap ? b.Overlap.CompareTo(a.Overlap) : a.Leader.CompareTo(b.Leader));
            var best = -1;
            var bestSimilarity = 0.0;
            for (var c = 0; c < candidates.Count && c < MaxComparisons && Math.Sqrt(candidates[c].Overlap) > bestSimilarity; c++)
            {
                var leader = candidates[c].Leader;
                var similarity = Combine(index, leaders[leader].Leader.Question, entry.Question, candidates[c].Overlap);
                if (similarity > bestSimilarity)
                {
                    (best, bestSimilarity) = (leader, similarity);
                }
            }

            if (best >= 0 && bestSimilarity >= threshold)
            {
                leaders[best].Members.Add(entry);
                continue;
            }

            var id = leaders.Count;
            leaders.Add((entry, tokens, [entry]));
            foreach (var token in tokens)
            {
                if (!postings.TryGetValue(token, out var list))
                {
                    postings[token] = list = [];
                }

                list.Add(id);
            }
        }

        return [.. leaders
            .Select(l => new QuestionGroup(KeyOf(l.Leader.Question), l.Members, l.Members.Sum(m => m.Count)))
            .OrderByDescending(g => g.Count)
            .ThenByDescending(g => g.Leader.Count)
            .ThenBy(g => g.Leader.Question, StringComparer.Ordinal)];
    }

    /// <summary>
    /// How alike two normalised questions are, in [0, 1]: the geometric mean of the robot's index similarity
    /// (<see cref="KnowledgeIndex.Similarity"/>) and the overlap of their words and character pairs (Dice), or the
    /// overlap alone when the index finds nothing in common. The index weighs only what its rules use, and unmatched
    /// questions are mostly made of what no rule uses: alone it would put "今天天气怎么样" and "优惠券怎么用" together, as
    /// both come down to "怎么" for it. The overlap keeps the words it cannot see; the index still discounts the words
    /// every question has.
    /// </summary>
    public static double Similarity(KnowledgeIndex index, string first, string second) =>
        Similarity(index, first, Tokens(first), second, Tokens(second));

    /// <summary>A group's key: a 53-bit FNV-1a hash of its leader's normal form (53 bits, so JavaScript reads it exactly).</summary>
    public static long KeyOf(string normal)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in normal)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var key = (long)(hash & ((1UL << 53) - 1));
        return key == 0 ? 1 : key;
    }

    private static double Similarity(KnowledgeIndex index, string first, string[] firstTokens, string second, string[] secondTokens)
    {
        if (string.Equals(first, second, StringComparison.Ordinal))
        {
            return 1;
        }

        return Combine(index, first, second, Dice(firstTokens, secondTokens));
    }

    private static double Combine(KnowledgeIndex index, string first, string second, double overlap)
    {
        if (overlap <= 0)
        {
            return 0;
        }

        var statistical = index.RuleCount > 0 ? index.Statistical.Similarity(first, second) : 0;
        return statistical > 0 ? Math.Sqrt(statistical * overlap) : overlap;
    }

    private static double Dice(string[] first, string[] second)
    {
        if (first.Length == 0 || second.Length == 0)
        {
            return 0;
        }

        var common = 0;
        foreach (var token in first)
        {
            if (Array.IndexOf(second, token) >= 0)
            {
                common++;
            }
        }

        return 2.0 * common / (first.Length + second.Length);
    }

    /// <summary>The distinct words (spaced scripts) and character pairs (Chinese and other unspaced scripts; single characters when alone) of a normalised question.</summary>
    internal static string[] Tokens(string normal)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < normal.Length)
        {
            if (normal[i] == ' ')
            {
                i++;
                continue;
            }

            var start = i;
            if (QuestionText.IsCjk(normal[i]))
            {
                while (i < normal.Length && QuestionText.IsCjk(normal[i]))
                {
                    i++;
                }

                if (i - start == 1)
                {
                    tokens.Add(normal.Substring(start, 1));
                }

                for (var k = start; k + 1 < i; k++)
                {
                    tokens.Add(normal.Substring(k, 2));
                }

                continue;
            }

            while (i < normal.Length && normal[i] != ' ' && !QuestionText.IsCjk(normal[i]))
            {
                i++;
            }

            tokens.Add(normal[start..i]);
        }

        return [.. tokens];
    }
}
