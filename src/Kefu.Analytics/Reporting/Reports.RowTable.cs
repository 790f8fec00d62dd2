using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using Kefu.Storage;

namespace Kefu.Analytics.Reporting;

internal sealed partial class Reports
{
    /// <summary>
    /// A report's rows while its series are read: one row per dimension value and row bucket, each with one
    /// <see cref="Accumulator"/> per base series, all in one array. Dimension values get a number on first sight,
    /// so a row is found by two integers; the totals of a period come in the store's column order, the same for
    /// each series, so most values are recognised by their position without hashing them. The accumulators are
    /// rented (a thousand rows of six series are 190 KB, which would go to the large-object heap on every report)
    /// and hold no references (distinct visitors are in sets beside them), so they go back to the pool uncleared.
    /// </summary>
    private sealed class RowTable : IDisposable
    {
        /// <summary>The row bucket of a report over the whole period.</summary>
        public const long NoBucket = long.MinValue;

        private readonly int _series;
        private readonly int _dimensionCount;
        private readonly bool _reorder;
        private Dictionary<string, int>? _dimensionIndex; // built when a value is not found by its position
        private readonly List<string> _dimensions = [];

        // Each dimension value split into the values shown, when first seen (while its string is in cache), and each
        // distinct shown value numbered for ranking.
        private readonly List<Shown> _shown = [];
        private readonly ValueRanks _first = new();
        private readonly ValueRanks _second = new();
        private Dictionary<(int Dimension, long Bucket), int>? _rowIndex; // built once rows of two buckets or cells need it
        private (int Dimension, long Bucket)[] _keys = new (int, long)[16];
        private Accumulator[] _values;
        private Dictionary<int, HashSet<long>>? _visitors; // the distinct visitors of accumulators, by position in _values
        private int _rows;

        // The last totals read: the dimension number at each position, and the row of each dimension in its bucket.
        private string?[] _positionNames = [];
        private int[] _positionDimensions = [];
        private int[] _positionRows = []; // in the current bucket, −1 where not known
        private long _bucket = long.MaxValue;
        private int[] _rowOfDimension = [];

        public RowTable(int series, int dimensionCount, bool reorder)
        {
            _series = series;
            _dimensionCount = dimensionCount;
            _reorder = reorder;
            _values = Rent(_keys.Length * series);
        }

        public void Dispose()
        {
            ArrayPool<Accumulator>.Shared.Return(_values);
            _values = [];
        }

        /// <summary>Adds a cell or total to accumulator <paramref name="at"/>, and its visitor (when not −1) to the accumulator's distinct set.</summary>
        private void Add(int at, long count, double sum, double max, long visitor)
        {
            _values[at].Add(count, sum, max);
            if (visitor >= 0)
            {
                _visitors ??= [];
                ref var set = ref CollectionsMarshal.GetValueRefOrAddDefault(_visitors, at, out _);
                (set ??= []).Add(visitor);
            }
        }

