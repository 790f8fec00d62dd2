namespace Kefu.Analytics.Topics;

/// <summary>
/// The engine's inner settings, fixed for users. The defaults were chosen on the online_shopping_10_cats reviews
/// (see the eval-topics verb): they raised NMI against the product categories from about 0.52 to about 0.57.
/// </summary>
internal sealed record TopicTuning
{
    public static TopicTuning Default { get; } = new();

    /// <summary>
    /// The exponent smoothing the context distribution of PMI (Levy, Goldberg and Dagan 2015); 1 is plain PMI, which
    /// scored better here than the customary 0.75 because it penalises co-occurrence with ubiquitous keywords more.
    /// </summary>
    public double ContextSmoothing { get; init; } = 1;

    /// <summary>Subtracted from every PMI before keeping the positive part: pairs barely above chance are noise.</summary>
    public double Shift { get; init; } = 0.5;

    /// <summary>Affinities are squared before voting, so that a keyword votes mostly for its own theme.</summary>
    public double AffinityPower { get; init; } = 2;

    public void Sharpen(float[] affinity)
    {
        if (AffinityPower == 1)
        {
            return;
        }

        for (var i = 0; i < affinity.Length; i++)
        {
            affinity[i] = (float)Math.Pow(affinity[i], AffinityPower);
        }
    }
}
