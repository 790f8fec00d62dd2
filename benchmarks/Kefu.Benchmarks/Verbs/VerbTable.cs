namespace Kefu.Benchmarks.Verbs;

/// <summary>The verbs of the console: picks the one named by the first argument, or prints the help text.</summary>
internal sealed class VerbTable
{
    private readonly IReadOnlyList<IVerb> _verbs;
    private readonly TextWriter _out;
    private readonly TextWriter _error;

    public VerbTable(IReadOnlyList<IVerb> verbs, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(verbs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        _verbs = verbs;
        _out = output;
        _error = error;
    }

    /// <summary>
    /// Runs the verb named by <c>args[0]</c> with the remaining arguments. <c>--help</c> or <c>-h</c> prints the help
    /// text to standard output and returns 0; no arguments or an unknown verb print it to standard error and return 2.
    /// </summary>
    public Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            _error.WriteLine("No verb given.");
            WriteHelp(_error);
            return Task.FromResult(ExitCodes.Usage);
        }

        if (args[0] is "--help" or "-h")
        {
            WriteHelp(_out);
            return Task.FromResult(ExitCodes.Success);
        }

        var verb = _verbs.FirstOrDefault(v => string.Equals(v.Name, args[0], StringComparison.Ordinal));
        if (verb is null)
        {
            _error.WriteLine($"Unknown verb '{args[0]}'.");
            WriteHelp(_error);
            return Task.FromResult(ExitCodes.Usage);
        }

        return verb.RunAsync(args[1..]);
    }

    /// <summary>Prints <paramref name="message"/> and the verb's usage to standard error; returns <see cref="ExitCodes.Usage"/>.</summary>
    public static int UsageError(IVerb verb, string message, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine($"{verb.Name}: {message}");
        error.WriteLine();
        WriteVerb(verb, error);
        return ExitCodes.Usage;
    }

    private void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage: Kefu.Benchmarks <verb> [arguments]");
        writer.WriteLine();
        writer.WriteLine("Verbs:");
        foreach (var verb in _verbs)
        {
            writer.WriteLine();
            WriteVerb(verb, writer);
        }
    }

    private static void WriteVerb(IVerb verb, TextWriter writer)
    {
        writer.WriteLine($"  {verb.Name}  {verb.Summary}");
        foreach (var line in verb.Usage.Split('\n'))
        {
            writer.WriteLine($"      {line.TrimEnd('\r')}");
        }
    }
}
