namespace Kefu.Analytics.Topics;

/// <summary>Each keyword's profile: its positive PMI with every other keyword, scaled to unit length.</summary>
internal static class CooccurrenceVectors
{
    public static SparseRows Build(KeywordStatistics statistics, string[] vocabulary, Dictionary<string, int> index, TopicTuning tuning)
    {
        var n = vocabulary.Length;
        var neighbours = new List<(int Column, long Count)>[n];
        for (var i = 0; i < n; i++)
        {
            neighbours[i] = [];
        }

        var rowSum = new double[n];
        foreach (var (pair, count) in statistics.Cooccurrences)
        {
            if (count <= 0 || !index.TryGetValue(pair.First, out var a) || !index.TryGetValue(pair.Second, out var b))
            {
                continue;
            }

            neighbours[a].Add((b, count));
            neighbours[b].Add((a, count));
            rowSum[a] += count;
            rowSum[b] += count;
        }

        var context = new double[n];
        var contextTotal = 0.0;
        for (var i = 0; i < n; i++)
        {
            context[i] = Math.Pow(rowSum[i], tuning.ContextSmoothing);
            contextTotal += context[i];
        }

        var start = new int[n + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (var i = 0; i < n; i++)
        {
            var row = neighbours[i];
            row.Sort((x, y) => x.Column.CompareTo(y.Column));
            var first = values.Count;
            var norm = 0.0;
            foreach (var (column, count) in row)
            {
                var pmi = Math.Log(count * contextTotal / (rowSum[i] * context[column])) - tuning.Shift;
                if (pmi > 0)
                {
                    columns.Add(column);
                    values.Add((float)pmi);
                    norm += pmi * pmi;
                }
            }

            if (norm > 0)
            {
                var scale = 1 / Math.Sqrt(norm);
                for (var v = first; v < values.Count; v++)
                {
                    values[v] = (float)(values[v] * scale);
                }
            }

            start[i + 1] = values.Count;
        }

        return new SparseRows(start, columns.ToArray(), values.ToArray(), n);
    }
}
