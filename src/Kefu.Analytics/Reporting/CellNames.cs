using System.Runtime.CompilerServices;
using Kefu.Events;

namespace Kefu.Analytics.Reporting;

/// <summary>
/// The dimension-value strings of the reporting cells, built once per distinct value or pair: an id's decimal, a
/// channel kind's name, two values joined by <see cref="ReportingSeries.ValueSeparator"/>. A close then allocates no
/// cell names, and the store sees the same string instance for the same cell again (which it can find by reference).
/// Bounded: at <see cref="MaxEntries"/> names everything is forgotten and built again. Thread-safe.
/// </summary>
internal sealed class CellNames
{
    /// <summary>The most names kept.</summary>
    public const int MaxEntries = 1 << 17;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, string> _ids = [];
    private readonly Dictionary<ChannelKind, string> _channels = [];
    private readonly Dictionary<(string First, string Second), string> _pairs = new(ByReference.Instance);

    /// <summary>The decimal of an id.</summary>
    public string Id(long id)
    {
        lock (_gate)
        {
            return IdLocked(id);
        }
    }

    private string IdLocked(long id)
    {
        if (!_ids.TryGetValue(id, out var name))
        {
            Bound();
            name = ReportingSeries.Id(id);
            _ids[id] = name;
        }

        return name;
    }

    /// <summary>The name of a channel kind.</summary>
    public string Channel(ChannelKind kind)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(kind, out var name))
            {
                name = kind.ToString();
                _channels[kind] = name;
            }

            return name;
        }
    }

    /// <summary>Two values joined: the same instance for the same two instances.</summary>
    public string Pair(string first, string second)
    {
        lock (_gate)
        {
            if (!_pairs.TryGetValue((first, second), out var name))
            {
                Bound();
                name = string.Concat(first, ReportingSeries.ValueSeparator.ToString(), second);
                _pairs[(first, second)] = name;
            }

            return name;
        }
    }

    private void Bound()
    {
        if (_ids.Count + _pairs.Count >= MaxEntries)
        {
            _ids.Clear();
            _pairs.Clear();
        }
    }

    private sealed class ByReference : IEqualityComparer<(string First, string Second)>
    {
        public static readonly ByReference Instance = new();

        public bool Equals((string First, string Second) x, (string First, string Second) y) =>
            ReferenceEquals(x.First, y.First) && ReferenceEquals(x.Second, y.Second);

        public int GetHashCode((string First, string Second) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.First), RuntimeHelpers.GetHashCode(obj.Second));
    }
}
