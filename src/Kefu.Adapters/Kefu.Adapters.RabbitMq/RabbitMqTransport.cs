using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Kefu.Cluster;
using Kefu.Events;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Kefu.Adapters.RabbitMq;

/// <summary>
/// Kefu's transport between nodes on one RabbitMQ broker.
/// <list type="bullet">
/// <item>Events: the shard owner publishes each committed <see cref="KefuEvent"/> (its protobuf bytes, persistent,
/// confirmed by the broker before the worker goes on) to the topic exchange <c>{prefix}.events</c> with the routing
/// key <c>t{tenant}.c{conversation}</c>; every node's durable queue <c>{prefix}.node.{name}.events</c> is bound to it,
/// and its consumer hands each event to the node's subscriptions, then acknowledges it. One publisher per tenant and
/// one consumer per node keep each tenant's events in commit order.</item>
/// <item>Commands: a node forwards a command for a shard it does not own to the durable queue
/// <c>{prefix}.shard.{n}</c> (a <see cref="KefuCommand"/>, with a reply-to queue, a correlation id and a time-to-live);
/// the shard's owner consumes that queue while it holds the lease, runs the command through
/// <see cref="KefuCommandHandler"/>, publishes the <see cref="KefuCommandReply"/> to the sender's exclusive
/// <c>{prefix}.node.{name}.replies</c> queue, and only then acknowledges the command. A command whose owner died
/// unacknowledged goes back to the shard's queue for the next owner.</item>
/// <item>Failures: publishes use publisher confirms and are retried with exponential back-off until confirmed; the
/// connection recovers on its own (queues, bindings and consumers included), and the first connection is retried with
/// back-off too.</item>
/// </list>
/// </summary>
internal sealed class RabbitMqTransport : IKefuTransport, IKefuCommandForwarder, IAsyncDisposable
{
    private const int PublishChannels = 4;

    private readonly RabbitMqTransportOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventSubscriptions _subscriptions = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new();
    private readonly ConcurrentDictionary<int, string> _shardConsumers = new();
    private readonly SemaphoreSlim _consumersGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Threading.Channels.Channel<ConfirmChannel> _publishers = System.Threading.Channels.Channel.CreateBounded<ConfirmChannel>(PublishChannels);
    private IKefuClusterNode? _cluster;
    private KefuCommandHandler? _handler;
    private IConnection? _connection;
    private IChannel? _commandChannel;
    private int _started;

    public RabbitMqTransport(RabbitMqTransportOptions options, IServiceProvider services, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _options = options;
        _services = services;
        _time = time;
        _logger = logger;
        NodeName = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This node's name in queue names: the cluster node's name, or a unique one without a cluster.</summary>
    public string NodeName { get; private set; }

    private string EventsExchange => $"{_options.Prefix}.events";
    private string EventsQueue => $"{_options.Prefix}.node.{NodeName}.events";
    private string RepliesQueue => $"{_options.Prefix}.node.{NodeName}.replies";
    private string ShardQueue(int shard) => $"{_options.Prefix}.shard.{shard.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the node is connected to the broker now.</summary>
    public bool IsConnected => _connection is { IsOpen: true };

    // ---- Lifecycle

    /// <summary>Connects (retrying with back-off in the background until it succeeds), declares the topology and starts consuming.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return Task.CompletedTask;
        }

        _cluster = _services.GetService<IKefuClusterNode>();
        _handler = _services.GetService<KefuCommandHandler>();
        if (_cluster is not null)
        {
            NodeName = _cluster.NodeName;
            _cluster.Acquired += OnShardAcquired;
            _cluster.Lost += OnShardLost;
        }

