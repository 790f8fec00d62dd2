using System.Globalization;
using System.Text.Json;
using Kefu.Events;
using Kefu.Storage;

namespace Kefu.Adapters.Webhooks.Endpoints;

/// <summary>
/// How webhooks are kept in the configuration document store, per tenant: the endpoints as one document (kind
/// <see cref="EndpointsKind"/>, key <see cref="EndpointsKey"/>), so the endpoint limit holds under concurrent changes;
/// each queued delivery as kind <c>webhooks.queue.{endpointId}</c> and each dead letter as kind
/// <c>webhooks.dead.{endpointId}</c>, both keyed by the event's sequence padded to 19 digits so that listing by key is
/// commit order.
/// </summary>
internal static class WebhookDocuments
{
    public const string EndpointsKind = "webhooks.endpoints";
    public const string EndpointsKey = "all";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string QueueKind(long endpointId) => "webhooks.queue." + endpointId.ToString(CultureInfo.InvariantCulture);

    public static string DeadKind(long endpointId) => "webhooks.dead." + endpointId.ToString(CultureInfo.InvariantCulture);

    public static string Key(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    public static string Serialize(IReadOnlyList<StoredEndpoint> endpoints) => JsonSerializer.Serialize(endpoints, Json);

    public static List<StoredEndpoint> ReadEndpoints(ConfigurationDocument? document) =>
        document is null ? [] : JsonSerializer.Deserialize<List<StoredEndpoint>>(document.Content, Json) ?? [];

    public static string Serialize(StoredDelivery delivery) => JsonSerializer.Serialize(delivery, Json);

    public static StoredDelivery ReadDelivery(ConfigurationDocument document) =>
        JsonSerializer.Deserialize<StoredDelivery>(document.Content, Json)
            ?? throw new JsonException($"Webhook delivery document {document.Kind}/{document.Key} of tenant {document.TenantId} is empty.");
}

/// <summary>An endpoint as stored.</summary>
internal sealed record StoredEndpoint(
    long Id,
    string Url,
    string Secret,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public WebhookEndpoint ToPublic(long tenantId) => new(Id, tenantId, new Uri(Url, UriKind.Absolute), Secret, EventTypes, Enabled, Description, CreatedAt, UpdatedAt);

    public bool Subscribes(string eventType) => Enabled && EventTypes.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>A queued delivery or a dead letter as stored: the event as protobuf bytes (base64), and its attempts so far.</summary>
internal sealed record StoredDelivery(
    long EventId,
    long Sequence,
    string Lane,
    string EventType,
    string Event,
    int Attempts,
    DateTimeOffset QueuedAt,
    string? LastError,
    DateTimeOffset? DeadLetteredAt)
{
    public KefuEvent ReadEvent() => KefuEvent.Parser.ParseFrom(Convert.FromBase64String(Event));
}
