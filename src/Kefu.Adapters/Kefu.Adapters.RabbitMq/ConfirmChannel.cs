using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Kefu.Adapters.RabbitMq;

/// <summary>
/// A publishing channel in confirm mode that tracks the broker's confirms itself, so a publisher can write several
/// messages in order and wait for their confirms together (one broker flush for a batch of persistent events instead
/// of one per event). Used by one publisher at a time; confirms arrive on the connection's thread.
/// </summary>
internal sealed class ConfirmChannel
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, TaskCompletionSource> _outstanding = [];

    public ConfirmChannel(IChannel channel)
    {
        Channel = channel;
        channel.BasicAcksAsync += (_, e) =>
        {
            Settle(e.DeliveryTag, e.Multiple, null);
            return Task.CompletedTask;
        };
        channel.BasicNacksAsync += (_, e) =>
        {
            Settle(e.DeliveryTag, e.Multiple, new KefuException(KefuErrorKind.Unavailable, "RabbitMQ refused the message (nack)."));
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, e) =>
        {
            FailAll(new KefuException(KefuErrorKind.Unavailable, $"The RabbitMQ channel shut down before confirming: {e.ReplyText}"));
            return Task.CompletedTask;
        };
    }

    public IChannel Channel { get; }

    /// <summary>Writes a message and returns the task of its confirm. Messages written one after another reach the broker in order.</summary>
    public async ValueTask<Task> SendAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var sequence = await Channel.GetNextPublishSequenceNumberAsync(cancellationToken).ConfigureAwait(false);
        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _outstanding[sequence] = confirm;
        }

        try
        {
            await Channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _outstanding.Remove(sequence);
            }

            throw;
        }

        return confirm.Task;
    }

    private void Settle(ulong tag, bool multiple, Exception? error)
    {
        List<TaskCompletionSource> settled = [];
        lock (_gate)
        {
            if (multiple)
            {
                foreach (var key in _outstanding.Keys.TakeWhile(k => k <= tag).ToList())
                {
                    settled.Add(_outstanding[key]);
                    _outstanding.Remove(key);
                }
            }
            else if (_outstanding.Remove(tag, out var one))
            {
                settled.Add(one);
            }
        }

        foreach (var confirm in settled)
        {
            if (error is null)
            {
                confirm.TrySetResult();
            }
            else
            {
                confirm.TrySetException(error);
            }
        }
    }

    private void FailAll(Exception error)
    {
        List<TaskCompletionSource> failed;
        lock (_gate)
        {
            failed = [.. _outstanding.Values];
            _outstanding.Clear();
        }

        foreach (var confirm in failed)
        {
            confirm.TrySetException(error);
        }
    }
}
