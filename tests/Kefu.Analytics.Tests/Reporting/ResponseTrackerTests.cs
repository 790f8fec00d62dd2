using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analytics.Tests.Reporting;

/// <summary>The response times followed from message events against the same times computed from the stored messages.</summary>
public sealed class ResponseTrackerTests
{
    private const long Tenant = 1;
    private const long ConversationId = 77;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Followed_times_equal_the_stored_messages_times_or_defer_to_them(int seed)
    {
        var random = new Random(seed);
        var measured = 0;
        for (var round = 0; round < 2000; round++)
        {
            var tracker = new ResponseTracker();
            long sequence = 1, at = 1_000_000;
            tracker.Created(Tenant, Event(sequence, at));
            var messages = new List<Message>();
            var count = random.Next(0, 12);
            for (var m = 0; m < count; m++)
            {
                at += random.Next(0, 30_000);
                var kind = random.Next(10) switch { < 5 => ParticipantKind.Visitor, < 9 => ParticipantKind.Agent, _ => ParticipantKind.System };
                var e = Event(++sequence, at);
                e.Message = new ServiceSessionMessageEvent { MessageId = m + 1, SenderKind = kind, Kind = MessageKind.Text, Text = "x" };
                tracker.Message(Tenant, e);
                messages.Add(new Message { Id = m + 1, ConversationId = ConversationId, SenderKind = kind, Kind = MessageKind.Text, Text = "x", SentAt = DateTimeOffset.FromUnixTimeMilliseconds(at) });
            }

            var up = 1_000_000 + random.Next(0, 200_000);
            var followed = tracker.Close(Tenant, Event(++sequence, at + 1));
            var expected = ConversationFacts.ResponseTimes(messages, DateTimeOffset.FromUnixTimeMilliseconds(up));
            if (followed.TryMeasure(up, out var n, out var sum, out var max))
            {
                measured++;
                Assert.Equal(expected.Count, n);
                Assert.Equal(expected.Sum(), sum);
                Assert.Equal(expected.Count == 0 ? 0 : expected.Max(), max);
            }
        }

        Assert.True(measured > 1000, $"only {measured} of 2000 were measured from the events");
    }

    [Fact]
    public void A_conversation_not_followed_from_its_creation_defers_to_the_stored_messages()
    {
        var tracker = new ResponseTracker();
        var message = Event(2, 1_000);
        message.Message = new ServiceSessionMessageEvent { MessageId = 1, SenderKind = ParticipantKind.Visitor };
        tracker.Message(Tenant, message);
        Assert.False(tracker.Close(Tenant, Event(3, 2_000)).TryMeasure(0, out _, out _, out _));
    }

    [Fact]
    public void An_event_seen_twice_defers_to_the_stored_messages()
    {
        var tracker = new ResponseTracker();
        tracker.Created(Tenant, Event(1, 0));
        var visitor = Event(2, 1_000);
        visitor.Message = new ServiceSessionMessageEvent { MessageId = 1, SenderKind = ParticipantKind.Visitor };
        var agent = Event(3, 2_000);
        agent.Message = new ServiceSessionMessageEvent { MessageId = 2, SenderKind = ParticipantKind.Agent };
        tracker.Message(Tenant, visitor);
        tracker.Message(Tenant, agent);
        tracker.Message(Tenant, visitor); // a redelivered batch
        tracker.Message(Tenant, agent);
        Assert.False(tracker.Close(Tenant, Event(4, 3_000)).TryMeasure(0, out _, out _, out _));

        // A redelivered close after the first: nothing is followed any more.
        Assert.False(tracker.Close(Tenant, Event(4, 3_000)).TryMeasure(0, out _, out _, out _));
    }

    private static KefuEvent Event(long sequence, long atMs) =>
        new() { EventId = sequence, TenantId = Tenant, Sequence = sequence, OccurredAtMs = atMs, ConversationId = ConversationId };
}
