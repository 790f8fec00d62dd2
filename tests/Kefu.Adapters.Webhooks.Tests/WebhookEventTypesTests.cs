using Kefu.Events;

namespace Kefu.Adapters.Webhooks.Tests;

public sealed class WebhookEventTypesTests
{
    [Fact]
    public void All_AreTheC20Events_EachThePayloadMessageNameOfTheSchema()
    {
        var payloads = KefuEvent.Descriptor.Oneofs.Single(o => o.Name == "payload").Fields;

        Assert.Equal(14, WebhookEventTypes.All.Count);
        Assert.Equal(WebhookEventTypes.All.Count, WebhookEventTypes.All.Distinct().Count());
        foreach (var eventType in WebhookEventTypes.All)
        {
            var field = Assert.Single(payloads, f => f.MessageType.Name == eventType);
            var sample = new KefuEvent();
            field.Accessor.SetValue(sample, Activator.CreateInstance(field.MessageType.ClrType));
            Assert.Equal(eventType, WebhookEventTypes.Of(sample));
            Assert.True(WebhookEventTypes.IsKnown(eventType));
        }
    }

    [Fact]
    public void Of_AnEventOutsideC20_IsNull()
    {
        Assert.Null(WebhookEventTypes.Of(new KefuEvent { RatingSubmitted = new RatingSubmittedEvent() }));
        Assert.Null(WebhookEventTypes.Of(new KefuEvent { QueuePosition = new QueuePositionEvent() }));
        Assert.Null(WebhookEventTypes.Of(new KefuEvent()));
        Assert.False(WebhookEventTypes.IsKnown("RatingSubmittedEvent"));
        Assert.False(WebhookEventTypes.IsKnown(null));
    }
}
