namespace Kefu.Analytics.Sentiment;

/// <summary>
/// A tenant's own sentiment model, trained from the tenant's labelled texts. A tenant without one is analysed by the
/// lexicon analyser; after <see cref="TrainAsync"/> the tenant's messages are analysed by its model, after
/// <see cref="DeleteAsync"/> by the lexicon again.
/// </summary>
public interface ISentimentModels
{
    /// <summary>
    /// Trains the tenant's model from CSV and stores it, replacing any previous one. The CSV is UTF-8 (a BOM is
    /// tolerated) with a header row naming a <c>label</c> and a <c>text</c> column (other columns are ignored); quoted
    /// fields may hold commas, line breaks and doubled quotes. Labels: <c>1</c>/<c>positive</c>/<c>pos</c> positive,
    /// <c>0</c>/<c>negative</c>/<c>neg</c> negative; <c>-1</c> negative as well, and in a file using <c>-1</c> a
    /// <c>0</c> means neutral and the row is skipped. Each class needs <see cref="SentimentOptions.MinRowsPerClass"/> rows.
    /// </summary>
    /// <exception cref="KefuValidationException">A row or the header is invalid (the message names the line and field), or a class has too few rows; nothing is stored.</exception>
    Task<SentimentTrainingSummary> TrainAsync(long tenantId, Stream labelledCsv, CancellationToken cancellationToken = default);

    /// <summary>The tenant's model, or null when the tenant uses the lexicon analyser.</summary>
    Task<SentimentModelInfo?> GetAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the tenant's model, so the lexicon analyser takes over; false when there was none.</summary>
    Task<bool> DeleteAsync(long tenantId, CancellationToken cancellationToken = default);
}

/// <summary>What training a tenant's model did.</summary>
/// <param name="Rows">Rows trained on.</param>
/// <param name="PositiveRows">Positive rows.</param>
/// <param name="NegativeRows">Negative rows.</param>
/// <param name="SkippedNeutralRows">Neutral rows skipped (files labelling with −1, 0 and 1).</param>
/// <param name="TrainingSeconds">Seconds spent training, cross-validation included.</param>
/// <param name="CrossValidatedAccuracy">Accuracy of the cross-validation on the rows (yes/no decision by the sign of the score).</param>
/// <param name="ModelBytes">Size of the stored model before base64.</param>
public sealed record SentimentTrainingSummary(int Rows, int PositiveRows, int NegativeRows, int SkippedNeutralRows,
    double TrainingSeconds, double CrossValidatedAccuracy, int ModelBytes);

/// <summary>A tenant's stored sentiment model.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="TrainedAt">When it was trained.</param>
/// <param name="Training">What training did.</param>
public sealed record SentimentModelInfo(long TenantId, DateTimeOffset TrainedAt, SentimentTrainingSummary Training);
