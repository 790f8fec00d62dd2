using System.Diagnostics;
using Kefu.Engine;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Testing;

/// <summary>
/// Runs one tenant on the in-memory adapters with a <see cref="FakeTimeProvider"/>: hours of timers pass in
/// milliseconds with <see cref="AdvanceAsync"/>, and <see cref="Events"/> records the tenant's events in order.
/// </summary>
public sealed class KefuTestHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private KefuTestHarness(ServiceProvider services, FakeTimeProvider clock, long tenantId)
    {
        _services = services;
        Clock = clock;
        TenantId = tenantId;
        Kefu = services.GetRequiredService<IKefu>();
        Events = new EventRecorder(services.GetRequiredService<IKefuTransport>(), new EventFilter { TenantId = tenantId });
    }

    /// <summary>Creates the engine and a tenant.</summary>
    /// <param name="configure">Changes to the options; the harness lowers password hashing to 1,000 iterations to keep tests fast.</param>
    /// <param name="build">Extra registrations (seam implementations, sinks).</param>
    /// <param name="tenantName">The tenant's name.</param>
    public static async Task<KefuTestHarness> StartAsync(Action<KefuOptions>? configure = null, Action<IKefuBuilder>? build = null, string tenantName = "Test tenant")
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        var builder = services.AddKefu(o =>
        {
            o.PasswordHashIterations = 1_000;
            configure?.Invoke(o);
        });
        build?.Invoke(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var kefu = provider.GetRequiredService<IKefu>();
        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = tenantName }).ConfigureAwait(false);
        return new KefuTestHarness(provider, clock, tenant.Id);
    }

    /// <summary>The fake clock.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The engine.</summary>
    public IKefu Kefu { get; }

    /// <summary>The tenant.</summary>
    public long TenantId { get; }

    /// <summary>The tenant's events since the tenant was created.</summary>
    public EventRecorder Events { get; }

    /// <summary>Builders of valid inputs.</summary>
    public TestData Data { get; } = new();

    /// <summary>The service provider, for resolving what the test registered.</summary>
    public IServiceProvider Services => _services;

    /// <summary>Adds an agent; <paramref name="online"/> sets it online at once.</summary>
    public async Task<Agent> AddAgentAsync(string? name = null, int maxConcurrentChats = 10, bool online = false)
    {
        var agent = await Kefu.Directory.AddAgentAsync(TenantId, Data.Agent(name, maxConcurrentChats)).ConfigureAwait(false);
        if (online)
        {
            await Kefu.Conversations.SetStatusAsync(TenantId, agent.Id, AgentStatus.Online).ConfigureAwait(false);
        }

        return agent;
    }

    /// <summary>Opens a web conversation for a new visitor.</summary>
    public async Task<Conversation> OpenConversationAsync(long? groupId = null) =>
        await Kefu.Conversations.OpenAsync(TenantId, Data.Conversation(groupId: groupId)).ConfigureAwait(false);

    /// <summary>Sends a text message.</summary>
    public async Task<SendResult> SendTextAsync(long conversationId, Participant sender, string text, string? clientMessageId = null) =>
        await Kefu.Conversations.SendAsync(TenantId, conversationId, sender, MessageContent.FromText(text), clientMessageId).ConfigureAwait(false);

    /// <summary>Returns once everything sent to the engine before the call is committed.</summary>
    public async Task FlushAsync() => await ((KefuEngine)Kefu).FlushAllAsync().ConfigureAwait(false);

    /// <summary>
    /// Returns once everything sent to the engine before the call is committed and every committed event of the tenant
    /// has been handed to the event sinks (the outbox is empty).
    /// </summary>
    /// <param name="timeout">How long to wait for the sinks; default 20 seconds.</param>
    /// <exception cref="TimeoutException">The outbox still held events after <paramref name="timeout"/>.</exception>
    public async Task DeliveredAsync(TimeSpan? timeout = null)
    {
        await FlushAsync().ConfigureAwait(false);
        var outbox = _services.GetRequiredService<IOutboxStore>();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var waited = Stopwatch.StartNew();
        while ((await outbox.ReadPendingAsync(TenantId, 0, 1).ConfigureAwait(false)).Count > 0)
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"The outbox of tenant {TenantId} still held events after {limit.TotalSeconds:0.#} s.");
            }

            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, stopping at each timer's due time and letting the engine
    /// act on it before going on, so timer-driven messages carry their exact times.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var target = Clock.GetUtcNow() + by;
        await FlushAsync().ConfigureAwait(false);
        while (Clock.NextTimerDue is { } due && due <= target)
        {
            Clock.SetUtcNow(due);
            await FlushAsync().ConfigureAwait(false);
        }

        Clock.SetUtcNow(target);
        await FlushAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Events.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
