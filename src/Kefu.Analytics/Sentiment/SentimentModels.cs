using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Sentiment;

/// <summary>The tenants' loaded classifiers, swapped atomically when a model is trained or deleted.</summary>
internal sealed class SentimentModelRegistry
{
    private readonly ConcurrentDictionary<long, SentimentClassifier> _models = new();

    public SentimentClassifier? Get(long tenantId) => _models.TryGetValue(tenantId, out var model) ? model : null;

    public void Set(long tenantId, SentimentClassifier? model)
    {
        if (model is null)
        {
            _models.TryRemove(tenantId, out _);
        }
        else
        {
            _models[tenantId] = model;
        }
    }
}

/// <summary>
/// Trains, stores and loads the tenants' sentiment classifiers. A model is stored as configuration document
/// <c>analytics.sentiment</c>/<c>model</c>: JSON with the training summary and the binary model in base64.
/// </summary>
internal sealed class SentimentModels : ISentimentModels
{
    internal const string Kind = "analytics.sentiment";
    internal const string Key = "model";
    private const int DocumentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConfigurationDocumentStore _documents;
    private readonly LexiconSentimentAnalyzer _lexicon;
    private readonly SentimentModelRegistry _registry;
    private readonly IOptions<SentimentOptions> _options;
    private readonly TimeProvider _time;

    public SentimentModels(IConfigurationDocumentStore documents, LexiconSentimentAnalyzer lexicon, SentimentModelRegistry registry,
        IOptions<SentimentOptions> options, TimeProvider time)
    {
        _documents = documents;
        _lexicon = lexicon;
        _registry = registry;
        _options = options;
        _time = time;
    }

    public async Task<SentimentTrainingSummary> TrainAsync(long tenantId, Stream labelledCsv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labelledCsv);
        var options = _options.Value;
        var rows = SentimentCsv.Read(labelledCsv, options.MaxTrainingRows);
        var positives = rows.Samples.Count(s => s.Positive);
        var negatives = rows.Samples.Count - positives;
        if (positives < options.MinRowsPerClass || negatives < options.MinRowsPerClass)
        {
            throw new KefuValidationException("rows", $"at least {options.MinRowsPerClass} positive and {options.MinRowsPerClass} negative rows",
                $"the file has {positives} positive and {negatives} negative");
        }

        var watch = Stopwatch.StartNew();
        var model = await Task.Run(() => SentimentClassifier.Train(rows.Samples, _lexicon, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        using var buffer = new MemoryStream();
        model.Save(buffer);
        var summary = new SentimentTrainingSummary(rows.Samples.Count, positives, negatives, rows.SkippedNeutral, seconds,
            model.CrossValidatedAccuracy, (int)buffer.Length);
        var now = _time.GetUtcNow();
        var content = JsonSerializer.Serialize(new ModelDocument(DocumentFormat, now, summary, Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length)), Json);
        var existing = await _documents.GetAsync(tenantId, Kind, Key, cancellationToken).ConfigureAwait(false);
        await _documents.PutAsync(tenantId, Kind, Key, content, existing?.Version ?? 0, now, cancellationToken).ConfigureAwait(false);
        _registry.Set(tenantId, model);
        return summary;
    }

    public async Task<SentimentModelInfo?> GetAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var document = await _documents.GetAsync(tenantId, Kind, Key, cancellationToken).ConfigureAwait(false);
        return document is null ? null : Parse(document) is { } model ? new SentimentModelInfo(tenantId, model.TrainedAt, model.Training) : null;
    }

    public async Task<bool> DeleteAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var document = await _documents.GetAsync(tenantId, Kind, Key, cancellationToken).ConfigureAwait(false);
        var deleted = document is not null
            && await _documents.DeleteAsync(tenantId, Kind, Key, document.Version, cancellationToken).ConfigureAwait(false);
        _registry.Set(tenantId, null);
        return deleted;
    }

    /// <summary>
    /// Loads the tenant's stored model into the registry, or clears it when there is none. A stored model that cannot
    /// be read (corrupt, or of a format this version does not know) leaves the tenant on the lexicon analyser rather
    /// than failing the tenant's worker; training again replaces it.
    /// </summary>
    public async ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        var document = await _documents.GetAsync(tenantId, Kind, Key, cancellationToken).ConfigureAwait(false);
        SentimentClassifier? model = null;
        if (document is not null)
        {
            try
            {
                if (Parse(document) is { } stored)
                {
                    using var stream = new MemoryStream(Convert.FromBase64String(stored.Model));
                    model = SentimentClassifier.Load(stream, _lexicon, _options.Value);
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException)
            {
                model = null;
            }
        }

        _registry.Set(tenantId, model);
    }

    private static ModelDocument? Parse(ConfigurationDocument document)
    {
        try
        {
            var model = JsonSerializer.Deserialize<ModelDocument>(document.Content, Json);
            return model is { Format: DocumentFormat, Model: not null, Training: not null } ? model : null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The sentiment model of tenant {document.TenantId} is not valid JSON.", e);
        }
    }

    private sealed record ModelDocument(int Format, DateTimeOffset TrainedAt, SentimentTrainingSummary Training, string Model);
}
