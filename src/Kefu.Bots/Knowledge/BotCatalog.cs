using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Kefu.Bots.Matching;
using Kefu.Storage;
using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// The default <see cref="IBotCatalog"/>. Each tenant's robots and rules are one immutable state swapped whole under a
/// lock, so readers take a single volatile read and never wait. Each robot has a <see cref="RobotIndexer"/> that
/// rebuilds its index on the thread pool, coalescing the changes that arrive while it builds.
/// </summary>
internal sealed partial class BotCatalog : IBotCatalog, IDisposable
{
    private readonly IConfigurationDocumentStore _documents;
    private readonly IQuestionMatcher _matcher;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TenantCatalog> _tenants = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private int _disposed;

    public BotCatalog(IConfigurationDocumentStore documents, IQuestionMatcher matcher, ILogger<BotCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(logger);
        _documents = documents;
        _matcher = matcher;
        _logger = logger;
        _stoppingToken = _stopping.Token;
    }

    // ---- Reads: lock-free

    public async ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var tenant = _tenants.GetOrAdd(tenantId, static _ => new TenantCatalog());
        if (tenant.State is not null)
        {
            return;
        }

        await tenant.LoadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (tenant.State is not null)
            {
                return;
            }

            var robotDocuments = await _documents.ListAsync(tenantId, BotDocuments.RobotKind, cancellationToken).ConfigureAwait(false);
            var ruleDocuments = await _documents.ListAsync(tenantId, BotDocuments.RuleKind, cancellationToken).ConfigureAwait(false);
            var robots = new Dictionary<long, Robot>();
            foreach (var document in robotDocuments)
            {
                if (Read(document, BotDocuments.ReadRobot) is { } robot)
                {
                    robots[robot.Id] = robot;
                }
            }

            var rulesByRobot = robots.Keys.ToDictionary(id => id, _ => ImmutableSortedDictionary.CreateBuilder<long, KnowledgeRule>());
            var ruleRobots = ImmutableDictionary.CreateBuilder<long, long>();
            foreach (var document in ruleDocuments)
            {
                if (Read(document, BotDocuments.ReadRule) is not { } rule)
                {
                    continue;
                }

                if (!rulesByRobot.TryGetValue(rule.RobotId, out var rules))
                {
                    LogOrphanRule(tenantId, rule.Id, rule.RobotId);
                    continue;
                }

                rules[rule.Id] = rule;
                ruleRobots[rule.Id] = rule.RobotId;
            }

            var entries = ImmutableSortedDictionary.CreateBuilder<long, RobotEntry>();
            foreach (var (id, robot) in robots)
            {
                var rules = rulesByRobot[id].ToImmutable();
                var indexer = new RobotIndexer(this, tenant, tenantId, id);
                indexer.BuildFirst(rules.Values, cancellationToken);
                entries[id] = new RobotEntry(robot, rules, indexer);
            }

