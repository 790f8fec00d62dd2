using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Kefu.Bots.Matching;

/// <summary>Settings of <see cref="NgramQuestionMatcher"/>.</summary>
public sealed record NgramMatcherOptions
{
    /// <summary>
    /// Train a linear classifier (one-vs-rest support vector machine over the n-gram features) when the rules are no more
    /// than this many; above it only the nearest questions count. 0 switches the classifier off. Default 1000. The
    /// classifier is also left out when rules × questions exceeds <see cref="MaxClassifierWork"/> or rules × features
    /// exceeds 40 million weights, to keep training within seconds and the model within 160 MB.
    /// </summary>
    public int MaxClassifierRules { get; init; } = 1000;

    /// <summary>The most rules × questions the classifier is trained for (its training time grows with both): 1 or more, default 4,000,000.</summary>
    public long MaxClassifierWork { get; init; } = 4_000_000;

    /// <summary>The classifier's cost (C): larger fits the questions more closely. More than 0 and at most 1000; default 2.</summary>
    public double Cost { get; init; } = 2.0;

    /// <summary>The classifier's training passes at most. Default 30.</summary>
    public int MaxEpochs { get; init; } = 30;

    /// <summary>How much the similarity score (nearest question and rule centroid) counts against the classifier's score, 0–1. Default 0.3.</summary>
    public double NeighbourWeight { get; init; } = 0.3;

    /// <summary>Threads used to train, 1 or more; default the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Kefu's statistical matcher (B4): TF-IDF over character n-grams (Chinese) and words, word bigrams and character
/// n-grams within words (English), the words and the n-grams within words normalised apart and weighing the same; nearest questions through an inverted index, and, for up to
/// <see cref="NgramMatcherOptions.MaxClassifierRules"/> rules, a one-vs-rest linear SVM trained by dual coordinate
/// descent. Trains from the rules' questions alone.
/// </summary>
public sealed class NgramQuestionMatcher : IQuestionMatcher
{
    /// <summary>A matcher with the default options.</summary>
    public NgramQuestionMatcher()
        : this(new NgramMatcherOptions())
    {
    }

    /// <summary>A matcher with the given options.</summary>
    public NgramQuestionMatcher(NgramMatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxClassifierRules < 0)
        {
            throw new KefuValidationException(nameof(options.MaxClassifierRules), "0 or more", $"was {options.MaxClassifierRules}");
        }

        if (options.MaxClassifierWork < 1)
        {
            throw new KefuValidationException(nameof(options.MaxClassifierWork), "1 or more", $"was {options.MaxClassifierWork}");
        }

        if (!(options.Cost is > 0 and <= 1000))
        {
            throw new KefuValidationException(nameof(options.Cost), "more than 0 and at most 1000", $"was {options.Cost}");
        }

        if (options.MaxEpochs is < 1 or > 1000)
        {
            throw new KefuValidationException(nameof(options.MaxEpochs), "1–1000", $"was {options.MaxEpochs}");
        }

        if (!(options.NeighbourWeight is >= 0 and <= 1))
        {
            throw new KefuValidationException(nameof(options.NeighbourWeight), "0–1", $"was {options.NeighbourWeight}");
        }

        if (options.Parallelism < 1)
        {
            throw new KefuValidationException(nameof(options.Parallelism), "1 or more", $"was {options.Parallelism}");
        }

        Options = options;
    }

    /// <summary>The options.</summary>
    public NgramMatcherOptions Options { get; }

    /// <inheritdoc />
    public string Name => "ngram";

    /// <inheritdoc />
    public IQuestionIndex Build(IReadOnlyList<LabelledQuestion> questions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(questions);
        return NgramIndex.Build(questions, Options, cancellationToken);
    }
}

