using System.Globalization;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Adapters.Webhooks.Tests.Delivery;

/// <summary>Retry delays and signing times come from the injected <see cref="TimeProvider"/>, so a fake clock drives them.</summary>
public sealed class WebhookRetryClockTests
{
    [Fact]
    public async Task Retry_WaitsOnTheInjectedClock_NotOnRealTime()
    {
        await using var receiver = new LoopbackReceiver(r => r.Index == 0 ? ReceiverAnswer.Fail : ReceiverAnswer.Accept);
        await using var harness = await KefuTestHarness.StartAsync(build: b => b.AddWebhooks(o =>
        {
            // An hour of back-off: only a clock that is moved by the test can let the retry happen.
            o.RetryDelay = TimeSpan.FromHours(1);
            o.MaxRetryDelay = TimeSpan.FromHours(2);
            o.AttemptTimeout = TimeSpan.FromMinutes(5);
        }));
        var webhooks = harness.Services.GetRequiredService<IWebhooks>();
        await webhooks.AddEndpointAsync(harness.TenantId, new WebhookEndpointSpec
        {
            Url = receiver.Url,
            Secret = "fake-clock-secret-00000",
            EventTypes = [WebhookEventTypes.AgentCreated],
        });

        await harness.AddAgentAsync();
        var first = (await receiver.WaitUntilAsync(r => r.Count == 1))[0];
        var signedAt = long.Parse(first.Header(WebhookHeaders.Timestamp), CultureInfo.InvariantCulture);
        Assert.Equal(harness.Clock.GetUtcNow().ToUnixTimeSeconds(), signedAt);

        // Step the clock from timer to timer (as the engine's own tests do), so the retry's delay comes due while the
        // time-out of the attempt it starts does not.
        for (var step = 0; receiver.Requests.Count < 2; step++)
        {
            Assert.True(step < 200, "the retry never came although the clock passed its delay");
            if (harness.Clock.NextTimerDue is not { } due)
            {
                await Task.Delay(20); // the failed attempt's delay is not armed yet
                continue;
            }

            harness.Clock.SetUtcNow(due);
            try
            {
                await receiver.WaitUntilAsync(r => r.Count >= 2, TimeSpan.FromSeconds(2));
            }
            catch (TimeoutException)
            {
            }
        }

        var second = receiver.Requests[1];
        Assert.True(second.Accepted);
        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal("2", second.Header(WebhookHeaders.Attempt));
        var retriedAt = long.Parse(second.Header(WebhookHeaders.Timestamp), CultureInfo.InvariantCulture);
        Assert.InRange(retriedAt - signedAt, 1, (long)TimeSpan.FromHours(2).TotalSeconds); // a jittered delay, at most MaxRetryDelay
        Assert.Equal(WebhookSignatureResult.Valid, new WebhookSignatureVerifier("fake-clock-secret-00000", timeProvider: harness.Clock)
            .Verify(second.Body, second.Header(WebhookHeaders.Timestamp), second.Header(WebhookHeaders.Signature)));
    }
}
