namespace Kefu.Adapters.Webhooks;

/// <summary>
/// The HTTP headers of a webhook request. The body is the event (<c>KefuEvent</c> of <c>kefu_events.proto</c>) in the
/// protobuf schema's JSON form, <c>application/json; charset=utf-8</c>, posted to the endpoint's URL.
/// </summary>
public static class WebhookHeaders
{
    /// <summary>The event's id, unique and time-ordered: a receiver de-duplicates by it (deliveries are at least once).</summary>
    public const string EventId = "Kefu-Event-Id";

    /// <summary>The event type, one of <see cref="WebhookEventTypes.All"/>, for example <c>ServiceSessionMessageEvent</c>.</summary>
    public const string EventType = "Kefu-Event-Type";

    /// <summary>The tenant the event belongs to.</summary>
    public const string TenantId = "Kefu-Tenant-Id";

    /// <summary>When this attempt was signed, in Unix seconds (UTC). It is part of the signed text.</summary>
    public const string Timestamp = "Kefu-Timestamp";

    /// <summary>
    /// <c>v1=</c> followed by the lower-case hexadecimal HMAC-SHA256 of <c>timestamp + "." + body</c> (the
    /// <see cref="Timestamp"/> header's text, a full stop, then the raw body bytes), keyed with the UTF-8 bytes of the
    /// endpoint's secret. Several comma-separated <c>v1=</c> values may appear; one matching is enough. Check it with
    /// <see cref="WebhookSignatureVerifier"/>.
    /// </summary>
    public const string Signature = "Kefu-Signature";

    /// <summary>The attempt number of this delivery, 1 for the first.</summary>
    public const string Attempt = "Kefu-Delivery-Attempt";
}