        /// <summary>Adds the totals of base series <paramref name="series"/> over the period of row bucket <paramref name="bucket"/> (UTC ticks).</summary>
        public void Add(AggregateTotals totals, int series, long bucket, bool distinct)
        {
            if (bucket != _bucket)
            {
                if (_rows > 0)
                {
                    EnsureRowIndex(); // the rows of the bucket before are found by key from now on
                }

                _bucket = bucket;
                _rowOfDimension.AsSpan().Fill(-1);
                _positionRows.AsSpan().Fill(-1);
            }

            var names = totals.Dimensions;
            var counts = totals.Counts;
            var sums = totals.Sums;
            var maxes = totals.Maxes;
            if (_rows == 0 && names.Length > _keys.Length)
            {
                // The first read gives the number of rows most reports have: room for them at once.
                _keys = new (int, long)[names.Length];
                Resize(names.Length * _series);
                _dimensions.Capacity = names.Length;
                _shown.Capacity = names.Length;
            }

            if (distinct)
            {
                for (var i = 0; i < names.Length; i++)
                {
                    var dimension = Split(names[i], out var visitor);
                    Add((RowInBucket(dimension) * _series) + series, counts[i], sums[i], maxes[i], visitor);
                }

                return;
            }

            if (_positionNames.Length < names.Length)
            {
                var old = _positionNames.Length;
                Array.Resize(ref _positionNames, names.Length);
                Array.Resize(ref _positionDimensions, names.Length);
                Array.Resize(ref _positionRows, names.Length);
                _positionRows.AsSpan(old).Fill(-1);
            }

            var fresh = _dimensions.Count == 0; // the first read: each value is new (one total per value)
            var positionNames = _positionNames.AsSpan(0, names.Length);
            var positionRows = _positionRows.AsSpan(0, names.Length);
            var values = _values.AsSpan(series);
            for (var i = 0; i < names.Length; i++)
            {
                // The same value at the same position as in the series before (stores list a tenant's values under
                // one string each, in a stable order): its row without hashing or even reading the value.
                var name = names[i];
                var row = positionRows[i];
                if (row < 0 || !ReferenceEquals(positionNames[i], name))
                {
                    var dimension = fresh ? NewDimension(name)
                        : positionNames[i] is { } seen && string.Equals(seen, name, StringComparison.Ordinal) ? _positionDimensions[i]
                        : DimensionOf(name);
                    row = RowInBucket(dimension);
                    positionNames[i] = name;
                    _positionDimensions[i] = dimension;
                    positionRows[i] = row;
                    values = _values.AsSpan(series); // the rows may have grown
                }

                values[row * _series].Add(counts[i], sums[i], maxes[i]);
            }
        }

        /// <summary>Adds the cells of base series <paramref name="series"/>, each in the row bucket its start falls in.</summary>
        public void Add(IReadOnlyList<AggregateCell> cells, int series, ReportGranularity granularity, TimeSpan offset, bool distinct)
        {
            for (var c = 0; c < cells.Count; c++)
            {
                var cell = cells[c];
                var visitor = -1L;
                var dimension = distinct ? Split(cell.Dimension, out visitor) : DimensionOf(cell.Dimension);
                var bucket = Bucket(cell.BucketStart, granularity, offset)?.UtcTicks ?? NoBucket;
                Add((Row(dimension, bucket) * _series) + series, cell.Count, cell.Sum, cell.Max, visitor);
            }
        }

