using Kefu.Storage;
using Kefu.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Core.Tests.Engine;

public class StoreRegistrationTests
{
    [Fact]
    public async Task UseStore_ReplacesEveryStoreInterfaceWithTheOneStore()
    {
        var mine = new InMemoryKefuStore();
        var services = new ServiceCollection();
        services.AddKefu().UseStore(_ => mine);
        await using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ITenantCommitStore>());
        Assert.Same(mine, provider.GetRequiredService<IDirectoryStore>());
        Assert.Same(mine, provider.GetRequiredService<IConversationStore>());
        Assert.Same(mine, provider.GetRequiredService<IOutboxStore>());
        Assert.Same(mine, provider.GetRequiredService<IConfigurationDocumentStore>());
        Assert.Same(mine, provider.GetRequiredService<IAggregateStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IAggregateStore));
        var tenant = await provider.GetRequiredService<IKefu>().Organisation.CreateTenantAsync(new Kefu.Model.NewTenant { Name = "Acme" });
        Assert.NotNull(await mine.LoadTenantAsync(tenant.Id));
    }

    [Fact]
    public async Task AddKefu_UsesOneInMemoryStoreForEveryInterface_ByDefault()
    {
        var services = new ServiceCollection();
        services.AddKefu();
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<InMemoryKefuStore>();
        Assert.Same(store, provider.GetRequiredService<IConversationStore>());
        Assert.Same(store, provider.GetRequiredService<IAggregateStore>());
    }
}
