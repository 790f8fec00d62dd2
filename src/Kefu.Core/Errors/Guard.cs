using System.Text.RegularExpressions;

namespace Kefu;

/// <summary>Validation helpers that throw <see cref="KefuValidationException"/> naming the field and the allowed range.</summary>
internal static partial class Guard
{
    public static void Range(int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, $"between {min} and {max}", $"was {value}");
        }
    }

    public static void Range(TimeSpan value, TimeSpan min, TimeSpan max, string field, string allowed)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, allowed, $"was {value}");
        }
    }

    public static void Length(string? value, int min, int max, string field)
    {
        if (value is null || value.Length < min || value.Length > max)
        {
            throw new KefuValidationException(field, $"{min}–{max} characters", value is null ? "was null" : $"had {value.Length} characters");
        }
    }

    public static string Text(string? value, int maxLength, string field, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                throw new KefuValidationException(field, $"a non-empty text of at most {maxLength} characters");
            }

            return string.Empty;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            throw new KefuValidationException(field, $"a non-empty text of at most {maxLength} characters", $"had {trimmed.Length} characters");
        }

        return trimmed;
    }

    public static string? OptionalText(string? value, int maxLength, string field)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            throw new KefuValidationException(field, $"at most {maxLength} characters", $"had {trimmed.Length} characters");
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    public static void Identifier(string? value, string field)
    {
        if (value is null || value.Length > 64 || !IdentifierPattern().IsMatch(value))
        {
            throw new KefuValidationException(field, "1–64 characters matching [A-Za-z_][A-Za-z0-9_]*", $"was '{value}'");
        }
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
