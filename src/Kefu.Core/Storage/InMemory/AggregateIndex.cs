using System.Buffers;
using System.Numerics;

namespace Kefu.Storage.InMemory;

/// <summary>
/// The aggregates of one tenant. Each (series, width, dimension) has its buckets in time order in one array
/// (<see cref="DimensionCells"/>), so a write adds in place and a period is two binary searches. Writes find them by
/// dimension first: one lookup of the dimension string (skipped when a delta repeats the previous delta's dimension,
/// as a sink writing every series of one dimension value in a row does, or when the same string instance was written
/// recently), then a short scan of that dimension's series by reference; reads find a series' dimensions in its <see cref="SeriesCells"/>. Not thread-safe: the store's
/// partition lock guards it.
/// </summary>
internal sealed class AggregateIndex
{
    private readonly Dictionary<(string Series, BucketGranularity Granularity), SeriesCells> _series = [];
    private readonly Dictionary<string, DimensionEntry> _dimensions = new(StringComparer.Ordinal);

    // Series recently written, by the reference of their name (direct-mapped, so bounded whatever names callers
    // build): writers pass the same name strings again and again, and a hit skips hashing the name. Room for a few
    // times the reporting sink's 13 × 22 names, so they rarely evict one another.
    private const int SeriesCacheSize = 2048;

    private readonly (string? Name, BucketGranularity Width, SeriesCells? Cells)[] _seriesCache = new (string?, BucketGranularity, SeriesCells?)[SeriesCacheSize];

    // Dimensions recently written, by the reference of their value, direct-mapped like the series: a writer that
    // keeps its dimension strings (the reporting sink builds each cell name once) skips hashing them.
    private const int DimensionCacheSize = 4096;

    private readonly (string? Name, DimensionEntry? Entry)[] _dimensionCache = new (string?, DimensionEntry?)[DimensionCacheSize];

    // The last write's dimension, by reference.
    private string? _lastDimensionName;
    private DimensionEntry? _lastDimension;

    public SeriesCells? Series(string series, BucketGranularity granularity) => _series.GetValueOrDefault((series, granularity));

    public void Add(in AggregateDelta d)
    {
        ref var cached = ref _seriesCache[(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(d.Series) ^ (int)d.Granularity) & (SeriesCacheSize - 1)];
        var series = cached.Cells;
        if (series is null || !ReferenceEquals(cached.Name, d.Series) || cached.Width != d.Granularity)
        {
            ArgumentNullException.ThrowIfNull(d.Series, nameof(d.Series));
            if (!_series.TryGetValue((d.Series, d.Granularity), out series))
            {
                series = new SeriesCells();
                _series[(d.Series, d.Granularity)] = series;
            }

            cached = (d.Series, d.Granularity, series);
        }

        if (_lastDimension is null || !ReferenceEquals(d.Dimension, _lastDimensionName))
        {
            ref var known = ref _dimensionCache[System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(d.Dimension) & (DimensionCacheSize - 1)];
            if (known.Entry is not null && ReferenceEquals(known.Name, d.Dimension))
            {
                _lastDimension = known.Entry;
            }
            else
            {
                if (!_dimensions.TryGetValue(d.Dimension, out _lastDimension))
                {
                    _lastDimension = new DimensionEntry(d.Dimension);
                    _dimensions[d.Dimension] = _lastDimension;
                }

                known = (d.Dimension, _lastDimension);
            }

            _lastDimensionName = d.Dimension;
        }

        series.Version++;
        _lastDimension.Of(series).Add(d.BucketStart.UtcTicks, d.Count, d.Sum, d.Max);
    }

    /// <summary>
    /// The cells of one dimension value in every series that has it, found by the series' reference: the first two
    /// inline, the first series' cells being the entry itself (a distinct-count dimension, one per visitor, has one or
    /// two series and costs two objects), then a short array scanned, or a dictionary once a value is shared by many
    /// series (the empty total of every series). Every series lists the value under the entry's one string, so a
    /// reader going through several series of a tenant meets the same instance in each (and the strings writers pass
    /// again are not kept).
    /// </summary>
    private sealed class DimensionEntry(string name) : DimensionCells
    {
        private const int Scanned = 16;

        private SeriesCells? _series0;
        private SeriesCells? _series1;
        private DimensionCells? _cells1;
        private SeriesCells[]? _series;
        private DimensionCells[]? _cells;
        private int _count;
        private Dictionary<SeriesCells, DimensionCells>? _many;

