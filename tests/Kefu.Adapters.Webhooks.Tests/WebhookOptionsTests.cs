using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Webhooks.Tests;

public sealed class WebhookOptionsTests
{
    public static TheoryData<string, Action<WebhookOptions>> BadOptions => new()
    {
        { nameof(WebhookOptions.MaxAttempts), o => o.MaxAttempts = 0 },
        { nameof(WebhookOptions.MaxAttempts), o => o.MaxAttempts = 101 },
        { nameof(WebhookOptions.RetryDelay), o => o.RetryDelay = TimeSpan.FromMilliseconds(5) },
        { nameof(WebhookOptions.MaxRetryDelay), o => o.MaxRetryDelay = TimeSpan.FromSeconds(1) },
        { nameof(WebhookOptions.AttemptTimeout), o => o.AttemptTimeout = TimeSpan.FromMinutes(6) },
        { nameof(WebhookOptions.MaxConcurrentRequestsPerEndpoint), o => o.MaxConcurrentRequestsPerEndpoint = 0 },
        { nameof(WebhookOptions.MaxEndpointsPerTenant), o => o.MaxEndpointsPerTenant = 101 },
        { nameof(WebhookOptions.EndpointRefreshInterval), o => o.EndpointRefreshInterval = TimeSpan.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void AddWebhooks_WithAnOptionOutOfRange_FailsAtStartNamingTheField(string field, Action<WebhookOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddKefu().AddWebhooks(configure);
        using var provider = services.BuildServiceProvider();

        // What the host runs at start for ValidateOnStart.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"WebhookOptions.{field}: {field} must be", error.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IWebhooks>());
    }

    [Fact]
    public void AddWebhooks_WithDefaults_PassesValidation_AndDocumentsTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddKefu().AddWebhooks();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;

        Assert.Equal(8, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.NotNull(provider.GetRequiredService<IWebhooks>());
    }
}
