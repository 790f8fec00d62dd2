using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kefu.Benchmarks.Verbs;

/// <summary>Runs the BenchmarkDotNet micro-benchmarks of this assembly, passing the arguments through unchanged.</summary>
internal sealed class MicroVerb : IVerb
{
    public string Name => "micro";

    public string Summary => "Runs the BenchmarkDotNet micro-benchmarks (each class measured against its baseline).";

    public string Usage => """
        [BenchmarkDotNet arguments], passed through unchanged, for example:
          --filter '*Engine*'              run the classes whose name contains Engine
          --filter '*Engine*' --job dry    run each benchmark once: a smoke test
          --list flat                      list the benchmarks without running them
        Exits 1 when a benchmark failed to build or run, or was refused by validation.
        """;

    public Task<int> RunAsync(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        var failures = summaries.SelectMany(Failures).ToList();
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"micro: {failure}");
        }

        return Task.FromResult(failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure);
    }

    /// <summary>What went wrong in one summary: validation errors that stopped it, and benchmarks without results.</summary>
    internal static IEnumerable<string> Failures(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.HasCriticalValidationErrors)
        {
            foreach (var error in summary.ValidationErrors.Where(e => e.IsCritical))
            {
                yield return $"{summary.Title}: {error.Message}";
            }
        }

        foreach (var benchmark in summary.BenchmarksCases)
        {
            var report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase == benchmark);
            if (report is null || !report.Success || report.ResultStatistics is null)
            {
                yield return $"{benchmark.DisplayInfo} failed to run.";
            }
        }
    }
}
