using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Kefu.Host.Infrastructure;
using Kefu.Model;

namespace Kefu.Host.Tests;

/// <summary>Health, OpenAPI and metrics.</summary>
public sealed class HostTests : IClassFixture<HostFactory>
{
    private readonly HostFactory _factory;

    public HostTests(HostFactory factory) => _factory = factory;

    [Fact]
    public async Task Health_LiveAndReady_AnswerHealthyWhenTheStoreAnswers()
    {
        var client = _factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryArea()
    {
        var document = await (await _factory.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var expected in new[]
        {
            "/api/v1/auth/login", "/api/v1/organisation/tenants", "/api/v1/departments", "/api/v1/roles", "/api/v1/agents", "/api/v1/groups",
            "/api/v1/channels", "/api/v1/routing", "/api/v1/robots", "/api/v1/sensitive-words", "/api/v1/settings", "/api/v1/settings/canned-phrases",
            "/api/v1/settings/ratings", "/api/v1/workbench/presence", "/api/v1/workbench/conversations", "/api/v1/workbench/conversations/{id}/messages",
            "/api/v1/workbench/quick-replies", "/api/v1/history", "/api/v1/customers", "/api/v1/visitor/conversations", "/api/v1/reports/run",
            "/api/v1/voice/keywords", "/api/v1/quality/rules", "/api/v1/uploads",
        })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Fact]
    public async Task Metrics_CountMessagesAssignmentsAndQueueWaits()
    {
        var tenant = await _factory.CreateTenantAsync("metrics");
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HostMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => { lock (measured) { measured[instrument.Name] = measured.GetValueOrDefault(instrument.Name) + value; } });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => { lock (measured) { measured[instrument.Name + ".count"] = measured.GetValueOrDefault(instrument.Name + ".count") + 1; } });
        listener.Start();

        var kefu = _factory.Kefu;
        var conversation = await kefu.Conversations.OpenAsync(tenant.Id, new ConversationRequest { Visitor = new VisitorProfile { Name = "M" } });
        await kefu.Conversations.SetStatusAsync(tenant.Id, tenant.AgentId, AgentStatus.Online);
        await kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText("hi"));
        bool AllSeen()
        {
            lock (measured)
            {
                return new[] { "kefu.messages", "kefu.assignments", "kefu.queue.wait.count", "kefu.conversations.opened" }.All(name => measured.GetValueOrDefault(name) >= 1);
            }
        }

        for (var i = 0; i < 100 && !AllSeen(); i++)
        {
            // The metrics sink runs after the commit.
            await Task.Delay(100);
        }

        lock (measured)
        {
            Assert.True(measured.GetValueOrDefault("kefu.messages") >= 1);
            Assert.True(measured.GetValueOrDefault("kefu.assignments") >= 1);
            Assert.True(measured.GetValueOrDefault("kefu.queue.wait.count") >= 1);
            Assert.True(measured.GetValueOrDefault("kefu.conversations.opened") >= 1);
        }
    }

    [Fact]
    public async Task ValidationErrors_OfTheVisitorApi_NameTheField()
    {
        var tenant = await _factory.CreateTenantAsync("visitor-errors");
        var visitor = await _factory.OpenVisitorAsync(tenant.Id);

        var problem = await (await visitor.Client.PostJsonAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages", new { text = new string('x', 5001) })).JsonAsync(HttpStatusCode.BadRequest);
        var other = await _factory.OpenVisitorAsync(tenant.Id);
        var foreign = await other.Client.GetAsync($"/api/v1/visitor/conversations/{visitor.ConversationId}/messages");

        Assert.Equal("Text", (string?)problem["field"]);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.IsType<JsonObject>(problem);
    }
}
