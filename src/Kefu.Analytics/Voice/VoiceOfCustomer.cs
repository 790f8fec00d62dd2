using System.Globalization;
using Kefu.Analytics.Text;
using Kefu.Analytics.Topics;
using Kefu.Storage;
using Kefu.Text;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Voice;

/// <summary>The voice of the customer over the aggregates <see cref="VoiceSink"/> keeps.</summary>
internal sealed partial class VoiceOfCustomer : IVoiceOfCustomer
{
    internal const int MaxWordLength = 32;
    internal const int MaxStopWords = 10_000;
    internal const int MaxFocusWords = 1_000;
    internal const int MaxUserWords = 50_000;
    internal const int MaxMessagesPerConversation = 500;

    private readonly IAggregateStore _aggregates;
    private readonly IConversationStore _conversations;
    private readonly VoiceVocabularies _vocabularies;
    private readonly TimeProvider _time;
    private readonly VoiceOptions _options;
    private readonly TextResources _text;

    public VoiceOfCustomer(IAggregateStore aggregates, IConversationStore conversations, VoiceVocabularies vocabularies, TextResources text, TimeProvider time, IOptions<VoiceOptions> options)
    {
        _text = text;
        _aggregates = aggregates;
        _conversations = conversations;
        _vocabularies = vocabularies;
        _time = time;
        _options = options.Value;
    }

    private DateOnly Today => VoiceSeries.Day(_time.GetUtcNow());

