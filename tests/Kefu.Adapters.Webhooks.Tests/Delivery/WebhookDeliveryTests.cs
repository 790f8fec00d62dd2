using Kefu.Events;
using Kefu.Model;
using Microsoft.Data.Sqlite;

namespace Kefu.Adapters.Webhooks.Tests.Delivery;

/// <summary>End to end: real conversations through the engine, events through the outbox, posts to a loopback receiver.</summary>
public sealed class WebhookDeliveryTests
{
    private static WebhookEndpointSpec Spec(LoopbackReceiver receiver, string secret, params string[] eventTypes) => new()
    {
        Url = receiver.Url,
        Secret = secret,
        EventTypes = eventTypes.Length == 0 ? [WebhookEventTypes.Message] : eventTypes,
    };

    private static List<ReceivedRequest> Accepted(IReadOnlyList<ReceivedRequest> requests) => [.. requests.Where(r => r.Accepted)];

    [Fact]
    public async Task Delivery_WhenReceiverFailsThreeAttempts_ArrivesOnTheFourthWithValidSignature()
    {
        await using var receiver = new LoopbackReceiver(r => r.Index < 3 ? ReceiverAnswer.Fail : ReceiverAnswer.Accept);
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();
        const string secret = "a-receiver-secret-0123456789";
        var endpoint = await host.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, secret));
        var (_, conversation) = await host.OpenAssignedAsync(tenantId);

        var messageId = await host.SendAsync(tenantId, conversation, "你好, I need help");
        var requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 1);

        Assert.Equal(4, requests.Count);
        Assert.Equal([ReceiverAnswer.Fail, ReceiverAnswer.Fail, ReceiverAnswer.Fail, ReceiverAnswer.Accept], requests.Select(r => r.Answer));
        Assert.Single(requests.Select(r => r.EventId).Distinct());
        var delivered = requests[3];
        Assert.Equal("4", delivered.Header(WebhookHeaders.Attempt));
        Assert.Equal(WebhookEventTypes.Message, delivered.Header(WebhookHeaders.EventType));
        Assert.Equal(tenantId.ToString(System.Globalization.CultureInfo.InvariantCulture), delivered.Header(WebhookHeaders.TenantId));
        var verifier = new WebhookSignatureVerifier(secret);
        Assert.Equal(WebhookSignatureResult.Valid, verifier.Verify(delivered.Body, delivered.Header(WebhookHeaders.Timestamp), delivered.Header(WebhookHeaders.Signature)));
        Assert.Equal(WebhookSignatureResult.Mismatch, new WebhookSignatureVerifier("another-secret-0123456789").Verify(
            delivered.Body, delivered.Header(WebhookHeaders.Timestamp), delivered.Header(WebhookHeaders.Signature)));

        var body = delivered.Event;
        Assert.Equal(delivered.EventId, body.EventId);
        Assert.Equal(conversation.Id, body.ConversationId);
        Assert.Equal(KefuEvent.PayloadOneofCase.Message, body.PayloadCase);
        Assert.Equal(messageId, body.Message.MessageId);
        Assert.Equal("你好, I need help", body.Message.Text);
        Assert.StartsWith("application/json", delivered.Header("Content-Type"), StringComparison.Ordinal);

        var status = await WebhookTestHost.EventuallyAsync(() => host.Webhooks.GetQueueStatusAsync(tenantId, endpoint.Id).AsTask(), s => s.Pending == 0);
        Assert.Equal(0, status.DeadLettered);
    }

    [Fact]
    public async Task Delivery_WhenReceiverNeverAnswers_EndsInDeadLetterList_AndReplayDeliversItOnceFixed()
    {
        await using var receiver = new LoopbackReceiver(_ => ReceiverAnswer.Hang);
        await using var host = await WebhookTestHost.StartAsync(o =>
        {
            o.MaxAttempts = 3;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        });
        var tenantId = await host.CreateTenantAsync();
        var endpoint = await host.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, "never-answers-secret-000"));
        var (_, conversation) = await host.OpenAssignedAsync(tenantId);
        await host.SendAsync(tenantId, conversation, "is anyone there?");

        var dead = await WebhookTestHost.EventuallyAsync(() => host.Webhooks.ListDeadLettersAsync(tenantId, endpoint.Id).AsTask(), d => d.Count == 1);

        var letter = dead[0];
        Assert.Equal(3, letter.Attempts);
        Assert.Contains("no answer", letter.LastError, StringComparison.Ordinal);
        Assert.Equal("is anyone there?", letter.Event.Message.Text);
        Assert.Equal(WebhookEventTypes.Message, letter.EventType);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(new WebhookQueueStatus(0, 1), await host.Webhooks.GetQueueStatusAsync(tenantId, endpoint.Id));

        receiver.Decide = _ => ReceiverAnswer.Accept;
        var replayed = await host.Webhooks.ReplayDeadLettersAsync(tenantId, endpoint.Id);

        Assert.Equal(1, replayed);
        var requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 1);
        var delivered = Accepted(requests).Single();
        Assert.Equal(letter.Event.EventId, delivered.EventId);
        Assert.Equal("1", delivered.Header(WebhookHeaders.Attempt));
        Assert.Empty(await host.Webhooks.ListDeadLettersAsync(tenantId, endpoint.Id));
        await WebhookTestHost.EventuallyAsync(() => host.Webhooks.GetQueueStatusAsync(tenantId, endpoint.Id).AsTask(), s => s.Pending == 0);
        Assert.Single(Accepted(receiver.Requests));
    }

    [Fact]
    public async Task Order_PerConversation_IsKeptWhenAttemptsFail()
    {
        // Every event's first attempt fails, and every third event's second attempt too.
        var seen = new Dictionary<long, int>();
        await using var receiver = new LoopbackReceiver(r =>
        {
            var n = seen[r.EventId] = seen.GetValueOrDefault(r.EventId) + 1;
            return n == 1 || (n == 2 && r.Event.Sequence % 3 == 0) ? ReceiverAnswer.Fail : ReceiverAnswer.Accept;
        });
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();
        await host.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, "ordering-secret-0000000", WebhookEventTypes.Message, WebhookEventTypes.SessionClosed));
        var (agent, first) = await host.OpenAssignedAsync(tenantId);
        var (_, second) = await host.OpenAssignedAsync(tenantId, agent);

        for (var i = 0; i < 8; i++)
        {
            await host.SendAsync(tenantId, first, $"first {i}");
            await host.SendAsync(tenantId, second, $"second {i}");
        }

        await host.Kefu.Conversations.EndAsync(tenantId, first.Id, Participant.Agent(agent.Id));
        await host.Kefu.Conversations.EndAsync(tenantId, second.Id, Participant.Agent(agent.Id));
        var requests = await receiver.WaitUntilAsync(r => Accepted(r).Count(x => x.Event.PayloadCase == KefuEvent.PayloadOneofCase.SessionClosed) == 2);

        Assert.Contains(requests, r => !r.Accepted);
        foreach (var conversation in (Conversation[])[first, second])
        {
            // In arrival order, failed attempts included, a conversation's sequences never go down: no event overtakes an earlier one.
            var sequences = requests.Where(r => r.Event.ConversationId == conversation.Id).Select(r => r.Event.Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
            var accepted = Accepted(requests).Where(r => r.Event.ConversationId == conversation.Id).ToList();
            Assert.Equal(accepted.Select(r => r.EventId).Distinct(), accepted.Select(r => r.EventId));
            Assert.Equal(WebhookEventTypes.SessionClosed, accepted[^1].Header(WebhookHeaders.EventType));
            var prefix = conversation.Id == first.Id ? "first" : "second";
            var visitorTexts = accepted.Where(r => r.Event.PayloadCase == KefuEvent.PayloadOneofCase.Message && r.Event.Message.SenderKind == ParticipantKind.Visitor)
                .Select(r => r.Event.Message.Text);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{prefix} {i}"), visitorTexts);
        }
    }

    [Fact]
    public async Task FailingConversation_DoesNotHoldUpOtherConversations()
    {
        long blocked = 0;
        await using var receiver = new LoopbackReceiver(r => r.Event.ConversationId == Volatile.Read(ref blocked) ? ReceiverAnswer.Fail : ReceiverAnswer.Accept);
        await using var host = await WebhookTestHost.StartAsync(o => o.MaxAttempts = 100);
        var tenantId = await host.CreateTenantAsync();
        var endpoint = await host.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, "isolation-secret-000000"));
        var (agent, failing) = await host.OpenAssignedAsync(tenantId);
        var (_, healthy) = await host.OpenAssignedAsync(tenantId, agent);
        Volatile.Write(ref blocked, failing.Id);

        await host.SendAsync(tenantId, failing, "stuck 1");
        await host.SendAsync(tenantId, failing, "stuck 2");
        for (var i = 0; i < 5; i++)
        {
            await host.SendAsync(tenantId, healthy, $"flowing {i}");
        }

        var requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 5 && r.Count(x => x.Event.ConversationId == failing.Id) >= 3);

        Assert.All(Accepted(requests), r => Assert.Equal(healthy.Id, r.Event.ConversationId));
        Assert.All(requests.Where(r => r.Event.ConversationId == failing.Id), r => Assert.Equal("stuck 1", r.Event.Message.Text));
        Assert.Equal(2, (await host.Webhooks.GetQueueStatusAsync(tenantId, endpoint.Id)).Pending);

        Volatile.Write(ref blocked, 0);
        requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 7);
        Assert.Equal(["stuck 1", "stuck 2"], Accepted(requests).Where(r => r.Event.ConversationId == failing.Id).Select(r => r.Event.Message.Text));
    }

    [Fact]
    public async Task DeadLetteredConversation_HoldsBackItsLaterEvents_AndReplayDeliversThemInOrder()
    {
        await using var receiver = new LoopbackReceiver(_ => ReceiverAnswer.Fail);
        await using var host = await WebhookTestHost.StartAsync(o => o.MaxAttempts = 2);
        var tenantId = await host.CreateTenantAsync();
        var endpoint = await host.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, "held-back-secret-000000"));
        var (_, conversation) = await host.OpenAssignedAsync(tenantId);
        await host.SendAsync(tenantId, conversation, "one");
        await WebhookTestHost.EventuallyAsync(() => host.Webhooks.ListDeadLettersAsync(tenantId, endpoint.Id).AsTask(), d => d.Count == 1);

        await host.SendAsync(tenantId, conversation, "two");
        await host.SendAsync(tenantId, conversation, "three");
        var dead = await WebhookTestHost.EventuallyAsync(() => host.Webhooks.ListDeadLettersAsync(tenantId, endpoint.Id).AsTask(), d => d.Count == 3);

        Assert.Equal(["one", "two", "three"], dead.Select(d => d.Event.Message.Text));
        Assert.Equal([2, 0, 0], dead.Select(d => d.Attempts));
        Assert.Equal(2, receiver.Requests.Count); // the later events were never attempted

        receiver.Decide = _ => ReceiverAnswer.Accept;
        Assert.Equal(2, await host.Webhooks.ReplayDeadLettersAsync(tenantId, endpoint.Id, [dead[1].Event.EventId]));

        var requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 2);
        Assert.Equal(["one", "two"], Accepted(requests).Select(r => r.Event.Message.Text));
        var left = Assert.Single(await host.Webhooks.ListDeadLettersAsync(tenantId, endpoint.Id));
        Assert.Equal("three", left.Event.Message.Text);

        Assert.Equal(1, await host.Webhooks.DiscardDeadLettersAsync(tenantId, endpoint.Id));
        await host.SendAsync(tenantId, conversation, "four");
        requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 3);
        Assert.Equal("four", Accepted(requests)[^1].Event.Message.Text);
    }

    [Fact]
    public async Task QueuedDeliveries_SurviveRestart_AndANewEngineDeliversThemInOrder()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kefu-webhooks-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        try
        {
            await using var receiver = new LoopbackReceiver(_ => ReceiverAnswer.Fail);
            long tenantId;
            long endpointId;
            string[] sent = ["before restart 1", "before restart 2", "before restart 3"];
            // Failed attempts are spaced up to 2 s apart, so the 100 allowed take minutes: on a loaded machine the first
            // engine may live long enough to spend all of them at the test's fast 200 ms spacing, and the dead-lettered
            // deliveries would never come after the restart.
            await using (var first = await WebhookTestHost.StartAsync(o => (o.MaxAttempts, o.MaxRetryDelay) = (100, TimeSpan.FromSeconds(2)), connectionString))
            {
                tenantId = await first.CreateTenantAsync();
                endpointId = (await first.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, "restart-secret-00000000"))).Id;
                var (_, conversation) = await first.OpenAssignedAsync(tenantId);
                foreach (var text in sent)
                {
                    await first.SendAsync(tenantId, conversation, text);
                }

                // The outbox let go of the events: from here on only the webhook queue holds them.
                await first.OutboxDrainedAsync(tenantId);
                await receiver.WaitUntilAsync(r => r.Count >= 2);
                Assert.Equal(3, (await first.Webhooks.GetQueueStatusAsync(tenantId, endpointId)).Pending);
            }

            receiver.Decide = _ => ReceiverAnswer.Accept;
            var attemptsBeforeRestart = receiver.Requests.Count;
            await using var second = await WebhookTestHost.StartAsync(o => o.MaxAttempts = 100, connectionString);

            var requests = await receiver.WaitUntilAsync(r => Accepted(r).Count == 3);

            Assert.Equal(sent, Accepted(requests).Select(r => r.Event.Message.Text));
            Assert.True(requests.Count >= attemptsBeforeRestart + 3);
            await WebhookTestHost.EventuallyAsync(() => second.Webhooks.GetQueueStatusAsync(tenantId, endpointId).AsTask(), s => s.Pending == 0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task UpdatedEndpoint_QueuedDeliveriesUseTheNewUrlAndSecret()
    {
        await using var broken = new LoopbackReceiver(_ => ReceiverAnswer.Fail);
        await using var fixedReceiver = new LoopbackReceiver();
        await using var host = await WebhookTestHost.StartAsync(o => o.MaxAttempts = 100);
        var tenantId = await host.CreateTenantAsync();
        var endpoint = await host.Webhooks.AddEndpointAsync(tenantId, Spec(broken, "old-secret-000000000000"));
        var (_, conversation) = await host.OpenAssignedAsync(tenantId);
        await host.SendAsync(tenantId, conversation, "moved");
        await broken.WaitUntilAsync(r => r.Count >= 2);

        await host.Webhooks.UpdateEndpointAsync(tenantId, endpoint.Id, new WebhookEndpointSpec
        {
            Url = fixedReceiver.Url,
            Secret = "new-secret-000000000000",
            EventTypes = [WebhookEventTypes.Message],
        });

        var delivered = (await fixedReceiver.WaitUntilAsync(r => r.Count == 1))[0];
        Assert.Equal("moved", delivered.Event.Message.Text);
        Assert.Equal(WebhookSignatureResult.Valid, new WebhookSignatureVerifier("new-secret-000000000000")
            .Verify(delivered.Body, delivered.Header(WebhookHeaders.Timestamp), delivered.Header(WebhookHeaders.Signature)));
        Assert.True(int.Parse(delivered.Header(WebhookHeaders.Attempt), System.Globalization.CultureInfo.InvariantCulture) >= 3);
    }

    [Fact]
    public async Task DisabledEndpoint_GetsNothing_AndUnsubscribedTypesAreNotSent()
    {
        await using var receiver = new LoopbackReceiver();
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();
        var closedOnly = await host.Webhooks.AddEndpointAsync(tenantId, Spec(receiver, "types-secret-0000000000", WebhookEventTypes.SessionClosed));
        await using var other = new LoopbackReceiver();
        await host.Webhooks.AddEndpointAsync(tenantId, new WebhookEndpointSpec { Url = other.Url, EventTypes = [WebhookEventTypes.Message], Enabled = false });
        var (agent, conversation) = await host.OpenAssignedAsync(tenantId);

        await host.SendAsync(tenantId, conversation, "hello");
        await host.Kefu.Conversations.EndAsync(tenantId, conversation.Id, Participant.Agent(agent.Id));
        var requests = await receiver.WaitUntilAsync(r => r.Count >= 1);
        await host.OutboxDrainedAsync(tenantId);

        var only = Assert.Single(requests);
        Assert.Equal(WebhookEventTypes.SessionClosed, only.Header(WebhookHeaders.EventType));
        Assert.Equal(KefuEvent.PayloadOneofCase.SessionClosed, only.Event.PayloadCase);
        Assert.Empty(other.Requests);
        var status = await WebhookTestHost.EventuallyAsync(() => host.Webhooks.GetQueueStatusAsync(tenantId, closedOnly.Id).AsTask(), s => s.Pending == 0);
        Assert.Equal(0, status.DeadLettered);
        Assert.Single(receiver.Requests);
    }
}