/// <summary>A sparse vector: sorted feature ids and their weights.</summary>
internal readonly record struct SparseVector(int[] Ids, float[] Weights)
{
    public static SparseVector Empty { get; } = new([], []);

    public float Dot(SparseVector other)
    {
        float sum = 0;
        int i = 0, j = 0;
        while (i < Ids.Length && j < other.Ids.Length)
        {
            var a = Ids[i];
            var b = other.Ids[j];
            if (a == b)
            {
                sum += Weights[i++] * other.Weights[j++];
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }
}

/// <summary>The index <see cref="NgramQuestionMatcher"/> builds.</summary>
internal sealed class NgramIndex : IQuestionIndex
{
    private readonly Dictionary<ulong, int> _vocabulary;
    private readonly float[] _idf;
    private readonly bool[] _charBlock;
    private readonly long[] _ruleIds;
    private readonly int[] _docRule;
    private readonly Postings _questions;
    private readonly LinearModel? _model;
    private readonly Postings _centroids;
    private readonly ConcurrentBag<Scratch> _scratch = [];
    private readonly double _neighbourWeight;
    private readonly Calibration _calibration;

    private NgramIndex(Dictionary<ulong, int> vocabulary, float[] idf, bool[] charBlock, long[] ruleIds, int[] docRule, Postings questions, Postings centroids,
        LinearModel? model, double neighbourWeight, Calibration calibration)
    {
        _centroids = centroids;
        _vocabulary = vocabulary;
        _idf = idf;
        _charBlock = charBlock;
        _ruleIds = ruleIds;
        _docRule = docRule;
        _questions = questions;
        _model = model;
        _neighbourWeight = neighbourWeight;
        _calibration = calibration;
    }

    /// <summary>How the nearest question and the rule's centroid share the similarity score (tuned on the intent sets: 0.5).</summary>
    private const double CentroidBlend = 0.5;

    /// <summary>The confidence is at most this many times the similarity score (a paraphrase scores 0.25–0.6; an unrelated question under 0.1).</summary>
    private const double SimilarityCap = 2.5;

    public int RuleCount => _ruleIds.Length;

    public static NgramIndex Build(IReadOnlyList<LabelledQuestion> questions, NgramMatcherOptions options, CancellationToken cancellationToken)
    {
        var vocabulary = new Dictionary<ulong, int>();
        var df = new List<int>();
        var charBlock = new List<bool>();
        var ruleIndex = new Dictionary<long, int>();
        var ruleIds = new List<long>();
        var docFeatures = new List<(int Id, int Count)[]>(questions.Count);
        var docRule = new List<int>(questions.Count);
        var features = new List<ulong>();
        var counts = new Dictionary<int, int>();
        foreach (var q in questions)
        {
            features.Clear();
            FeatureExtractor.Extract(QuestionText.Normalize(q.Text), features);
            if (features.Count == 0)
            {
                continue;
            }

            counts.Clear();
            foreach (var f in features)
            {
                if (!vocabulary.TryGetValue(f, out var id))
                {
                    id = vocabulary.Count;
                    vocabulary.Add(f, id);
                    df.Add(0);
                    charBlock.Add(FeatureExtractor.IsCharBlock(f));
                }

                CollectionsMarshal.GetValueRefOrAddDefault(counts, id, out _)++;
            }

            foreach (var id in counts.Keys)
            {
                df[id]++;
            }

            docFeatures.Add([.. counts.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key)]);
            if (!ruleIndex.TryGetValue(q.RuleId, out var r))
            {
                r = ruleIds.Count;
                ruleIndex.Add(q.RuleId, r);
                ruleIds.Add(q.RuleId);
            }

            docRule.Add(r);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var n = docFeatures.Count;
        var idf = new float[vocabulary.Count];
        for (var i = 0; i < idf.Length; i++)
        {
            idf[i] = (float)(Math.Log((n + 1.0) / (df[i] + 1.0)) + 1.0);
        }

        var blocks = charBlock.ToArray();
        var docs = new SparseVector[n];
        for (var d = 0; d < n; d++)
        {
            docs[d] = Weigh(docFeatures[d], idf, blocks);
        }

        var rules = ruleIds.Count;
        var labels = docRule.ToArray();
        var questionPostings = Postings.Of(docs, vocabulary.Count);
        var centroids = Postings.Of(Centroids(docs, labels, rules), vocabulary.Count);
        var useClassifier = rules >= 2 && rules <= options.MaxClassifierRules && (long)rules * n <= options.MaxClassifierWork
            && (long)rules * vocabulary.Count <= 40_000_000;
        var model = useClassifier ? LinearModel.Train(docs, labels, rules, vocabulary.Count, options, cancellationToken) : null;
        var index = new NgramIndex(vocabulary, idf, blocks, [.. ruleIds], labels, questionPostings, centroids, model, options.NeighbourWeight,
            Calibration.Default(useClassifier));
        var samples = index.HeldOutScores(docs, labels, rules, vocabulary.Count, options, cancellationToken);
        var calibration = Calibration.Fit(samples, useClassifier);
        return new NgramIndex(vocabulary, idf, blocks, [.. ruleIds], labels, questionPostings, centroids, model, options.NeighbourWeight, calibration);
    }

    /// <summary>
    /// Scores questions the index did not learn from, for calibration: with a classifier, a held-out third of the questions (at most 3,000) scored by a model trained on the rest; without, each of up to 3,000 questions against all
    /// the others. Returns each question's best raw score, its margin over the second, and whether it was right.
    /// </summary>
    private List<(double Score, double Margin, bool Correct)> HeldOutScores(SparseVector[] docs, int[] labels, int rules, int features,
        NgramMatcherOptions options, CancellationToken cancellationToken)
    {
        var samples = new List<(double, double, bool)>();
        var n = docs.Length;
        if (n < 10)
        {
            return samples;
        }

        var random = new Random(12345);
        if (_model is null)
        {
            var picks = Enumerable.Range(0, n).ToArray();
            random.Shuffle(picks);
            foreach (var d in picks.AsSpan(0, Math.Min(n, 3000)))
            {
                samples.Add(Scored(docs[d], excludeDoc: d, null, null, scores => Summarize(scores, labels[d])));
            }

            return samples;
        }

        // One held-out third (at most 3,000 questions): a model trained on the rest scores it.
        var heldOut = new bool[n];
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        foreach (var d in order.AsSpan(0, Math.Min(n / 3, 3000)))
        {
            heldOut[d] = true;
        }

        var trainIdx = Enumerable.Range(0, n).Where(i => !heldOut[i]).ToArray();
        var fold = heldOut.Select(h => h ? 1 : 0).ToArray();
        var foldModel = LinearModel.Train([.. trainIdx.Select(i => docs[i])], [.. trainIdx.Select(i => labels[i])], rules, features, options, cancellationToken);
        for (var d = 0; d < n; d++)
        {
            if (heldOut[d])
            {
                samples.Add(Scored(docs[d], excludeDoc: -1, foldModel, (fold, 1), scores => Summarize(scores, labels[d])));
            }
        }

        return samples;
    }

    private static (double Score, double Margin, bool Correct) Summarize(double[] scores, int truth)
    {
        int best = -1, second = -1;
        for (var r = 0; r < scores.Length; r++)
        {
            if (best < 0 || scores[r] > scores[best])
            {
                second = best;
                best = r;
            }
            else if (second < 0 || scores[r] > scores[second])
            {
                second = r;
            }
        }

        var margin = second >= 0 ? scores[best] - scores[second] : scores[best];
        return (scores[best], margin, best == truth);
    }

    /// <summary>Each rule's centroid: the mean of its questions' vectors, normalised.</summary>
    private static SparseVector[] Centroids(SparseVector[] docs, int[] labels, int rules)
    {
        var sums = new Dictionary<int, float>[rules];
        for (var r = 0; r < rules; r++)
        {
            sums[r] = [];
        }

        for (var d = 0; d < docs.Length; d++)
        {
            var sum = sums[labels[d]];
            for (var k = 0; k < docs[d].Ids.Length; k++)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(sum, docs[d].Ids[k], out _) += docs[d].Weights[k];
            }
        }

        return [.. sums.Select(sum =>
        {
            var ids = sum.Keys.Order().ToArray();
            var weights = ids.Select(i => sum[i]).ToArray();
            var norm = Math.Sqrt(weights.Sum(w => (double)w * w));
            for (var k = 0; k < weights.Length; k++)
            {
                weights[k] = norm > 0 ? (float)(weights[k] / norm) : 0;
            }

            return new SparseVector(ids, weights);
        })];
    }

    /// <summary>
    /// Per-query work arrays, one per concurrent reader, kept by the index so that a query allocates none of them: the
    /// questions' scores (always handed back zeroed), and each rule's similarity and classifier score (overwritten).
    /// </summary>
    private sealed class Scratch(int docs, int rules)
    {
        public float[] DocScores { get; } = new float[docs];

        public int[] Touched { get; } = new int[docs];

        public double[] Similarity { get; } = new double[rules];

        public double[] Decision { get; } = new double[rules];
    }

    /// <summary>An inverted index of vectors: for each feature, the vectors that have it and their weights.</summary>
    internal sealed record Postings(int[] Start, int[] Item, float[] Weight)
    {
        public static Postings Of(SparseVector[] vectors, int features)
        {
            var start = new int[features + 1];
            foreach (var v in vectors)
            {
                foreach (var id in v.Ids)
                {
                    start[id + 1]++;
                }
            }

            for (var i = 1; i < start.Length; i++)
            {
                start[i] += start[i - 1];
            }

            var fill = (int[])start.Clone();
            var item = new int[start[^1]];
            var weight = new float[start[^1]];
            for (var d = 0; d < vectors.Length; d++)
            {
                for (var k = 0; k < vectors[d].Ids.Length; k++)
                {
                    var slot = fill[vectors[d].Ids[k]]++;
                    item[slot] = d;
                    weight[slot] = vectors[d].Weights[k];
                }
            }

            return new Postings(start, item, weight);
        }

        /// <summary>Adds <paramref name="scale"/> × the dot product of the query with every vector into <paramref name="scores"/>.</summary>
        public void Accumulate(SparseVector query, double[] scores, double scale)
        {
            for (var k = 0; k < query.Ids.Length; k++)
            {
                var id = query.Ids[k];
                var w = query.Weights[k] * scale;
                for (var p = Start[id]; p < Start[id + 1]; p++)
                {
                    scores[Item[p]] += w * Weight[p];
                }
            }
        }
    }

    private static SparseVector Weigh((int Id, int Count)[] features, float[] idf, bool[] charBlock)
    {
        var ids = new int[features.Length];
        var weights = new float[features.Length];
        double wordNorm = 0, charNorm = 0;
        for (var k = 0; k < features.Length; k++)
        {
            ids[k] = features[k].Id;
            var w = (float)((1 + Math.Log(features[k].Count)) * idf[features[k].Id]);
            weights[k] = w;
            if (charBlock[ids[k]])
            {
                charNorm += w * w;
            }
            else
            {
                wordNorm += w * w;
            }
        }

        // Each block is normalised on its own and the two weigh the same, so the whole has norm 1: a word of eight letters
        // gives 1 word feature and 26 character n-grams, and the words would otherwise count for little.
        var blocks = (wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? 1 : 0);
        var wordScale = wordNorm > 0 ? (float)(1 / Math.Sqrt(blocks * wordNorm)) : 0f;
        var charScale = charNorm > 0 ? (float)(1 / Math.Sqrt(blocks * charNorm)) : 0f;
        for (var k = 0; k < weights.Length; k++)
        {
            weights[k] *= charBlock[ids[k]] ? charScale : wordScale;
        }

        return new SparseVector(ids, weights);
    }

    /// <summary>Whether feature <paramref name="id"/> of the index is in the character block (n-grams within words).</summary>
    internal bool IsCharFeature(int id) => _charBlock[id];

    /// <summary>The TF-IDF vector of a text; features the index never saw are left out.</summary>
    internal SparseVector Vectorize(ReadOnlySpan<char> text)
    {
        var normal = QuestionText.Normalize(text);
        var features = new List<ulong>(64);
        FeatureExtractor.Extract(normal, features);
        var counts = new Dictionary<int, int>(features.Count);
        foreach (var f in features)
        {
            if (_vocabulary.TryGetValue(f, out var id))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, id, out _)++;
            }
        }

        return counts.Count == 0 ? SparseVector.Empty : Weigh([.. counts.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key)], _idf, _charBlock);
    }

    public int Match(ReadOnlySpan<char> question, Span<RuleScore> results)
    {
        if (results.IsEmpty)
        {
            return 0;
        }

        var query = Vectorize(question);
        if (query.Ids.Length == 0)
        {
            return 0;
        }

        var scratch = _scratch.TryTake(out var taken) ? taken : new Scratch(_docRule.Length, _ruleIds.Length);
        try
        {
            var scores = RawScores(query, excludeDoc: -1, _model, null, scratch);
            return TopRules(scores, scratch.Similarity, results);
        }
        finally
        {
            _scratch.Add(scratch);
        }
    }

    /// <summary>Scores a query with scratch arrays of the index's and hands the rules' scores to <paramref name="use"/>.</summary>
    private T Scored<T>(SparseVector query, int excludeDoc, LinearModel? model, (int[] Of, int Excluded)? fold, Func<double[], T> use)
    {
        var scratch = _scratch.TryTake(out var taken) ? taken : new Scratch(_docRule.Length, _ruleIds.Length);
        try
        {
            return use(RawScores(query, excludeDoc, model, fold, scratch));
        }
        finally
        {
            _scratch.Add(scratch);
        }
    }

    /// <summary>
    /// Each rule's raw score for a query, written into <paramref name="scratch"/>: the similarity score (nearest question
    /// and rule centroid, half each) in <see cref="Scratch.Similarity"/>, and with a classifier its decision value blended
    /// with the similarity in <see cref="Scratch.Decision"/>. Returns the array that holds the raw scores.
    /// </summary>
    private double[] RawScores(SparseVector query, int excludeDoc, LinearModel? model, (int[] Of, int Excluded)? fold, Scratch scratch)
    {
        var nearest = scratch.Similarity;
        Array.Clear(nearest);
        var docScores = scratch.DocScores;
        var touched = scratch.Touched;
        var touchedCount = 0;
        try
        {
            var postings = _questions;
            for (var k = 0; k < query.Ids.Length; k++)
            {
                var id = query.Ids[k];
                var w = query.Weights[k];
                for (var p = postings.Start[id]; p < postings.Start[id + 1]; p++)
                {
                    var doc = postings.Item[p];
                    ref var score = ref docScores[doc];
                    if (score == 0)
                    {
                        touched[touchedCount++] = doc;
                    }

                    score += w * postings.Weight[p];
                }
            }

            for (var t = 0; t < touchedCount; t++)
            {
                var doc = touched[t];
                var score = docScores[doc];
                if (doc == excludeDoc || (fold is { } x && x.Of[doc] == x.Excluded))
                {
                    continue;
                }

                var r = _docRule[doc];
                if (score > nearest[r])
                {
                    nearest[r] = score;
                }
            }
        }
        finally
        {
            for (var t = 0; t < touchedCount; t++)
            {
                docScores[touched[t]] = 0;
            }
        }

        for (var r = 0; r < nearest.Length; r++)
        {
            nearest[r] *= CentroidBlend;
        }

        _centroids.Accumulate(query, nearest, 1 - CentroidBlend);
        if (model is null)
        {
            return nearest;
        }

        var decision = scratch.Decision;
        model.Decide(query, decision);
        for (var r = 0; r < decision.Length; r++)
        {
            decision[r] = ((1 - _neighbourWeight) * decision[r]) + (_neighbourWeight * nearest[r]);
        }

        return decision;
    }

    private int TopRules(double[] scores, double[] similarity, Span<RuleScore> results)
    {
        var k = Math.Min(results.Length, scores.Length);
        Span<int> best = stackalloc int[k];
        var count = 0;
        for (var r = 0; r < scores.Length; r++)
        {
            var s = scores[r];
            if (count < k)
            {
                count++;
            }
            else if (s <= scores[best[k - 1]])
            {
                continue;
            }

            var pos = count - 1;
            while (pos > 0 && scores[best[pos - 1]] < s)
            {
                best[pos] = best[pos - 1];
                pos--;
            }

            best[pos] = r;
        }

        var written = 0;
        for (var i = 0; i < count; i++)
        {
            var s = scores[best[i]];
            if (s <= 0 && _model is null)
            {
                break;
            }

            // The margin over the best other rule: positive for the first, negative for the rest, so confidences fall with rank.
            var other = i == 0 ? (count > 1 ? scores[best[1]] : 0) : scores[best[0]];
            // A question that shares almost nothing with a rule's questions is not confidently that rule, whatever
            // the classifier's margin: the confidence is capped at SimilarityCap × the similarity.
            var confidence = Math.Min(_calibration.Confidence(s, s - other), SimilarityCap * similarity[best[i]]);
            results[written++] = new RuleScore(_ruleIds[best[i]], Math.Clamp(confidence, 0, 1));
        }

        return written;
    }

    public double Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        if (first.SequenceEqual(second))
        {
            return 1;
        }

        return Math.Clamp(Vectorize(first).Dot(Vectorize(second)), 0, 1);
    }

    /// <summary>
    /// Maps a rule's raw score, and for the best rule its margin over the second, to a confidence in [0, 1]: a logistic
    /// function fitted on held-out questions (Platt scaling), so that of the answers given confidence p about p are right.
    /// </summary>
    internal sealed record Calibration(double A, double B, double C)
    {
        /// <summary>A mapping fitted on the project's own tuning runs, used when there are too few questions to fit one.</summary>
        public static Calibration Default(bool classifier) => classifier ? new(1.0, 5.0, -0.6) : new(2.0, 20.0, -1.3);

        public double Confidence(double score, double margin) => 1 / (1 + Math.Exp(-((A * score) + (B * Math.Clamp(margin, -2, 2)) + C)));

        /// <summary>Fits A, B, C by Newton's method on the log loss, lightly regularised; the default when the samples cannot support a fit.</summary>
        public static Calibration Fit(List<(double Score, double Margin, bool Correct)> samples, bool classifier)
        {
            var positives = samples.Count(s => s.Correct);
            if (samples.Count < 30 || positives < 5 || samples.Count - positives < 5)
            {
                return Default(classifier);
            }

            var fitted = Newton(samples, fitScore: true);
            if (fitted.A < 0 || fitted.B < 0)
            {
                // A higher score or margin must never lower the confidence: fit the margin alone.
                fitted = Newton(samples, fitScore: false);
            }

            return double.IsFinite(fitted.A) && double.IsFinite(fitted.B) && double.IsFinite(fitted.C) && fitted.B >= 0 ? fitted : Default(classifier);
        }

        private static Calibration Newton(List<(double Score, double Margin, bool Correct)> samples, bool fitScore)
        {
            double a = fitScore ? 1 : 0, b = 1, c = 0;
            const double Ridge = 1e-3;
            for (var iteration = 0; iteration < 50; iteration++)
            {
                // Gradient and Hessian of the mean log loss.
                double ga = Ridge * a, gb = Ridge * b, gc = 0;
                double haa = Ridge, hab = 0, hac = 0, hbb = Ridge, hbc = 0, hcc = 1e-9;
                foreach (var (score, margin, correct) in samples)
                {
                    var m = Math.Clamp(margin, -2, 2);
                    var x = fitScore ? score : 0;
                    var p = 1 / (1 + Math.Exp(-((a * x) + (b * m) + c)));
                    var e = p - (correct ? 1 : 0);
                    var w = p * (1 - p);
                    ga += e * x;
                    gb += e * m;
                    gc += e;
                    haa += w * x * x;
                    hab += w * x * m;
                    hac += w * x;
                    hbb += w * m * m;
                    hbc += w * m;
                    hcc += w;
                }

                // Solve the 3×3 system H·d = g by Cramer's rule.
                var det = (haa * ((hbb * hcc) - (hbc * hbc))) - (hab * ((hab * hcc) - (hbc * hac))) + (hac * ((hab * hbc) - (hbb * hac)));
                if (Math.Abs(det) < 1e-15)
                {
                    break;
                }

                var da = ((ga * ((hbb * hcc) - (hbc * hbc))) - (hab * ((gb * hcc) - (hbc * gc))) + (hac * ((gb * hbc) - (hbb * gc)))) / det;
                var db = ((haa * ((gb * hcc) - (hbc * gc))) - (ga * ((hab * hcc) - (hbc * hac))) + (hac * ((hab * gc) - (gb * hac)))) / det;
                var dc = ((haa * ((hbb * gc) - (gb * hbc))) - (hab * ((hab * gc) - (gb * hac))) + (ga * ((hab * hbc) - (hbb * hac)))) / det;
                a -= da;
                b -= db;
                c -= dc;
                if (Math.Abs(da) + Math.Abs(db) + Math.Abs(dc) < 1e-6)
                {
                    break;
                }
            }

            return new Calibration(a, b, c);
        }
    }
}