        public DimensionCells Of(SeriesCells series)
        {
            if (ReferenceEquals(_series0, series))
            {
                return this;
            }

            if (ReferenceEquals(_series1, series))
            {
                return _cells1!;
            }

            if (_many is not null)
            {
                if (_many.TryGetValue(series, out var found))
                {
                    return found;
                }
            }
            else
            {
                for (var i = 0; i < _count; i++)
                {
                    if (ReferenceEquals(_series![i], series))
                    {
                        return _cells![i];
                    }
                }
            }

            var cells = _series0 is null ? this : new DimensionCells();
            if (_series0 is null)
            {
                _series0 = series;
            }
            else if (_series1 is null)
            {
                (_series1, _cells1) = (series, cells);
            }
            else if (_many is not null)
            {
                _many[series] = cells;
            }
            else if (_count == Scanned)
            {
                _many = new Dictionary<SeriesCells, DimensionCells>(2 * Scanned, ReferenceEqualityComparer.Instance);
                for (var i = 0; i < _count; i++)
                {
                    _many[_series![i]] = _cells![i];
                }

                _many[series] = cells;
                _series = null;
                _cells = null;
                _count = 0;
            }
            else
            {
                if (_series is null || _count == _series.Length)
                {
                    var size = Math.Max(2, _count * 2);
                    Array.Resize(ref _series, size);
                    Array.Resize(ref _cells, size);
                }

                _series[_count] = series;
                _cells![_count] = cells;
                _count++;
            }

            series.Dimensions.Add(new KeyValuePair<string, DimensionCells>(name, cells));
            return cells;
        }
    }
}

/// <summary>
/// The dimensions of one series at one width, in the order they first appeared, and, for period folds of a series
/// read again without writes in between, a dense columnar view (<see cref="DenseTotals"/>).
/// </summary>
internal sealed class SeriesCells
{
    public readonly List<KeyValuePair<string, DimensionCells>> Dimensions = [];

    /// <summary>Bumped by every write.</summary>
    public long Version;

    private DenseTotals? _dense;
    private long _denseVersion = -1;
    private long _foldedVersion = -1;

    /// <summary>
    /// Folds [<paramref name="from"/>, <paramref name="to"/>) per dimension from the dense view into
    /// <paramref name="into"/>, or returns false to have the caller fold dimension by dimension. The view is
    /// built on the second fold of an unchanged series (so a series written between every read never pays for it)
    /// and only when dense enough to be worth it.
    /// </summary>
    public bool TryFold(BucketGranularity granularity, DateTimeOffset from, DateTimeOffset to, AggregateTotals into)
    {
        if (_denseVersion != Version)
        {
            if (_foldedVersion != Version)
            {
                _foldedVersion = Version;
                return false;
            }

            _dense = DenseTotals.TryBuild(Dimensions, granularity);
            _denseVersion = Version;
        }

        if (_dense is null)
        {
            return false;
        }

        _dense.Fold(from, to, into);
        return true;
    }
}

/// <summary>
/// A series' cells as dense row-major matrices, one row per bucket from the first to the last, one column per
/// dimension: prefix sums of count, sum and cells, the maxima, and a sparse table of maxima over blocks of rows. A
/// period fold reads two prefix rows, up to 2 × <see cref="Block"/> rows of maxima and two table rows, all
/// sequentially, whatever the number of buckets.
/// </summary>
internal sealed class DenseTotals
{
    private const int Block = 8;
    private const long MaxEntries = 4_000_000;

    private struct Prefix
    {
        public long Count;
        public double Sum;
        public long Cells;
    }

    private readonly string[] _names;
    private readonly long _origin;
    private readonly long _step;
    private readonly int _rows;
    private readonly Prefix[] _prefix; // (rows + 1) × columns: row r holds the buckets before r
    private readonly double[] _maxes; // rows × columns
    private readonly double[][] _blockMax; // level k, block j: the maxima of blocks j .. j + 2^k − 1

    private DenseTotals(string[] names, long origin, long step, int rows)
    {
        _names = names;
        _origin = origin;
        _step = step;
        _rows = rows;
        _prefix = new Prefix[(rows + 1) * names.Length];
        _maxes = new double[rows * names.Length];
        _blockMax = [];
    }

    private DenseTotals(DenseTotals built, double[][] blockMax)
    {
        _names = built._names;
        _origin = built._origin;
        _step = built._step;
        _rows = built._rows;
        _prefix = built._prefix;
        _maxes = built._maxes;
        _blockMax = blockMax;
    }

