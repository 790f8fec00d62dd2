using System.Net;

namespace Kefu.Adapters.Webhooks.Delivery;

/// <summary>The endpoint was disabled or removed: the delivery waits instead of using up attempts.</summary>
internal sealed class EndpointUnavailableException : Exception
{
    public EndpointUnavailableException() : base("The webhook endpoint is disabled or was removed.")
    {
    }
}

/// <summary>The receiver answered with a status outside 2xx.</summary>
internal sealed class WebhookStatusException(HttpStatusCode statusCode) : Exception($"The receiver answered {(int)statusCode} {statusCode}.")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
