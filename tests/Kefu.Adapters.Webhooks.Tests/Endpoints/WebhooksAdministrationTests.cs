namespace Kefu.Adapters.Webhooks.Tests.Endpoints;

public sealed class WebhooksAdministrationTests
{
    private const string Url = "https://crm.example.test/kefu/events";

    public static TheoryData<string, WebhookEndpointSpec> InvalidSpecs => new()
    {
        { "Url", new WebhookEndpointSpec { Url = "/relative/path", EventTypes = [WebhookEventTypes.Message] } },
        { "Url", new WebhookEndpointSpec { Url = "ftp://files.example.test/in", EventTypes = [WebhookEventTypes.Message] } },
        { "Url", new WebhookEndpointSpec { Url = "https://crm.example.test/a#fragment", EventTypes = [WebhookEventTypes.Message] } },
        { "Url", new WebhookEndpointSpec { Url = "https://crm.example.test/" + new string('a', 2048), EventTypes = [WebhookEventTypes.Message] } },
        { "Url", new WebhookEndpointSpec { Url = " ", EventTypes = [WebhookEventTypes.Message] } },
        { "Secret", new WebhookEndpointSpec { Url = Url, Secret = "too-short", EventTypes = [WebhookEventTypes.Message] } },
        { "Secret", new WebhookEndpointSpec { Url = Url, Secret = new string('s', 257), EventTypes = [WebhookEventTypes.Message] } },
        { "EventTypes", new WebhookEndpointSpec { Url = Url, EventTypes = [] } },
        { "EventTypes", new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message, "ServiceSessionExplodedEvent"] } },
        { "EventTypes", new WebhookEndpointSpec { Url = Url, EventTypes = ["servicesessionmessageevent"] } },
        { "Description", new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message], Description = new string('d', 201) } },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task AddEndpoint_WithAnInvalidField_IsRefusedNamingTheField(string field, WebhookEndpointSpec spec)
    {
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();

        var error = await Assert.ThrowsAsync<KefuValidationException>(() => host.Webhooks.AddEndpointAsync(tenantId, spec).AsTask());

        Assert.Equal(field, error.Field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Webhooks.ListEndpointsAsync(tenantId));
    }

    [Fact]
    public async Task AddEndpoint_WithoutSecret_GeneratesOne_AndKeepsTypesInC20Order()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();

        var added = await host.Webhooks.AddEndpointAsync(tenantId, new WebhookEndpointSpec
        {
            Url = Url,
            EventTypes = [WebhookEventTypes.SessionAssigned, WebhookEventTypes.SessionClosed, WebhookEventTypes.SessionClosed],
            Description = "  CRM  ",
        });
        var other = await host.Webhooks.AddEndpointAsync(tenantId, new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message] });

        Assert.True(added.Secret.Length >= WebhookEndpointSpec.MinSecretLength);
        Assert.NotEqual(added.Secret, other.Secret);
        Assert.Equal([WebhookEventTypes.SessionClosed, WebhookEventTypes.SessionAssigned], added.EventTypes);
        Assert.Equal("CRM", added.Description);
        Assert.True(added.Enabled);
        Assert.Equal(tenantId, added.TenantId);
        Assert.Equal(new Uri(Url), added.Url);
        Assert.Equal([added.Id, other.Id], (await host.Webhooks.ListEndpointsAsync(tenantId)).Select(e => e.Id));
    }

    [Fact]
    public async Task UpdateEndpoint_WithoutSecret_KeepsTheSecret_AndChangesTheRest()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();
        var added = await host.Webhooks.AddEndpointAsync(tenantId, new WebhookEndpointSpec { Url = Url, Secret = "original-secret-0000", EventTypes = [WebhookEventTypes.Message] });

        var updated = await host.Webhooks.UpdateEndpointAsync(tenantId, added.Id, new WebhookEndpointSpec
        {
            Url = "http://127.0.0.1:9/other",
            EventTypes = [WebhookEventTypes.AgentCreated],
            Enabled = false,
        });

        Assert.Equal("original-secret-0000", updated.Secret);
        Assert.Equal(new Uri("http://127.0.0.1:9/other"), updated.Url);
        Assert.Equal([WebhookEventTypes.AgentCreated], updated.EventTypes);
        Assert.False(updated.Enabled);
        Assert.Equal(updated, Assert.Single(await host.Webhooks.ListEndpointsAsync(tenantId)));
    }

    [Fact]
    public async Task RemoveEndpoint_RemovesIt_AndAnUnknownEndpointIsNotFound()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var tenantId = await host.CreateTenantAsync();
        var added = await host.Webhooks.AddEndpointAsync(tenantId, new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message] });

        Assert.True(await host.Webhooks.RemoveEndpointAsync(tenantId, added.Id));
        Assert.False(await host.Webhooks.RemoveEndpointAsync(tenantId, added.Id));
        Assert.Empty(await host.Webhooks.ListEndpointsAsync(tenantId));
        var error = await Assert.ThrowsAsync<KefuNotFoundException>(() => host.Webhooks.ListDeadLettersAsync(tenantId, added.Id).AsTask());
        Assert.Equal(added.Id, error.Id);
        await Assert.ThrowsAsync<KefuNotFoundException>(() => host.Webhooks.UpdateEndpointAsync(tenantId, added.Id, new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message] }).AsTask());
    }

    [Fact]
    public async Task AddEndpoint_BeyondTheTenantLimit_IsRefused()
    {
        await using var host = await WebhookTestHost.StartAsync(o => o.MaxEndpointsPerTenant = 2);
        var tenantId = await host.CreateTenantAsync();
        var spec = new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message] };
        await host.Webhooks.AddEndpointAsync(tenantId, spec);
        await host.Webhooks.AddEndpointAsync(tenantId, spec);

        var error = await Assert.ThrowsAsync<KefuException>(() => host.Webhooks.AddEndpointAsync(tenantId, spec).AsTask());

        Assert.Equal(KefuErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(2, (await host.Webhooks.ListEndpointsAsync(tenantId)).Count);
    }

    [Fact]
    public async Task AddEndpoint_ForAnUnknownTenant_IsNotFound()
    {
        await using var host = await WebhookTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<KefuNotFoundException>(() =>
            host.Webhooks.AddEndpointAsync(987_654_321, new WebhookEndpointSpec { Url = Url, EventTypes = [WebhookEventTypes.Message] }).AsTask());

        Assert.Equal("Tenant", error.Entity);
    }
}
