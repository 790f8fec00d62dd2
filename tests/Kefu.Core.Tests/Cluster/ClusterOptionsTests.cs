using Kefu.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Core.Tests.Cluster;

public class ClusterOptionsTests
{
    [Fact]
    public void Defaults_LeaseTimesOutAfterTenSeconds_AndIsRenewedWellBefore()
    {
        var options = new KefuClusterOptions();

        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(10), options.LeaseTimeout);
        Assert.True(options.RenewInterval <= options.LeaseTimeout / 3);
        Assert.Equal(64, options.ShardCount);
        Assert.True(options.OwnsShards);
    }

    [Fact]
    public void DefaultNodeNames_DifferBetweenInstances()
        => Assert.NotEqual(new KefuClusterOptions().NodeName, new KefuClusterOptions().NodeName);

    public static TheoryData<string, Action<KefuClusterOptions>> BadOptions => new()
    {
        { "ShardCount", o => o.ShardCount = 0 },
        { "ShardCount", o => o.ShardCount = KefuClusterOptions.MaxShardCount + 1 },
        { "LeaseTimeout", o => o.LeaseTimeout = TimeSpan.FromMilliseconds(100) },
        { "LeaseTimeout", o => o.LeaseTimeout = TimeSpan.FromMinutes(6) },
        { "RenewInterval", o => o.RenewInterval = TimeSpan.FromSeconds(4) },
        { "RenewInterval", o => o.RenewInterval = TimeSpan.FromMilliseconds(10) },
        { "ForwardTimeout", o => o.ForwardTimeout = TimeSpan.Zero },
        { "NodeName", o => o.NodeName = "" },
        { "NodeName", o => o.NodeName = "has space" },
        { "NodeName", o => o.NodeName = new string('n', 101) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_NamesTheBadField_AndItsAllowedRange(string field, Action<KefuClusterOptions> spoil)
    {
        var options = new KefuClusterOptions();
        spoil(options);

        var error = Assert.Throws<KefuValidationException>(options.Validate);

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrEmpty(error.Allowed));
    }

    [Fact]
    public async Task UseCluster_WithABadOption_FailsWhenTheEngineIsResolved_NamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddKefu().UseCluster(o => o.ShardCount = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IKefu>());

        Assert.Contains("KefuClusterOptions.ShardCount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardOf_IsStable_InRange_AndSpreadsSequentialIds()
    {
        var seen = new HashSet<int>();
        for (long id = 1_000_000; id < 1_000_256; id++)
        {
            var shard = ShardMap.ShardOf(id, 16);
            Assert.InRange(shard, 0, 15);
            Assert.Equal(shard, ShardMap.ShardOf(id, 16));
            seen.Add(shard);
        }

        Assert.Equal(16, seen.Count);
        Assert.Equal(0, ShardMap.ShardOf(42, 1));
        Assert.Throws<KefuValidationException>(() => ShardMap.ShardOf(42, 0));
    }
}