    public async ValueTask<IReadOnlyList<SentimentDay>> GetSentimentTrendAsync(long tenantId, VoiceScope scope, DateOnly? to = null, int days = 16, CancellationToken cancellationToken = default)
    {
        CheckScope(scope);
        if (days < 1 || days > _options.MaxRangeDays)
        {
            throw new KefuValidationException(nameof(days), Range(1, _options.MaxRangeDays), Was(days));
        }

        var last = to ?? Today;
        var first = last.AddDays(1 - days);
        var cells = await QueryAsync(tenantId, VoiceSeries.Sentiment, first, last, cancellationToken).ConfigureAwait(false);
        var counts = new long[days, 3];
        foreach (var cell in cells)
        {
            if (cell.Dimension.Length < 3 || !VoiceSeries.InScope(cell.Dimension[0], scope)
                || !int.TryParse(cell.Dimension.AsSpan(2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var label) || label is < -1 or > 1)
            {
                continue;
            }

            var index = VoiceSeries.Day(cell.BucketStart).DayNumber - first.DayNumber;
            counts[index, label + 1] += cell.Count;
        }

        var result = new SentimentDay[days];
        for (var i = 0; i < days; i++)
        {
            result[i] = new SentimentDay(first.AddDays(i), counts[i, 2], counts[i, 1], counts[i, 0]);
        }

        return result;
    }

    public async ValueTask<IReadOnlyList<KeywordStat>> GetKeywordsAsync(long tenantId, KeywordQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckScope(query.Scope);
        CheckRange(query.From, query.To);
        if (query.Limit is < 1 or > 500)
        {
            throw new KefuValidationException(nameof(query.Limit), "1–500", Was(query.Limit));
        }

        if (!Enum.IsDefined(query.SortBy))
        {
            throw new KefuValidationException(nameof(query.SortBy), "Composite, Frequency or Sentiment", $"was {query.SortBy}");
        }

        var totals = await KeywordTotalsAsync(tenantId, query.Scope, query.From, query.To, cancellationToken).ConfigureAwait(false);
        var vocabulary = await _vocabularies.CurrentAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var hidden = new HashSet<string>(vocabulary.StopWordsOn(Today), StringComparer.Ordinal);
        var focus = new HashSet<string>(vocabulary.FocusWords, StringComparer.Ordinal);
        var stats = new List<KeywordStat>(totals.Count);
        foreach (var (word, (count, sum)) in totals)
        {
            if (hidden.Contains(word) || (query.FocusOnly && !focus.Contains(word)))
            {
                continue;
            }

            var sentiment = count == 0 ? 0 : sum / count;
            stats.Add(new KeywordStat(word, count, sentiment, count * Math.Abs(sentiment), focus.Contains(word)));
        }

        Comparison<KeywordStat> order = query.SortBy switch
        {
            KeywordSort.Frequency => static (a, b) => a.Frequency.CompareTo(b.Frequency),
            KeywordSort.Sentiment => static (a, b) => a.Sentiment.CompareTo(b.Sentiment) is var c && c != 0 ? c : a.Frequency.CompareTo(b.Frequency),
            _ => static (a, b) => a.Composite.CompareTo(b.Composite) is var c && c != 0 ? c : a.Frequency.CompareTo(b.Frequency),
        };
        stats.Sort((a, b) =>
        {
            var c = query.Descending ? order(b, a) : order(a, b);
            return c != 0 ? c : string.CompareOrdinal(a.Word, b.Word);
        });
        return stats.Count > query.Limit ? stats.GetRange(0, query.Limit) : stats;
    }

    public async ValueTask<VoiceTopics> GetTopicsAsync(long tenantId, TopicQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckScope(query.Scope);
        CheckRange(query.From, query.To);
        if (query.TopicCount is < TopicOptions.MinTopicCount or > TopicOptions.MaxTopicCount)
        {
            throw new KefuValidationException(nameof(query.TopicCount), Range(TopicOptions.MinTopicCount, TopicOptions.MaxTopicCount), Was(query.TopicCount));
        }

        if (query.Top is < 1 or > 100)
        {
            throw new KefuValidationException(nameof(query.Top), "1–100", Was(query.Top));
        }

        var vocabulary = await _vocabularies.CurrentAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var hidden = new HashSet<string>(vocabulary.StopWordsOn(Today), StringComparer.Ordinal);
        var builder = KeywordStatistics.CreateBuilder();
        foreach (var (word, (count, sum)) in await KeywordTotalsAsync(tenantId, query.Scope, query.From, query.To, cancellationToken).ConfigureAwait(false))
        {
            if (!hidden.Contains(word))
            {
                // A keyword's frequency here is the number of messages that mention it.
                builder.AddKeyword(word, count, count, Math.Clamp(sum, -count, count));
            }
        }

        foreach (var cell in await QueryAsync(tenantId, VoiceSeries.Pair, query.From, query.To, cancellationToken).ConfigureAwait(false))
        {
            if (cell.Dimension.Length < 3 || !VoiceSeries.InScope(cell.Dimension[0], query.Scope))
            {
                continue;
            }

            var pair = cell.Dimension.AsSpan(2);
            var separator = pair.IndexOf(VoiceSeries.PairSeparator);
            if (separator <= 0 || separator == pair.Length - 1)
            {
                continue;
            }

            var a = pair[..separator].ToString();
            var b = pair[(separator + 1)..].ToString();
            if (!hidden.Contains(a) && !hidden.Contains(b))
            {
                builder.AddCooccurrence(a, b, cell.Count);
            }
        }

        foreach (var cell in await QueryAsync(tenantId, VoiceSeries.Messages, query.From, query.To, cancellationToken).ConfigureAwait(false))
        {
            if (cell.Dimension.Length == 1 && VoiceSeries.InScope(cell.Dimension[0], query.Scope))
            {
                builder.AddMessageCount(cell.Count);
            }
        }

        var statistics = builder.Build();
        var model = TopicModeler.Fit(statistics, new TopicOptions { TopicCount = query.TopicCount });
        var topics = model.Topics.Select(t => new VoiceTopic(t,
            KeywordRanking.TopByFrequency(t, statistics, query.Top),
            KeywordRanking.TopBySentiment(t, statistics, query.Top, mostNegative: false, minFrequency: 2),
            KeywordRanking.TopBySentiment(t, statistics, query.Top, mostNegative: true, minFrequency: 2))).ToArray();
        return new VoiceTopics(statistics.MessageCount, topics,
            KeywordRanking.TopByFrequency(statistics, query.Top),
            KeywordRanking.TopBySentiment(statistics, query.Top, mostNegative: false, minFrequency: 2),
            KeywordRanking.TopBySentiment(statistics, query.Top, mostNegative: true, minFrequency: 2));
    }

    public async ValueTask<KeywordDetail> GetKeywordDetailAsync(long tenantId, string word, VoiceScope scope, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var folded = CheckWord(word, nameof(word));
        CheckScope(scope);
        CheckRange(from, to);
        var cells = await QueryAsync(tenantId, VoiceSeries.Mentions(folded), from, to, cancellationToken).ConfigureAwait(false);
        var days = to.DayNumber - from.DayNumber + 1;
        var counts = new long[days];
        var sums = new double[days];
        foreach (var cell in cells)
        {
            if (VoiceSeries.TryParseMention(cell.Dimension, out var sender, out _, out _, out _) && VoiceSeries.InScope(sender, scope))
            {
                var index = VoiceSeries.Day(cell.BucketStart).DayNumber - from.DayNumber;
                counts[index] += cell.Count;
                sums[index] += cell.Sum;
            }
        }

        var result = new KeywordDay[days];
        for (var i = 0; i < days; i++)
        {
            result[i] = new KeywordDay(from.AddDays(i), counts[i], counts[i] == 0 ? 0 : sums[i] / counts[i]);
        }

        return new KeywordDetail(folded, result);
    }

    public async ValueTask<KeywordMessagePage> GetKeywordMessagesAsync(long tenantId, KeywordMessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var folded = CheckWord(query.Word, nameof(query.Word));
        CheckScope(query.Scope);
        CheckRange(query.From, query.To);
        if (query.Sentiment is { } s && s is < -1 or > 1)
        {
            throw new KefuValidationException(nameof(query.Sentiment), "-1, 0, 1 or null", Was(s));
        }

        if (query.Offset < 0)
        {
            throw new KefuValidationException(nameof(query.Offset), "0 or more", Was(query.Offset));
        }

        if (query.Limit is < 1 or > 200)
        {
            throw new KefuValidationException(nameof(query.Limit), "1–200", Was(query.Limit));
        }

        var cells = await QueryAsync(tenantId, VoiceSeries.Mentions(folded), query.From, query.To, cancellationToken).ConfigureAwait(false);
        var matches = new List<(DateTimeOffset Day, char Sender, int Label, long ConversationId, long MessageId, double Score)>();
        foreach (var cell in cells)
        {
            if (VoiceSeries.TryParseMention(cell.Dimension, out var sender, out var label, out var conversationId, out var messageId)
                && VoiceSeries.InScope(sender, query.Scope) && (query.Sentiment is null || query.Sentiment == label))
            {
                matches.Add((cell.BucketStart, sender, label, conversationId, messageId, cell.Count == 0 ? 0 : cell.Sum / cell.Count));
            }
        }

        matches.Sort(static (a, b) => b.Day.CompareTo(a.Day) is var c && c != 0 ? c : b.MessageId.CompareTo(a.MessageId));
        var page = new List<KeywordMessage>();
        foreach (var match in matches.Skip(query.Offset).Take(query.Limit))
        {
            var message = await _conversations.GetMessageAsync(tenantId, match.ConversationId, match.MessageId, cancellationToken).ConfigureAwait(false);
            var senderKind = match.Sender == 'v' ? Kefu.Events.ParticipantKind.Visitor : Kefu.Events.ParticipantKind.Agent;
            page.Add(new KeywordMessage(match.ConversationId, match.MessageId, message?.SenderKind ?? senderKind, message?.SentAt ?? match.Day,
                message?.Text, new Kefu.Model.TextSentiment(match.Label, (float)match.Score)));
        }

        return new KeywordMessagePage(matches.Count, page);
    }

    public ValueTask<VoiceVocabulary> GetVocabularyAsync(long tenantId, CancellationToken cancellationToken = default) =>
        _vocabularies.CurrentAsync(tenantId, cancellationToken);

    public ValueTask<VoiceVocabulary> AddStopWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default) =>
        ChangeStopWordsAsync(tenantId, words, stopped: true, cancellationToken);

