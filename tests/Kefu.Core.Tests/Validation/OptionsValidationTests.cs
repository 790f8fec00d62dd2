using Kefu.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Core.Tests.Validation;

/// <summary>Bad <see cref="KefuOptions"/> fail when the engine is resolved, naming the option and its range.</summary>
public class OptionsValidationTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1024)]
    [InlineData(5000)]
    public async Task ResolveKefu_WithNodeIdOutsideZeroTo1023_FailsNamingNodeId(int nodeId)
    {
        var ex = await ResolveFailsAsync(o => o.NodeId = nodeId);

        Assert.Contains("NodeId", ex.Message);
        Assert.Contains("1023", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65_537)]
    public async Task ResolveKefu_WithMaxBatchSizeOutsideOneTo65536_FailsNamingMaxBatchSize(int maxBatchSize)
    {
        var ex = await ResolveFailsAsync(o => o.MaxBatchSize = maxBatchSize);

        Assert.Contains("MaxBatchSize", ex.Message);
        Assert.Contains("65536", ex.Message);
    }

    [Fact]
    public async Task ResolveKefu_WithTooFewPasswordHashIterations_FailsNamingTheOption()
    {
        var ex = await ResolveFailsAsync(o => o.PasswordHashIterations = 999);

        Assert.Contains("PasswordHashIterations", ex.Message);
        Assert.Contains("1000", ex.Message);
    }

    [Fact]
    public async Task ResolveKefu_WithDefaultTenantSettingsOutOfBounds_FailsNamingTheSetting()
    {
        var ex = await ResolveFailsAsync(o => o.DefaultTenantSettings = new TenantSettings { Rating = new RatingSettings { Levels = 4 } });

        Assert.Contains("Levels", ex.Message);
        Assert.Contains("2, 3 or 5", ex.Message);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1023, 65_536)]
    public async Task ResolveKefu_WithOptionsAtTheirBounds_Succeeds(int nodeId, int maxBatchSize)
    {
        var services = new ServiceCollection();
        services.AddKefu(o =>
        {
            o.NodeId = nodeId;
            o.MaxBatchSize = maxBatchSize;
        });
        await using var provider = services.BuildServiceProvider();

        var kefu = provider.GetRequiredService<IKefu>();

        var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Bounds" });
        Assert.Contains(await kefu.Organisation.ListTenantsAsync(), t => t.Id == tenant.Id);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1441)]
    public async Task ResolveKefu_WithRetentionSweepIntervalOutsideOneMinuteToOneDay_FailsNamingTheOption(double minutes)
    {
        var ex = await ResolveFailsAsync(o => o.RetentionSweepInterval = TimeSpan.FromMinutes(minutes));

        Assert.Contains("RetentionSweepInterval", ex.Message);
        Assert.Contains("between 1 minute and 1 day", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task ResolveKefu_WithRetentionBatchSizeOutsideOneTo10000_FailsNamingTheOption(int size)
    {
        var ex = await ResolveFailsAsync(o => o.RetentionBatchSize = size);

        Assert.Contains("RetentionBatchSize", ex.Message);
        Assert.Contains("10000", ex.Message);
    }

    private static async Task<OptionsValidationException> ResolveFailsAsync(Action<KefuOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddKefu(configure);
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IKefu>());

        Assert.Equal(typeof(KefuOptions), ex.OptionsType);
        return ex;
    }
}
