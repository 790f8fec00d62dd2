using Kefu.Adapters.RabbitMq;
using Kefu.Cluster;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Connects Kefu's nodes through RabbitMQ.</summary>
public static class RabbitMqKefuBuilderExtensions
{
    /// <summary>
    /// Uses the RabbitMQ broker at <paramref name="uri"/> (for example <c>amqp://kefu:secret@mq:5672/</c>) as Kefu's
    /// transport: events reach subscriptions on every node, and with <c>UseCluster</c> tenant commands travel to their
    /// shard's owner. The node connects when the host starts.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="uri">The broker's AMQP URI.</param>
    public static IKefuBuilder UseRabbitMq(this IKefuBuilder builder, string uri)
        => builder.UseRabbitMq(options => options.Uri = uri);

    /// <summary>Uses RabbitMQ as Kefu's transport, configured by <paramref name="configure"/> (validated when the host starts).</summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="configure">Sets the broker URI, the name prefix and the timings.</param>
    public static IKefuBuilder UseRabbitMq(this IKefuBuilder builder, Action<RabbitMqTransportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RabbitMqTransportOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqTransportOptions>, RabbitMqOptionsValidator>());
        services.TryAddSingleton(static sp => new RabbitMqTransport(
            sp.GetRequiredService<IOptions<RabbitMqTransportOptions>>().Value,
            sp,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()?.CreateLogger("Kefu.RabbitMq") ?? NullLogger.Instance));
        services.Replace(ServiceDescriptor.Singleton<IKefuTransport>(static sp => sp.GetRequiredService<RabbitMqTransport>()));
        services.Replace(ServiceDescriptor.Singleton<IKefuCommandForwarder>(static sp => sp.GetRequiredService<RabbitMqTransport>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RabbitMqTransportService>());
        return builder;
    }

    private sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqTransportOptions>
    {
        public ValidateOptionsResult Validate(string? name, RabbitMqTransportOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (Kefu.KefuValidationException ex)
            {
                return ValidateOptionsResult.Fail($"RabbitMqTransportOptions.{ex.Field}: {ex.Message}");
            }
        }
    }
}

/// <summary>Connects the transport when the host starts and disconnects it when the host stops.</summary>
internal sealed class RabbitMqTransportService(RabbitMqTransport transport) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => transport.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => transport.StopAsync(cancellationToken);
}
