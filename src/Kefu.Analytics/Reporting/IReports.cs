namespace Kefu.Analytics.Reporting;

/// <summary>A custom report to run (E17 1.8): a period, metrics, dimensions and a time granularity.</summary>
public sealed record ReportQuery
{
    /// <summary>The longest period, in days.</summary>
    public const int MaxDays = 90;

    /// <summary>The most metrics in one report.</summary>
    public const int MaxMetrics = 10;

    /// <summary>The most dimensions in one report.</summary>
    public const int MaxDimensions = 2;

    /// <summary>The start of the period, included; rounded down to the hour.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The end of the period, excluded; rounded up to the hour. At most <see cref="MaxDays"/> days after <see cref="From"/>.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>1–10 ids of computed metrics of <see cref="MetricCatalog"/>, in the order of the result's columns.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>0–2 distinct dimensions, in the order of the rows' dimension values.</summary>
    /// <value>Default none: one row per time bucket.</value>
    public IReadOnlyList<ReportDimension> Dimensions { get; init; } = [];

    /// <summary>The time buckets of the rows.</summary>
    /// <value>Default <see cref="ReportGranularity.None"/>: the whole period in one bucket.</value>
    public ReportGranularity Granularity { get; init; } = ReportGranularity.None;

    /// <summary>
    /// The tenant's offset from UTC: days, weeks and months start at its midnight. Whole hours from −12 to +14 (the
    /// finest stored bucket is an hour).
    /// </summary>
    /// <value>Default zero (UTC).</value>
    public TimeSpan UtcOffset { get; init; }
}

/// <summary>One row of a report: a combination of dimension values in one time bucket.</summary>
/// <param name="DimensionValues">The values of the query's dimensions, in its order (see <see cref="ReportDimension"/> for the values).</param>
/// <param name="BucketStart">The start of the time bucket, null with <see cref="ReportGranularity.None"/>.</param>
/// <param name="Values">The metrics' values in the query's order: counts and sums are 0 when nothing happened; averages, maxima and ratios are null without observations.</param>
public sealed record ReportRow(IReadOnlyList<string> DimensionValues, DateTimeOffset? BucketStart, IReadOnlyList<double?> Values);

/// <summary>A report's result.</summary>
/// <param name="From">The start of the period, as used.</param>
/// <param name="To">The end of the period, as used.</param>
/// <param name="Metrics">The metrics, the columns of <see cref="ReportRow.Values"/>.</param>
/// <param name="Dimensions">The dimensions.</param>
/// <param name="Granularity">The time granularity.</param>
/// <param name="Rows">The rows that have data, by time bucket and then by dimension values.</param>
public sealed record ReportResult(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<MetricDefinition> Metrics,
    IReadOnlyList<ReportDimension> Dimensions,
    ReportGranularity Granularity,
    IReadOnlyList<ReportRow> Rows);

/// <summary>A custom report a tenant saves under a unique name; it runs over the last <see cref="Days"/> days.</summary>
public sealed record ReportDefinition
{
    /// <summary>The longest name.</summary>
    public const int MaxNameLength = 50;

    /// <summary>The report's name (报表名称), 1–50 characters, unique in the tenant (compared as written, trimmed).</summary>
    public required string Name { get; init; }

    /// <summary>1–10 metric ids.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>0–2 dimensions.</summary>
    public IReadOnlyList<ReportDimension> Dimensions { get; init; } = [];

    /// <summary>The time granularity.</summary>
    /// <value>Default <see cref="ReportGranularity.Day"/>.</value>
    public ReportGranularity Granularity { get; init; } = ReportGranularity.Day;

    /// <summary>The period: the last 1–90 days, today included.</summary>
    /// <value>Default 7.</value>
    public int Days { get; init; } = 7;
}

/// <summary>A saved report definition with its version for optimistic concurrency.</summary>
/// <param name="Definition">The definition.</param>
/// <param name="Version">The stored version: pass it back to change or delete the report.</param>
/// <param name="UpdatedAt">When this version was saved.</param>
public sealed record SavedReport(ReportDefinition Definition, long Version, DateTimeOffset UpdatedAt);

/// <summary>
/// Custom reports (P1, E17 1.8) over the aggregates the reporting sink keeps from the engine's events: any period of
/// up to 90 days, up to 10 metrics, up to 2 dimensions, by hour, day, week or month. A conversation is counted once
/// it closes. Definitions are saved per tenant under a unique name.
/// </summary>
public interface IReports
{
    /// <summary>Runs a report.</summary>
    /// <exception cref="KefuValidationException">A limit is exceeded (the field and the limit are named) or a metric id is unknown.</exception>
    ValueTask<ReportResult> RunAsync(long tenantId, ReportQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runs a saved report over its last days, today (UTC) included.</summary>
    /// <exception cref="KefuValidationException">No report has this name.</exception>
    ValueTask<ReportResult> RunSavedAsync(long tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a definition: a new one with <paramref name="expectedVersion"/> 0, a change with the version read before.
    /// </summary>
    /// <exception cref="KefuValidationException">The definition breaks a limit, or the name is taken (saving a new report).</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the stored version differs.</exception>
    ValueTask<SavedReport> SaveAsync(long tenantId, ReportDefinition definition, long expectedVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>The tenant's saved reports, by name.</summary>
    ValueTask<IReadOnlyList<SavedReport>> ListAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>A saved report, or null.</summary>
    ValueTask<SavedReport?> GetAsync(long tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a saved report if its version is <paramref name="expectedVersion"/>; false when it did not exist.</summary>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the stored version differs.</exception>
    ValueTask<bool> DeleteAsync(long tenantId, string name, long expectedVersion, CancellationToken cancellationToken = default);
}
