using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kefu.Benchmarks.Bots;

/// <summary>
/// A percentile of the time of one invocation of a benchmark, in µs: BenchmarkDotNet reports means of whole
/// iterations, which hide the slow tail that a p99 shows. Measured by a <see cref="LatencyProbe"/> when the summary is
/// printed, in this (the host) process.
/// </summary>
internal sealed class LatencyColumn(LatencyProbe probe, double fraction, string name) : IColumn
{
    public string Id => $"{nameof(LatencyColumn)}.{name}";

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)(fraction * 100);

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => string.Create(CultureInfo.InvariantCulture,
        $"{fraction * 100:0}th percentile (nearest rank) of {probe.Invocations:N0} single invocations timed with Stopwatch after a warm-up, in µs (measured in the host process)");

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        ArgumentNullException.ThrowIfNull(summary);
        var sorted = probe.Measure(summary, benchmarkCase);
        return sorted.Length == 0 ? "-" : LatencyProbe.Percentile(sorted, fraction).ToString("F2", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}

/// <summary>
/// Times single invocations of the benchmark cases of a summary: for each benchmark class and set of parameters in
/// turn, a new instance with those parameters and its global set-up, then for each of its methods at least
/// <see cref="Invocations"/> invocations and a second of warm-up (so that the JIT has promoted the code) and
/// <see cref="Invocations"/> invocations timed one by one; then its global clean-up, and the instance is dropped before
/// the next one is made, so one instance's data does not slow another's collections. Results are kept per case, so
/// every column of a row reads the same measurement.
/// </summary>
internal sealed class LatencyProbe(int invocations)
{
    private readonly Dictionary<BenchmarkCase, double[]> _results = [];

    /// <summary>The invocations timed per case.</summary>
    public int Invocations => invocations;

    /// <summary>The case's invocation times in µs, ascending; empty when the case could not be run here (it takes arguments).</summary>
    public double[] Measure(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (!_results.TryGetValue(benchmarkCase, out var times))
        {
            var siblings = summary.BenchmarksCases
                .Where(c => c.Descriptor.Type == benchmarkCase.Descriptor.Type && c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo)
                .DistinctBy(c => c.Descriptor.WorkloadMethod)
                .ToList();
            if (!siblings.Contains(benchmarkCase))
            {
                siblings.Add(benchmarkCase);
            }

            foreach (var (c, measured) in Run(benchmarkCase, siblings))
            {
                _results[c] = measured;
            }

            times = _results[benchmarkCase];
        }

        return times;
    }

    /// <summary>The nearest-rank percentile of ascending <paramref name="sorted"/>.</summary>
    public static double Percentile(double[] sorted, double fraction)
        => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private List<(BenchmarkCase Case, double[] Times)> Run(BenchmarkCase first, List<BenchmarkCase> cases)
    {
        var descriptor = first.Descriptor;
        var instance = Activator.CreateInstance(descriptor.Type) ?? throw new InvalidOperationException($"{descriptor.Type} could not be created.");
        foreach (var parameter in first.Parameters.Items)
        {
            if (descriptor.Type.GetProperty(parameter.Name) is { } property)
            {
                property.SetValue(instance, parameter.Value);
            }
            else
            {
                descriptor.Type.GetField(parameter.Name)?.SetValue(instance, parameter.Value);
            }
        }

        descriptor.GlobalSetupMethod?.Invoke(instance, null);
        var results = new List<(BenchmarkCase, double[])>(cases.Count);
        foreach (var c in cases)
        {
            var method = c.Descriptor.WorkloadMethod;
            results.Add((c, method.GetParameters().Length > 0 || c.HasArguments ? [] : Time(instance, method)));
        }

        descriptor.GlobalCleanupMethod?.Invoke(instance, null);
        return results;
    }

    private double[] Time(object instance, System.Reflection.MethodInfo method)
    {
        // A compiled call rather than MethodInfo.Invoke: no boxing or reflection in what is timed.
        var invoke = Expression.Lambda<Action>(Expression.Call(Expression.Constant(instance), method)).Compile();
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < invocations || warmUp.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            invoke();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var times = new double[invocations];
        for (var i = 0; i < invocations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            invoke();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return times;
    }
}