        _ = Task.Run(ConnectLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ConnectLoopAsync()
    {
        var token = _stopping.Token;
        var delay = _options.ReconnectDelay;
        for (var attempt = 1; !token.IsCancellationRequested; attempt++)
        {
            try
            {
                await ConnectAsync(token).ConfigureAwait(false);
                _connected.TrySetResult();
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "RabbitMQ: connecting (attempt {Attempt}) failed; retrying in {Delay}.", attempt, delay);
                if (_connection is { } failed)
                {
                    _connection = null;
                    await DisposeQuietlyAsync(failed).ConfigureAwait(false);
                }

                try
                {
                    await Task.Delay(delay, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConnectAsync(CancellationToken token)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(_options.Uri),
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = _options.ReconnectDelay,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            ClientProvidedName = $"kefu:{NodeName}",
        };
        _connection = await factory.CreateConnectionAsync(token).ConfigureAwait(false);
        _connection.RecoverySucceededAsync += (_, _) =>
        {
            _logger.LogInformation("RabbitMQ: node {Node} reconnected.", NodeName);
            _ = ReconcileShardConsumersAsync();
            return Task.CompletedTask;
        };
        _connection.ConnectionShutdownAsync += (_, e) =>
        {
            _logger.LogWarning("RabbitMQ: node {Node}'s connection shut down ({Reason}); recovering.", NodeName, e.ReplyText);
            return Task.CompletedTask;
        };

        // Topology: the events exchange, this node's event and reply queues, and one durable queue per shard.
        await using (var setup = await _connection.CreateChannelAsync(cancellationToken: token).ConfigureAwait(false))
        {
            await setup.ExchangeDeclareAsync(EventsExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: token).ConfigureAwait(false);
            if (_cluster is not null)
            {
                for (var shard = 0; shard < _cluster.ShardCount; shard++)
                {
                    await setup.QueueDeclareAsync(ShardQueue(shard), durable: true, exclusive: false, autoDelete: false, cancellationToken: token).ConfigureAwait(false);
                }
            }
        }

        for (var i = 0; i < PublishChannels; i++)
        {
            _publishers.Writer.TryWrite(await OpenPublisherAsync(_connection, token).ConfigureAwait(false));
        }

        var events = await _connection.CreateChannelAsync(cancellationToken: token).ConfigureAwait(false);
        await events.BasicQosAsync(0, (ushort)_options.PrefetchCount, false, token).ConfigureAwait(false);
        await events.QueueDeclareAsync(
            EventsQueue,
            durable: true,
            exclusive: false,
            autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-expires"] = (int)_options.EventQueueExpiry.TotalMilliseconds },
            cancellationToken: token).ConfigureAwait(false);
        await events.QueueBindAsync(EventsQueue, EventsExchange, "#", cancellationToken: token).ConfigureAwait(false);
        var eventConsumer = new AsyncEventingBasicConsumer(events);
        eventConsumer.ReceivedAsync += (_, delivery) => OnEventAsync(events, delivery);
        await events.BasicConsumeAsync(EventsQueue, autoAck: false, consumerTag: $"{NodeName}.events", consumer: eventConsumer, cancellationToken: token).ConfigureAwait(false);

        var replies = await _connection.CreateChannelAsync(cancellationToken: token).ConfigureAwait(false);
        await replies.QueueDeclareAsync(RepliesQueue, durable: false, exclusive: true, autoDelete: true, cancellationToken: token).ConfigureAwait(false);
        var replyConsumer = new AsyncEventingBasicConsumer(replies);
        replyConsumer.ReceivedAsync += (_, delivery) => OnReplyAsync(replies, delivery);
        await replies.BasicConsumeAsync(RepliesQueue, autoAck: false, consumerTag: $"{NodeName}.replies", consumer: replyConsumer, cancellationToken: token).ConfigureAwait(false);

        if (_cluster is not null && _handler is not null)
        {
            _commandChannel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: (ushort)_options.CommandConcurrency),
                token).ConfigureAwait(false);
            await _commandChannel.BasicQosAsync(0, (ushort)Math.Max(_options.PrefetchCount, _options.CommandConcurrency), false, token).ConfigureAwait(false);
            await ReconcileShardConsumersAsync().ConfigureAwait(false);
            _ = Task.Run(ReconcileLoopAsync, CancellationToken.None);
        }

        _logger.LogInformation("RabbitMQ: node {Node} connected to {Host}.", NodeName, _connection.Endpoint);
    }

    /// <summary>Stops consuming and closes the connection; commands in flight here go back to their shard's queue.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_cluster is not null)
        {
            _cluster.Acquired -= OnShardAcquired;
            _cluster.Lost -= OnShardLost;
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new KefuException(KefuErrorKind.Unavailable, "The node's RabbitMQ transport stopped."));
        }

