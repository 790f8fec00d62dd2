using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Storage;

namespace Kefu.Analytics.Reporting;

/// <summary>Custom reports over the aggregates <see cref="ReportingSink"/> keeps, and their saved definitions.</summary>
internal sealed partial class Reports : IReports
{
    public const string DocumentKind = "analytics.report";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private enum Take
    {
        Count,
        Sum,
        Average,
        Max,
        Distinct,
        Ratio,
    }

    /// <summary>How each computed metric reads its base series (the ratio divides the count of <c>Series</c> by the count of <c>Over</c>).</summary>
    private static readonly FrozenDictionary<string, (string Series, Take Take, string? Over)> Readers = new Dictionary<string, (string, Take, string?)>(StringComparer.Ordinal)
    {
        ["queue_wait_avg"] = (ReportingSeries.Queue, Take.Average, null),
        ["queue_wait_max"] = (ReportingSeries.Queue, Take.Max, null),
        ["queue_count"] = (ReportingSeries.Queue, Take.Count, null),
        ["unique_visitors"] = (ReportingSeries.Visitors, Take.Distinct, null),
        ["quality_score_avg"] = (ReportingSeries.Quality, Take.Average, null),
        ["satisfaction_avg"] = (ReportingSeries.Satisfaction, Take.Average, null),
        ["conversations"] = (ReportingSeries.Conversations, Take.Count, null),
        ["messages"] = (ReportingSeries.Conversations, Take.Sum, null),
        ["duration_avg"] = (ReportingSeries.Duration, Take.Average, null),
        ["duration_max"] = (ReportingSeries.Duration, Take.Max, null),
        ["first_response_avg"] = (ReportingSeries.FirstResponse, Take.Average, null),
        ["first_response_max"] = (ReportingSeries.FirstResponse, Take.Max, null),
        ["response_avg"] = (ReportingSeries.Response, Take.Average, null),
        ["response_max"] = (ReportingSeries.Response, Take.Max, null),
        ["messages_per_conversation_avg"] = (ReportingSeries.Conversations, Take.Average, null),
        ["messages_per_conversation_max"] = (ReportingSeries.Conversations, Take.Max, null),
        ["positive_rating_share"] = (ReportingSeries.Positive, Take.Ratio, ReportingSeries.Satisfaction),
        ["queue_abandoned"] = (ReportingSeries.Abandoned, Take.Count, null),
        ["visitors_served"] = (ReportingSeries.Served, Take.Distinct, null),
        ["conversations_created"] = (ReportingSeries.Created, Take.Count, null),
        ["conversations_not_accepted"] = (ReportingSeries.NotAccepted, Take.Count, null),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly IAggregateStore _aggregates;
    private readonly IConfigurationDocumentStore _documents;
    private readonly TimeProvider _time;

    public Reports(IAggregateStore aggregates, IConfigurationDocumentStore documents, TimeProvider time)
    {
        _aggregates = aggregates;
        _documents = documents;
        _time = time;
    }

    /// <summary>Whether the engine can compute a metric (it has a reader).</summary>
    internal static bool IsReadable(string id) => Readers.ContainsKey(id);

    public async ValueTask<ReportResult> RunAsync(long tenantId, ReportQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var metrics = CheckMetrics(query.Metrics);
        CheckDimensions(query.Dimensions);
        CheckGranularity(query.Granularity);
        CheckOffset(query.UtcOffset);
        var from = Floor(query.From);
        var to = Ceiling(query.To);
        if (to <= from)
        {
            throw new KefuValidationException(nameof(query.To), "later than From", $"was {query.To:O}, From {query.From:O}");
        }

        if (to - from > TimeSpan.FromDays(ReportQuery.MaxDays))
        {
            throw new KefuValidationException(nameof(query.To), $"at most {ReportQuery.MaxDays} days after From", $"the period is {(to - from).TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days");
        }

        var mask = ReportingSeries.Mask(query.Dimensions);
        var canonical = query.Dimensions.OrderBy(d => d).ToArray();
        var reorder = query.Dimensions.Count == 2 && query.Dimensions[0] > query.Dimensions[1];
        var offset = query.UtcOffset;
        const BucketGranularity width = BucketGranularity.Hour; // The only width the sink writes.

        // The base series read, each once, by position: a row keeps one accumulator per base series.
        var bases = new List<string>(4);
        var readers = new (int Series, Take Take, int Over)[metrics.Count];
        for (var i = 0; i < metrics.Count; i++)
        {
            var reader = Readers[metrics[i].Id];
            readers[i] = (IndexOf(bases, reader.Series), reader.Take, reader.Over is { } over ? IndexOf(bases, over) : -1);
        }

        // Periods folded in the store where it can (one total per dimension and row bucket instead of one cell per
        // hour): the whole period for Granularity.None, each day, week or month for those (distinct counts, one cell
        // per visitor, read cell by cell but for the whole period); hours read cells. Period by period, so the
        // series of one period fill the same rows.
        var totals = _aggregates as IAggregateTotalsStore;
        var periods = totals is null ? null : Periods(from, to, query.Granularity, offset);
        using var table = new RowTable(bases.Count, canonical.Length, reorder);
        var folded = new bool[bases.Count];
        if (periods is not null)
        {
            var buffer = new AggregateTotals();
            foreach (var (start, end, bucket) in periods)
            {
                var ticks = bucket?.UtcTicks ?? RowTable.NoBucket;
                for (var s = 0; s < bases.Count; s++)
                {
                    var distinct = ReportingSeries.IsDistinct(bases[s]);
                    if (distinct && query.Granularity != ReportGranularity.None)
                    {
                        continue;
                    }

                    buffer.Clear();
                    await totals!.FoldTotalsAsync(tenantId, ReportingSeries.Name(bases[s], mask), width, start, end, buffer, cancellationToken).ConfigureAwait(false);
                    table.Add(buffer, s, ticks, distinct);
                    folded[s] = true;
                }
            }
        }

        for (var s = 0; s < bases.Count; s++)
        {
            if (!folded[s])
            {
                var cells = await _aggregates.QueryAsync(tenantId, ReportingSeries.Name(bases[s], mask), width, from, to, cancellationToken).ConfigureAwait(false);
                table.Add(cells, s, query.Granularity, offset, ReportingSeries.IsDistinct(bases[s]));
            }
        }

        var result = table.Build(readers, offset);
        return new ReportResult(from, to, metrics, [.. query.Dimensions], query.Granularity, result);
    }

    public async ValueTask<ReportResult> RunSavedAsync(long tenantId, string name, CancellationToken cancellationToken = default)
    {
        var saved = await GetAsync(tenantId, name, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuValidationException(nameof(name), "the name of a saved report", $"no report is named '{name}'");
        var d = saved.Definition;
        var today = ReportingSeries.Start(_time.GetUtcNow(), BucketGranularity.Day);
        var query = new ReportQuery
        {
            From = today.AddDays(1 - d.Days),
            To = today.AddDays(1),
            Metrics = d.Metrics,
            Dimensions = d.Dimensions,
            Granularity = d.Granularity,
        };
        return await RunAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SavedReport> SaveAsync(long tenantId, ReportDefinition definition, long expectedVersion = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = CheckName(definition.Name);
        CheckMetrics(definition.Metrics);
        CheckDimensions(definition.Dimensions);
        CheckGranularity(definition.Granularity);
        if (definition.Days is < 1 or > ReportQuery.MaxDays)
        {
            throw new KefuValidationException(nameof(definition.Days), $"1–{ReportQuery.MaxDays}", $"was {definition.Days}");
        }

        if (expectedVersion < 0)
        {
            throw new KefuValidationException(nameof(expectedVersion), "0 for a new report, else the version read");
        }

        if (expectedVersion == 0 && await _documents.GetAsync(tenantId, DocumentKind, name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KefuValidationException(nameof(definition.Name), "a name no other saved report of the tenant has", $"'{name}' is taken");
        }

        var stored = definition with { Name = name, Metrics = [.. definition.Metrics], Dimensions = [.. definition.Dimensions] };
        var document = await _documents.PutAsync(tenantId, DocumentKind, name, JsonSerializer.Serialize(stored, Json), expectedVersion, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new SavedReport(stored, document.Version, document.UpdatedAt);
    }

    public async ValueTask<IReadOnlyList<SavedReport>> ListAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var documents = await _documents.ListAsync(tenantId, DocumentKind, cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(Read).OrderBy(r => r.Definition.Name, StringComparer.Ordinal)];
    }

    public async ValueTask<SavedReport?> GetAsync(long tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var document = await _documents.GetAsync(tenantId, DocumentKind, name.Trim(), cancellationToken).ConfigureAwait(false);
        return document is null ? null : Read(document);
    }

    public async ValueTask<bool> DeleteAsync(long tenantId, string name, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await _documents.DeleteAsync(tenantId, DocumentKind, name.Trim(), expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    private static SavedReport Read(ConfigurationDocument document)
    {
        var definition = JsonSerializer.Deserialize<ReportDefinition>(document.Content, Json)
            ?? throw new InvalidOperationException($"Saved report {document.Key} is empty.");
        return new SavedReport(definition, document.Version, document.UpdatedAt);
    }

    private static int IndexOf(List<string> bases, string series)
    {
        var i = bases.IndexOf(series);
        if (i < 0)
        {
            bases.Add(series);
            i = bases.Count - 1;
        }

        return i;
    }

    /// <summary>The row buckets of the period with their UTC ranges, for reading folded totals; null for Hour, read cell by cell.</summary>
    private static List<(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? Bucket)>? Periods(DateTimeOffset from, DateTimeOffset to, ReportGranularity granularity, TimeSpan offset)
    {
        if (granularity == ReportGranularity.None)
        {
            return [(from, to, null)];
        }

        if (granularity == ReportGranularity.Hour)
        {
            return null;
        }

        var periods = new List<(DateTimeOffset, DateTimeOffset, DateTimeOffset?)>();
        var bucket = Bucket(from, granularity, offset)!.Value;
        while (bucket < to)
        {
            var next = granularity switch
            {
                ReportGranularity.Day => bucket.AddDays(1),
                ReportGranularity.Week => bucket.AddDays(7),
                _ => bucket.AddMonths(1),
            };
            var start = bucket < from ? from : bucket;
            var end = next > to ? to : next;
            periods.Add((start, end, bucket));
            bucket = next;
        }

        return periods;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double? Value(in (int Series, Take Take, int Over) reader, ReadOnlySpan<Accumulator> row)
    {
        ref readonly var a = ref row[reader.Series];
        switch (reader.Take)
        {
            case Take.Count:
                return a.Count;
            case Take.Sum:
                return a.Sum;
            case Take.Distinct:
                return a.Distinct;
            case Take.Average:
                return a.Count > 0 ? a.Sum / a.Count : null;
            case Take.Max:
                return a.Count > 0 ? a.Max : null;
            default:
                var over = reader.Over < 0 ? 0 : row[reader.Over].Count;
                return over > 0 ? (double)a.Count / over : null;
        }
    }

    internal static IReadOnlyList<MetricDefinition> CheckMetrics(IReadOnlyList<string>? ids)
    {
        if (ids is null || ids.Count is < 1 or > ReportQuery.MaxMetrics)
        {
            throw new KefuValidationException("Metrics", $"1–{ReportQuery.MaxMetrics} metric ids", $"{ids?.Count ?? 0} were given");
        }

        var metrics = new List<MetricDefinition>(ids.Count);
        foreach (var id in ids)
        {
            if (id is null || MetricCatalog.Find(id) is not { } metric || !IsReadable(id))
            {
                throw new KefuValidationException("Metrics", "ids of computed metrics of MetricCatalog", $"'{id}' is not one");
            }

            if (metrics.Contains(metric))
            {
                throw new KefuValidationException("Metrics", "distinct ids", $"'{id}' is given twice");
            }

            metrics.Add(metric);
        }

        return metrics;
    }

    internal static void CheckDimensions(IReadOnlyList<ReportDimension>? dimensions)
    {
        if (dimensions is null || dimensions.Count > ReportQuery.MaxDimensions)
        {
            throw new KefuValidationException("Dimensions", $"0–{ReportQuery.MaxDimensions} dimensions", $"{dimensions?.Count} were given");
        }

        foreach (var d in dimensions)
        {
            if (!Enum.IsDefined(d))
            {
                throw new KefuValidationException("Dimensions", "Agent, VisitorTag, ChannelKind, Association, ConversationType or Validity", $"was {d}");
            }
        }

        if (dimensions.Count == 2 && dimensions[0] == dimensions[1])
        {
            throw new KefuValidationException("Dimensions", "distinct dimensions", $"{dimensions[0]} is given twice");
        }
    }

    private static void CheckGranularity(ReportGranularity granularity)
    {
        if (!Enum.IsDefined(granularity))
        {
            throw new KefuValidationException("Granularity", "None, Hour, Day, Week or Month", $"was {granularity}");
        }
    }

    private static string CheckName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > ReportDefinition.MaxNameLength)
        {
            throw new KefuValidationException("Name", $"1–{ReportDefinition.MaxNameLength} characters", $"was {(trimmed?.Length ?? 0)} characters");
        }

        return trimmed;
    }

    private static DateTimeOffset Floor(DateTimeOffset at) => ReportingSeries.Start(at, BucketGranularity.Hour);

    private static DateTimeOffset Ceiling(DateTimeOffset at)
    {
        var floor = Floor(at);
        return floor == at ? floor : floor.AddHours(1);
    }

    /// <summary>The start of the row bucket a stored bucket falls in, in the tenant's offset.</summary>
    internal static DateTimeOffset? Bucket(DateTimeOffset start, ReportGranularity granularity, TimeSpan offset)
    {
        var local = start.ToOffset(offset);
        var day = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, offset);
        return granularity switch
        {
            ReportGranularity.None => null,
            ReportGranularity.Hour => local,
            ReportGranularity.Day => day,
            ReportGranularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, offset),
        };
    }

    internal static void CheckOffset(TimeSpan offset)
    {
        if (offset < TimeSpan.FromHours(-12) || offset > TimeSpan.FromHours(14) || offset.Ticks % TimeSpan.TicksPerHour != 0)
        {
            throw new KefuValidationException("UtcOffset", "whole hours from −12:00 to +14:00", $"was {offset}");
        }
    }

    /// <summary>One base series of one row, held in the row's array (no object per row and series).</summary>
    private struct Accumulator
    {
        public long Count;
        public double Sum;
        public double Max;
        /// <summary>Distinct visitors, counted from the row table's sets before the rows are built.</summary>
        public long Distinct;

        /// <summary>Adds one cell or total.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(long count, double sum, double max)
        {
            Max = Count == 0 ? max : Math.Max(Max, max);
            Count += count;
            Sum += sum;
        }
    }
}
