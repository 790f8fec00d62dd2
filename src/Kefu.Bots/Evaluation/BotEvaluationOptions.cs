namespace Kefu.Bots.Evaluation;

/// <summary>Settings of <see cref="BotEvaluator.Evaluate"/>.</summary>
public sealed class BotEvaluationOptions
{
    /// <summary>
    /// The category that means "out of scope", or null when every category is in scope. With a label, training rows
    /// carrying it form a rule like any other, and a question is answered "out of scope" when that rule is the best or
    /// the best confidence is below a threshold chosen by cross-validation on the training rows.
    /// </summary>
    /// <value>Default null: no out-of-scope class, no threshold.</value>
    public string? OosLabel { get; set; }

    /// <summary>The folds of the cross-validation that chooses the out-of-scope threshold, 2–10; used only with <see cref="OosLabel"/>.</summary>
    /// <value>Default 5.</value>
    public int Folds { get; set; } = 5;

    /// <summary>
    /// How much in-scope accuracy the out-of-scope threshold may cost in the cross-validation, 0–1: the threshold
    /// chosen rejects as many out-of-scope rows as it can while in-scope accuracy stays at least its value at threshold 0
    /// minus this. Used only with <see cref="OosLabel"/>. Answering in-scope questions is what a robot is for, so the
    /// default is small: and questions written by other people than the training rows' lose more than the
    /// cross-validation shows (on CLINC150's validation split about 1.5 times as much).
    /// </summary>
    /// <value>Default 0.005 (half a point of accuracy).</value>
    public double MaxInScopeLoss { get; set; } = 0.005;

    /// <summary>The seed of the shuffle that deals the training rows into folds.</summary>
    /// <value>Default 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Throws <see cref="KefuValidationException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (Folds is < 2 or > 10)
        {
            throw new KefuValidationException(nameof(Folds), "2–10", $"was {Folds}");
        }

        if (!(MaxInScopeLoss is >= 0 and <= 1))
        {
            throw new KefuValidationException(nameof(MaxInScopeLoss), "0–1", $"was {MaxInScopeLoss}");
        }

        if (OosLabel is not null && string.IsNullOrWhiteSpace(OosLabel))
        {
            throw new KefuValidationException(nameof(OosLabel), "null or a non-blank category", "was blank");
        }
    }
}
