using System.Globalization;
using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Benchmarks.Engine;

/// <summary>A fresh engine with one tenant, four online agents and sixteen conversations in service.</summary>
internal sealed class EngineRig(ServiceProvider provider, IKefu kefu, long tenantId, SendTarget[] targets, Func<ValueTask>? cleanup) : IAsyncDisposable
{
    /// <summary>Messages sent by one invocation, all in flight at once: the engine's send pool holds 4,096 items.</summary>
    public const int MessagesPerInvoke = 4096;

    /// <summary>Conversations the messages go round.</summary>
    public const int ConversationCount = 16;

    /// <summary>Agents serving them.</summary>
    public const int AgentCount = 4;

    public IKefu Kefu { get; } = kefu;
    public long TenantId { get; } = tenantId;
    public SendTarget[] Targets { get; } = targets;

    /// <summary>Creates the engine; <paramref name="configure"/> adds registrations (a store), <paramref name="cleanup"/> runs after disposal.</summary>
    public static async Task<EngineRig> CreateAsync(Action<IKefuBuilder>? configure = null, Func<ValueTask>? cleanup = null)
    {
        var services = new ServiceCollection();
        var kefuBuilder = services.AddKefu(o => o.PasswordHashIterations = 1_000);
        configure?.Invoke(kefuBuilder);
        var provider = services.BuildServiceProvider();
        try
        {
            var kefu = provider.GetRequiredService<IKefu>();
            var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "bench" });
            var data = new TestData();
            for (var i = 0; i < AgentCount; i++)
            {
                var agent = await kefu.Directory.AddAgentAsync(tenant.Id, data.Agent(maxConcurrentChats: ConversationCount / AgentCount));
                await kefu.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
            }

            var targets = new SendTarget[ConversationCount];
            for (var i = 0; i < targets.Length; i++)
            {
                var conversation = await kefu.Conversations.OpenAsync(tenant.Id, data.Conversation());
                if (conversation.State != ConversationState.InService || conversation.AgentId is not { } agentId)
                {
                    throw new InvalidOperationException($"Conversation {i} is {conversation.State}, not in service with an agent.");
                }

                targets[i] = new SendTarget(conversation.Id, Participant.Visitor(conversation.VisitorId), Participant.Agent(agentId));
            }

            await WarmUpAsync(kefu, tenant.Id, targets);
            return new EngineRig(provider, kefu, tenant.Id, targets, cleanup);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends as many messages as the de-duplication windows of all the conversations hold (outside the measurement), so the measured sends
    /// run in steady state: the window full, its oldest client id forgotten for each new one, nothing growing.
    /// </summary>
    private static async Task WarmUpAsync(IKefu kefu, long tenantId, SendTarget[] targets)
    {
        var window = new KefuOptions().DeduplicationWindow * ConversationCount;
        var content = MessageContent.FromText("warm-up");
        var pending = new ValueTask<SendResult>[MessagesPerInvoke];
        for (var sent = 0; sent < window; sent += MessagesPerInvoke)
        {
            for (var i = 0; i < MessagesPerInvoke; i++)
            {
                var target = targets[i % ConversationCount];
                pending[i] = kefu.Conversations.SendAsync(tenantId, target.ConversationId, target.SenderOf(i), content,
                    string.Create(CultureInfo.InvariantCulture, $"warm-{sent + i}"));
            }

            for (var i = 0; i < MessagesPerInvoke; i++)
            {
                await pending[i];
            }
        }
    }

    /// <summary>
    /// Sends <see cref="MessagesPerInvoke"/> messages round-robin over the conversations, all in flight at once, with
    /// the client ids from <paramref name="offset"/>, and waits for every acknowledgement.
    /// </summary>
    public async Task SendAsync(ValueTask<SendResult>[] pending, MessageContent content, string[] clientMessageIds, int offset)
    {
        var conversations = Kefu.Conversations;
        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            var target = Targets[i % ConversationCount];
            pending[i] = conversations.SendAsync(TenantId, target.ConversationId, target.SenderOf(i), content, clientMessageIds[offset + i]);
        }

        for (var i = 0; i < MessagesPerInvoke; i++)
        {
            var result = await pending[i];
            if (result.Blocked || result.Duplicate)
            {
                throw new InvalidOperationException($"Message {offset + i} was {(result.Blocked ? "blocked" : "a duplicate")}: the benchmark would measure refusals, not sends.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        if (cleanup is not null)
        {
            await cleanup();
        }
    }
}

/// <summary>A conversation and its two participants; messages alternate between them per round of the round-robin.</summary>
internal readonly record struct SendTarget(long ConversationId, Participant Visitor, Participant Agent)
{
    public Participant SenderOf(int message) => (message / EngineRig.ConversationCount) % 2 == 0 ? Visitor : Agent;
}
