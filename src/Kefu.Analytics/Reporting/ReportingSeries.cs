using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Kefu.Storage;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// How the reporting aggregates are laid out in <see cref="IAggregateStore"/>.
/// <para>
/// A series is a base name plus the set of dimensions its cells are broken down by:
/// <c>report.duration</c> (the total), <c>report.duration/agent</c>, <c>report.duration/agent+channel</c>. Dimensions
/// appear in <see cref="ReportDimension"/> order, so each of the 1 + 6 + 15 = 22 sets has one name, and a report
/// reads exactly the series of its dimension set. A cell's dimension is the values joined by <c>|</c>
/// (<c>42|Web</c>); the distinct-count series add <c>#</c> and the visitor id (<c>42|Web#1001</c>), one cell per
/// visitor, so distinct counts over any range are exact unions.
/// </para>
/// <para>
/// Every cell is written once, at hour granularity (UTC), so any whole-hour offset gets exact local days. Reports
/// over days, weeks, months or a whole period read each dimension's hours folded by the store when it implements
/// <see cref="IAggregateTotalsStore"/> (the in-memory store answers from prefix sums and a range maximum, whatever
/// the number of hours), else cell by cell. Day cells are not kept: they halved ingest for nothing the folded read
/// needs. Write amplification: a closed conversation with one visitor tag writes at most 8 series (up to 5 by
/// creation, 5 by pick-up, partly exclusive) × 22 dimension sets = 176 cells, and a rating 2 × 22 more; each further
/// visitor tag adds 6 sets. Distinct counts keep one cell per visitor, so multi-day and multi-week rows are exact
/// unions (a visitor seen on two days counts once in the week), at the price of reading one cell per visitor and
/// hour.
/// </para>
/// </summary>
internal static class ReportingSeries
{
    public const string Consumer = "analytics.reporting";

    /// <summary>A rating is counted once per conversation, whichever of its close or its rating comes last: idempotent by conversation id.</summary>
    public const string RatingConsumer = "analytics.reporting.rating";

    public const string None = "none";

    // Creation-time series.
    public const string Queue = "report.queue";
    public const string Abandoned = "report.abandoned";
    public const string Visitors = "report.visitors";
    public const string Created = "report.created";
    public const string NotAccepted = "report.not_accepted";

    // Pick-up-time series.
    public const string Conversations = "report.conv";
    public const string Duration = "report.duration";
    public const string FirstResponse = "report.first_response";
    public const string Response = "report.response";
    public const string Served = "report.served";
    public const string Satisfaction = "report.satisfaction";
    public const string Positive = "report.satisfaction.positive";
    public const string Quality = "report.quality";

    public const char ValueSeparator = '|';
    public const char VisitorSeparator = '#';

    private const int DimensionNamesCount = 6;

    private static readonly ImmutableArray<string> DimensionNames = ["agent", "tag", "channel", "association", "type", "validity"];

    public static int DimensionCount => DimensionNames.Length;

    /// <summary>Every set of at most two dimensions, as bit masks: the total, the singles, the pairs.</summary>
    public static readonly ImmutableArray<int> DimensionSets = BuildSets();

    private static ImmutableArray<int> BuildSets()
    {
        var sets = new List<int> { 0 };
        for (var i = 0; i < DimensionNames.Length; i++)
        {
            sets.Add(1 << i);
        }

        for (var i = 0; i < DimensionNames.Length; i++)
        {
            for (var j = i + 1; j < DimensionNames.Length; j++)
            {
                sets.Add((1 << i) | (1 << j));
            }
        }

        return [.. sets];
    }

    public static int Mask(IReadOnlyList<ReportDimension> dimensions)
    {
        var mask = 0;
        foreach (var d in dimensions)
        {
            mask |= 1 << (int)d;
        }

        return mask;
    }

    private static readonly ImmutableArray<string> Bases = [Queue, Abandoned, Visitors, Created, NotAccepted, Conversations, Duration, FirstResponse, Response, Served, Satisfaction, Positive, Quality];

    // Positions in Bases, for writing by number.
    public const int QueueIndex = 0;
    public const int AbandonedIndex = 1;
    public const int VisitorsIndex = 2;
    public const int CreatedIndex = 3;
    public const int NotAcceptedIndex = 4;
    public const int ConversationsIndex = 5;
    public const int DurationIndex = 6;
    public const int FirstResponseIndex = 7;
    public const int ResponseIndex = 8;
    public const int ServedIndex = 9;

    /// <summary>The base series names by position.</summary>
    public static ImmutableArray<string> BaseNames => Bases;

    /// <summary>Every series name by base position and mask, built once so ingest allocates no names.</summary>
    private static readonly string[][] NamesByIndex = [.. Bases.Select(b => Enumerable.Range(0, 1 << DimensionNamesCount).Select(m => Build(b, m)).ToArray())];

    /// <summary>The series name of the base series at <paramref name="index"/> broken down by <paramref name="mask"/>.</summary>
    public static string Name(int index, int mask) => NamesByIndex[index][mask];

    /// <summary>Whether the base series at <paramref name="index"/> counts distinct visitors (one cell per visitor).</summary>
    public static bool IsDistinct(int index) => index is VisitorsIndex or ServedIndex;

    /// <summary>Whether base series <paramref name="baseSeries"/> counts distinct visitors (one cell per visitor).</summary>
    public static bool IsDistinct(string baseSeries) => baseSeries is Visitors or Served;

    /// <summary>Every series name by base and mask, built once so ingest allocates no names.</summary>
    private static readonly FrozenDictionary<string, string[]> Names = Bases.Select((b, i) => (b, i)).ToFrozenDictionary(
        p => p.b, p => NamesByIndex[p.i], StringComparer.Ordinal);

    /// <summary>The series names of a base series by mask, or null for a base series not in the table.</summary>
    public static string[]? NamesOf(string baseSeries) => Names.GetValueOrDefault(baseSeries);

    /// <summary>The series name of a base series broken down by the dimensions in <paramref name="mask"/>.</summary>
    public static string Name(string baseSeries, int mask) =>
        Names.TryGetValue(baseSeries, out var names) && (uint)mask < (uint)names.Length ? names[mask] : Build(baseSeries, mask);

    private static string Build(string baseSeries, int mask)
    {
        if (mask == 0)
        {
            return baseSeries;
        }

        var parts = new List<string>(2);
        for (var i = 0; i < DimensionNames.Length; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                parts.Add(DimensionNames[i]);
            }
        }

        return baseSeries + "/" + string.Join('+', parts);
    }

    public static DateTimeOffset Start(DateTimeOffset at, BucketGranularity width)
    {
        var utc = at.UtcTicks;
        var size = width switch
        {
            BucketGranularity.Minute => TimeSpan.TicksPerMinute,
            BucketGranularity.Hour => TimeSpan.TicksPerHour,
            _ => TimeSpan.TicksPerDay,
        };
        return new DateTimeOffset(utc - (utc % size), TimeSpan.Zero);
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A rating on the 1–5 scale: level ℓ of n scores 1 + 4(ℓ − 1)/(n − 1).</summary>
    public static double SatisfactionScore(int level, int levelCount) =>
        levelCount <= 1 ? 5 : 1 + (4.0 * (Math.Clamp(level, 1, levelCount) - 1) / (levelCount - 1));

    /// <summary>Whether a 1–5 score is a positive rating (好评).</summary>
    public static bool IsPositive(double score) => score >= 4 - 1e-9;
}
