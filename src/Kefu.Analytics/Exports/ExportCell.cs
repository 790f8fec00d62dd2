using System.Globalization;

namespace Kefu.Analytics.Exports;

/// <summary>What an <see cref="ExportCell"/> holds.</summary>
public enum ExportCellKind
{
    /// <summary>Nothing: an empty field or cell.</summary>
    Empty,
    /// <summary>Text.</summary>
    Text,
    /// <summary>A number.</summary>
    Number,
    /// <summary>A calendar date.</summary>
    Date,
    /// <summary>A date and time of day, as a clock reads it (the column's unit names the offset from UTC).</summary>
    DateTime,
    /// <summary>A share, 0.5 meaning 50 %.</summary>
    Percentage,
}

/// <summary>One typed value of an <see cref="ExportTable"/> row. The default value is empty.</summary>
public readonly record struct ExportCell
{
    private ExportCell(ExportCellKind kind, string? text, double number, DateTime dateTime)
    {
        Kind = kind;
        Text = text;
        Number = number;
        DateTime = dateTime;
    }

    /// <summary>An empty cell.</summary>
    public static ExportCell Empty => default;

    /// <summary>What the cell holds.</summary>
    public ExportCellKind Kind { get; }

    /// <summary>The text of a <see cref="ExportCellKind.Text"/> cell, otherwise null.</summary>
    public string? Text { get; }

    /// <summary>The value of a <see cref="ExportCellKind.Number"/> or <see cref="ExportCellKind.Percentage"/> cell, otherwise 0.</summary>
    public double Number { get; }

    /// <summary>The value of a <see cref="ExportCellKind.Date"/> (at midnight) or <see cref="ExportCellKind.DateTime"/> cell.</summary>
    public DateTime DateTime { get; }

    /// <summary>A text cell; empty when <paramref name="text"/> is null.</summary>
    public static ExportCell FromText(string? text) => text is null ? default : new(ExportCellKind.Text, text, 0, default);

    /// <summary>A number cell; empty when <paramref name="number"/> is null, NaN or infinite.</summary>
    public static ExportCell FromNumber(double? number) =>
        number is { } n && double.IsFinite(n) ? new(ExportCellKind.Number, null, n, default) : default;

    /// <summary>A share cell (0.5 is 50 %); empty when <paramref name="share"/> is null, NaN or infinite.</summary>
    public static ExportCell FromPercentage(double? share) =>
        share is { } n && double.IsFinite(n) ? new(ExportCellKind.Percentage, null, n, default) : default;

    /// <summary>A date cell; empty when <paramref name="date"/> is null.</summary>
    public static ExportCell FromDate(DateOnly? date) =>
        date is { } d ? new(ExportCellKind.Date, null, 0, d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified)) : default;

    /// <summary>A date-and-time cell showing the clock time of <paramref name="at"/> in <paramref name="utcOffset"/>; empty when <paramref name="at"/> is null.</summary>
    public static ExportCell FromDateTime(DateTimeOffset? at, TimeSpan utcOffset) =>
        at is { } a ? new(ExportCellKind.DateTime, null, 0, DateTime.SpecifyKind(a.ToOffset(utcOffset).DateTime, DateTimeKind.Unspecified)) : default;

    /// <summary>A date-and-time cell showing <paramref name="clockTime"/> as it is.</summary>
    public static ExportCell FromDateTime(DateTime clockTime) =>
        new(ExportCellKind.DateTime, null, 0, DateTime.SpecifyKind(clockTime, DateTimeKind.Unspecified));

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ExportCellKind.Text => Text ?? string.Empty,
        ExportCellKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        ExportCellKind.Percentage => Number.ToString("P2", CultureInfo.InvariantCulture),
        ExportCellKind.Date => DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ExportCellKind.DateTime => DateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };
}
