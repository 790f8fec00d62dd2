using System.Collections.Concurrent;
using Kefu.Storage;

namespace Kefu.Bots.Tests.Optimization;

/// <summary>A configuration document store in a dictionary, counting writes, with Core's optimistic concurrency.</summary>
internal sealed class MemoryDocumentStore : IConfigurationDocumentStore
{
    private readonly ConcurrentDictionary<(long, string, string), ConfigurationDocument> _documents = new();
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public ValueTask<ConfigurationDocument?> GetAsync(long tenantId, string kind, string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_documents.GetValueOrDefault((tenantId, kind, key)));

    public ValueTask<IReadOnlyList<ConfigurationDocument>> ListAsync(long tenantId, string kind, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ConfigurationDocument>>([.. _documents.Values.Where(d => d.TenantId == tenantId && d.Kind == kind).OrderBy(d => d.Key)]);

    public ValueTask<ConfigurationDocument> PutAsync(long tenantId, string kind, string key, string content, long expectedVersion, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        lock (_documents)
        {
            var current = _documents.GetValueOrDefault((tenantId, kind, key))?.Version ?? 0;
            if (current != expectedVersion)
            {
                throw new KefuException(KefuErrorKind.Concurrency, $"{kind}/{key} is at version {current}, not {expectedVersion}.");
            }

            var document = new ConfigurationDocument(tenantId, kind, key, current + 1, content, now);
            _documents[(tenantId, kind, key)] = document;
            Interlocked.Increment(ref _writes);
            return ValueTask.FromResult(document);
        }
    }

    public ValueTask<bool> DeleteAsync(long tenantId, string kind, string key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_documents)
        {
            return ValueTask.FromResult(_documents.TryGetValue((tenantId, kind, key), out var d) && d.Version == expectedVersion
                && _documents.TryRemove((tenantId, kind, key), out _));
        }
    }
}
