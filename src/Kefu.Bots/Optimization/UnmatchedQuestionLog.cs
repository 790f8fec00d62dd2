using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Kefu.Bots.Matching;
using Kefu.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kefu.Bots.Optimization;

/// <summary>One distinct unmatched question (by its normal form) as the log holds it.</summary>
/// <param name="Question">The question's key (<see cref="UnmatchedQuestionLog.KeyOf"/>): its normal form, without spaces next to Chinese characters.</param>
/// <param name="Count">How many times visitors asked it.</param>
/// <param name="Examples">Up to five distinct ways visitors wrote it, first seen first.</param>
/// <param name="FirstAskedAt">When it was first asked.</param>
/// <param name="LastAskedAt">When it was last asked.</param>
/// <param name="RuleId">The best rule the last time it was asked, or null.</param>
/// <param name="Confidence">The best rule's confidence the last time it was asked.</param>
internal sealed record UnmatchedEntry(string Question, long Count, IReadOnlyList<string> Examples, DateTimeOffset FirstAskedAt,
    DateTimeOffset LastAskedAt, long? RuleId, double Confidence);

/// <summary>
/// The log of questions robots could not answer well (B6, E17 2.13): per tenant and robot, in memory and bounded (the
/// most recently asked distinct questions), written to the store (<see cref="DocumentKind"/>, one document per robot,
/// key the robot's id) by a background flush shortly after a question is recorded, and read back when a tenant loads.
/// <see cref="Record"/> never blocks on I/O: it is called inside the tenant's worker.
/// </summary>
internal sealed class UnmatchedQuestionLog : IAsyncDisposable, IDisposable
{
    /// <summary>The kind of the configuration documents that hold the log.</summary>
    public const string DocumentKind = "bots.unmatched";

    /// <summary>The longest question kept (longer ones cannot become a rule's question).</summary>
    public const int MaxQuestionLength = 500;

    private const int MaxExamples = 5;
    private const int DocumentFormat = 1;

    // Questions are mostly Chinese: kept as they are rather than as \uXXXX escapes, a third of the size.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private readonly IConfigurationDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly BotOptimizationOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, Lazy<Task>> _loads = new();
    private readonly ConcurrentDictionary<long, bool> _loadedTenants = new();
    private readonly ConcurrentDictionary<(long TenantId, long RobotId), RobotLog> _robots = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _flushScheduled;
    private Task _background = Task.CompletedTask;
    private volatile bool _disposed;

    public UnmatchedQuestionLog(IConfigurationDocumentStore store, TimeProvider time, IOptions<BotOptimizationOptions> options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _options = options.Value;
        _options.Validate();
        _logger = loggers?.CreateLogger("Kefu.Bots.Optimization") ?? NullLogger.Instance;
    }

