using System.Globalization;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Kefu.Analytics.Exports;

/// <summary>The drawing and line chart parts of a sheet whose table asks for a chart.</summary>
internal static class XlsxChart
{
    private const string ChartNs = "http://schemas.openxmlformats.org/drawingml/2006/chart";
    private const string DrawingNs = "http://schemas.openxmlformats.org/drawingml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>A drawing that anchors the chart right of the table, 10 columns wide and 20 rows high.</summary>
    public static Xdr.WorksheetDrawing Drawing(int tableColumns)
    {
        var from = tableColumns + 1;
        var anchor = new Xdr.TwoCellAnchor(
            new Xdr.FromMarker(new Xdr.ColumnId(Text(from)), new Xdr.ColumnOffset("0"), new Xdr.RowId("1"), new Xdr.RowOffset("0")),
            new Xdr.ToMarker(new Xdr.ColumnId(Text(from + 10)), new Xdr.ColumnOffset("0"), new Xdr.RowId("21"), new Xdr.RowOffset("0")),
            new Xdr.GraphicFrame(
                new Xdr.NonVisualGraphicFrameProperties(
                    new Xdr.NonVisualDrawingProperties { Id = 2U, Name = "Chart 1" },
                    new Xdr.NonVisualGraphicFrameDrawingProperties()),
                new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
                new A.Graphic(new A.GraphicData(new C.ChartReference { Id = "rId1" }) { Uri = ChartNs }))
            { Macro = string.Empty },
            new Xdr.ClientData());
        var drawing = new Xdr.WorksheetDrawing(anchor);
        drawing.AddNamespaceDeclaration("a", DrawingNs);
        drawing.AddNamespaceDeclaration("c", ChartNs);
        drawing.AddNamespaceDeclaration("r", RelNs);
        return drawing;
    }

    /// <summary>A line chart of the chart's series columns over its category column, rows 2 to <paramref name="rows"/> + 1.</summary>
    public static C.ChartSpace Chart(ExportTable table, ExportChart chart, string sheetName, int rows)
    {
        var sheet = "'" + sheetName.Replace("'", "''", StringComparison.Ordinal) + "'";
        var last = Math.Max(rows, 1) + 1;
        var category = XlsxExporter.ColumnName(chart.CategoryColumn);
        var categoryRange = $"{sheet}!${category}$2:${category}${last}";
        var categoryKind = table.Columns[chart.CategoryColumn].Kind;
        var numericCategories = categoryKind is ExportCellKind.Date or ExportCellKind.DateTime or ExportCellKind.Number;
        var line = new C.LineChart(new C.Grouping { Val = C.GroupingValues.Standard }, new C.VaryColors { Val = false });
        uint index = 0;
        foreach (var column in chart.SeriesColumns)
        {
            var letter = XlsxExporter.ColumnName(column);
            line.Append(new C.LineChartSeries(
                new C.Index { Val = index },
                new C.Order { Val = index },
                new C.SeriesText(new C.StringReference(new C.Formula($"{sheet}!${letter}$1"))),
                new C.Marker(new C.Symbol { Val = C.MarkerStyleValues.Circle }),
                new C.CategoryAxisData(numericCategories
                    ? new C.NumberReference(new C.Formula(categoryRange))
                    : new C.StringReference(new C.Formula(categoryRange))),
                new C.Values(new C.NumberReference(new C.Formula($"{sheet}!${letter}$2:${letter}${last}"))),
                new C.Smooth { Val = false }));
            index++;
        }

        line.Append(new C.ShowMarker { Val = true }, new C.AxisId { Val = 1U }, new C.AxisId { Val = 2U });
        var categoryFormat = categoryKind switch
        {
            ExportCellKind.Date => "yyyy-mm-dd",
            ExportCellKind.DateTime => "yyyy-mm-dd hh:mm",
            _ => "General",
        };
        var categoryAxis = new C.CategoryAxis(
            new C.AxisId { Val = 1U },
            new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
            new C.Delete { Val = false },
            new C.AxisPosition { Val = C.AxisPositionValues.Bottom },
            new C.NumberingFormat { FormatCode = categoryFormat, SourceLinked = false },
            new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
            new C.CrossingAxis { Val = 2U },
            new C.Crosses { Val = C.CrossesValues.AutoZero },
            new C.AutoLabeled { Val = true },
            new C.LabelAlignment { Val = C.LabelAlignmentValues.Center },
            new C.LabelOffset { Val = 100 });
        var valueAxis = new C.ValueAxis(
            new C.AxisId { Val = 2U },
            new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
            new C.Delete { Val = false },
            new C.AxisPosition { Val = C.AxisPositionValues.Left },
            new C.MajorGridlines(),
            new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
            new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
            new C.CrossingAxis { Val = 1U },
            new C.Crosses { Val = C.CrossesValues.AutoZero },
            new C.CrossBetween { Val = C.CrossBetweenValues.Between });
        var title = new C.Title(
            new C.ChartText(new C.RichText(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(new A.Text(table.Title))))),
            new C.Overlay { Val = false });
        var space = new C.ChartSpace(
            new C.RoundedCorners { Val = false },
            new C.Chart(
                title,
                new C.AutoTitleDeleted { Val = false },
                new C.PlotArea(new C.Layout(), line, categoryAxis, valueAxis),
                new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }),
                new C.PlotVisibleOnly { Val = true }));
        space.AddNamespaceDeclaration("c", ChartNs);
        space.AddNamespaceDeclaration("a", DrawingNs);
        space.AddNamespaceDeclaration("r", RelNs);
        return space;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