    /// <summary>The view of a series, or null when its buckets are not on the width's grid or too sparse for a matrix.</summary>
    public static DenseTotals? TryBuild(List<KeyValuePair<string, DimensionCells>> dimensions, BucketGranularity granularity)
    {
        var step = granularity switch
        {
            BucketGranularity.Minute => TimeSpan.TicksPerMinute,
            BucketGranularity.Hour => TimeSpan.TicksPerHour,
            _ => TimeSpan.TicksPerDay,
        };
        var columns = dimensions.Count;
        long first = long.MaxValue, last = long.MinValue, cells = 0;
        foreach (var (_, c) in dimensions)
        {
            if (c.Length == 0)
            {
                continue;
            }

            first = Math.Min(first, c.BucketTicks(0));
            last = Math.Max(last, c.BucketTicks(c.Length - 1));
            cells += c.Length;
        }

        if (cells == 0)
        {
            return null;
        }

        var rows = ((last - first) / step) + 1;
        if (rows * columns > MaxEntries || cells * 8 < rows * columns)
        {
            return null;
        }

        var names = new string[columns];
        var view = new DenseTotals(names, first, step, (int)rows);
        Array.Fill(view._maxes, double.MinValue);
        for (var d = 0; d < columns; d++)
        {
            var (name, c) = dimensions[d];
            names[d] = name;
            for (var i = 0; i < c.Length; i++)
            {
                var offset = c.BucketTicks(i) - first;
                if (offset % step != 0)
                {
                    return null;
                }

                var r = (int)(offset / step);
                ref var p = ref view._prefix[((r + 1) * columns) + d];
                p.Count = c.Count(i);
                p.Sum = c.Sum(i);
                p.Cells = 1;
                view._maxes[(r * columns) + d] = c.Max(i);
            }
        }

        // Running sums down each column, row after row.
        var prefix = view._prefix;
        for (var r = 1; r <= rows; r++)
        {
            var above = (r - 1) * columns;
            var here = r * columns;
            for (var d = 0; d < columns; d++)
            {
                prefix[here + d].Count += prefix[above + d].Count;
                prefix[here + d].Sum += prefix[above + d].Sum;
                prefix[here + d].Cells += prefix[above + d].Cells;
            }
        }

        var blocks = (int)(rows / Block);
        var levels = blocks == 0 ? 0 : 32 - int.LeadingZeroCount(blocks);
        var table = new double[levels][];
        for (var k = 0; k < levels; k++)
        {
            var count = blocks - (1 << k) + 1;
            var level = new double[count * columns];
            for (var j = 0; j < count; j++)
            {
                var into = level.AsSpan(j * columns, columns);
                if (k == 0)
                {
                    into.Fill(double.MinValue);
                    for (var r = j * Block; r < (j + 1) * Block; r++)
                    {
                        Max(into, view._maxes.AsSpan(r * columns, columns));
                    }
                }
                else
                {
                    var below = table[k - 1];
                    below.AsSpan(j * columns, columns).CopyTo(into);
                    Max(into, below.AsSpan((j + (1 << (k - 1))) * columns, columns));
                }
            }

            table[k] = level;
        }

        return new DenseTotals(view, table);
    }

    public void Fold(DateTimeOffset from, DateTimeOffset to, AggregateTotals into)
    {
        var lo = Row(from.UtcTicks);
        var hi = Row(to.UtcTicks);
        if (hi <= lo)
        {
            return;
        }

        var columns = _names.Length;
        var rented = ArrayPool<double>.Shared.Rent(columns);
        var maxes = rented.AsSpan(0, columns);
        maxes.Fill(double.MinValue);
        var firstBlock = (lo + Block - 1) / Block;
        var lastBlock = hi / Block; // exclusive
        for (var r = lo; r < Math.Min(hi, firstBlock * Block); r++)
        {
            Max(maxes, _maxes.AsSpan(r * columns, columns));
        }

        for (var r = Math.Max(lo, lastBlock * Block); r < hi; r++)
        {
            Max(maxes, _maxes.AsSpan(r * columns, columns));
        }

        var blocks = lastBlock - firstBlock;
        if (blocks > 0)
        {
            var level = 31 - int.LeadingZeroCount(blocks);
            var table = _blockMax[level];
            Max(maxes, table.AsSpan(firstBlock * columns, columns));
            Max(maxes, table.AsSpan((lastBlock - (1 << level)) * columns, columns));
        }

        into.EnsureRoom(columns);
        var before = _prefix.AsSpan(lo * columns, columns);
        var after = _prefix.AsSpan(hi * columns, columns);
        for (var d = 0; d < columns; d++)
        {
            ref readonly var a = ref before[d];
            ref readonly var b = ref after[d];
            if (b.Cells > a.Cells)
            {
                into.AddReserved(_names[d], b.Count - a.Count, b.Sum - a.Sum, maxes[d]);
            }
        }

        ArrayPool<double>.Shared.Return(rented);
    }

