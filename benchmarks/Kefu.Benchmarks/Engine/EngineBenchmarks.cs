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
    public const int MessagesPerInvoke = EngineRig.MessagesPerInvoke;

    // The in-memory store keeps every message, so each iteration gets a new engine: 24 × 4,096 = 98,304 messages.
    private const int InvocationsPerIteration = 24;
    private const int MessagesPerIteration = InvocationsPerIteration * MessagesPerInvoke;
    private const int ConversationCount = EngineRig.ConversationCount;

    private readonly MessageContent _content = MessageContent.FromText("您好，我的订单 20240612-0042 还没有发货，请问什么时候能到？");
    private readonly ValueTask<SendResult>[] _pending = new ValueTask<SendResult>[MessagesPerInvoke];
    private readonly BatchSignal _batchRead = new();
    private string[] _clientMessageIds = [];
    private int _iteration;
    private int _invocation;

    private EngineRig? _rig;

    private SendTarget[] _channelTargets = [];
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
        await rig.SendAsync(_pending, _content, _clientMessageIds, NextInvocationOffset());
    }

    // ---- Baseline: a bare channel

    [GlobalSetup(Target = nameof(BareChannel))]
    public void StartChannel()
    {
        _channelTargets = [.. Enumerable.Range(1, ConversationCount).Select(i => new SendTarget(i, Participant.Visitor(1_000 + i), Participant.Agent(2_000 + (i % EngineRig.AgentCount))))];
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
}
