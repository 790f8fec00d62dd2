using Kefu.Analysis;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analytics.Sentiment;

/// <summary>
/// Core's text-analysis seam backed by Kefu.Analytics: each tenant's own classifier when it has one (loaded with the
/// tenant's worker, swapped when it is trained or deleted), else the lexicon analyser. Blank texts get no sentiment.
/// </summary>
internal sealed class SentimentTextAnalyzer : ITextAnalyzer
{
    private readonly LexiconSentimentAnalyzer _lexicon;
    private readonly SentimentModelRegistry _registry;
    private readonly SentimentModels _models;

    public SentimentTextAnalyzer(LexiconSentimentAnalyzer lexicon, SentimentModelRegistry registry, SentimentModels models)
    {
        _lexicon = lexicon;
        _registry = registry;
        _models = models;
    }

    public bool IsEnabled => true;

    public ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken) => _models.LoadTenantAsync(tenantId, cancellationToken);

    public TextSentiment? Analyze(long tenantId, ParticipantKind sender, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        ISentimentAnalyzer analyzer = _registry.Get(tenantId) is { } model ? model : _lexicon;
        return analyzer.Analyze(text);
    }
}
