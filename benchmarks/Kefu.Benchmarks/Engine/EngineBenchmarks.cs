using System.Globalization;
using System.Threading.Channels;
using System.Threading.Tasks.Sources;
using BenchmarkDotNet.Attributes;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using ChannelFactory = System.Threading.Channels.Channel;

namespace Kefu.Benchmarks.Engine;

/// <summary>
/// Message send through the Kefu engine (one tenant's worker, the in-memory store, Core's default seams) against
/// its baseline, a bare <see cref="Channel{T}"/> of the same shape: one unbounded channel read by one loop on the
/// thread pool. Each invocation sends <see cref="MessagesPerInvoke"/> messages round-robin over 16 conversations,
/// visitor and agent in turn, with the same content instance and a unique client message id each, so every row is
/// per message. Each engine is first warmed with as many messages as its conversations' de-duplication windows hold, so the
/// measurement is of steady state. Goals: the engine at ≥ 25 % of the channel's rate (Ratio ≤ 4) and ≤ 300 B
/// allocated per message.
/// </summary>
// Not sealed: BenchmarkDotNet generates its runner as a class derived from this one.
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class EngineBenchmarks
{
    /// <summary>Messages sent by one invocation, all in flight at once: the engine's send pool holds 4,096 items.</summary>
    public const int MessagesPerInvoke = 4096;

    // The in-memory store keeps every message, so each iteration gets a new engine: 24 × 4,096 = 98,304 messages.
    private const int InvocationsPerIteration = 24;
    private const int MessagesPerIteration = InvocationsPerIteration * MessagesPerInvoke;
    private const int ConversationCount = 16;
    private const int AgentCount = 4;

    private readonly MessageContent _content = MessageContent.FromText("您好，我的订单 20240612-0042 还没有发货，请问什么时候能到？");
    private readonly ValueTask<SendResult>[] _pending = new ValueTask<SendResult>[MessagesPerInvoke];
    private readonly BatchSignal _batchRead = new();
    private string[] _clientMessageIds = [];
    private int _iteration;
    private int _invocation;

    private EngineRig? _rig;

    private Target[] _channelTargets = [];
    private ChannelWriter<Payload>? _writer;
    private Task _readLoop = Task.CompletedTask;

    // ---- Engine

    [IterationSetup(Target = nameof(EngineSend))]
    public void StartEngine()
    {
        NewClientMessageIds();
        // BenchmarkDotNet 0.14 runs iteration setup and cleanup only as void methods (dotnet/BenchmarkDotNet#2442).
        _rig = EngineRig.CreateAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup(Target = nameof(EngineSend))]
    public void StopEngine()
    {
        _rig?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rig = null;
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public async Task EngineSend()
    {
        var rig = _rig ?? throw new InvalidOperationException("The iteration setup did not start the engine.");
        var conversations = rig.Kefu.Conversations;
        var offset = NextInvocationOffset();
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            var target = rig.Targets[i % ConversationCount];
            _pending[i] = conversations.SendAsync(rig.TenantId, target.ConversationId, target.SenderOf(i), _content, _clientMessageIds[offset + i]);
        }

        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            var result = await _pending[i];
            if (result.Blocked || result.Duplicate)
            {
                throw new InvalidOperationException($"Message {offset + i} was {(result.Blocked ? "blocked" : "a duplicate")}: the benchmark would measure refusals, not sends.");
            }
        }
    }

    // ---- Baseline: a bare channel

    [GlobalSetup(Target = nameof(BareChannel))]
    public void StartChannel()
    {
        _channelTargets = [.. Enumerable.Range(1, ConversationCount).Select(i => new Target(i, Participant.Visitor(1_000 + i), Participant.Agent(2_000 + (i % AgentCount))))];
        var channel = ChannelFactory.CreateUnbounded<Payload>(new UnboundedChannelOptions { SingleReader = true });
        _writer = channel.Writer;
        _readLoop = Task.Run(() => ReadLoopAsync(channel.Reader));
    }

    [GlobalCleanup(Target = nameof(BareChannel))]
    public async Task StopChannel()
    {
        _writer?.TryComplete();
        await _readLoop;
    }

    [IterationSetup(Target = nameof(BareChannel))]
    public void StartChannelIteration() => NewClientMessageIds();

    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerInvoke)]
    public async Task BareChannel()
    {
        var writer = _writer ?? throw new InvalidOperationException("The global setup did not create the channel.");
        var offset = NextInvocationOffset();
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            var target = _channelTargets[i % ConversationCount];
            if (!writer.TryWrite(new Payload(target.ConversationId, target.SenderOf(i), _content, _clientMessageIds[offset + i])))
            {
                throw new InvalidOperationException("The channel refused a write.");
            }
        }

        await _batchRead.WaitAsync();
    }

    /// <summary>The worker's shape: wait for items, drain them, and signal each time a whole invocation has been read.</summary>
    private async Task ReadLoopAsync(ChannelReader<Payload> reader)
    {
        var read = 0;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var payload))
            {
                if (payload.Content is null || payload.ClientMessageId is null)
                {
                    throw new InvalidOperationException("A payload lost its fields.");
                }

                if (++read == MessagesPerInvoke)
                {
                    read = 0;
                    _batchRead.Set();
                }
            }
        }
    }

    // ---- Shared

    /// <summary>Client message ids unique across the run, made outside the measurement so they do not count as the engine's allocation.</summary>
    private void NewClientMessageIds()
    {
        var iteration = ++_iteration;
        var ids = new string[MessagesPerIteration];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = string.Create(CultureInfo.InvariantCulture, $"bench-{iteration}-{i}");
        }

        _clientMessageIds = ids;
        _invocation = 0;
    }

    private int NextInvocationOffset()
    {
        var offset = _invocation++ * MessagesPerInvoke;
        if (offset + MessagesPerInvoke > _clientMessageIds.Length)
        {
            throw new InvalidOperationException($"More than {InvocationsPerIteration} invocations in one iteration: the client message ids ran out.");
        }

        return offset;
    }

    /// <summary>A conversation and its two participants; messages alternate between them per round of the round-robin.</summary>
    private readonly record struct Target(long ConversationId, Participant Visitor, Participant Agent)
    {
        public Participant SenderOf(int message) => (message / ConversationCount) % 2 == 0 ? Visitor : Agent;
    }

    /// <summary>What the engine's send receives, as the baseline's channel item.</summary>
    private readonly record struct Payload(long ConversationId, Participant Sender, MessageContent Content, string ClientMessageId);

    /// <summary>
    /// A reusable awaitable set by the reader once per invocation. Continuations run asynchronously, as the engine's
    /// work items complete theirs; it resets when awaited, before the next invocation writes anything.
    /// </summary>
    private sealed class BatchSignal : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        public ValueTask WaitAsync() => new(this, _core.Version);

        public void Set() => _core.SetResult(true);

        public void GetResult(short token)
        {
            _core.GetResult(token);
            _core.Reset();
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>A fresh engine with one tenant, four online agents and sixteen conversations in service.</summary>
    private sealed class EngineRig(ServiceProvider provider, IKefu kefu, long tenantId, Target[] targets) : IAsyncDisposable
    {
        public IKefu Kefu { get; } = kefu;
        public long TenantId { get; } = tenantId;
        public Target[] Targets { get; } = targets;

        public static async Task<EngineRig> CreateAsync()
        {
            var services = new ServiceCollection();
            services.AddKefu(o => o.PasswordHashIterations = 1_000);
            var provider = services.BuildServiceProvider();
            try
            {
                var kefu = provider.GetRequiredService<IKefu>();
                var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "bench" });
                var data = new TestData();
                for (var i = 0; i < AgentCount; i++)
                {
                    var agent = await kefu.Directory.AddAgentAsync(tenant.Id, data.Agent(maxConcurrentChats: ConversationCount / AgentCount));
                    await kefu.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
                }

                var targets = new Target[ConversationCount];
                for (var i = 0; i < targets.Length; i++)
                {
                    var conversation = await kefu.Conversations.OpenAsync(tenant.Id, data.Conversation());
                    if (conversation.State != ConversationState.InService || conversation.AgentId is not { } agentId)
                    {
                        throw new InvalidOperationException($"Conversation {i} is {conversation.State}, not in service with an agent.");
                    }

                    targets[i] = new Target(conversation.Id, Participant.Visitor(conversation.VisitorId), Participant.Agent(agentId));
                }

                await WarmUpAsync(kefu, tenant.Id, targets);
                return new EngineRig(provider, kefu, tenant.Id, targets);
            }
            catch
            {
                await provider.DisposeAsync();
                throw;
            }
        }

        /// <summary>
        /// Sends as many messages as the de-duplication windows of all the conversations hold (outside the measurement), so the measured sends
        /// run in steady state: the window full, its oldest client id forgotten for each new one, nothing growing.
        /// </summary>
        private static async Task WarmUpAsync(IKefu kefu, long tenantId, Target[] targets)
        {
            var window = new KefuOptions().DeduplicationWindow * ConversationCount;
            var content = MessageContent.FromText("warm-up");
            var pending = new ValueTask<SendResult>[MessagesPerInvoke];
            for (var sent = 0; sent < window; sent += MessagesPerInvoke)
            {
                for (var i = 0; i < MessagesPerInvoke; i++)
                {
                    var target = targets[i % ConversationCount];
                    pending[i] = kefu.Conversations.SendAsync(tenantId, target.ConversationId, target.SenderOf(i), content,
                        string.Create(CultureInfo.InvariantCulture, $"warm-{sent + i}"));
                }

                for (var i = 0; i < MessagesPerInvoke; i++)
                {
                    await pending[i];
                }
            }
        }

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}