    /// <summary>Reads the tenant's logs from the store (once; later calls return the same load). A failed load is retried by the next call.</summary>
    public Task LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default) =>
        _loads.GetOrAdd(tenantId, id => new Lazy<Task>(() => LoadOrForgetAsync(id))).Value.WaitAsync(cancellationToken);

    /// <summary>
    /// Like <see cref="LoadTenantAsync"/>, but a failure is logged rather than thrown: the tenant's robots answer
    /// anyway, questions are kept in memory, and a later load (the next call, or one from <see cref="IBotOptimization"/>)
    /// reads the stored log before anything is written over it.
    /// </summary>
    public async Task TryLoadTenantAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        try
        {
            await LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "The unmatched-question logs of tenant {TenantId} could not be read; they will be read again later.", tenantId);
        }
    }

    /// <summary>
    /// Records that a visitor asked <paramref name="text"/> (normal form <paramref name="normal"/>) and the robot found
    /// at best <paramref name="ruleId"/> with <paramref name="confidence"/>. In memory; the store is written later.
    /// Empty questions and questions longer than <see cref="MaxQuestionLength"/> are not kept.
    /// </summary>
    public void Record(long tenantId, long robotId, string text, string normal, long? ruleId, double confidence, DateTimeOffset at)
    {
        if (normal.Length == 0 || normal.Length > MaxQuestionLength || _disposed)
        {
            return;
        }

        var key = KeyOf(normal);

        var example = text.Trim();
        if (example.Length is 0 or > MaxQuestionLength)
        {
            example = key;
        }

        var log = _robots.GetOrAdd((tenantId, robotId), _ => new RobotLog());
        lock (log.Gate)
        {
            log.Add(key, example, ruleId, confidence, at, _options.MaxQuestionsPerRobot);
            log.Dirty = true;
        }

        ScheduleFlush();
    }

    /// <summary>
    /// The form the log tells questions apart by: the normal form (<see cref="QuestionText.Normalize(ReadOnlySpan{char})"/>)
    /// without the spaces next to Chinese (or other unspaced) characters, which visitors put in at random.
    /// </summary>
    public static string KeyOf(string normal)
    {
        ArgumentNullException.ThrowIfNull(normal);
        if (!normal.Contains(' ', StringComparison.Ordinal))
        {
            return normal;
        }

        var key = new System.Text.StringBuilder(normal.Length);
        for (var i = 0; i < normal.Length; i++)
        {
            if (normal[i] == ' ' && ((i > 0 && QuestionText.IsCjk(normal[i - 1])) || (i + 1 < normal.Length && QuestionText.IsCjk(normal[i + 1]))))
            {
                continue;
            }

            key.Append(normal[i]);
        }

        return key.ToString();
    }

    /// <summary>The robot's unmatched questions now, least recently asked first.</summary>
    public IReadOnlyList<UnmatchedEntry> Snapshot(long tenantId, long robotId)
    {
        if (!_robots.TryGetValue((tenantId, robotId), out var log))
        {
            return [];
        }

        lock (log.Gate)
        {
            return log.Snapshot();
        }
    }

    /// <summary>Forgets questions (handled or dismissed ones) and schedules a write; returns how many were there.</summary>
    public int Remove(long tenantId, long robotId, IEnumerable<string> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        if (!_robots.TryGetValue((tenantId, robotId), out var log))
        {
            return 0;
        }

        var removed = 0;
        lock (log.Gate)
        {
            foreach (var question in questions)
            {
                removed += log.Remove(question) ? 1 : 0;
            }

            log.Dirty |= removed > 0;
        }

        if (removed > 0)
        {
            ScheduleFlush();
        }

        return removed;
    }

    /// <summary>Writes every changed log of a loaded tenant to the store now; completes when written.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Exception>? failures = null;
            foreach (var ((tenantId, robotId), log) in _robots)
            {
                try
                {
                    await FlushRobotAsync(tenantId, robotId, log, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    (failures ??= []).Add(ex);
                }
            }

            if (failures is not null)
            {
                throw failures.Count == 1 ? failures[0] : new AggregateException("Some logs of unmatched questions could not be written.", failures);
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>Stops the background flush and writes what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _background.ConfigureAwait(false);
            await FlushAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed last write is logged: disposal must not throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "The last write of the unmatched-question logs failed.");
        }

        _stopping.Dispose();
        _flushGate.Dispose();
    }

    /// <summary>Stops the background flush without writing (use <see cref="DisposeAsync"/> to keep what is left).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void ScheduleFlush()
    {
        if (Interlocked.Exchange(ref _flushScheduled, 1) == 1 || _disposed)
        {
            return;
        }

        _background = Task.Run(FlushInBackgroundAsync);
    }

    private async Task FlushInBackgroundAsync()
    {
        try
        {
            var token = _stopping.Token;
            if (_options.FlushDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.FlushDelay, _time, token).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            }

            Volatile.Write(ref _flushScheduled, 0);
            await FlushAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: DisposeAsync writes what is left.
        }
        catch (ObjectDisposedException)
        {
            // Disposed synchronously while waiting.
        }