        /// <summary>
        /// The report's rows, ordered by bucket and then by each dimension value as shown (numbers, such as agent ids,
        /// by value before words), each value compared once per distinct value rather than once per comparison.
        /// </summary>
        public ReportRow[] Build((int Series, Take Take, int Over)[] readers, TimeSpan offset)
        {
            foreach (var (at, set) in _visitors ?? [])
            {
                _values[at].Distinct = set.Count;
            }

            var firstRank = _first.Ranks();
            var secondRank = _second.Ranks();
            var span = (long)secondRank.Length + 1;
            var dimensionKeys = (long)(firstRank.Length + 1) * span;

            // Row buckets ranked; a report over the whole period has one.
            Dictionary<long, int>? bucketRank = null;
            var bucketCount = _rows == 0 ? 0 : 1;
            for (var r = 1; r < _rows; r++)
            {
                if (_keys[r].Bucket != _keys[0].Bucket)
                {
                    var buckets = _keys.Take(_rows).Select(k => k.Bucket).Distinct().Order().ToArray();
                    bucketRank = buckets.Select((b, i) => (b, i)).ToDictionary(p => p.b, p => p.i);
                    bucketCount = buckets.Length;
                    break;
                }
            }

            var rows = new ReportRow[_rows];
            var order = new long[_rows];
            var values = new RowValues.Writer(readers.Length, _rows);
            for (var r = 0; r < _rows; r++)
            {
                var (d, bucket) = _keys[r];
                var accumulators = _values.AsSpan(r * _series, _series);
                var numbers = values.Next(out var row);
                for (var i = 0; i < readers.Length; i++)
                {
                    if (Value(readers[i], accumulators) is { } value)
                    {
                        numbers[i] = value;
                        row.Set(i);
                    }
                }

                var start = bucket == NoBucket ? (DateTimeOffset?)null : new DateTimeOffset(bucket, TimeSpan.Zero).ToOffset(offset);
                var shown = _shown[d];
                rows[r] = new ReportRow(shown.Values, start, row);
                var rank = ((shown.First < 0 ? 0 : firstRank[shown.First] + 1) * span) + (shown.Second < 0 ? 0 : secondRank[shown.Second] + 1);
                order[r] = ((bucketRank is null ? 0 : bucketRank[bucket]) * dimensionKeys) + rank;
            }

            // Every key is distinct: placed by slot when the keys are dense enough, else sorted.
            var slots = bucketCount * dimensionKeys;
            if (slots <= (4L * _rows) + 64)
            {
                var bySlot = new ReportRow?[slots];
                for (var r = 0; r < rows.Length; r++)
                {
                    bySlot[order[r]] = rows[r];
                }

                var n = 0;
                foreach (var row in bySlot)
                {
                    if (row is not null)
                    {
                        rows[n++] = row;
                    }
                }
            }
            else
            {
                Array.Sort(order, rows);
            }

            return rows;
        }

        private static Accumulator[] Rent(int length)
        {
            var values = ArrayPool<Accumulator>.Shared.Rent(length);
            Array.Clear(values, 0, length);
            return values;
        }

        private void Resize(int length)
        {
            var values = Rent(length);
            _values.AsSpan(0, _rows * _series).CopyTo(values);
            ArrayPool<Accumulator>.Shared.Return(_values);
            _values = values;
        }

