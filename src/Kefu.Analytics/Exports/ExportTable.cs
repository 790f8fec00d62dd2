using System.Runtime.CompilerServices;

namespace Kefu.Analytics.Exports;

/// <summary>A column of an <see cref="ExportTable"/>.</summary>
/// <param name="Header">The header, in the export's language.</param>
/// <param name="Kind">What the column's cells hold (it picks the xlsx number format; a cell's own kind decides how it is written).</param>
/// <param name="Unit">The unit, shown after the header in brackets, for example <c>秒</c> or <c>UTC+08:00</c>; null for none.</param>
/// <param name="Decimals">
/// For number columns: numbers are written rounded to this many decimals in CSV and shown with them in xlsx (the xlsx
/// cell keeps the full value); null writes them as they are.
/// </param>
public sealed record ExportColumn(string Header, ExportCellKind Kind = ExportCellKind.Text, string? Unit = null, int? Decimals = null)
{
    /// <summary>The header with its unit, as written: <c>Header (Unit)</c>.</summary>
    public string FullHeader => Unit is null ? Header : $"{Header} ({Unit})";
}

/// <summary>A line chart of a table's number columns over its category column (xlsx only; CSV has no charts).</summary>
/// <param name="CategoryColumn">The zero-based column of the categories, usually the time bucket.</param>
/// <param name="SeriesColumns">The zero-based number or percentage columns drawn as lines.</param>
public sealed record ExportChart(int CategoryColumn, IReadOnlyList<int> SeriesColumns);

/// <summary>
/// A table to export: a title (the xlsx sheet name), typed columns and rows of cells. Rows are read once, as they are
/// written, so a table can stream rows from a store page by page without holding them.
/// </summary>
public sealed class ExportTable
{
    /// <summary>A table over rows in memory.</summary>
    /// <exception cref="ArgumentException">There is no column.</exception>
    public ExportTable(string title, IReadOnlyList<ExportColumn> columns, IEnumerable<IReadOnlyList<ExportCell>> rows)
        : this(title, columns, InMemory(rows ?? throw new ArgumentNullException(nameof(rows))))
    {
    }

    /// <summary>A table whose rows arrive asynchronously (read once, while the export is written).</summary>
    /// <exception cref="ArgumentException">There is no column.</exception>
    public ExportTable(string title, IReadOnlyList<ExportColumn> columns, IAsyncEnumerable<IReadOnlyList<ExportCell>> rows)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        }

        Title = title;
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The title: the sheet name in xlsx (shortened and cleaned there), a line before the table in a CSV of several tables.</summary>
    public string Title { get; }

    /// <summary>The columns.</summary>
    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>The rows, read once; a row shorter than <see cref="Columns"/> leaves the rest empty, cells beyond it are ignored.</summary>
    public IAsyncEnumerable<IReadOnlyList<ExportCell>> Rows { get; }

    /// <summary>An optional line chart drawn next to the table in xlsx.</summary>
    public ExportChart? Chart { get; init; }

    private static async IAsyncEnumerable<IReadOnlyList<ExportCell>> InMemory(
        IEnumerable<IReadOnlyList<ExportCell>> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }
}
