using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kefu.Adapters.Tests.Cluster;

/// <summary>A message event a node's subscription printed.</summary>
public readonly record struct SeenEvent(long ConversationId, long Sequence, long EventId, long MessageId, string ClientMessageId);

/// <summary>
/// Drives a <see cref="ClusterNode"/> child process: sends it commands and collects what it prints (acknowledgements,
/// events, the shards it holds). <see cref="Kill"/> sends SIGKILL.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(bool Acked, long MessageId)>> _sends = new();
    private readonly List<(string Prefix, TaskCompletionSource<string> Line)> _waiters = [];
    private readonly List<SeenEvent> _events = [];
    private readonly StringBuilder _errors = new();
    private readonly Task _reader;
    private IReadOnlyList<int> _held = [];

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _reader = Task.Run(ReadAsync);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    if (_errors.Length < 200_000)
                    {
                        _errors.AppendLine(e.Data);
                    }
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>The shards the node said it holds last.</summary>
    public IReadOnlyList<int> Held => Volatile.Read(ref _held);

    /// <summary>When the node last said it took or lost a shard (a <see cref="Stopwatch"/> timestamp).</summary>
    public long HeldChangedAt { get; private set; }

    /// <summary>What the node wrote to standard error (its warnings and errors).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>The message events the node's subscriptions printed, in the order they arrived.</summary>
    public IReadOnlyList<SeenEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Starts a node and waits until it is ready.</summary>
    public static async Task<NodeProcess> StartAsync(string postgres, string rabbitMq, string name, int nodeId, bool ownsShards, int shards, TimeSpan lease)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            typeof(ClusterNode).Assembly.Location, ClusterNode.Verb, postgres, rabbitMq, name, nodeId.ToString(CultureInfo.InvariantCulture),
            ownsShards ? "true" : "false", shards.ToString(CultureInfo.InvariantCulture), ((int)lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var node = new NodeProcess(name, Process.Start(start) ?? throw new InvalidOperationException("The node process did not start."));
        await node.WaitForLineAsync("ready", TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>Sends a command line and waits for the first line starting with <paramref name="answerPrefix"/>.</summary>
    public async Task<string> AskAsync(string command, string answerPrefix, TimeSpan timeout)
    {
        var answer = WaitForLineAsync(answerPrefix, timeout);
        await WriteAsync(command);
        return await answer;
    }

    /// <summary>Sends a message and waits for its acknowledgement (true with the message id) or refusal (false).</summary>
    public async Task<(bool Acked, long MessageId)> SendAsync(long tenant, long conversation, string kind, long participant, string clientId, TimeSpan timeout)
    {
        var reply = new TaskCompletionSource<(bool, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _sends[clientId] = reply;
        await WriteAsync(string.Create(CultureInfo.InvariantCulture, $"send {tenant} {conversation} {kind} {participant} {clientId}"));
        try
        {
            return await reply.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return (false, 0);
        }
        finally
        {
            _sends.TryRemove(clientId, out _);
        }
    }

    private async Task WriteAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends SIGKILL: no clean-up in the node, its leases simply expire.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public bool HasExited => _process.HasExited;

    private Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((prefix, line));
        }

        return line.Task.WaitAsync(timeout).ContinueWith(
            t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException($"Node {Name} did not print '{prefix}…' within {timeout}. Its errors:\n{Errors}"),
            TaskScheduler.Default);
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts)
            {
                case ["ack", var clientId, var messageId]:
                    if (_sends.TryGetValue(clientId, out var acked))
                    {
                        acked.TrySetResult((true, long.Parse(messageId, CultureInfo.InvariantCulture)));
                    }

                    break;
                case ["nack", var clientId, _]:
                    if (_sends.TryGetValue(clientId, out var refused))
                    {
                        refused.TrySetResult((false, 0));
                    }

                    break;
                case ["event", var conversation, var sequence, var eventId, var messageId, var clientId]:
                    lock (_gate)
                    {
                        _events.Add(new SeenEvent(
                            long.Parse(conversation, CultureInfo.InvariantCulture), long.Parse(sequence, CultureInfo.InvariantCulture),
                            long.Parse(eventId, CultureInfo.InvariantCulture), long.Parse(messageId, CultureInfo.InvariantCulture), clientId));
                    }

                    break;
                case ["held", var shards]:
                    Volatile.Write(ref _held, shards.Length == 0 ? [] : [.. shards.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]);
                    HeldChangedAt = Stopwatch.GetTimestamp();
                    break;
                case ["held"]:
                    Volatile.Write(ref _held, []);
                    HeldChangedAt = Stopwatch.GetTimestamp();
                    break;
            }

            lock (_gate)
            {
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (line.StartsWith(_waiters[i].Prefix, StringComparison.Ordinal))
                    {
                        _waiters[i].Line.TrySetResult(line);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        await _reader;
        _process.Dispose();
    }
}
