using Kefu.Adapters.Webhooks.Delivery;
using Kefu.Adapters.Webhooks.Endpoints;
using Kefu.Events;
using Kefu.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Kefu.Adapters.Webhooks.Tests.Delivery;

/// <summary>The sink acknowledges a batch only once its deliveries are in the store.</summary>
public sealed class WebhookEventSinkTests
{
    private const long TenantId = 7;
    private const long EndpointId = 70;
    private readonly IConfigurationDocumentStore _store = Substitute.For<IConfigurationDocumentStore>();
    private readonly IHttpClientFactory _http = Substitute.For<IHttpClientFactory>();

    private (WebhookEventSink Sink, WebhookDispatcher Dispatcher) Create(string url)
    {
        var now = TimeProvider.System.GetUtcNow();
        var endpoints = WebhookDocuments.Serialize([new StoredEndpoint(EndpointId, url, "sink-test-secret-00000", [WebhookEventTypes.Message], true, null, now, now)]);
        _store.GetAsync(TenantId, WebhookDocuments.EndpointsKind, WebhookDocuments.EndpointsKey, Arg.Any<CancellationToken>())
            .Returns(new ConfigurationDocument(TenantId, WebhookDocuments.EndpointsKind, WebhookDocuments.EndpointsKey, 1, endpoints, now));
        _store.ListAsync(TenantId, Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns([]);
        _store.DeleteAsync(TenantId, Arg.Any<string>(), Arg.Any<string>(), Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        _http.CreateClient(WebhookOptions.HttpClientName).Returns(_ => new HttpClient());
        var options = Options.Create(new WebhookOptions { RetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromMilliseconds(100) });
        var registry = new EndpointRegistry(_store, TimeProvider.System, options);
        var dispatcher = new WebhookDispatcher(_store, registry, _http, options, TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);
        return (new WebhookEventSink(registry, dispatcher), dispatcher);
    }

    private static KefuEvent Message(long sequence, string text) => new()
    {
        EventId = 1000 + sequence,
        TenantId = TenantId,
        Sequence = sequence,
        ConversationId = 555,
        Message = new ServiceSessionMessageEvent { MessageId = 9000 + sequence, Text = text, SenderKind = ParticipantKind.Visitor },
    };

    [Fact]
    public async Task HandleAsync_WhenTheStoreCannotQueue_Throws_SoTheOutboxKeepsTheBatch_AndQueuesItWhenHandedAgain()
    {
        await using var receiver = new LoopbackReceiver();
        var (sink, dispatcher) = Create(receiver.Url);
        await using var _ = dispatcher;
        var queueKind = WebhookDocuments.QueueKind(EndpointId);
        _store.PutAsync(TenantId, queueKind, Arg.Any<string>(), Arg.Any<string>(), Arg.Any<long>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidOperationException("disk full"));
        KefuEvent[] batch = [Message(1, "first"), Message(2, "second")];

        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.HandleAsync(TenantId, batch, CancellationToken.None).AsTask());
        Assert.Empty(receiver.Requests);

        _store.PutAsync(TenantId, queueKind, Arg.Any<string>(), Arg.Any<string>(), Arg.Any<long>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(call => new ConfigurationDocument(TenantId, queueKind, call.ArgAt<string>(2), 1, call.ArgAt<string>(3), call.ArgAt<DateTimeOffset>(5)));
        await sink.HandleAsync(TenantId, batch, CancellationToken.None);
        await sink.HandleAsync(TenantId, batch, CancellationToken.None); // handed again after it was taken: not queued twice

        var requests = await receiver.WaitUntilAsync(r => r.Count == 2);
        Assert.Equal(["first", "second"], requests.Select(r => r.Event.Message.Text));
        await _store.Received(1).PutAsync(TenantId, queueKind, WebhookDocuments.Key(2), Arg.Any<string>(), 0, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task HandleAsync_ForEventsNoEndpointSubscribes_WritesNothing()
    {
        await using var receiver = new LoopbackReceiver();
        var (sink, dispatcher) = Create(receiver.Url);
        await using var _ = dispatcher;
        KefuEvent[] batch = [new() { EventId = 1, TenantId = TenantId, Sequence = 1, AgentLogout = new AgentUserLogoutEvent { AgentId = 3 } },
            new() { EventId = 2, TenantId = TenantId, Sequence = 2, ConversationId = 5, RatingSubmitted = new RatingSubmittedEvent { Level = 5 } }];

        await sink.HandleAsync(TenantId, batch, CancellationToken.None);

        await _store.DidNotReceiveWithAnyArgs().PutAsync(default, default!, default!, default!, default, default, default);
        Assert.Empty(receiver.Requests);
    }
}