    public ValueTask<VoiceVocabulary> RemoveStopWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default) =>
        ChangeStopWordsAsync(tenantId, words, stopped: false, cancellationToken);

    public ValueTask<VoiceVocabulary> SetFocusWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default)
    {
        var list = CheckWords(words, nameof(VoiceVocabulary.FocusWords), MaxFocusWords);
        return _vocabularies.UpdateAsync(tenantId, v => v with { FocusWords = list }, _time.GetUtcNow(), cancellationToken);
    }

    public ValueTask<VoiceVocabulary> SetUserWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default)
    {
        var list = CheckWords(words, nameof(VoiceVocabulary.UserWords), MaxUserWords);
        return _vocabularies.UpdateAsync(tenantId, v => v with { UserWords = list }, _time.GetUtcNow(), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<NewWordCandidate>> DiscoverNewWordsAsync(long tenantId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        CheckRange(from, to);
        var texts = new List<string>();
        var query = new HistoryQuery { From = VoiceSeries.Start(from), To = VoiceSeries.Start(to.AddDays(1)), PageSize = HistoryQuery.MaxPageSize };
        var read = 0;
        while (read < _options.NewWordMaxConversations)
        {
            var page = await _conversations.SearchConversationsAsync(tenantId, query with { Offset = read }, cancellationToken).ConfigureAwait(false);
            foreach (var conversation in page.Items.Take(_options.NewWordMaxConversations - read))
            {
                foreach (var message in await _conversations.GetMessagesAsync(tenantId, conversation.Id, null, MaxMessagesPerConversation, cancellationToken).ConfigureAwait(false))
                {
                    if (message.Text is { Length: > 0 } t && message.SenderKind is Kefu.Events.ParticipantKind.Visitor or Kefu.Events.ParticipantKind.Agent && !message.Recalled)
                    {
                        texts.Add(t.Length > _options.MaxTextLength ? t[.._options.MaxTextLength] : t);
                    }
                }
            }

            read += page.Items.Count;
            if (page.Items.Count < query.PageSize)
            {
                break;
            }
        }

        var vocabulary = await _vocabularies.CurrentAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var known = new HashSet<string>(vocabulary.UserWords.Concat(vocabulary.FocusWords), StringComparer.Ordinal);
        var discovery = new NewWordDiscovery(_text.Segmenter, StopWords.Default, _options.NewWords);
        return [.. discovery.Discover(texts, cancellationToken).Where(c => !known.Contains(c.Word))];
    }

    public ValueTask<VoiceVocabulary> AddUserWordsAsync(long tenantId, IEnumerable<string> words, CancellationToken cancellationToken = default)
    {
        var list = CheckWords(words, nameof(VoiceVocabulary.UserWords), MaxUserWords);
        return _vocabularies.UpdateAsync(tenantId, v =>
        {
            var merged = v.UserWords.Concat(list).Distinct(StringComparer.Ordinal).ToArray();
            if (merged.Length > MaxUserWords)
            {
                throw new KefuValidationException(nameof(VoiceVocabulary.UserWords), string.Create(CultureInfo.InvariantCulture, $"at most {MaxUserWords} words"), Was(merged.Length));
            }

            return v with { UserWords = merged };
        }, _time.GetUtcNow(), cancellationToken);
    }

    private ValueTask<VoiceVocabulary> ChangeStopWordsAsync(long tenantId, IEnumerable<string> words, bool stopped, CancellationToken cancellationToken)
    {
        var list = CheckWords(words, "StopWords", MaxStopWords);
        var tomorrow = Today.AddDays(1);
        return _vocabularies.UpdateAsync(tenantId, v =>
        {
            var changes = v.StopWordChanges.ToList();
            foreach (var word in list)
            {
                // A second change of a word for the same day replaces the first.
                changes.RemoveAll(c => c.Word == word && c.EffectiveFrom == tomorrow);
                changes.Add(new StopWordChange(word, stopped, tomorrow));
            }

            // Keep the history compact: of the changes that have taken effect, only each word's latest matters.
            var listed = changes.Where(c => c.EffectiveFrom <= Today).GroupBy(c => c.Word, StringComparer.Ordinal).Select(g => g.Last()).Where(c => c.Stopped);
            var pending = changes.Where(c => c.EffectiveFrom > Today);
            var compacted = listed.Concat(pending).ToList();
            if (compacted.Select(c => c.Word).Distinct(StringComparer.Ordinal).Count() > MaxStopWords)
            {
                throw new KefuValidationException("StopWords", string.Create(CultureInfo.InvariantCulture, $"at most {MaxStopWords} words"));
            }

            return v with { StopWordChanges = compacted };
        }, _time.GetUtcNow(), cancellationToken);
    }

    private async ValueTask<Dictionary<string, (long Count, double Sum)>> KeywordTotalsAsync(long tenantId, VoiceScope scope, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var cells = await QueryAsync(tenantId, VoiceSeries.Keyword, from, to, cancellationToken).ConfigureAwait(false);
        var totals = new Dictionary<string, (long Count, double Sum)>(StringComparer.Ordinal);
        var lookup = totals.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var cell in cells)
        {
            if (cell.Dimension.Length < 3 || !VoiceSeries.InScope(cell.Dimension[0], scope))
            {
                continue;
            }

            var word = cell.Dimension.AsSpan(2);
            lookup.TryGetValue(word, out var total);
            lookup[word] = (total.Count + cell.Count, total.Sum + cell.Sum);
        }

        return totals;
    }

    private ValueTask<IReadOnlyList<AggregateCell>> QueryAsync(long tenantId, string series, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        _aggregates.QueryAsync(tenantId, series, BucketGranularity.Day, VoiceSeries.Start(from), VoiceSeries.Start(to.AddDays(1)), cancellationToken);

    private void CheckRange(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new KefuValidationException("To", "on or after From", string.Create(CultureInfo.InvariantCulture, $"was {to:yyyy-MM-dd}, before {from:yyyy-MM-dd}"));
        }

        var days = to.DayNumber - from.DayNumber + 1;
        if (days > _options.MaxRangeDays)
        {
            throw new KefuValidationException("To", string.Create(CultureInfo.InvariantCulture, $"at most {_options.MaxRangeDays} days after From"), Was(days) + " days");
        }
    }

    private static void CheckScope(VoiceScope scope)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new KefuValidationException("Scope", "Visitor or All", $"was {scope}");
        }
    }

    private static string CheckWord(string? word, string field)
    {
        var folded = word is null ? "" : TextFold.Fold(word.Trim());
        if (folded.Length is 0 or > MaxWordLength)
        {
            throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"a word of 1–{MaxWordLength} characters"), word is null ? "was null" : $"was '{word}'");
        }

        return folded;
    }

    private static string[] CheckWords(IEnumerable<string> words, string field, int max)
    {
        ArgumentNullException.ThrowIfNull(words);
        var list = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var folded = CheckWord(word, field);
            if (seen.Add(folded))
            {
                list.Add(folded);
            }
        }

        if (list.Count > max)
        {
            throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"at most {max} words"), Was(list.Count));
        }

        return [.. list];
    }

    private static string Range(int min, int max) => string.Create(CultureInfo.InvariantCulture, $"{min}–{max}");

    private static string Was(int value) => string.Create(CultureInfo.InvariantCulture, $"was {value}");
}
