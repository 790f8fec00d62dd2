namespace Kefu.Benchmarks.Verbs;

/// <summary>One command of the benchmark console: <c>Kefu.Benchmarks &lt;name&gt; [arguments]</c>.</summary>
internal interface IVerb
{
    /// <summary>The word that selects the verb on the command line.</summary>
    string Name { get; }

    /// <summary>What the verb does, in one line.</summary>
    string Summary { get; }

    /// <summary>The verb's arguments, one per line, printed under the summary in the help text.</summary>
    string Usage { get; }

    /// <summary>Runs the verb with the arguments after its name; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    Task<int> RunAsync(string[] args);
}

/// <summary>The exit codes every verb uses.</summary>
internal static class ExitCodes
{
    /// <summary>The verb ran and everything it checked passed.</summary>
    public const int Success = 0;

    /// <summary>The verb ran but something failed: a benchmark did not run, a goal was missed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong; the usage was printed.</summary>
    public const int Usage = 2;
}
