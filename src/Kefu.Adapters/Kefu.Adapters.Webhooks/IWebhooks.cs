using Kefu.Events;

namespace Kefu.Adapters.Webhooks;

/// <summary>
/// Administers a tenant's webhook endpoints (E17 2.11, C20) and their dead-letter lists. Every committed event of a
/// subscribed type is queued durably for each enabled endpoint, then posted with retries; one conversation's events reach
/// an endpoint in commit order, and a delivery that fails every attempt goes to the endpoint's dead-letter list.
/// </summary>
public interface IWebhooks
{
    /// <summary>Adds an endpoint; when <see cref="WebhookEndpointSpec.Secret"/> is null a random secret is generated.</summary>
    /// <exception cref="KefuValidationException">A field is invalid (the exception names it).</exception>
    /// <exception cref="KefuNotFoundException">The tenant does not exist.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.LimitExceeded"/>: the tenant has <see cref="WebhookOptions.MaxEndpointsPerTenant"/> endpoints.</exception>
    ValueTask<WebhookEndpoint> AddEndpointAsync(long tenantId, WebhookEndpointSpec endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an endpoint's settings; a null <see cref="WebhookEndpointSpec.Secret"/> keeps the current secret. Queued
    /// deliveries use the new URL and secret from their next attempt; disabling pauses them until the endpoint is enabled.
    /// </summary>
    /// <exception cref="KefuValidationException">A field is invalid.</exception>
    /// <exception cref="KefuNotFoundException">The endpoint does not exist.</exception>
    ValueTask<WebhookEndpoint> UpdateEndpointAsync(long tenantId, long endpointId, WebhookEndpointSpec endpoint, CancellationToken cancellationToken = default);

    /// <summary>Removes an endpoint with its queued deliveries and dead letters; false when it did not exist.</summary>
    ValueTask<bool> RemoveEndpointAsync(long tenantId, long endpointId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's endpoints, oldest first.</summary>
    ValueTask<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>How many deliveries of an endpoint are queued and how many are dead-lettered.</summary>
    /// <exception cref="KefuNotFoundException">The endpoint does not exist.</exception>
    ValueTask<WebhookQueueStatus> GetQueueStatusAsync(long tenantId, long endpointId, CancellationToken cancellationToken = default);

    /// <summary>An endpoint's dead letters, in commit order.</summary>
    /// <exception cref="KefuNotFoundException">The endpoint does not exist.</exception>
    ValueTask<IReadOnlyList<WebhookDeadLetter>> ListDeadLettersAsync(long tenantId, long endpointId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues dead letters for delivery again, with fresh attempts: all of the endpoint's when <paramref name="eventIds"/>
    /// is null, else those events and, to keep each conversation in order, the earlier dead letters of their conversations.
    /// Returns how many were queued.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The endpoint does not exist.</exception>
    ValueTask<int> ReplayDeadLettersAsync(long tenantId, long endpointId, IReadOnlyCollection<long>? eventIds = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes dead letters without delivering them: all when <paramref name="eventIds"/> is null. Returns how many were deleted.</summary>
    /// <exception cref="KefuNotFoundException">The endpoint does not exist.</exception>
    ValueTask<int> DiscardDeadLettersAsync(long tenantId, long endpointId, IReadOnlyCollection<long>? eventIds = null, CancellationToken cancellationToken = default);
}

/// <summary>What an administrator sets on an endpoint.</summary>
public sealed record WebhookEndpointSpec
{
    /// <summary>The most characters of <see cref="Url"/>.</summary>
    public const int MaxUrlLength = 2048;
    /// <summary>The fewest characters of <see cref="Secret"/>.</summary>
    public const int MinSecretLength = 16;
    /// <summary>The most characters of <see cref="Secret"/>.</summary>
    public const int MaxSecretLength = 256;
    /// <summary>The most characters of <see cref="Description"/>.</summary>
    public const int MaxDescriptionLength = 200;

    /// <summary>Where events are posted: an absolute http or https URL of at most 2,048 characters, without a fragment.</summary>
    public required string Url { get; init; }

    /// <summary>The HMAC-SHA256 key (16–256 characters); null generates one on add and keeps the current one on update.</summary>
    public string? Secret { get; init; }

    /// <summary>The event types to push, one or more of <see cref="WebhookEventTypes.All"/>.</summary>
    public required IReadOnlyCollection<string> EventTypes { get; init; }

    /// <summary>Whether events are pushed. <value>Default true.</value></summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A note for administrators, at most 200 characters.</summary>
    public string? Description { get; init; }
}

/// <summary>A tenant's webhook endpoint.</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="Url">Where events are posted.</param>
/// <param name="Secret">The key of the signature; share it with the receiver only.</param>
/// <param name="EventTypes">The subscribed event types, in the order of <see cref="WebhookEventTypes.All"/>.</param>
/// <param name="Enabled">Whether events are pushed.</param>
/// <param name="Description">A note for administrators, or null.</param>
/// <param name="CreatedAt">When the endpoint was added.</param>
/// <param name="UpdatedAt">When the endpoint was last changed.</param>
public sealed record WebhookEndpoint(
    long Id,
    long TenantId,
    Uri Url,
    string Secret,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>An endpoint's delivery backlog.</summary>
/// <param name="Pending">Deliveries queued or in flight.</param>
/// <param name="DeadLettered">Deliveries in the dead-letter list.</param>
public sealed record WebhookQueueStatus(int Pending, int DeadLettered);

/// <summary>A delivery that failed every attempt, or that waits behind an earlier dead letter of its conversation.</summary>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Event">The event.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Attempts">Attempts made; 0 for a delivery held back behind an earlier dead letter of its conversation.</param>
/// <param name="LastError">Why the last attempt failed, or why the delivery was held back.</param>
/// <param name="DeadLetteredAt">When it entered the list.</param>
public sealed record WebhookDeadLetter(long EndpointId, KefuEvent Event, string EventType, int Attempts, string LastError, DateTimeOffset DeadLetteredAt);
