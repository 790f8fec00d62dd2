using System.Collections;
using System.Diagnostics;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// A report row's values (<see cref="ReportRow.Values"/>): a slice of an 8 KB block shared by the next rows, and a
/// bit per value that is set (a metric with no observation, such as an average over none, is null). A thousand-row
/// report holds 40 bytes per row and a block per hundred rows instead of a 184-byte array of nullable numbers per row.
/// </summary>
internal sealed class RowValues : IReadOnlyList<double?>
{
    private readonly double[] _block;
    private readonly int _offset;
    private readonly int _count;
    private ulong _set;

    private RowValues(double[] block, int offset, int count)
    {
        _block = block;
        _offset = offset;
        _count = count;
    }

    public int Count => _count;

    public double? this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return ((_set >> index) & 1) != 0 ? _block[_offset + index] : null;
        }
    }

    public IEnumerator<double?> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", this.Select(v => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"));

    /// <summary>Marks value <paramref name="index"/> as set (it was written to the span <see cref="Writer.Next"/> gave).</summary>
    public void Set(int index) => _set |= 1UL << index;

    /// <summary>Hands out the rows of one report, block after block.</summary>
    public struct Writer
    {
        private const int BlockLength = 1024;

        private readonly int _width;
        private double[] _block;
        private int _used;
        private int _rowsLeft;

        /// <param name="width">Values per row, at most 64.</param>
        /// <param name="rows">Rows expected, to size the last block.</param>
        public Writer(int width, int rows)
        {
            Debug.Assert(width is > 0 and <= 64, "one bit per value");
            _width = width;
            _block = [];
            _used = 0;
            _rowsLeft = rows;
        }

        /// <summary>The next row (every value null) and the span its values are written to.</summary>
        public Span<double> Next(out RowValues row)
        {
            if (_used + _width > _block.Length)
            {
                var rows = Math.Clamp(_rowsLeft, 1, Math.Max(1, BlockLength / _width));
                _block = new double[rows * _width];
                _used = 0;
            }

            row = new RowValues(_block, _used, _width);
            var span = _block.AsSpan(_used, _width);
            _used += _width;
            _rowsLeft--;
            return span;
        }
    }
}
