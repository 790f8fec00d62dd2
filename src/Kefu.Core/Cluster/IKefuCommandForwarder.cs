namespace Kefu.Cluster;

/// <summary>
/// Carries a tenant command from the node that received it to the node owning the tenant's shard (the cluster
/// transport implements it, Kefu.Adapters.RabbitMq for example). The payloads are Core's protobuf messages: the
/// command is an encoded <see cref="KefuCommand"/>, the answer an encoded <see cref="KefuCommandReply"/>; on the owner
/// the transport hands the command to <see cref="KefuCommandHandler"/>.
/// </summary>
public interface IKefuCommandForwarder
{
    /// <summary>
    /// Delivers <paramref name="command"/> to the owner of <paramref name="shard"/> and returns its reply. Throws when
    /// no reply came (the transport's time-out, a broken connection): the caller retries, and client message ids
    /// keep a retried message from being stored twice.
    /// </summary>
    ValueTask<byte[]> ForwardAsync(int shard, byte[] command, CancellationToken cancellationToken = default);
}
