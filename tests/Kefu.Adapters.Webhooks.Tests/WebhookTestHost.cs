using Kefu.Adapters.Webhooks;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kefu.Adapters.Webhooks.Tests;

/// <summary>
/// The Kefu engine with webhooks, as a host would run it: AddKefu (in memory, or on a SQLite file), AddWebhooks with
/// short delays, the system clock, and the hosted services started. Conversations are driven through the real engine.
/// </summary>
public sealed class WebhookTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;

    private WebhookTestHost(ServiceProvider services, IHostedService[] hosted)
    {
        _services = services;
        _hosted = hosted;
        Kefu = services.GetRequiredService<IKefu>();
        Webhooks = services.GetRequiredService<IWebhooks>();
    }

    public IKefu Kefu { get; }
    public IWebhooks Webhooks { get; }
    public IServiceProvider Services => _services;
    public TestData Data { get; } = new();

    /// <summary>Fast defaults for tests: milliseconds of back-off and a short attempt time-out.</summary>
    public static void FastRetries(WebhookOptions options)
    {
        options.RetryDelay = TimeSpan.FromMilliseconds(20);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
    }

    public static async Task<WebhookTestHost> StartAsync(Action<WebhookOptions>? configure = null, string? sqliteConnectionString = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        var builder = services.AddKefu(o => o.PasswordHashIterations = 1_000);
        if (sqliteConnectionString is not null)
        {
            builder.UseSqlite(sqliteConnectionString);
        }

        builder.AddWebhooks(o =>
        {
            FastRetries(o);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new WebhookTestHost(provider, hosted);
    }

    /// <summary>A new tenant without the welcome phrase, so the only messages are the ones a test sends.</summary>
    public async Task<long> CreateTenantAsync()
    {
        var tenant = await Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Webhook tenant " + Guid.NewGuid().ToString("N")[..8] });
        var settings = await Kefu.Directory.GetSettingsAsync(tenant.Id);
        await Kefu.Directory.UpdateCannedPhrasesAsync(tenant.Id, settings.Phrases with { Welcome = settings.Phrases.Welcome with { Enabled = false } });
        return tenant.Id;
    }

    /// <summary>An online agent and a conversation assigned to it.</summary>
    public async Task<(Agent Agent, Conversation Conversation)> OpenAssignedAsync(long tenantId, Agent? agent = null)
    {
        if (agent is null)
        {
            agent = await Kefu.Directory.AddAgentAsync(tenantId, Data.Agent(maxConcurrentChats: 50));
            await Kefu.Conversations.SetStatusAsync(tenantId, agent.Id, AgentStatus.Online);
        }

        var conversation = await Kefu.Conversations.OpenAsync(tenantId, Data.Conversation());
        return (agent, conversation);
    }

    public async Task<long> SendAsync(long tenantId, Conversation conversation, string text) =>
        (await Kefu.Conversations.SendAsync(tenantId, conversation.Id, Participant.Visitor(conversation.VisitorId), MessageContent.FromText(text), Data.ClientMessageId()))
        .MessageId;

    /// <summary>Waits until the outbox of the tenant is empty: every event was taken by the sinks (hang guard, not a speed check).</summary>
    public async Task OutboxDrainedAsync(long tenantId)
    {
        var outbox = _services.GetRequiredService<IOutboxStore>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while ((await outbox.ReadPendingAsync(tenantId, 0, 1)).Count > 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The outbox kept events.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (hang guard of 60 s).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold; last value: {value}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
