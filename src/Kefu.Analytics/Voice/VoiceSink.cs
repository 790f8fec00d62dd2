using Kefu.Analysis;
using Kefu.Analytics.Text;
using Kefu.Analytics.Topics;
using Kefu.Events;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Voice;

/// <summary>
/// Feeds the voice of the customer: each visitor or agent text message adds to the day's aggregates (its sentiment,
/// its keywords with their sentiment, the pairs of keywords for topics, and where each keyword was said), once per
/// event id, so a redelivered event is not counted twice. The message's sentiment is the one the engine stored with
/// it; a message without one is analysed here. Stop words are those in effect on the message's day.
/// </summary>
internal sealed class VoiceSink : IEventSink
{
    private readonly IAggregateStore _aggregates;
    private readonly VoiceVocabularies _vocabularies;
    private readonly ITextAnalyzer _analyzer;
    private readonly VoiceOptions _options;

    public VoiceSink(IAggregateStore aggregates, VoiceVocabularies vocabularies, ITextAnalyzer analyzer, IOptions<VoiceOptions> options)
    {
        _aggregates = aggregates;
        _vocabularies = vocabularies;
        _analyzer = analyzer;
        _options = options.Value;
    }

    public async ValueTask HandleAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<Token>? scratch = null;
        List<Token>? keywords = null;
        List<AggregateEventDeltas>? batch = null;
        foreach (var e in events)
        {
            if (e.PayloadCase != KefuEvent.PayloadOneofCase.Message)
            {
                continue;
            }

            var m = e.Message;
            if (m.Text.Length == 0 || m.SenderKind is not (ParticipantKind.Visitor or ParticipantKind.Agent))
            {
                continue;
            }

            scratch ??= [];
            keywords ??= [];
            var deltas = await DeltasAsync(tenantId, e, scratch, keywords, cancellationToken).ConfigureAwait(false);
            (batch ??= []).Add(new AggregateEventDeltas(e.EventId, deltas));
        }

        // The batch's messages in one write (each still counted once by its event id): under a busy tenant the store
        // would otherwise commit once per message, taking the writer from the conversations' own commits.
        if (batch is not null)
        {
            await _aggregates.ApplyManyAsync(tenantId, VoiceSeries.Consumer, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<List<AggregateDelta>> DeltasAsync(long tenantId, KefuEvent e, List<Token> scratch, List<Token> keywords, CancellationToken cancellationToken)
    {
        var m = e.Message;
        var text = m.Text.Length > _options.MaxTextLength ? m.Text[.._options.MaxTextLength] : m.Text;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs);
        var day = VoiceSeries.Day(at);
        var bucket = VoiceSeries.Start(day);
        var sentiment = m.HasSentiment
            ? new Kefu.Model.TextSentiment(m.Sentiment, m.SentimentScore)
            : _analyzer.IsEnabled && _analyzer.Analyze(tenantId, m.SenderKind, text) is { } analysed ? analysed : default;
        var label = Math.Sign(sentiment.Label);
        double score = sentiment.Score;
        var sender = VoiceSeries.SenderCode(m.SenderKind);
        var prefix = sender + ":";

        var deltas = new List<AggregateDelta>
        {
            new(VoiceSeries.Messages, sender.ToString(), BucketGranularity.Day, bucket, 1, 0, 0),
            new(VoiceSeries.Sentiment, prefix + label.ToString(System.Globalization.CultureInfo.InvariantCulture), BucketGranularity.Day, bucket, 1, score, score),
        };

        var extractor = await _vocabularies.ExtractorAsync(tenantId, day, cancellationToken).ConfigureAwait(false);
        keywords.Clear();
        extractor.Extract(text, scratch, keywords);
        if (keywords.Count == 0)
        {
            return deltas;
        }

        var words = new string[keywords.Count];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = extractor.Key(text, keywords[i]);
        }

        // Each word once per message.
        var mention = VoiceSeries.Mention(sender, label, e.ConversationId, m.MessageId);
        foreach (var word in words.Distinct(StringComparer.Ordinal))
        {
            deltas.Add(new AggregateDelta(VoiceSeries.Keyword, prefix + word, BucketGranularity.Day, bucket, 1, score, score));
            deltas.Add(new AggregateDelta(VoiceSeries.Mentions(word), mention, BucketGranularity.Day, bucket, 1, score, score));
        }

        // Pairs among the message's leading keywords, chosen as the topic engine does.
        var paired = KeywordStatisticsBuilder.PairKeywords(words);
        for (var i = 0; i < paired.Count; i++)
        {
            for (var j = i + 1; j < paired.Count; j++)
            {
                var pair = KeywordPair.Of(paired[i], paired[j]);
                deltas.Add(new AggregateDelta(VoiceSeries.Pair, string.Concat(prefix, pair.First, VoiceSeries.PairSeparator.ToString(), pair.Second), BucketGranularity.Day, bucket, 1, 0, 0));
            }
        }

        return deltas;
    }
}
