using Kefu.Testing;

namespace Kefu.Adapters.Tests.Cluster;

/// <summary>
/// The private RabbitMQ node of a test class (<see cref="PrivateRabbitMqServer"/>, from Kefu.Testing): tests fail, never
/// skip, when RabbitMQ is missing; <c>./test.sh</c> installs it.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    private PrivateRabbitMqServer? _server;

    private PrivateRabbitMqServer Server => _server ?? throw new InvalidOperationException("The node has not started.");

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port => Server.Port;

    /// <summary>The broker's AMQP URI (the default guest account, allowed on loopback here).</summary>
    public string Uri => Server.Uri;

    /// <summary>Stops the node and starts it again on the same data; durable queues keep their messages.</summary>
    public Task RestartAsync(TimeSpan downFor) => Server.RestartAsync(downFor);

    public async Task InitializeAsync() => _server = await PrivateRabbitMqServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
