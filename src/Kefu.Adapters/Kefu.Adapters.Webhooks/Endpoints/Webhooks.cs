using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Kefu.Adapters.Webhooks.Delivery;
using Kefu.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Webhooks.Endpoints;

/// <summary>The <see cref="IWebhooks"/> service: validates endpoint settings and keeps them through <see cref="EndpointRegistry"/>.</summary>
internal sealed class Webhooks : IWebhooks
{
    private const string EndpointEntity = "WebhookEndpoint";

    private readonly EndpointRegistry _endpoints;
    private readonly WebhookDispatcher _dispatcher;
    private readonly IDirectoryStore _directory;
    private readonly IKefuIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly int _maxEndpoints;

    public Webhooks(EndpointRegistry endpoints, WebhookDispatcher dispatcher, IDirectoryStore directory, IKefuIdGenerator ids, TimeProvider time, IOptions<WebhookOptions> options)
    {
        _endpoints = endpoints;
        _dispatcher = dispatcher;
        _directory = directory;
        _ids = ids;
        _time = time;
        _maxEndpoints = options.Value.MaxEndpointsPerTenant;
    }

    public async ValueTask<WebhookEndpoint> AddEndpointAsync(long tenantId, WebhookEndpointSpec endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var valid = Validate(endpoint);
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var added = new StoredEndpoint(
            _ids.NextId(now), valid.Url, valid.Secret ?? NewSecret(), valid.EventTypes, endpoint.Enabled, valid.Description, now, now);
        await _endpoints.ChangeAsync(tenantId, list =>
        {
            if (list.Count >= _maxEndpoints)
            {
                throw new KefuException(KefuErrorKind.LimitExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"Tenant {tenantId} already has {list.Count} webhook endpoints, the most WebhookOptions.MaxEndpointsPerTenant allows."));
            }

            list.Add(added);
            return (list, true);
        }, cancellationToken).ConfigureAwait(false);
        return added.ToPublic(tenantId);
    }

    public async ValueTask<WebhookEndpoint> UpdateEndpointAsync(long tenantId, long endpointId, WebhookEndpointSpec endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var valid = Validate(endpoint);
        var updated = await _endpoints.ChangeAsync(tenantId, list =>
        {
            var index = list.FindIndex(e => e.Id == endpointId);
            if (index < 0)
            {
                throw new KefuNotFoundException(EndpointEntity, endpointId);
            }

            var current = list[index];
            var next = current with
            {
                Url = valid.Url,
                Secret = valid.Secret ?? current.Secret,
                EventTypes = valid.EventTypes,
                Enabled = endpoint.Enabled,
                Description = valid.Description,
                UpdatedAt = _time.GetUtcNow(),
            };
            list[index] = next;
            return (list, next);
        }, cancellationToken).ConfigureAwait(false);

        if (updated.Enabled)
        {
            // Deliveries paused while the endpoint was disabled go on.
            _dispatcher.Resume(tenantId, endpointId);
        }

        return updated.ToPublic(tenantId);
    }

    public async ValueTask<bool> RemoveEndpointAsync(long tenantId, long endpointId, CancellationToken cancellationToken = default)
    {
        var removed = await _endpoints.ChangeAsync(tenantId, list =>
            list.RemoveAll(e => e.Id == endpointId) > 0 ? (list, true) : ((List<StoredEndpoint>?)null, false), cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            await _dispatcher.DropAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    public async ValueTask<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var endpoints = await _endpoints.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return [.. endpoints.Select(e => e.ToPublic(tenantId))];
    }

    public async ValueTask<WebhookQueueStatus> GetQueueStatusAsync(long tenantId, long endpointId, CancellationToken cancellationToken = default)
    {
        await RequireEndpointAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        return await _dispatcher.GetStatusAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<WebhookDeadLetter>> ListDeadLettersAsync(long tenantId, long endpointId, CancellationToken cancellationToken = default)
    {
        await RequireEndpointAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        return await _dispatcher.ListDeadLettersAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> ReplayDeadLettersAsync(long tenantId, long endpointId, IReadOnlyCollection<long>? eventIds = null, CancellationToken cancellationToken = default)
    {
        await RequireEndpointAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        return await _dispatcher.ReplayAsync(tenantId, endpointId, eventIds, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> DiscardDeadLettersAsync(long tenantId, long endpointId, IReadOnlyCollection<long>? eventIds = null, CancellationToken cancellationToken = default)
    {
        await RequireEndpointAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false);
        return await _dispatcher.DiscardAsync(tenantId, endpointId, eventIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks every field of <paramref name="spec"/>; the event types come back distinct and in the order of <see cref="WebhookEventTypes.All"/>.</summary>
    internal static (string Url, string? Secret, string[] EventTypes, string? Description) Validate(WebhookEndpointSpec spec)
    {
        const string urlAllowed = "an absolute http or https URL of at most 2048 characters, without a fragment";
        var url = spec.Url?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw new KefuValidationException(nameof(spec.Url), urlAllowed, "was empty");
        }

        if (url.Length > WebhookEndpointSpec.MaxUrlLength)
        {
            throw new KefuValidationException(nameof(spec.Url), urlAllowed, string.Create(CultureInfo.InvariantCulture, $"had {url.Length} characters"));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Fragment.Length > 0 || string.IsNullOrEmpty(uri.Host))
        {
            throw new KefuValidationException(nameof(spec.Url), urlAllowed, $"was '{url}'");
        }

        if (spec.Secret is { } secret && (secret.Length < WebhookEndpointSpec.MinSecretLength || secret.Length > WebhookEndpointSpec.MaxSecretLength))
        {
            throw new KefuValidationException(nameof(spec.Secret),
                string.Create(CultureInfo.InvariantCulture, $"{WebhookEndpointSpec.MinSecretLength}–{WebhookEndpointSpec.MaxSecretLength} characters, or null to generate one"),
                string.Create(CultureInfo.InvariantCulture, $"had {secret.Length} characters"));
        }

        var typesAllowed = "one or more of " + string.Join(", ", WebhookEventTypes.All);
        if (spec.EventTypes is null || spec.EventTypes.Count == 0)
        {
            throw new KefuValidationException(nameof(spec.EventTypes), typesAllowed, "was empty");
        }

        foreach (var eventType in spec.EventTypes)
        {
            if (!WebhookEventTypes.IsKnown(eventType))
            {
                throw new KefuValidationException(nameof(spec.EventTypes), typesAllowed, $"'{eventType}' is not a webhook event type");
            }
        }

        var description = spec.Description?.Trim();
        if (description is { Length: > WebhookEndpointSpec.MaxDescriptionLength })
        {
            throw new KefuValidationException(nameof(spec.Description),
                string.Create(CultureInfo.InvariantCulture, $"at most {WebhookEndpointSpec.MaxDescriptionLength} characters"),
                string.Create(CultureInfo.InvariantCulture, $"had {description.Length} characters"));
        }

        return (uri.AbsoluteUri, spec.Secret, [.. WebhookEventTypes.All.Where(spec.EventTypes.Contains)], string.IsNullOrEmpty(description) ? null : description);
    }

    // 32 random bytes: as strong as the HMAC-SHA256 key can use.
    private static string NewSecret() => "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private async ValueTask RequireTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (await _directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }
    }

    private async ValueTask RequireEndpointAsync(long tenantId, long endpointId, CancellationToken cancellationToken)
    {
        if (await _endpoints.FindAsync(tenantId, endpointId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException(EndpointEntity, endpointId);
        }
    }
}