        if (_connection is { } connection)
        {
            try
            {
                await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogDebug(ex, "RabbitMQ: closing the connection failed.");
            }

            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The semaphore and the token source stay undisposed: background reconciliations may still look at them, and
        // neither holds an unmanaged resource unless its wait handle was asked for.
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task DisposeQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "RabbitMQ: disposing a connection failed.");
        }
    }

    // ---- Events

    public IEventSubscription Subscribe(EventFilter filter) => _subscriptions.Subscribe(filter);

    public async ValueTask PublishAsync(long tenantId, IReadOnlyList<KefuEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }

        var messages = new Outgoing[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            messages[i] = new Outgoing(
                EventsExchange,
                string.Create(CultureInfo.InvariantCulture, $"t{tenantId}.c{e.ConversationId}"),
                new BasicProperties
                {
                    Persistent = true,
                    MessageId = e.EventId.ToString(CultureInfo.InvariantCulture),
                    ContentType = "application/x-protobuf",
                    Type = KefuEvent.Descriptor.FullName,
                },
                e.ToByteArray());
        }

        await PublishConfirmedAsync(messages, untilStopped: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task OnEventAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        try
        {
            _subscriptions.Deliver(KefuEvent.Parser.ParseFrom(delivery.Body.Span));
        }
        catch (InvalidProtocolBufferException ex)
        {
            _logger.LogError(ex, "RabbitMQ: an event on {Queue} is not a KefuEvent; dropped.", EventsQueue);
        }

        await AckQuietlyAsync(channel, delivery.DeliveryTag).ConfigureAwait(false);
    }

    // ---- Commands: the sending side

    public async ValueTask<byte[]> ForwardAsync(int shard, byte[] command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
        var correlationId = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = reply;
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, _stopping.Token);
            // Transient: a command lost with the broker is retried by its sender (client message ids keep sends idempotent).
            var properties = new BasicProperties
            {
                CorrelationId = correlationId,
                ReplyTo = RepliesQueue,
                Expiration = ((long)_options.RequestTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ContentType = "application/x-protobuf",
                Type = KefuCommand.Descriptor.FullName,
            };
            try
            {
                await PublishConfirmedAsync([new Outgoing(string.Empty, ShardQueue(shard), properties, command)], untilStopped: false, linked.Token).ConfigureAwait(false);
                return await reply.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new KefuException(KefuErrorKind.Unavailable, $"No reply from the owner of shard {shard} within {_options.RequestTimeout}.");
            }
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    private async Task OnReplyAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        if (delivery.BasicProperties.CorrelationId is { } id && _pending.TryGetValue(id, out var reply))
        {
            reply.TrySetResult(delivery.Body.ToArray());
        }

        await AckQuietlyAsync(channel, delivery.DeliveryTag).ConfigureAwait(false);
    }

    // ---- Commands: the owner's side

    private void OnShardAcquired(ShardLease lease) => _ = ReconcileShardConsumersAsync();

    private void OnShardLost(int shard) => _ = ReconcileShardConsumersAsync();

    /// <summary>Consumes the queues of exactly the shards this node holds.</summary>
    private async Task ReconcileShardConsumersAsync()
    {
        if (_cluster is null || _commandChannel is not { } channel || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _consumersGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var held = _cluster.HeldShards.ToHashSet();
            foreach (var (shard, tag) in _shardConsumers.ToArray())
            {
                if (!held.Contains(shard))
                {
                    // Forgotten only once cancelled, so a cancel that failed (broker unreachable) is tried again.
                    await channel.BasicCancelAsync(tag).ConfigureAwait(false);
                    _shardConsumers.TryRemove(shard, out _);
                }
            }

            foreach (var shard in held)
            {
                if (!_shardConsumers.ContainsKey(shard))
                {
                    var consumer = new AsyncEventingBasicConsumer(channel);
                    consumer.ReceivedAsync += (_, delivery) => OnCommandAsync(channel, delivery);
                    var tag = await channel.BasicConsumeAsync(ShardQueue(shard), autoAck: false, consumerTag: $"{NodeName}.shard.{shard}", consumer: consumer).ConfigureAwait(false);
                    _shardConsumers[shard] = tag;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "RabbitMQ: updating node {Node}'s shard consumers failed; retried at the next lease change or reconnection.", NodeName);
        }
        finally
        {
            _consumersGate.Release();
        }
    }

    /// <summary>Reconciles now and then as well, in case a change was missed while the broker was unreachable.</summary>
    private async Task ReconcileLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ReconcileShardConsumersAsync().ConfigureAwait(false);
        }
    }

    private async Task OnCommandAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        byte[] reply;
        try
        {
            reply = await _handler!.HandleAsync(delivery.Body, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return; // not acknowledged: the command goes back to the shard's queue for its next owner
        }

        if (delivery.BasicProperties.ReplyTo is { Length: > 0 } replyTo)
        {
            var properties = new BasicProperties
            {
                CorrelationId = delivery.BasicProperties.CorrelationId,
                ContentType = "application/x-protobuf",
                Type = KefuCommandReply.Descriptor.FullName,
            };
            try
            {
                using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
                await PublishConfirmedAsync([new Outgoing(string.Empty, replyTo, properties, reply)], untilStopped: false, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("RabbitMQ: the reply to {ReplyTo} could not be published; its sender retries the command.", replyTo);
            }
        }

        await AckQuietlyAsync(channel, delivery.DeliveryTag).ConfigureAwait(false);
    }

    // ---- Publishing

    private async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        if (!_connected.Task.IsCompleted)
        {
            await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes <paramref name="messages"/> in order on one channel and waits for the broker's confirms of all of
    /// them; what is not confirmed is published again, in order, with exponential back-off while the broker is
    /// unreachable: until the transport stops (<paramref name="untilStopped"/>), or for three attempts, or until
    /// <paramref name="cancellationToken"/> fires. A message published twice is delivered twice: subscribers
    /// de-duplicate events by id, and forwarded sends are idempotent by client message id.
    /// </summary>
    private async Task PublishConfirmedAsync(IReadOnlyList<Outgoing> messages, bool untilStopped, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        await WaitConnectedAsync(token).ConfigureAwait(false);
        var delay = _options.ReconnectDelay;
        var first = 0;
        for (var attempt = 1; ; attempt++)
        {
            var confirms = new Task[messages.Count - first];
            var written = 0;
            Exception? failure = null;
            var publisher = await _publishers.Reader.ReadAsync(token).ConfigureAwait(false);
            try
            {
                for (; written < confirms.Length; written++)
                {
                    var m = messages[first + written];
                    confirms[written] = await publisher.SendAsync(m.Exchange, m.RoutingKey, m.Properties, m.Body, token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!token.IsCancellationRequested && ex is not OperationCanceledException)
            {
                failure = ex;
                publisher = await ReplaceIfClosedAsync(publisher, token).ConfigureAwait(false);
            }
            finally
            {
                _publishers.Writer.TryWrite(publisher);
            }

            // Confirmed in order: resume from the first message not confirmed.
            var confirmed = 0;
            for (; confirmed < written; confirmed++)
            {
                try
                {
                    await confirms[confirmed].WaitAsync(token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!token.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    failure ??= ex;
                    break;
                }
            }

            first += confirmed;
            if (first == messages.Count)
            {
                return;
            }

            if (!untilStopped && attempt >= 3)
            {
                throw new KefuException(KefuErrorKind.Unavailable, $"Publishing to RabbitMQ failed: {failure?.Message}", failure ?? new InvalidOperationException("not confirmed"));
            }

            _logger.LogWarning(failure, "RabbitMQ: {Count} messages were not confirmed (attempt {Attempt}); publishing them again in {Delay}.", messages.Count - first, attempt, delay);
            await Task.Delay(delay, _time, token).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private static async Task<ConfirmChannel> OpenPublisherAsync(IConnection connection, CancellationToken token)
        => new(await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false),
            token).ConfigureAwait(false));

    /// <summary>A channel closed by the broker (not by a lost connection, which recovery reopens) is replaced.</summary>
    private async Task<ConfirmChannel> ReplaceIfClosedAsync(ConfirmChannel publisher, CancellationToken token)
    {
        if (publisher.Channel.IsOpen || _connection is not { IsOpen: true } connection)
        {
            return publisher;
        }

        try
        {
            var fresh = await OpenPublisherAsync(connection, token).ConfigureAwait(false);
            await publisher.Channel.DisposeAsync().ConfigureAwait(false);
            return fresh;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug(ex, "RabbitMQ: reopening a publishing channel failed.");
            return publisher;
        }
    }

    private sealed record Outgoing(string Exchange, string RoutingKey, BasicProperties Properties, ReadOnlyMemory<byte> Body);

    private async Task AckQuietlyAsync(IChannel channel, ulong deliveryTag)
    {
        try
        {
            await channel.BasicAckAsync(deliveryTag, multiple: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The delivery is redelivered after reconnection: events are de-duplicated by clients, commands by client message ids.
            _logger.LogDebug(ex, "RabbitMQ: acknowledging a delivery failed.");
        }
    }
}
