using Kefu.Host.Infrastructure;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Host.Tests;

/// <summary><c>Kefu:RabbitMq:Enabled</c> makes the host a cluster node on PostgreSQL, and refuses what cannot work.</summary>
public sealed class ClusterConfigurationTests
{
    [Fact]
    public void RabbitMq_WithSqlite_IsRefusedNamingTheStoreSetting()
    {
        var kefu = new ServiceCollection().AddKefu();
        var error = Assert.Throws<KefuValidationException>(() => HostSetup.UseRabbitMqCluster(
            kefu,
            new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = "Data Source=x.db" },
            new RabbitMqOptions { Enabled = true, ConnectionString = "amqp://guest:guest@127.0.0.1:5672/" }));
        Assert.Equal("Kefu:Storage:Provider", error.Field);
    }

    [Fact]
    public void RabbitMq_WithoutAnUri_IsRefusedNamingIt()
    {
        var kefu = new ServiceCollection().AddKefu();
        var error = Assert.Throws<KefuValidationException>(() => HostSetup.UseRabbitMqCluster(
            kefu,
            new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=kefu" },
            new RabbitMqOptions { Enabled = true, ConnectionString = " " }));
        Assert.Equal("Kefu:RabbitMq:ConnectionString", error.Field);
    }

    [Fact]
    public void RabbitMq_OnPostgreSql_ReplacesTheInProcessTransport()
    {
        var services = new ServiceCollection();
        var kefu = services.AddKefu().UsePostgreSql("Host=127.0.0.1;Database=kefu");
        HostSetup.UseRabbitMqCluster(
            kefu,
            new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=kefu" },
            new RabbitMqOptions { Enabled = true, ConnectionString = "amqp://guest:guest@127.0.0.1:5672/", NodeName = "node-a" });

        var transport = services.Single(d => d.ServiceType == typeof(IKefuTransport));
        Assert.NotEqual("InProcessTransport", transport.ImplementationType?.Name);
        Assert.Contains(services, d => d.ServiceType == typeof(Kefu.Cluster.IKefuClusterNode));
    }
}
