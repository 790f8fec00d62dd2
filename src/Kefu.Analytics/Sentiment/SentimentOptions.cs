using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Sentiment;

/// <summary>
/// Options of sentiment analysis: the neutral band of the lexicon analyser and of trained classifiers, and how a
/// tenant's classifier is trained. Validated when the host starts.
/// </summary>
/// <remarks>
/// Both analysers give a score in [−1, 1]. The lexicon analyser's score is <c>tanh(e / 2)</c> of its summed evidence
/// <c>e</c>; a classifier's is <c>2p − 1</c> of its calibrated probability <c>p</c> of positive. A score whose magnitude
/// is below the analyser's neutral threshold is labelled 0 (neutral). For a yes/no decision use the sign of the score
/// (positive when the score is 0 or more).
/// </remarks>
public sealed class SentimentOptions
{
    /// <summary>
    /// The lexicon analyser labels a text neutral when its score's magnitude is below this: 0.15 needs about one mild
    /// sentiment word (evidence 0.3). <value>Default 0.15; 0–0.9.</value>
    /// </summary>
    public double LexiconNeutralThreshold { get; set; } = 0.15;

    /// <summary>
    /// A classifier labels a text neutral when its score's magnitude is below this: 0.3 means a probability of
    /// positive between 0.35 and 0.65. <value>Default 0.3; 0–0.9.</value>
    /// </summary>
    public double ClassifierNeutralBand { get; set; } = 0.3;

    /// <summary>The training rows a tenant needs of each class (positive and negative). <value>Default 20; 2–100,000.</value></summary>
    public int MinRowsPerClass { get; set; } = 20;

    /// <summary>The most training rows a tenant's file may hold. <value>Default 200,000; 100–5,000,000.</value></summary>
    public int MaxTrainingRows { get; set; } = 200_000;

    /// <summary>
    /// Hashed feature buckets of a classifier, as a power of two; more buckets mean fewer collisions and a larger model.
    /// <value>Default 18 (262,144 buckets); 12–24.</value>
    /// </summary>
    public int HashBits { get; set; } = 18;

    /// <summary>The longest character n-gram a classifier uses. <value>Default 3; 1–5.</value></summary>
    public int MaxNgram { get; set; } = 3;

    /// <summary>The cost C of the linear SVM (less regularisation when larger). <value>Default 1; 0.001–100.</value></summary>
    public double Cost { get; set; } = 1;

    /// <summary>
    /// Folds of the cross-validation that calibrates a classifier's probability and reports its accuracy.
    /// <value>Default 4; 2–10.</value>
    /// </summary>
    public int Folds { get; set; } = 4;

    /// <summary>The seed of training's shuffles: the same rows and seed give the same model. <value>Default 1.</value></summary>
    public int Seed { get; set; } = 1;

    internal void Validate()
    {
        Check(LexiconNeutralThreshold, 0, 0.9, nameof(LexiconNeutralThreshold));
        Check(ClassifierNeutralBand, 0, 0.9, nameof(ClassifierNeutralBand));
        Check(Cost, 0.001, 100, nameof(Cost));
        Range(MinRowsPerClass, 2, 100_000, nameof(MinRowsPerClass));
        Range(MaxTrainingRows, 100, 5_000_000, nameof(MaxTrainingRows));
        Range(HashBits, 12, 24, nameof(HashBits));
        Range(MaxNgram, 1, 5, nameof(MaxNgram));
        Range(Folds, 2, 10, nameof(Folds));

        static void Check(double value, double min, double max, string field)
        {
            if (!(value >= min && value <= max))
            {
                throw new KefuValidationException(field, $"{min}–{max}", $"was {value}");
            }
        }

        static void Range(int value, int min, int max, string field)
        {
            if (value < min || value > max)
            {
                throw new KefuValidationException(field, $"{min}–{max}", $"was {value}");
            }
        }
    }
}

/// <summary>Validates <see cref="SentimentOptions"/> with the field and its allowed range.</summary>
internal sealed class SentimentOptionsValidator : IValidateOptions<SentimentOptions>
{
    public ValidateOptionsResult Validate(string? name, SentimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (KefuValidationException ex)
        {
            return ValidateOptionsResult.Fail($"SentimentOptions.{ex.Field}: {ex.Message}");
        }
    }
}
