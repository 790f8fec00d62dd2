using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Quality;

/// <summary>
/// Process-wide options of quality inspection (<see cref="IQualityInspection"/>), validated when the host starts. The
/// per-tenant rules are <see cref="QualityRules"/>.
/// </summary>
public sealed class QualityInspectionOptions
{
    /// <summary>The latest messages of a conversation that are inspected (a longer conversation keeps its end). <value>Default 2,000; 10–100,000.</value></summary>
    public int MaxMessages { get; set; } = 2000;

    /// <summary>The longest time range one list query may span, in days. <value>Default 93; 1–366.</value></summary>
    public int MaxListDays { get; set; } = 93;

    internal void Validate()
    {
        Range(MaxMessages, 10, 100_000, nameof(MaxMessages));
        Range(MaxListDays, 1, 366, nameof(MaxListDays));

        static void Range(int value, int min, int max, string field)
        {
            if (value < min || value > max)
            {
                throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}"),
                    string.Create(CultureInfo.InvariantCulture, $"was {value}"));
            }
        }
    }
}

/// <summary>Validates <see cref="QualityInspectionOptions"/> with the field and its allowed range.</summary>
internal sealed class QualityInspectionOptionsValidator : IValidateOptions<QualityInspectionOptions>
{
    public ValidateOptionsResult Validate(string? name, QualityInspectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (KefuValidationException ex)
        {
            return ValidateOptionsResult.Fail($"QualityInspectionOptions.{ex.Field}: {ex.Message}");
        }
    }
}