#pragma warning disable CA1031 // The next record schedules another attempt; the background task must not fault unobserved.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "Writing the unmatched-question logs failed; the next recorded question retries.");
        }
    }

    private async Task LoadOrForgetAsync(long tenantId)
    {
        try
        {
            await LoadAsync(tenantId).ConfigureAwait(false);
        }
        catch
        {
            _loads.TryRemove(tenantId, out _);
            throw;
        }
    }

    private async Task LoadAsync(long tenantId)
    {
        var documents = await _store.ListAsync(tenantId, DocumentKind).ConfigureAwait(false);
        foreach (var document in documents)
        {
            if (!long.TryParse(document.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var robotId))
            {
                continue;
            }

            UnmatchedDocument? content;
            try
            {
                content = JsonSerializer.Deserialize<UnmatchedDocument>(document.Content, Json);
            }
            catch (JsonException ex)
            {
                // Statistics, not configuration: an unreadable log is started afresh (and overwritten) rather than
                // keeping the tenant's robots from loading.
                _logger.LogWarning(ex, "The unmatched-question log of robot {RobotId} of tenant {TenantId} is unreadable; it starts afresh.", robotId, tenantId);
                content = null;
            }

            var log = _robots.GetOrAdd((tenantId, robotId), _ => new RobotLog());
            lock (log.Gate)
            {
                log.Merge(content?.Questions, _options.MaxQuestionsPerRobot);
                log.StoredVersion = document.Version;
                log.Loaded = true;
            }
        }

        // Robots without a stored log have nothing to lose: their logs may be written from now on.
        _loadedTenants.TryAdd(tenantId, true);
    }

    private async Task FlushRobotAsync(long tenantId, long robotId, RobotLog log, CancellationToken cancellationToken)
    {
        IReadOnlyList<UnmatchedEntry> entries;
        long expected;
        lock (log.Gate)
        {
            if (!log.Dirty)
            {
                return;
            }

            if (!log.Loaded && !_loadedTenants.ContainsKey(tenantId))
            {
                // Not read back yet: writing now would overwrite the stored log. A flush after the load writes it.
                return;
            }

            entries = log.Snapshot();
            expected = log.StoredVersion;
            log.Dirty = false;
        }

        try
        {
            var content = JsonSerializer.Serialize(new UnmatchedDocument(DocumentFormat, entries), Json);
            var key = robotId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ConfigurationDocument written;
            try
            {
                written = await _store.PutAsync(tenantId, DocumentKind, key, content, expected, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (KefuException ex) when (ex.Kind == KefuErrorKind.Concurrency)
            {
                // The log has one writer, the node that serves the tenant: a newer stored version is a previous owner's.
                var current = await _store.GetAsync(tenantId, DocumentKind, key, cancellationToken).ConfigureAwait(false);
                written = await _store.PutAsync(tenantId, DocumentKind, key, content, current?.Version ?? 0, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            lock (log.Gate)
            {
                log.StoredVersion = written.Version;
            }
        }
        catch
        {
            lock (log.Gate)
            {
                log.Dirty = true;
            }

            throw;
        }
    }

    /// <summary>The stored form of a robot's log.</summary>
    /// <param name="Format">The document format, 1.</param>
    /// <param name="Questions">The questions, least recently asked first.</param>
    private sealed record UnmatchedDocument(int Format, IReadOnlyList<UnmatchedEntry> Questions);

    /// <summary>One robot's questions, most recently asked last; guarded by <see cref="Gate"/>.</summary>
    private sealed class RobotLog
    {
        private readonly Dictionary<string, LinkedListNode<Entry>> _byQuestion = new(StringComparer.Ordinal);
        private readonly LinkedList<Entry> _byRecency = new();

        public Lock Gate { get; } = new();

        public bool Dirty { get; set; }

        public bool Loaded { get; set; }

        public long StoredVersion { get; set; }

        public void Add(string normal, string example, long? ruleId, double confidence, DateTimeOffset at, int capacity)
        {
            if (_byQuestion.TryGetValue(normal, out var node))
            {
                var entry = node.Value;
                entry.Count++;
                if (entry.Examples.Count < MaxExamples && !entry.Examples.Contains(example, StringComparer.Ordinal))
                {
                    entry.Examples.Add(example);
                }

                entry.LastAskedAt = at > entry.LastAskedAt ? at : entry.LastAskedAt;
                entry.RuleId = ruleId;
                entry.Confidence = confidence;
                _byRecency.Remove(node);
                _byRecency.AddLast(node);
                return;
            }

            Insert(new Entry(normal) { Count = 1, Examples = { example }, FirstAskedAt = at, LastAskedAt = at, RuleId = ruleId, Confidence = confidence }, capacity);
        }

        public void Merge(IReadOnlyList<UnmatchedEntry>? stored, int capacity)
        {
            LinkedListNode<Entry>? lastStored = null;
            foreach (var item in stored ?? [])
            {
                if (string.IsNullOrEmpty(item.Question))
                {
                    continue;
                }

                if (_byQuestion.TryGetValue(item.Question, out var node))
                {
                    // Asked again before the tenant loaded: add the stored history to what was recorded since.
                    var entry = node.Value;
                    entry.Count += item.Count;
                    entry.FirstAskedAt = item.FirstAskedAt < entry.FirstAskedAt ? item.FirstAskedAt : entry.FirstAskedAt;
                    foreach (var example in item.Examples ?? [])
                    {
                        if (entry.Examples.Count < MaxExamples && !entry.Examples.Contains(example, StringComparer.Ordinal))
                        {
                            entry.Examples.Add(example);
                        }
                    }

                    continue;
                }

                var loaded = new Entry(item.Question)
                {
                    Count = Math.Max(1, item.Count),
                    FirstAskedAt = item.FirstAskedAt,
                    LastAskedAt = item.LastAskedAt,
                    RuleId = item.RuleId,
                    Confidence = item.Confidence,
                };
                loaded.Examples.AddRange((item.Examples ?? []).Where(e => !string.IsNullOrEmpty(e)).Distinct(StringComparer.Ordinal).Take(MaxExamples));
                if (loaded.Examples.Count == 0)
                {
                    loaded.Examples.Add(item.Question);
                }

                // Stored entries were asked before anything recorded since: they go first, in their stored order.
                var newNode = lastStored is null ? _byRecency.AddFirst(loaded) : _byRecency.AddAfter(lastStored, loaded);
                lastStored = newNode;
                _byQuestion.Add(loaded.Question, newNode);
            }

            while (_byQuestion.Count > capacity)
            {
                Evict();
            }
        }

        public bool Remove(string normal)
        {
            if (!_byQuestion.Remove(normal, out var node))
            {
                return false;
            }

            _byRecency.Remove(node);
            return true;
        }

        public IReadOnlyList<UnmatchedEntry> Snapshot()
        {
            var result = new UnmatchedEntry[_byRecency.Count];
            var i = 0;
            foreach (var e in _byRecency)
            {
                result[i++] = new UnmatchedEntry(e.Question, e.Count, [.. e.Examples], e.FirstAskedAt, e.LastAskedAt, e.RuleId, e.Confidence);
            }

            return result;
        }

        private void Insert(Entry entry, int capacity)
        {
            _byQuestion.Add(entry.Question, _byRecency.AddLast(entry));
            while (_byQuestion.Count > capacity)
            {
                Evict();
            }
        }

        private void Evict()
        {
            var oldest = _byRecency.First!;
            _byRecency.RemoveFirst();
            _byQuestion.Remove(oldest.Value.Question);
        }
    }

    private sealed class Entry(string question)
    {
        public string Question { get; } = question;

        public long Count { get; set; }

        public List<string> Examples { get; } = [];

        public DateTimeOffset FirstAskedAt { get; set; }

        public DateTimeOffset LastAskedAt { get; set; }

        public long? RuleId { get; set; }

        public double Confidence { get; set; }
    }
}