        /// <summary>The number of a distinct-count cell's dimension value (before <c>#</c>), and its visitor.</summary>
        private int Split(string name, out long visitor)
        {
            var hash = name.LastIndexOf(ReportingSeries.VisitorSeparator);
            if (hash < 0)
            {
                visitor = -1;
                return DimensionOf(name);
            }

            visitor = long.Parse(name.AsSpan(hash + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            var value = name.AsSpan(0, hash);
            var lookup = DimensionIndex().GetAlternateLookup<ReadOnlySpan<char>>();
            return lookup.TryGetValue(value, out var dimension) ? dimension : NewDimension(value.ToString());
        }

        private int DimensionOf(string name) =>
            DimensionIndex().TryGetValue(name, out var dimension) ? dimension : NewDimension(name);

        private int NewDimension(string name)
        {
            var dimension = _dimensions.Count;
            _dimensions.Add(name);
            _shown.Add(Show(name));
            _dimensionIndex?.Add(name, dimension);
            return dimension;
        }

        private Dictionary<string, int> DimensionIndex()
        {
            if (_dimensionIndex is null)
            {
                _dimensionIndex = new Dictionary<string, int>(Math.Max(16, _dimensions.Count * 2), StringComparer.Ordinal);
                for (var d = 0; d < _dimensions.Count; d++)
                {
                    _dimensionIndex.Add(_dimensions[d], d);
                }
            }

            return _dimensionIndex;
        }

        /// <summary>A dimension value as the rows show it: its values in the query's order, each numbered for ranking.</summary>
        private Shown Show(string name)
        {
            if (name.Length == 0 && _dimensionCount == 0)
            {
                return new Shown([], -1, -1);
            }

            if (_dimensionCount < 2 || name.IndexOf(ReportingSeries.ValueSeparator, StringComparison.Ordinal) is not (var bar and >= 0))
            {
                return new Shown([_first.Intern(name, out var only)], only, -1);
            }

            var a = name.AsSpan(0, bar);
            var b = name.AsSpan(bar + 1);
            int first, second;
            string[] values = _reorder
                ? [_first.Intern(b, out first), _second.Intern(a, out second)]
                : [_first.Intern(a, out first), _second.Intern(b, out second)];
            return new Shown(values, first, second);
        }

        private readonly record struct Shown(string[] Values, int First, int Second);

        /// <summary>The row of a dimension in the current bucket, remembered by dimension number.</summary>
        private int RowInBucket(int dimension)
        {
            if (dimension >= _rowOfDimension.Length)
            {
                var old = _rowOfDimension.Length;
                Array.Resize(ref _rowOfDimension, Math.Max(64, Math.Max(dimension + 1, old * 2)));
                _rowOfDimension.AsSpan(old).Fill(-1);
            }

            ref var row = ref _rowOfDimension[dimension];
            if (row < 0)
            {
                // Without an index every row is in this bucket and in _rowOfDimension: a miss is a new row.
                row = _rowIndex is null ? AppendRow(dimension, _bucket) : Row(dimension, _bucket);
            }

            return row;
        }

        private int Row(int dimension, long bucket)
        {
            EnsureRowIndex();
            ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(_rowIndex!, (dimension, bucket), out var exists);
            if (!exists)
            {
                row = AppendRow(dimension, bucket);
            }

            return row;
        }

        private int AppendRow(int dimension, long bucket)
        {
            if (_rows == _keys.Length)
            {
                Array.Resize(ref _keys, _keys.Length * 2);
                Resize(_keys.Length * _series);
            }

            _keys[_rows] = (dimension, bucket);
            return _rows++;
        }

        private void EnsureRowIndex()
        {
            if (_rowIndex is null)
            {
                _rowIndex = new Dictionary<(int, long), int>(Math.Max(_rows, 16));
                for (var r = 0; r < _rows; r++)
                {
                    _rowIndex.Add(_keys[r], r);
                }
            }
        }
    }

    /// <summary>The distinct values shown at one position of the rows, each held once and ranked once.</summary>
    private sealed class ValueRanks
    {
        private readonly Dictionary<string, int> _index;
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spans;
        private readonly List<string> _values = [];
        private int _last = -1;

        public ValueRanks()
        {
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            _spans = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        /// <summary>The shared string for <paramref name="value"/>, and its number.</summary>
        public string Intern(ReadOnlySpan<char> value, out int number)
        {
            // Values sorted or grouped (an agent's channels one after another) repeat the value before.
            if (_last >= 0 && value.SequenceEqual(_values[_last]))
            {
                number = _last;
                return _values[number];
            }

            if (_spans.TryGetValue(value, out number))
            {
                _last = number;
                return _values[number];
            }

            return Intern(value.ToString(), out number);
        }

        /// <inheritdoc cref="Intern(ReadOnlySpan{char}, out int)"/>
        public string Intern(string value, out int number)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, value, out var exists);
            if (!exists)
            {
                slot = _values.Count;
                _values.Add(value);
            }

            number = slot;
            _last = slot;
            return _values[slot];
        }

        /// <summary>Each value's rank: numbers (ids) by value first, so agent 9 comes before agent 10, then words in ordinal order.</summary>
        public int[] Ranks()
        {
            var keys = new (bool Number, long Value, string Text)[_values.Count];
            var order = new int[_values.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                var text = _values[i];
                keys[i] = (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number), number, text);
                order[i] = i;
            }

            Array.Sort(keys, order, Comparer<(bool Number, long Value, string Text)>.Create(static (a, b) =>
                a.Number && b.Number ? a.Value.CompareTo(b.Value) : a.Number != b.Number ? (a.Number ? -1 : 1) : string.CompareOrdinal(a.Text, b.Text)));
            var ranks = new int[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                ranks[order[i]] = i;
            }

            return ranks;
        }
    }
}
