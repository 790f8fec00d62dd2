using System.Collections.Immutable;
using Kefu.Bots.Matching;
using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Assist;

/// <summary>The history index of a tenant: built from <see cref="Answers"/>, each question labelled with its answer's id.</summary>
internal sealed record HistoryIndex(IQuestionIndex Index, ImmutableDictionary<long, HistoryAnswer> Answers)
{
    public static HistoryIndex Empty { get; } = new(EmptyIndex.Instance, ImmutableDictionary<long, HistoryAnswer>.Empty);

    private sealed class EmptyIndex : IQuestionIndex
    {
        public static EmptyIndex Instance { get; } = new();

        public int RuleCount => 0;

        public int Match(ReadOnlySpan<char> question, Span<RuleScore> results) => 0;

        public double Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => first.SequenceEqual(second) ? 1 : 0;
    }
}

/// <summary>
/// One tenant's agent-assist state in memory: mined answers and feedback as immutable maps that readers take without
/// locks, the history index swapped in whole by a background build, and a writer gate that orders the tenant's writes.
/// </summary>
internal sealed class AssistTenant
{
    /// <summary>How many recently mined conversations are remembered in memory (the stored answers remember their own).</summary>
    private const int RecentConversations = 10_000;

    private readonly IQuestionMatcher _matcher;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly Lock _buildGate = new();
    private readonly HashSet<long> _mined = [];
    private readonly Queue<long> _minedOrder = new();
    private ImmutableDictionary<long, HistoryAnswer> _answers;
    private ImmutableDictionary<string, FeedbackStats> _feedback;
    private HistoryIndex? _history;
    private ImmutableDictionary<long, HistoryAnswer>? _pendingBuild;
    private bool _building;
    private Task _builder = Task.CompletedTask;

    public AssistTenant(long tenantId, ImmutableDictionary<long, HistoryAnswer> answers, ImmutableDictionary<string, FeedbackStats> feedback,
        IQuestionMatcher matcher, ILogger logger, CancellationToken stopping)
    {
        TenantId = tenantId;
        _answers = answers;
        _feedback = feedback;
        _matcher = matcher;
        _logger = logger;
        _stopping = stopping;
        PairCount = answers.Values.Sum(a => a.Questions.Length);
        if (answers.IsEmpty)
        {
            _history = HistoryIndex.Empty;
        }
        else
        {
            ScheduleBuild(answers);
        }
    }

    public long TenantId { get; }

    /// <summary>Orders the tenant's writes (mining, feedback); held across the store calls of one write.</summary>
    public SemaphoreSlim Writer { get; } = new(1, 1);

    /// <summary>The mined answers now.</summary>
    public ImmutableDictionary<long, HistoryAnswer> Answers => Volatile.Read(ref _answers);

    /// <summary>The feedback now, by suggestion key.</summary>
    public ImmutableDictionary<string, FeedbackStats> Feedback => Volatile.Read(ref _feedback);

    /// <summary>How many pairs (answer–question) <see cref="Answers"/> holds. Written under <see cref="Writer"/>.</summary>
    public int PairCount { get; private set; }

    /// <summary>Replaces the answers and their pair count (under <see cref="Writer"/>) and schedules a rebuild of the history index.</summary>
    public void PublishAnswers(ImmutableDictionary<long, HistoryAnswer> answers, int pairCount)
    {
        PairCount = pairCount;
        Volatile.Write(ref _answers, answers);
        ScheduleBuild(answers);
    }

    /// <summary>Replaces the feedback (under <see cref="Writer"/>).</summary>
    public void PublishFeedback(ImmutableDictionary<string, FeedbackStats> feedback) => Volatile.Write(ref _feedback, feedback);

    /// <summary>Whether the conversation was mined recently by this process (under <see cref="Writer"/>).</summary>
    public bool WasMined(long conversationId) => _mined.Contains(conversationId);

    /// <summary>Remembers a mined conversation (under <see cref="Writer"/>), forgetting the oldest past the bound.</summary>
    public void RememberMined(long conversationId)
    {
        if (!_mined.Add(conversationId))
        {
            return;
        }

        _minedOrder.Enqueue(conversationId);
        while (_minedOrder.Count > RecentConversations)
        {
            _mined.Remove(_minedOrder.Dequeue());
        }
    }

    /// <summary>
    /// The current history index; before the first build is done, waits for it (later rebuilds never make a reader wait:
    /// the previous index serves until the new one is swapped in).
    /// </summary>
    public async ValueTask<HistoryIndex> GetHistoryAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Volatile.Read(ref _history) is { } history)
            {
                return history;
            }

            Task builder;
            lock (_buildGate)
            {
                if (!_building)
                {
                    return _history ?? HistoryIndex.Empty;
                }

                builder = _builder;
            }

            await builder.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when every build scheduled so far has been swapped in.</summary>
    public async Task WhenIndexedAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task builder;
            lock (_buildGate)
            {
                if (!_building)
                {
                    return;
                }

                builder = _builder;
            }

            await builder.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void ScheduleBuild(ImmutableDictionary<long, HistoryAnswer> answers)
    {
        lock (_buildGate)
        {
            _pendingBuild = answers;
            if (!_building)
            {
                _building = true;
                _builder = Task.Run(BuildLoop, CancellationToken.None);
            }
        }
    }

    /// <summary>Builds the latest scheduled answers until none is pending; builds scheduled meanwhile collapse into one.</summary>
    private void BuildLoop()
    {
        while (true)
        {
            ImmutableDictionary<long, HistoryAnswer> answers;
            lock (_buildGate)
            {
                if (_pendingBuild is null || _stopping.IsCancellationRequested)
                {
                    _building = false;
                    return;
                }

                answers = _pendingBuild;
                _pendingBuild = null;
            }

            try
            {
                Volatile.Write(ref _history, Build(answers));
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // A failed build keeps the previous index serving; the next change tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "Building the agent-assist history index of tenant {TenantId} failed; the previous index stays.", TenantId);
                Volatile.Write(ref _history, Volatile.Read(ref _history) ?? HistoryIndex.Empty);
            }
        }
    }

    private HistoryIndex Build(ImmutableDictionary<long, HistoryAnswer> answers)
    {
        if (answers.IsEmpty)
        {
            return HistoryIndex.Empty;
        }

        var questions = new List<LabelledQuestion>(answers.Count * 2);
        foreach (var answer in answers.Values.OrderBy(a => a.Id))
        {
            foreach (var question in answer.Questions)
            {
                questions.Add(new LabelledQuestion(question.Text, answer.Id));
            }
        }

        return new HistoryIndex(_matcher.Build(questions, _stopping), answers);
    }
}
