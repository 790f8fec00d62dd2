using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Routing.Tests.Restart;

/// <summary>A restart on the same store keeps the routing configuration and every queue a conversation waited in.</summary>
public class RestartTests
{
    [Fact]
    public async Task Restart_OnTheSameStore_KeepsTheRulesAndTheQueueOfTheAgentsInNoGroup()
    {
        var clock = new FakeTimeProvider();
        object[]? kept = null;
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            if (kept is not null)
            {
                services.AddSingleton((ITenantCommitStore)kept[0]);
                services.AddSingleton((IDirectoryStore)kept[1]);
                services.AddSingleton((IConversationStore)kept[2]);
                services.AddSingleton((IOutboxStore)kept[3]);
                services.AddSingleton((IConfigurationDocumentStore)kept[4]);
                services.AddSingleton((IAggregateStore)kept[5]);
            }

            services.AddKefu(o => o.PasswordHashIterations = 1_000).AddRouting();
            return services.BuildServiceProvider();
        }

        var first = Build();
        kept =
        [
            first.GetRequiredService<ITenantCommitStore>(), first.GetRequiredService<IDirectoryStore>(), first.GetRequiredService<IConversationStore>(),
            first.GetRequiredService<IOutboxStore>(), first.GetRequiredService<IConfigurationDocumentStore>(), first.GetRequiredService<IAggregateStore>(),
        ];
        var data = new TestData();
        var kefu = first.GetRequiredService<IKefu>();
        var tenant = (await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Restart" })).Id;
        var grouped = await kefu.Directory.AddAgentAsync(tenant, data.Agent());
        var loner = await kefu.Directory.AddAgentAsync(tenant, data.Agent());
        var group = await kefu.Directory.AddSkillGroupAsync(tenant, "Sales");
        await kefu.Directory.ChangeSkillGroupMembersAsync(tenant, group.Id, [grouped.Id], []);
        await first.GetRequiredService<IRoutingRules>().SaveAsync(tenant, new RoutingConfiguration
        {
            Rules = [new RoutingRule { Name = "app", Channel = ChannelKind.App, AllDay = RoutingTarget.Group(group.Id) }],
        });
        var web = await kefu.Conversations.OpenAsync(tenant, new ConversationRequest { ChannelKind = ChannelKind.Web });
        var app = await kefu.Conversations.OpenAsync(tenant, new ConversationRequest { ChannelKind = ChannelKind.App });
        Assert.Equal(QueueTargetKind.Ungrouped, (await kefu.Conversations.GetQueuePositionAsync(tenant, web.Id))!.Queue);
        await first.DisposeAsync();

        await using var second = Build();
        var again = second.GetRequiredService<IKefu>();
        Assert.Equal(QueueTargetKind.Ungrouped, (await again.Conversations.GetQueuePositionAsync(tenant, web.Id))!.Queue);
        Assert.Equal(QueueTargetKind.Group, (await again.Conversations.GetQueuePositionAsync(tenant, app.Id))!.Queue);

        // The grouped agent takes the app visitor, not the one waiting for the agents in no group.
        await again.Conversations.SetStatusAsync(tenant, grouped.Id, AgentStatus.Online);
        Assert.Equal(grouped.Id, (await again.Conversations.GetAsync(tenant, app.Id)).AgentId);
        Assert.Equal(ConversationState.Queued, (await again.Conversations.GetAsync(tenant, web.Id)).State);
        await again.Conversations.SetStatusAsync(tenant, loner.Id, AgentStatus.Online);
        Assert.Equal(loner.Id, (await again.Conversations.GetAsync(tenant, web.Id)).AgentId);

        // The saved rules came back from the store.
        var next = await again.Conversations.OpenAsync(tenant, new ConversationRequest { ChannelKind = ChannelKind.App });
        Assert.Equal((group.Id, grouped.Id), (next.GroupId, next.AgentId));
    }
}
