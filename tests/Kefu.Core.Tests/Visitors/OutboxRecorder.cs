using Kefu.Events;
using Kefu.Storage;
using Kefu.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Core.Tests.Visitors;

/// <summary>
/// Wraps the in-memory commit store and keeps a copy of every event committed to the outbox, so a test can tell
/// stored events from ones that were only published.
/// </summary>
internal sealed class OutboxRecorder : ITenantCommitStore
{
    private readonly InMemoryKefuStore _inner;
    private readonly List<KefuEvent> _committed = [];
    private readonly Lock _gate = new();

    public OutboxRecorder(InMemoryKefuStore inner) => _inner = inner;

    /// <summary>Every event committed so far, in commit order.</summary>
    public IReadOnlyList<KefuEvent> Committed
    {
        get
        {
            lock (_gate)
            {
                return [.. _committed];
            }
        }
    }

    /// <summary>Registers the recorder in place of the store's commit side.</summary>
    public static void Register(IKefuBuilder builder)
    {
        builder.Services.TryAddSingleton<OutboxRecorder>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ITenantCommitStore>(sp => sp.GetRequiredService<OutboxRecorder>()));
    }

    public async ValueTask CommitAsync(TenantCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        await _inner.CommitAsync(commit, cancellationToken);
        lock (_gate)
        {
            _committed.AddRange(commit.Events.Select(e => e.Clone()));
        }
    }
}
