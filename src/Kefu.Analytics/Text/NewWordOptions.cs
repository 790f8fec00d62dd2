using System.Globalization;

namespace Kefu.Analytics.Text;

/// <summary>Thresholds of <see cref="NewWordDiscovery"/>. Validated when a discovery is made.</summary>
public sealed class NewWordOptions
{
    /// <summary>The default <see cref="StopCharacters"/>: particles, pronouns, prepositions and adverbs that begin or end phrases rather than words.</summary>
    public const string DefaultStopCharacters = "的了是在和也都就而及与着过或把被给很我你您他她它这那吗呢吧啊呀么哦嗯哈啦嘛呗之其还又再才没不太更最让对从向到为以于将但并且等个挺蛮超好";

    /// <summary>How often a candidate occurs (standing free: not inside a longer Latin or number run) at least. <value>Default 5; 2–1,000,000.</value></summary>
    public int MinFrequency { get; set; } = 5;

    /// <summary>
    /// The least internal cohesion: the pointwise mutual information, in nats, of the candidate's weakest split,
    /// <c>min over splits w = a·b of ln(p(w) / (p(a) · p(b)))</c>, with probabilities per character of text. Higher keeps
    /// only words whose parts rarely occur apart. <value>Default 4 (the whole occurs e^4 ≈ 55 times more often than
    /// its parts' chance meeting); 0–30.</value>
    /// </summary>
    public double MinCohesion { get; set; } = 4;

    /// <summary>
    /// The least boundary entropy, in nats: the smaller of the entropies of the characters just left and just right of
    /// the candidate (the start or end of a message or sentence counts as a new neighbour each time). A word is used in
    /// varied contexts; a fragment of a longer word is always followed (or preceded) by the same character.
    /// <value>Default 1.5; 0–10.</value>
    /// </summary>
    public double MinEntropy { get; set; } = 1.5;

    /// <summary>The longest candidate, in characters. <value>Default 6; 2–10.</value></summary>
    public int MaxLength { get; set; } = 6;

    /// <summary>How many candidates are returned at most, best first. <value>Default 200; 1–100,000.</value></summary>
    public int MaxCandidates { get; set; } = 200;

    /// <summary>
    /// Characters a candidate may not begin or end with (besides the single-character stop words).
    /// <value>Default <see cref="DefaultStopCharacters"/>; at most 1,000 characters.</value>
    /// </summary>
    public string StopCharacters { get; set; } = DefaultStopCharacters;

    /// <summary>Throws when a setting is out of its range.</summary>
    /// <exception cref="KefuValidationException">A setting is out of range; the exception names it and the range.</exception>
    public void Validate()
    {
        KeywordOptions.Range(MinFrequency, 2, 1_000_000, nameof(MinFrequency));
        Between(MinCohesion, 0, 30, nameof(MinCohesion));
        Between(MinEntropy, 0, 10, nameof(MinEntropy));
        KeywordOptions.Range(MaxLength, 2, 10, nameof(MaxLength));
        KeywordOptions.Range(MaxCandidates, 1, 100_000, nameof(MaxCandidates));
        if (StopCharacters is null || StopCharacters.Length > 1_000)
        {
            throw new KefuValidationException(nameof(StopCharacters), "a string of at most 1,000 characters", StopCharacters is null ? "was null" : $"had {StopCharacters.Length} characters");
        }

        static void Between(double value, double min, double max, string field)
        {
            if (!(value >= min && value <= max))
            {
                throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"{min}–{max}"), string.Create(CultureInfo.InvariantCulture, $"was {value}"));
            }
        }
    }
}

/// <summary>A word found by <see cref="NewWordDiscovery"/>.</summary>
/// <param name="Word">The word, folded (lower case, half width, simplified).</param>
/// <param name="Frequency">How often it occurs standing free.</param>
/// <param name="Cohesion">The pointwise mutual information of its weakest split, in nats.</param>
/// <param name="LeftEntropy">The entropy of the characters before it, in nats.</param>
/// <param name="RightEntropy">The entropy of the characters after it, in nats.</param>
/// <param name="Score">The rank: <c>ln(1 + Frequency) · min(Cohesion, 15) · min(LeftEntropy, RightEntropy)</c>.</param>
public sealed record NewWordCandidate(string Word, int Frequency, double Cohesion, double LeftEntropy, double RightEntropy, double Score)
{
    /// <summary>The boundary entropy: the smaller of <see cref="LeftEntropy"/> and <see cref="RightEntropy"/>.</summary>
    public double Entropy => Math.Min(LeftEntropy, RightEntropy);
}
