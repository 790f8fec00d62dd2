using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Webhooks;

/// <summary>Process-wide settings of webhook delivery, validated when the host starts. Endpoints are per tenant (<see cref="IWebhooks"/>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The name of the <see cref="HttpClient"/> that webhooks post with, for configuring it through <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "Kefu.Webhooks";

    /// <summary>Attempts of one delivery, the first included, before it goes to the dead-letter list. <value>Default 8; 1–100.</value></summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// The base delay before the first retry; later retries double it (exponential back-off with jitter, so actual delays
    /// scatter around these values). <value>Default 2 seconds; 10 milliseconds–1 hour.</value>
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between two attempts. <value>Default 10 minutes; at least <see cref="RetryDelay"/>, at most 1 day.</value></summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one attempt may take before it counts as failed. <value>Default 10 seconds; 10 milliseconds–5 minutes.</value></summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Requests in flight at once to one endpoint, each for a different conversation (one conversation's events go one
    /// at a time, in order). <value>Default 8; 1–256.</value>
    /// </summary>
    public int MaxConcurrentRequestsPerEndpoint { get; set; } = 8;

    /// <summary>Endpoints one tenant may configure. <value>Default 10; 1–100.</value></summary>
    public int MaxEndpointsPerTenant { get; set; } = 10;

    /// <summary>
    /// How long a tenant's endpoint list is cached before it is read from the store again (changes made through this
    /// process's <see cref="IWebhooks"/> apply at once; this bounds how late changes made on other nodes apply).
    /// <value>Default 30 seconds; 0 (read for every batch of events) to 1 hour.</value>
    /// </summary>
    public TimeSpan EndpointRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the host's start resumes every tenant's queued deliveries (those left by an earlier run). When false, a
    /// tenant's queue resumes with its next event or a call to <see cref="IWebhooks"/>. <value>Default true.</value>
    /// </summary>
    public bool ResumeOnStart { get; set; } = true;

    internal void Validate()
    {
        Range(MaxAttempts, 1, 100, nameof(MaxAttempts));
        Within(RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), nameof(RetryDelay), "between 10 milliseconds and 1 hour");
        Within(MaxRetryDelay, RetryDelay, TimeSpan.FromDays(1), nameof(MaxRetryDelay), "at least RetryDelay and at most 1 day");
        Within(AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), nameof(AttemptTimeout), "between 10 milliseconds and 5 minutes");
        Range(MaxConcurrentRequestsPerEndpoint, 1, 256, nameof(MaxConcurrentRequestsPerEndpoint));
        Range(MaxEndpointsPerTenant, 1, 100, nameof(MaxEndpointsPerTenant));
        Within(EndpointRefreshInterval, TimeSpan.Zero, TimeSpan.FromHours(1), nameof(EndpointRefreshInterval), "between 0 and 1 hour");

        static void Range(int value, int min, int max, string field)
        {
            if (value < min || value > max)
            {
                throw new KefuValidationException(field, string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}"),
                    string.Create(CultureInfo.InvariantCulture, $"was {value}"));
            }
        }

        static void Within(TimeSpan value, TimeSpan min, TimeSpan max, string field, string allowed)
        {
            if (value < min || value > max)
            {
                throw new KefuValidationException(field, allowed, string.Create(CultureInfo.InvariantCulture, $"was {value}"));
            }
        }
    }
}

/// <summary>Validates <see cref="WebhookOptions"/> with the field and its allowed range.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (KefuValidationException ex)
        {
            return ValidateOptionsResult.Fail($"WebhookOptions.{ex.Field}: {ex.Message}");
        }
    }
}
