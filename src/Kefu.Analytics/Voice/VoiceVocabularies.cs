using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Analytics.Text;
using Kefu.Storage;

namespace Kefu.Analytics.Voice;

/// <summary>
/// The tenants' vocabularies (document kind <c>analytics.voice</c>, key <c>vocabulary</c>) and, per tenant and day,
/// the keyword extractor they give: the base segmenter with the tenant's user and focus words laid over it, and the
/// default stop words plus the tenant's in effect that day.
/// </summary>
internal sealed class VoiceVocabularies
{
    internal const string Kind = "analytics.voice";
    internal const string Key = "vocabulary";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly IConfigurationDocumentStore _documents;
    private readonly TextResources _text;
    private readonly ConcurrentDictionary<long, Entry> _tenants = new();

    public VoiceVocabularies(IConfigurationDocumentStore documents, TextResources text)
    {
        _documents = documents;
        _text = text;
    }

    public async ValueTask<(VoiceVocabulary Vocabulary, long Version)> GetAsync(long tenantId, CancellationToken cancellationToken)
    {
        var document = await _documents.GetAsync(tenantId, Kind, Key, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return (new VoiceVocabulary(), 0);
        }

        var vocabulary = JsonSerializer.Deserialize<VoiceVocabulary>(document.Content, Json) ?? new VoiceVocabulary();
        return (vocabulary, document.Version);
    }

    /// <summary>Applies <paramref name="change"/> to the stored vocabulary, retrying when another writer got there first.</summary>
    public async ValueTask<VoiceVocabulary> UpdateAsync(long tenantId, Func<VoiceVocabulary, VoiceVocabulary> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (current, version) = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
            var next = change(current);
            try
            {
                var stored = await _documents.PutAsync(tenantId, Kind, Key, JsonSerializer.Serialize(next, Json), version, now, cancellationToken).ConfigureAwait(false);
                _tenants[tenantId] = new Entry(next, stored.Version);
                return next;
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency && attempt < 5)
            {
            }
        }
    }

    /// <summary>The tenant's vocabulary as last read or written by this process, read from the store the first time.</summary>
    public async ValueTask<VoiceVocabulary> CurrentAsync(long tenantId, CancellationToken cancellationToken)
    {
        return (await EntryAsync(tenantId, cancellationToken).ConfigureAwait(false)).Vocabulary;
    }

    /// <summary>The keyword extractor for the tenant's messages of <paramref name="day"/>.</summary>
    public async ValueTask<KeywordExtractor> ExtractorAsync(long tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var entry = await EntryAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return entry.Extractor(day, _text);
    }

    private async ValueTask<Entry> EntryAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (_tenants.TryGetValue(tenantId, out var entry))
        {
            return entry;
        }

        var (vocabulary, version) = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var loaded = new Entry(vocabulary, version);
        // Keep a newer entry that a concurrent update stored.
        return _tenants.AddOrUpdate(tenantId, loaded, (_, existing) => existing.Version >= version ? existing : loaded);
    }

    private sealed class Entry(VoiceVocabulary vocabulary, long version)
    {
        private readonly Lock _gate = new();
        private (DateOnly Day, KeywordExtractor Extractor)? _last;

        public VoiceVocabulary Vocabulary { get; } = vocabulary;

        public long Version { get; } = version;

        public KeywordExtractor Extractor(DateOnly day, TextResources text)
        {
            lock (_gate)
            {
                if (_last is { } last && last.Day == day)
                {
                    return last.Extractor;
                }

                var pipeline = TextPipeline.Create(text.Segmenter, new TenantVocabulary(
                    [.. Vocabulary.UserWords.Select(w => new DictionaryWord(w, 0, "nz"))], Vocabulary.FocusWords, Vocabulary.StopWordsOn(day)));
                _last = (day, pipeline.Keywords);
                return pipeline.Keywords;
            }
        }
    }
}
