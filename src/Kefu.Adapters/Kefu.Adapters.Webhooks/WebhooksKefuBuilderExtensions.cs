using Kefu.Adapters.Webhooks;
using Kefu.Adapters.Webhooks.Delivery;
using Kefu.Adapters.Webhooks.Endpoints;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Pushes Kefu's events to tenants' HTTP endpoints.</summary>
public static class WebhooksKefuBuilderExtensions
{
    /// <summary>
    /// Adds the event push (E17 2.11, C20): <see cref="IWebhooks"/> to administer each tenant's endpoints and dead
    /// letters, an event sink that queues every subscribed event durably in the configuration document store, and the
    /// delivery that posts them signed, with retries, one conversation at a time per endpoint. Requests go through the
    /// <c>IHttpClientFactory</c> client named <see cref="WebhookOptions.HttpClientName"/> (redirects are not followed).
    /// Needs the stores and the <see cref="TimeProvider"/> that <c>AddKefu()</c> registers; options are validated when
    /// the host starts, or when the webhooks are first resolved.
    /// </summary>
    /// <param name="builder">The Kefu builder.</param>
    /// <param name="configure">Changes to <see cref="WebhookOptions"/>, optional.</param>
    public static IKefuBuilder AddWebhooks(this IKefuBuilder builder, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<WebhookOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(WebhookDispatcher)))
        {
            return builder;
        }

        services.AddHttpClient(WebhookOptions.HttpClientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.TryAddSingleton<EndpointRegistry>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton<IWebhooks, Webhooks>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, WebhookEventSink>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookResumeService>());
        return builder;
    }
}
