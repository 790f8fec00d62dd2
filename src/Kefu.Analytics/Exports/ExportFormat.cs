namespace Kefu.Analytics.Exports;

/// <summary>The file format of an export.</summary>
public enum ExportFormat
{
    /// <summary>RFC 4180 CSV in UTF-8 with a byte-order mark (see <see cref="CsvExporter"/>).</summary>
    Csv,
    /// <summary>An Office Open XML workbook, one sheet per table (see <see cref="XlsxExporter"/>).</summary>
    Xlsx,
}

/// <summary>The language of an export's titles, headers and fixed values.</summary>
public enum ExportLanguage
{
    /// <summary>Chinese (<c>zh</c>), the names of the product documents. The default.</summary>
    Zh,
    /// <summary>English (<c>en</c>).</summary>
    En,
}