    /// <summary>The first row at or after <paramref name="ticks"/>.</summary>
    private int Row(long ticks) =>
        ticks <= _origin ? 0 : (int)Math.Min(_rows, (ticks - _origin + _step - 1) / _step);

    private static void Max(Span<double> into, ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= into.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector.Max(new Vector<double>(into[i..]), new Vector<double>(values[i..])).CopyTo(into[i..]);
            }
        }

        for (; i < into.Length; i++)
        {
            into[i] = Math.Max(into[i], values[i]);
        }
    }
}

/// <summary>
/// One dimension's buckets of a series, ordered by bucket start (UTC ticks). The first bucket is held inline: most
/// dimensions of sparse pairs and every distinct-count dimension (one per visitor) hold a single bucket, and then
/// cost no array.
/// </summary>
internal class DimensionCells
{
    public const int Block = 8;

    private struct Cell
    {
        public long Bucket;
        public long Count;
        public double Sum;
        public double Max;
    }

    // The first cell inline until a second bucket comes, then every cell in one array grown by doubling.
    private Cell _first;
    private Cell[]? _more;
    private int _length;

    // Derived for folds of long ranges, valid below _valid (prefix index) once built; null until the first such fold.
    private Derived? _derived;
    private int _valid;

    private sealed class Derived
    {
        public (long Count, double Sum)[] Prefix = []; // entry i: the cells before i
        public double[] Maxes = []; // the cells' maxima, dense for the partial blocks of a range
        public double[][] BlockMax = [];
    }

    public int Length => _length;

