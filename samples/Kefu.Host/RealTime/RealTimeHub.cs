using System.Collections.Concurrent;

namespace Kefu.Host.RealTime;

/// <summary>The open agent connections of this node, so a disabled or deleted agent can be cut off at once.</summary>
public sealed class RealTimeHub
{
    private readonly ConcurrentDictionary<(long Tenant, long Agent), ConcurrentDictionary<CancellationTokenSource, byte>> _agents = new();

    /// <summary>Registers a connection; dispose the result when it closes.</summary>
    public IDisposable RegisterAgent(long tenantId, long agentId, CancellationTokenSource connection)
    {
        var set = _agents.GetOrAdd((tenantId, agentId), _ => new());
        set.TryAdd(connection, 0);
        return new Registration(set, connection);
    }

    /// <summary>Closes every connection of an agent on this node.</summary>
    public void DisconnectAgent(long tenantId, long agentId)
    {
        if (_agents.TryGetValue((tenantId, agentId), out var set))
        {
            foreach (var connection in set.Keys)
            {
                try
                {
                    connection.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // Closed meanwhile.
                }
            }
        }
    }

    private sealed class Registration(ConcurrentDictionary<CancellationTokenSource, byte> set, CancellationTokenSource connection) : IDisposable
    {
        public void Dispose() => set.TryRemove(connection, out _);
    }
}
