using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kefu.Analytics.Voice;

/// <summary>Settings of the voice of the customer (E17 2.12, chapter 7).</summary>
public sealed class VoiceOptions
{
    /// <summary>The longest period a query covers, in days.</summary>
    /// <value>1–366; default 90.</value>
    public int MaxRangeDays { get; set; } = 90;

    /// <summary>The longest text analysed; longer messages are cut there.</summary>
    /// <value>16–100,000 characters; default 2,000.</value>
    public int MaxTextLength { get; set; } = 2000;

    /// <summary>How many conversations (newest first) new-word discovery reads.</summary>
    /// <value>10–100,000; default 5,000.</value>
    public int NewWordMaxConversations { get; set; } = 5000;

    /// <summary>The settings of new-word discovery.</summary>
    public Kefu.Analytics.Text.NewWordOptions NewWords { get; set; } = new();

    /// <summary>Throws a <see cref="KefuValidationException"/> naming the first setting out of its range.</summary>
    public void Validate()
    {
        Check(nameof(MaxRangeDays), MaxRangeDays, 1, 366);
        Check(nameof(MaxTextLength), MaxTextLength, 16, 100_000);
        Check(nameof(NewWordMaxConversations), NewWordMaxConversations, 10, 100_000);
        if (NewWords is null)
        {
            throw new KefuValidationException(nameof(NewWords), "set");
        }

        try
        {
            NewWords.Validate();
        }
        catch (KefuValidationException ex)
        {
            throw new KefuValidationException($"{nameof(NewWords)}.{ex.Field}", ex.Allowed);
        }
    }

    private static void Check(string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"{min}–{max}"), string.Create(CultureInfo.InvariantCulture, $"was {value}"));
        }
    }
}

/// <summary>Fails options validation (at start) with the setting and its allowed range.</summary>
internal sealed class VoiceOptionsValidator : IValidateOptions<VoiceOptions>
{
    public ValidateOptionsResult Validate(string? name, VoiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (KefuValidationException ex)
        {
            return ValidateOptionsResult.Fail($"VoiceOptions.{ex.Field}: {ex.Message}");
        }
    }
}
