namespace Kefu.Storage;

/// <summary>
/// A series' totals over a period, one entry per dimension, column by column, written by
/// <see cref="IAggregateTotalsStore.FoldTotalsAsync"/>. A reader keeps one and reuses it for every series it reads,
/// so a report over a thousand dimension values allocates no cell per value. Not thread-safe.
/// </summary>
public sealed class AggregateTotals
{
    private string[] _dimensions = [];
    private long[] _counts = [];
    private double[] _sums = [];
    private double[] _maxes = [];

    /// <summary>The number of dimensions held.</summary>
    public int Count { get; private set; }

    /// <summary>The dimension values, in no particular order.</summary>
    public ReadOnlySpan<string> Dimensions => _dimensions.AsSpan(0, Count);

    /// <summary>The observations of each dimension over the period.</summary>
    public ReadOnlySpan<long> Counts => _counts.AsSpan(0, Count);

    /// <summary>The sum of each dimension's observations.</summary>
    public ReadOnlySpan<double> Sums => _sums.AsSpan(0, Count);

    /// <summary>The largest observation of each dimension.</summary>
    public ReadOnlySpan<double> Maxes => _maxes.AsSpan(0, Count);

    /// <summary>Empties the buffer, keeping its capacity.</summary>
    public void Clear()
    {
        Array.Clear(_dimensions, 0, Count); // no references kept to the store's strings
        Count = 0;
    }

    /// <summary>Adds one dimension's totals.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="dimension"/> is null.</exception>
    public void Add(string dimension, long count, double sum, double max)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        if (Count == _counts.Length)
        {
            Grow(Count + 1);
        }

        _dimensions[Count] = dimension;
        _counts[Count] = count;
        _sums[Count] = sum;
        _maxes[Count] = max;
        Count++;
    }

    /// <summary>Adds one dimension's totals after <see cref="EnsureRoom"/> made room for it (a store's inner loop).</summary>
    internal void AddReserved(string dimension, long count, double sum, double max)
    {
        var at = Count;
        _dimensions[at] = dimension;
        _counts[at] = count;
        _sums[at] = sum;
        _maxes[at] = max;
        Count = at + 1;
    }

    /// <summary>Makes room for <paramref name="more"/> further entries, so a store can add them without growing.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="more"/> is negative.</exception>
    public void EnsureRoom(int more)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(more);
        if (Count + more > _counts.Length)
        {
            Grow(Count + more);
        }
    }

    private void Grow(int needed)
    {
        var size = Math.Max(Math.Max(16, needed), _counts.Length * 2);
        Array.Resize(ref _dimensions, size);
        Array.Resize(ref _counts, size);
        Array.Resize(ref _sums, size);
        Array.Resize(ref _maxes, size);
    }
}
