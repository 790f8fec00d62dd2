using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kefu.Benchmarks.Verbs;

/// <summary>
/// A flag a verb accepts, written <c>--name value</c> (or <c>--name=value</c>), or <c>--name</c> alone for a switch.
/// <paramref name="Expected"/> describes the allowed values ("an integer from 1 to 10000") and appears in every
/// error about the flag; <paramref name="IsValid"/> checks a value.
/// </summary>
internal sealed record Flag(string Name, string Description, bool TakesValue, string Expected, Func<string, bool> IsValid)
{
    /// <summary>Whether the command line must give the flag.</summary>
    public bool IsRequired { get; init; }

    /// <summary>A flag without a value: present or not.</summary>
    public static Flag Switch(string name, string description) => new(name, description, TakesValue: false, "no value", static _ => true);

    /// <summary>A flag whose value is an integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Flag Int(string name, string description, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        return new(name, description, TakesValue: true, $"an integer from {min} to {max}",
            value => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max);
    }

    /// <summary>
    /// A flag whose value is a finite number (invariant culture: <c>1620</c>, <c>0.5</c>, <c>1e3</c>) from
    /// <paramref name="min"/> to <paramref name="max"/>; with <paramref name="minExclusive"/>, greater than
    /// <paramref name="min"/> rather than equal to it or more.
    /// </summary>
    public static Flag Double(string name, string description, double min, double max, bool minExclusive = false)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        var expected = minExclusive
            ? string.Create(CultureInfo.InvariantCulture, $"a number greater than {min} and at most {max}")
            : string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}");
        return new(name, description, TakesValue: true, expected,
            value => TryParseDouble(value, out var x) && (minExclusive ? x > min : x >= min) && x <= max);
    }

    /// <summary>Parses a <see cref="Double"/> flag's value: a finite number in the invariant culture.</summary>
    internal static bool TryParseDouble(string value, out double number)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>A flag whose value is any non-blank text, such as a path.</summary>
    public static Flag Text(string name, string description, string expected = "a non-blank text")
        => new(name, description, TakesValue: true, expected, static value => !string.IsNullOrWhiteSpace(value));

    /// <summary>A flag whose value is one of <paramref name="choices"/> (compared ordinally).</summary>
    public static Flag OneOf(string name, string description, params string[] choices)
    {
        ArgumentOutOfRangeException.ThrowIfZero(choices.Length);
        return new(name, description, TakesValue: true, $"one of {string.Join(", ", choices)}",
            value => choices.Contains(value, StringComparer.Ordinal));
    }

    /// <summary>The flag as written on the command line: <c>--name</c>.</summary>
    public string Option => "--" + Name;

    /// <summary>One line of a verb's usage text: the flag, its value, what it does and the allowed values.</summary>
    public string UsageLine => TakesValue
        ? $"{Option} <value>  {Description}; {Expected}{(IsRequired ? " (required)" : string.Empty)}."
        : $"{Option}  {Description}.";
}

/// <summary>The flags found on a command line, with their values as given (already validated).</summary>
internal sealed class ParsedFlags(IReadOnlyDictionary<string, string?> values)
{
    /// <summary>Whether the flag was given.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>The flag's value, or <paramref name="fallback"/> when it was not given.</summary>
    public string GetText(string name, string fallback) => values.GetValueOrDefault(name) ?? fallback;

    /// <summary>The value of a flag made with <see cref="Flag.Int"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public int GetInt(string name, int fallback)
        => values.GetValueOrDefault(name) is { } value ? int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The value of a flag made with <see cref="Flag.Double"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public double GetDouble(string name, double fallback)
        => values.GetValueOrDefault(name) is { } value ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// The command-line parser of every verb except <c>micro</c> (which hands its arguments to BenchmarkDotNet): only
/// the declared flags, each at most once, each value checked. On an error the verb prints the message and its usage
/// (<see cref="VerbTable.UsageError"/>) and exits with <see cref="ExitCodes.Usage"/>.
/// </summary>
internal static class FlagParser
{
    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="flags"/>. Fails, with a message naming the flag and its
    /// allowed values, on an argument that is not a flag, an unknown flag, a flag given twice, a missing or invalid
    /// value, a value given to a switch, and a required flag that is absent.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyList<Flag> flags,
        [NotNullWhen(true)] out ParsedFlags? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(flags);
        parsed = null;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                error = $"unexpected argument '{arg}'; arguments are flags, written --name value.";
                return false;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            var flag = flags.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
            if (flag is null)
            {
                error = flags.Count == 0
                    ? $"unknown flag '--{name}'; this verb takes no flags."
                    : $"unknown flag '--{name}'; the flags are {string.Join(", ", flags.Select(f => f.Option))}.";
                return false;
            }

            if (values.ContainsKey(name))
            {
                error = $"{flag.Option} is given twice.";
                return false;
            }

            string? value;
            if (!flag.TakesValue)
            {
                if (equals >= 0)
                {
                    error = $"{flag.Option} takes no value, but was given '{arg[(equals + 1)..]}'.";
                    return false;
                }

                value = null;
            }
            else
            {
                if (equals >= 0)
                {
                    value = arg[(equals + 1)..];
                }
                else if (i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"{flag.Option} needs a value: {flag.Expected}.";
                    return false;
                }
                else
                {
                    value = args[++i];
                }

                if (!flag.IsValid(value))
                {
                    error = $"{flag.Option} must be {flag.Expected}, not '{value}'.";
                    return false;
                }
            }

            values[name] = value;
        }

        if (flags.FirstOrDefault(f => f.IsRequired && !values.ContainsKey(f.Name)) is { } missing)
        {
            error = $"{missing.Option} is required: {missing.Expected}.";
            return false;
        }

        parsed = new ParsedFlags(values);
        error = null;
        return true;
    }

    /// <summary>The usage lines of <paramref name="flags"/>, one per flag, for a verb's <see cref="IVerb.Usage"/>.</summary>
    public static string Describe(IReadOnlyList<Flag> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return string.Join('\n', flags.Select(f => f.UsageLine));
    }
}
