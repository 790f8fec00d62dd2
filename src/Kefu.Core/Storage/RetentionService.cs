using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kefu.Storage;

/// <summary>
/// Runs the retention purge (C18): on demand through <see cref="IKefuRetention"/>, and, when the host starts it,
/// every <see cref="KefuOptions.RetentionSweepInterval"/>. Each tenant's cut-off is its own retention period before
/// now; each batch is one store call, and the sweep yields between batches.
/// </summary>
internal sealed partial class RetentionService(
    IOptions<KefuOptions> options,
    IDirectoryStore directory,
    TimeProvider time,
    ILogger logger,
    IRetentionStore? store = null) : BackgroundService, IKefuRetention
{
    private readonly KefuOptions _options = options.Value;
    private PeriodicTimer? _timer;

    public async ValueTask<RetentionPurge> PurgeTenantAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var snapshot = await directory.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false)
            ?? throw new KefuException(KefuErrorKind.NotFound, $"Tenant {tenantId} does not exist.");
        return await PurgeAsync(tenantId, snapshot.Settings.Conversations.Retention, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<RetentionPurge> PurgeAllAsync(CancellationToken cancellationToken = default)
    {
        var total = default(RetentionPurge);
        foreach (var tenant in await directory.ListTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            var snapshot = await directory.LoadTenantAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
            if (snapshot is not null)
            {
                total += await PurgeAsync(tenant.Id, snapshot.Settings.Conversations.Retention, cancellationToken).ConfigureAwait(false);
            }
        }

        return total;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer starts with the host, not whenever the background loop first runs.
        if (store is not null)
        {
            _timer = new PeriodicTimer(_options.RetentionSweepInterval, time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var purged = await PurgeAllAsync(stoppingToken).ConfigureAwait(false);
                    if (purged.Conversations > 0)
                    {
                        LogPurged(purged.Conversations, purged.Messages);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next sweep tries again; a failed batch deleted nothing of its own.
                    LogSweepFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async ValueTask<RetentionPurge> PurgeAsync(long tenantId, TimeSpan retention, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return default;
        }

        var closedBefore = time.GetUtcNow() - retention;
        var total = default(RetentionPurge);
        while (true)
        {
            var batch = await store.PurgeClosedConversationsAsync(tenantId, closedBefore, _options.RetentionBatchSize, cancellationToken).ConfigureAwait(false);
            total += batch;
            if (batch.Conversations < _options.RetentionBatchSize)
            {
                return total;
            }

            // Let the tenants' workers commit between batches.
            await Task.Yield();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge deleted {Conversations} conversations and {Messages} messages")]
    private partial void LogPurged(int conversations, int messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; the next sweep tries again")]
    private partial void LogSweepFailed(Exception exception);
}