            tenant.Publish(new CatalogState(entries.ToImmutable(), ruleRobots.ToImmutable()));
        }
        finally
        {
            tenant.LoadGate.Release();
        }

        T? Read<T>(ConfigurationDocument document, Func<ConfigurationDocument, T> read) where T : class
        {
            try
            {
                return read(document);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or NotSupportedException)
            {
                LogUnreadableDocument(ex, tenantId, document.Kind, document.Key);
                return null;
            }
        }
    }

    public bool TryGetRobot(long tenantId, long robotId, [NotNullWhen(true)] out Robot? robot)
    {
        robot = StateOf(tenantId)?.Robots.GetValueOrDefault(robotId)?.Robot;
        return robot is not null;
    }

    public IReadOnlyList<Robot> RobotsOf(long tenantId) =>
        StateOf(tenantId) is { } state ? [.. state.Robots.Values.Select(e => e.Robot)] : [];

    public bool TryGetRule(long tenantId, long ruleId, [NotNullWhen(true)] out KnowledgeRule? rule)
    {
        rule = null;
        if (StateOf(tenantId) is { } state && state.RuleRobots.TryGetValue(ruleId, out var robotId)
            && state.Robots.TryGetValue(robotId, out var entry))
        {
            rule = entry.Rules.GetValueOrDefault(ruleId);
        }

        return rule is not null;
    }

    public IReadOnlyList<KnowledgeRule> RulesOf(long tenantId, long robotId) =>
        StateOf(tenantId)?.Robots.GetValueOrDefault(robotId) is { } entry ? [.. entry.Rules.Values] : [];

    public KnowledgeIndex IndexOf(long tenantId, long robotId) =>
        StateOf(tenantId)?.Robots.GetValueOrDefault(robotId)?.Indexer.Current ?? KnowledgeIndex.Empty;

    public Task WhenIndexedAsync(long tenantId, long robotId, CancellationToken cancellationToken = default) =>
        StateOf(tenantId)?.Robots.GetValueOrDefault(robotId)?.Indexer.WhenIndexedAsync(cancellationToken) ?? Task.CompletedTask;

    private CatalogState? StateOf(long tenantId) => _tenants.TryGetValue(tenantId, out var tenant) ? tenant.State : null;

    // ---- Writes: made by IRobots and IKnowledgeBase after the store accepted them, under the tenant's write lock

    /// <summary>
    /// Serialises a tenant's administrative writes, so that the store and the catalog change in the same order.
    /// Dispose the result to release it.
    /// </summary>
    public async ValueTask<WriteLock> LockAsync(long tenantId, CancellationToken cancellationToken)
    {
        var gate = _tenants.GetOrAdd(tenantId, static _ => new TenantCatalog()).WriteGate;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteLock(gate);
    }

    /// <summary>Adds or replaces a robot; a new robot starts with no rules and an empty index.</summary>
    public void PutRobot(long tenantId, Robot robot)
    {
        ArgumentNullException.ThrowIfNull(robot);
        var tenant = Loaded(tenantId);
        lock (tenant.Sync)
        {
            var state = tenant.State!;
            var entry = state.Robots.TryGetValue(robot.Id, out var existing)
                ? existing with { Robot = robot }
                : new RobotEntry(robot, ImmutableSortedDictionary<long, KnowledgeRule>.Empty, new RobotIndexer(this, tenant, tenantId, robot.Id));
            tenant.Publish(state with { Robots = state.Robots.SetItem(robot.Id, entry) });
        }
    }

    /// <summary>Removes a robot with its rules and index.</summary>
    public void RemoveRobot(long tenantId, long robotId)
    {
        var tenant = Loaded(tenantId);
        RobotEntry? removed;
        lock (tenant.Sync)
        {
            var state = tenant.State!;
            if (!state.Robots.TryGetValue(robotId, out removed))
            {
                return;
            }

            tenant.Publish(new CatalogState(state.Robots.Remove(robotId), state.RuleRobots.RemoveRange(removed.Rules.Keys)));
        }

        removed.Indexer.Retire();
    }

    /// <summary>Adds or replaces <paramref name="put"/> and removes <paramref name="removed"/> from a robot's rules, then schedules one rebuild.</summary>
    public void ApplyRules(long tenantId, long robotId, IReadOnlyCollection<KnowledgeRule> put, IReadOnlyCollection<long> removed)
    {
        ArgumentNullException.ThrowIfNull(put);
        ArgumentNullException.ThrowIfNull(removed);
        if (put.Count == 0 && removed.Count == 0)
        {
            return;
        }

        var tenant = Loaded(tenantId);
        RobotIndexer indexer;
        lock (tenant.Sync)
        {
            var state = tenant.State!;
            if (!state.Robots.TryGetValue(robotId, out var entry))
            {
                return;
            }

            var rules = entry.Rules.ToBuilder();
            var ruleRobots = state.RuleRobots.ToBuilder();
            foreach (var id in removed)
            {
                rules.Remove(id);
                ruleRobots.Remove(id);
            }

            foreach (var rule in put)
            {
                if (rule.RobotId != robotId)
                {
                    throw new ArgumentException($"Rule {rule.Id} belongs to robot {rule.RobotId}, not {robotId}.", nameof(put));
                }

                rules[rule.Id] = rule;
                ruleRobots[rule.Id] = robotId;
            }

            tenant.Publish(new CatalogState(state.Robots.SetItem(robotId, entry with { Rules = rules.ToImmutable() }), ruleRobots.ToImmutable()));
            indexer = entry.Indexer;
        }

        indexer.Schedule();
    }

    public void Dispose()
    {
        // The container disposes the catalog once per registration (as itself and as IBotCatalog).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        foreach (var tenant in _tenants.Values)
        {
            if (tenant.State is { } state)
            {
                foreach (var entry in state.Robots.Values)
                {
                    entry.Indexer.Retire();
                }
            }
        }

        _stopping.Dispose();
    }

    private TenantCatalog Loaded(long tenantId) =>
        _tenants.TryGetValue(tenantId, out var tenant) && tenant.State is not null
            ? tenant
            : throw new InvalidOperationException($"Tenant {tenantId}'s robots are not loaded: call LoadTenantAsync first.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Tenant {TenantId}: the configuration document {Kind}/{Key} cannot be read; it is skipped.")]
    private partial void LogUnreadableDocument(Exception exception, long tenantId, string kind, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: knowledge rule {RuleId} belongs to robot {RobotId}, which does not exist; it is skipped.")]
    private partial void LogOrphanRule(long tenantId, long ruleId, long robotId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tenant {TenantId}: building the knowledge index of robot {RobotId} failed; the robot keeps answering from its previous index.")]
    private partial void LogBuildFailed(Exception exception, long tenantId, long robotId);

    /// <summary>Releases a tenant's write lock.</summary>
    public readonly struct WriteLock(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    private sealed class TenantCatalog
    {
        private CatalogState? _state;

        public SemaphoreSlim LoadGate { get; } = new(1, 1);

        public SemaphoreSlim WriteGate { get; } = new(1, 1);

        /// <summary>Serialises swaps of <see cref="State"/>; readers never take it.</summary>
        public object Sync { get; } = new();

        /// <summary>Null until the tenant is loaded.</summary>
        public CatalogState? State => Volatile.Read(ref _state);

        public void Publish(CatalogState state) => Volatile.Write(ref _state, state);
    }

    /// <summary>A tenant's robots by id, and which robot each rule belongs to.</summary>
    private sealed record CatalogState(ImmutableSortedDictionary<long, RobotEntry> Robots, ImmutableDictionary<long, long> RuleRobots);

    private sealed record RobotEntry(Robot Robot, ImmutableSortedDictionary<long, KnowledgeRule> Rules, RobotIndexer Indexer);

    /// <summary>
    /// A robot's current index and its rebuilds. <see cref="Schedule"/> counts a request and starts a build on the
    /// thread pool unless one runs; a running build, when done, starts one more if requests came meanwhile, so any
    /// number of changes during a build cost one more build. Waiters complete when the builds covering their request
    /// are done (swapped in, or failed and logged).
    /// </summary>
    private sealed class RobotIndexer(BotCatalog owner, TenantCatalog tenant, long tenantId, long robotId)
    {
        private readonly object _gate = new();
        private KnowledgeIndex _current = KnowledgeIndex.Empty;
        private long _requested;
        private long _completed;
        private long _builds;
        private bool _running;
        private bool _retired;
        private List<(long Request, TaskCompletionSource Done)>? _waiters;

        public KnowledgeIndex Current => Volatile.Read(ref _current);

        /// <summary>The tenant's first build, on the loading caller's thread.</summary>
        public void BuildFirst(IEnumerable<KnowledgeRule> rules, CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, owner._stoppingToken);
            Build(rules, linked.Token);
            cancellationToken.ThrowIfCancellationRequested();
        }

        public void Schedule()
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return;
                }

                _requested++;
                if (_running)
                {
                    return;
                }

                _running = true;
            }

            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Run(), this, preferLocal: false);
        }

        public Task WhenIndexedAsync(CancellationToken cancellationToken)
        {
            TaskCompletionSource done;
            lock (_gate)
            {
                if (_retired || _completed >= _requested)
                {
                    return Task.CompletedTask;
                }

                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (_waiters ??= []).Add((_requested, done));
            }

            return done.Task.WaitAsync(cancellationToken);
        }

        /// <summary>The robot was deleted (or the catalog disposed): no more builds, and nobody waits for one.</summary>
        public void Retire()
        {
            List<(long Request, TaskCompletionSource Done)>? waiters;
            lock (_gate)
            {
                _retired = true;
                waiters = _waiters;
                _waiters = null;
            }

            waiters?.ForEach(w => w.Done.TrySetResult());
        }

        private void Run()
        {
            while (true)
            {
                long request;
                lock (_gate)
                {
                    request = _requested;
                }

                // Read after taking the request number: every change counted in it is already in the state.
                var rules = tenant.State?.Robots.GetValueOrDefault(robotId)?.Rules.Values ?? [];
                Build(rules, owner._stoppingToken);
                List<TaskCompletionSource>? done = null;
                bool again;
                lock (_gate)
                {
                    _completed = request;
                    if (_waiters is not null)
                    {
                        done = [.. _waiters.Where(w => w.Request <= request).Select(w => w.Done)];
                        _waiters.RemoveAll(w => w.Request <= request);
                    }

                    again = !_retired && _requested > request;
                    _running = again;
                }

                done?.ForEach(d => d.TrySetResult());
                if (!again)
                {
                    return;
                }
            }
        }

        private void Build(IEnumerable<KnowledgeRule> rules, CancellationToken cancellationToken)
        {
            try
            {
                var index = KnowledgeIndex.Build(rules, owner._matcher, ++_builds, cancellationToken);
                if (!Volatile.Read(ref _retired))
                {
                    Volatile.Write(ref _current, index);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping (or the first load was cancelled, which the caller rethrows).
            }
#pragma warning disable CA1031 // A matcher may fail in any way: the robot keeps its old index and the failure is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                owner.LogBuildFailed(ex, tenantId, robotId);
            }
        }
    }
}
