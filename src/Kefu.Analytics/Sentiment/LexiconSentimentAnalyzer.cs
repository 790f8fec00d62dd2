using Kefu.Model;

namespace Kefu.Analytics.Sentiment;

/// <summary>The lexicon's evidence in a text: the signed sum, and the positive and negative parts (magnitudes).</summary>
internal readonly record struct LexiconEvidence(float Sum, float Positive, float Negative, int Hits);

/// <summary>
/// The out-of-the-box sentiment analyser: Kefu's own lexicon of sentiment words, customer-service phrases, emoji and
/// emoticons, with intensifiers, negators, contrast, concession, hypothetical and question words, matched longest
/// first over folded text (width, case, traditional → simplified) through a trie. Needs no training; thread-safe;
/// allocates nothing for texts up to 256 characters.
/// </summary>
/// <remarks>
/// <para>
/// Each sentiment word adds its weight (−3 to 3). An intensifier (非常, 很, 太 …; 有点, 稍微 weaken) multiplies the next
/// sentiment word starting within two characters; a negator (不, 没有, 别 …) there flips it: a positive word
/// becomes 0.9 × its weight negative, a negative word 0.6 × its weight positive (不差 is weaker praise than 好); a negator with nothing to flip there counts −0.3 × its strength (没有早餐). A
/// contrast word (但是, 可是, 不过 …) damps everything before it and weights the rest of its sentence more; a
/// concession (虽然) or hypothetical (如果, 希望) damps the rest of its clause; a question (吗, ?) damps its clause.
/// </para>
/// <para>
/// The score is <c>tanh(e / 2)</c> of the evidence <c>e</c>; the label is 0 when the score's magnitude is below
/// <see cref="SentimentOptions.LexiconNeutralThreshold"/>. For a yes/no decision, positive when the score is 0 or more.
/// </para>
/// </remarks>
public sealed class LexiconSentimentAnalyzer : ISentimentAnalyzer
{
    private const int Window = 2;
    private const float ExclamationBoost = 1.2f;
    private const float UnusedNegation = -0.3f;

    private readonly SentimentLexicon _lexicon;
    private readonly float _threshold;

    /// <summary>Creates the analyser over Kefu's embedded lexicon.</summary>
    /// <param name="options">The neutral threshold; defaults when null.</param>
    public LexiconSentimentAnalyzer(SentimentOptions? options = null)
        : this(SentimentLexicon.LoadDefault(), options)
    {
    }

    internal LexiconSentimentAnalyzer(SentimentLexicon lexicon, SentimentOptions? options)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        _lexicon = lexicon;
        _threshold = (float)(options ?? new SentimentOptions()).LexiconNeutralThreshold;
    }

    /// <summary>Entries in the lexicon.</summary>
    public int LexiconSize => _lexicon.Count;

    /// <inheritdoc />
    public TextSentiment Analyze(ReadOnlySpan<char> text)
    {
        using var folded = new FoldedText(text, stackalloc char[FoldedText.StackLimit]);
        return ToSentiment(Evidence(folded.Span));
    }

    /// <summary>The score in [−1, 1] of some evidence.</summary>
    internal static float Score(in LexiconEvidence evidence) => MathF.Tanh(evidence.Sum / 2);

    internal TextSentiment ToSentiment(in LexiconEvidence evidence)
    {
        var score = Score(evidence);
        var label = MathF.Abs(score) < _threshold ? 0 : Math.Sign(score);
        return new TextSentiment(label, score);
    }

    /// <summary>The lexicon's evidence in folded text.</summary>
    internal LexiconEvidence Evidence(ReadOnlySpan<char> folded)
    {
        float total = 0, sentence = 0, clause = 0, positive = 0, negative = 0;
        float clauseFactor = 1, sentenceFactor = 1, hypothetical = 1;
        float pendingMultiplier = 1, pendingNegation = 0;
        var pendingUntil = -1;
        var hits = 0;
        var i = 0;
        while (i < folded.Length)
        {
            var index = _lexicon.Match(folded, i, out var length);
            if (index < 0)
            {
                switch (folded[i])
                {
                    case ',' or '，' or ';' or '；' or '、' or ':' or '：':
                        EndClause();
                        break;
                    case '!' or '！':
                        clause *= ExclamationBoost;
                        EndSentence();
                        break;
                    case '.' or '。' or '?' or '？' or '~' or '～' or '…' or '\n' or '\r':
                        EndSentence();
                        break;
                }

                i++;
                continue;
            }

            var entry = _lexicon[index];
            var end = i + length;
            if (i > pendingUntil)
            {
                DropPending();
            }

            switch (entry.Kind)
            {
                case ModifierKind.Intensify when !entry.IsPolar || ModifiesNext(folded, end):
                    pendingMultiplier *= entry.Value;
                    pendingUntil = end + Window;
                    break;
                case ModifierKind.Negate when !entry.IsPolar || ModifiesNext(folded, end):
                    // A second negation cancels the first (不是不好).
                    pendingNegation = pendingNegation > 0 ? 0 : entry.Value;
                    pendingUntil = end + Window;
                    break;
                case ModifierKind.Contrast:
                    total /= entry.Value;
                    sentence /= entry.Value;
                    clause /= entry.Value;
                    sentenceFactor = entry.Value;
                    AddWord(entry.Weight);
                    break;
                case ModifierKind.Concede:
                    clauseFactor = entry.Value;
                    AddWord(entry.Weight);
                    break;
                case ModifierKind.Hypothetical:
                    // The consequence usually follows in the next clause (如果……的话，那就更好了): damp to the sentence's end.
                    hypothetical = entry.Value;
                    AddWord(entry.Weight);
                    break;
                case ModifierKind.Question:
                    clause *= entry.Value;
                    AddWord(entry.Weight);
                    break;
                default:
                    AddWord(entry.Weight);
                    break;
            }

            i = end;
        }

        EndSentence();
        return new LexiconEvidence(total, positive, negative, hits);

        void AddWord(float weight)
        {
            if (weight == 0)
            {
                return;
            }

            var v = weight * pendingMultiplier;
            if (pendingNegation > 0)
            {
                v = v > 0 ? -0.9f * pendingNegation * v : -0.6f * pendingNegation * v;
            }

            pendingMultiplier = 1;
            pendingNegation = 0;
            pendingUntil = -1;
            v *= clauseFactor * sentenceFactor * hypothetical;
            clause += v;
            hits++;
            if (v > 0)
            {
                positive += v;
            }
            else
            {
                negative -= v;
            }
        }

        void EndClause()
        {
            sentence += clause;
            clause = 0;
            clauseFactor = 1;
            DropPending();
        }

        // A negation with nothing to flip (没有早餐, 不能用) still leans negative a little.
        void DropPending()
        {
            if (pendingNegation > 0)
            {
                clause += UnusedNegation * pendingNegation * clauseFactor * sentenceFactor * hypothetical;
            }

            pendingMultiplier = 1;
            pendingNegation = 0;
            pendingUntil = -1;
        }

        void EndSentence()
        {
            EndClause();
            total += sentence;
            sentence = 0;
            sentenceFactor = 1;
            hypothetical = 1;
        }
    }

    /// <summary>Whether a word that can also modify (好, 不够) modifies here: a sentiment word or modifier follows at once.</summary>
    private bool ModifiesNext(ReadOnlySpan<char> folded, int end)
    {
        if (end >= folded.Length)
        {
            return false;
        }

        var next = _lexicon.Match(folded, end, out _);
        return next >= 0 && (_lexicon[next].IsPolar || _lexicon[next].Kind is ModifierKind.Intensify or ModifierKind.Negate);
    }
}