    private ReadOnlySpan<Cell> Cells => _more is null ? System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref _first, _length) : _more.AsSpan(0, _length);

    private ref Cell At(int i) => ref _more is null ? ref _first : ref _more[i];

    public long BucketTicks(int i) => Cells[i].Bucket;

    public long Count(int i) => Cells[i].Count;

    public double Sum(int i) => Cells[i].Sum;

    public double Max(int i) => Cells[i].Max;

    public void Add(long bucket, long count, double sum, double max)
    {
        if (_length == 0)
        {
            _first = new Cell { Bucket = bucket, Count = count, Sum = sum, Max = max };
            _length = 1;
            _valid = 0;
            return;
        }

        var i = At(_length - 1).Bucket == bucket ? _length - 1 : LowerBound(bucket);
        if (i < _length && At(i).Bucket == bucket)
        {
            ref var cell = ref At(i);
            cell.Max = Math.Max(cell.Max, max);
            cell.Count += count;
            cell.Sum += sum;
        }
        else
        {
            if (_more is null)
            {
                _more = new Cell[4];
                _more[0] = _first;
            }
            else if (_length == _more.Length)
            {
                Array.Resize(ref _more, _length * 2);
            }

            if (i < _length)
            {
                Array.Copy(_more, i, _more, i + 1, _length - i);
            }

            _more[i] = new Cell { Bucket = bucket, Count = count, Sum = sum, Max = max };
            _length++;
        }

        if (i < _valid)
        {
            _valid = i;
        }
    }

    /// <summary>The index of the first bucket at or after <paramref name="ticks"/>.</summary>
    public int LowerBound(long ticks)
    {
        var cells = Cells;
        if (_length == 0 || ticks <= cells[0].Bucket)
        {
            return 0;
        }

        var last = cells[_length - 1].Bucket;
        if (ticks > last)
        {
            return _length;
        }

        // Buckets are mostly evenly spaced (every hour of a busy dimension): guess by interpolation, check the guess
        // and its neighbour (a cache line or two), and search only when the guess is off.
        var guess = (int)((double)(ticks - cells[0].Bucket) / (last - cells[0].Bucket) * (_length - 1));
        guess = Math.Clamp(guess, 1, _length - 1);
        if (cells[guess].Bucket >= ticks && cells[guess - 1].Bucket < ticks)
        {
            return guess;
        }

        if (guess + 1 < _length && cells[guess].Bucket < ticks && cells[guess + 1].Bucket >= ticks)
        {
            return guess + 1;
        }

        int lo = 0, hi = _length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (cells[mid].Bucket < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Folds buckets [<paramref name="lo"/>, <paramref name="hi"/>): counts and sums added, the largest maximum.</summary>
    public (long Count, double Sum, double Max) Fold(int lo, int hi)
    {
        if (hi - lo <= 2 * Block)
        {
            var cells = Cells;
            long count = 0;
            double sum = 0, max = double.MinValue;
            for (var i = lo; i < hi; i++)
            {
                ref readonly var cell = ref cells[i];
                count += cell.Count;
                sum += cell.Sum;
                max = Math.Max(max, cell.Max);
            }

            return (count, sum, max);
        }

        var derived = Build();
        var (fromCount, fromSum) = derived.Prefix[lo];
        var (toCount, toSum) = derived.Prefix[hi];
        return (toCount - fromCount, toSum - fromSum, RangeMax(derived, lo, hi));
    }

    private static double RangeMax(Derived derived, int lo, int hi)
    {
        // Head and tail partial blocks cell by cell, whole blocks from the sparse table.
        var firstBlock = (lo + Block - 1) / Block;
        var lastBlock = hi / Block; // exclusive
        var max = double.MinValue;
        var maxes = derived.Maxes;
        for (var i = lo; i < Math.Min(hi, firstBlock * Block); i++)
        {
            max = Math.Max(max, maxes[i]);
        }

        for (var i = Math.Max(lo, lastBlock * Block); i < hi; i++)
        {
            max = Math.Max(max, maxes[i]);
        }

        var blocks = lastBlock - firstBlock;
        if (blocks > 0)
        {
            var level = 31 - int.LeadingZeroCount(blocks);
            var table = derived.BlockMax[level];
            max = Math.Max(max, Math.Max(table[firstBlock], table[lastBlock - (1 << level)]));
        }

        return max;
    }

    /// <summary>Brings the prefix sums and the block maxima up to date from the first bucket changed since the last build.</summary>
    private Derived Build()
    {
        var d = _derived;
        if (d is null)
        {
            _derived = d = new Derived();
            _valid = 0;
        }
        else if (_valid == _length && d.Prefix.Length > _length)
        {
            return d;
        }

        if (d.Prefix.Length < _length + 1)
        {
            var size = Math.Max(_length + 1, d.Prefix.Length * 2);
            Array.Resize(ref d.Prefix, size);
            Array.Resize(ref d.Maxes, size);
        }

        var cells = Cells;
        var prefix = d.Prefix;
        var maxes = d.Maxes;
        for (var i = _valid; i < _length; i++)
        {
            ref readonly var cell = ref cells[i];
            prefix[i + 1] = (prefix[i].Count + cell.Count, prefix[i].Sum + cell.Sum);
            maxes[i] = cell.Max;
        }

        // Sparse table over whole blocks: level k, entry j = max of blocks j .. j + 2^k − 1.
        var blocks = _length / Block;
        var firstChanged = _valid / Block;
        var levels = blocks == 0 ? 0 : 32 - int.LeadingZeroCount(blocks);
        if (d.BlockMax.Length < levels)
        {
            Array.Resize(ref d.BlockMax, levels);
        }

        for (var k = 0; k < levels; k++)
        {
            var count = blocks - (1 << k) + 1;
            ref var table = ref d.BlockMax[k];
            if (table is null || table.Length < count)
            {
                var fresh = new double[Math.Max(count, (table?.Length ?? 0) * 2)];
                if (table is not null)
                {
                    Array.Copy(table, fresh, table.Length);
                }

                table = fresh;
            }

            var from = Math.Max(0, firstChanged - (1 << k) + 1);
            for (var j = from; j < count; j++)
            {
                if (k == 0)
                {
                    var max = double.MinValue;
                    var start = j * Block;
                    for (var i = start; i < start + Block; i++)
                    {
                        max = Math.Max(max, maxes[i]);
                    }

                    table[j] = max;
                }
                else
                {
                    var below = d.BlockMax[k - 1];
                    table[j] = Math.Max(below[j], below[j + (1 << (k - 1))]);
                }
            }
        }

        _valid = _length;
        return d;
    }
}
