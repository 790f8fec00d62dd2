using Kefu.Events;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>A channel's access code matches <c>[A-Za-z_][A-Za-z0-9_]*</c> and is unique in the tenant.</summary>
public class ChannelValidationTests
{
    private const string Pattern = "[A-Za-z_][A-Za-z0-9_]*";

    [Theory]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("a.b")]
    [InlineData("渠道")]
    [InlineData("web\n")]
    public async Task AddChannel_WithAccessCodeNotMatchingThePattern_IsRefusedAndChannelsUnchanged(string accessCode)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Web, "Website", "web");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListChannelsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.App, "App", accessCode));

        Assert.Equal("AccessCode", refusal.Field);
        Assert.Contains(Pattern, refusal.Allowed);
        Assert.Contains("AccessCode", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListChannelsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("_")]
    [InlineData("_web_1")]
    [InlineData("Web2026")]
    [InlineData("APP_ios")]
    public async Task AddChannel_WithAccessCodeMatchingThePattern_IsAccepted(string accessCode)
    {
        await using var h = await KefuTestHarness.StartAsync();

        var channel = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.App, "App", accessCode);

        Assert.Equal(accessCode, channel.AccessCode);
        Assert.Equal(accessCode, Assert.Single(await h.Kefu.Directory.ListChannelsAsync(h.TenantId)).AccessCode);
    }

    [Fact]
    public async Task AddChannel_WithATakenAccessCode_IsRefusedAsConflictAndChannelsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Web, "Website", "web_main");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListChannelsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.H5, "Mobile site", "web_main"));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("AccessCode", refusal.Message);
        Assert.Contains("web_main", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListChannelsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("")]
    public async Task UpdateChannel_WithAccessCodeNotMatchingThePattern_IsRefusedAndChannelUnchanged(string accessCode)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var channel = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Web, "Website", "web");

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateChannelAsync(h.TenantId, channel.Id, "Renamed", accessCode));

        Assert.Equal("AccessCode", refusal.Field);
        Assert.Equal(channel, Assert.Single(await h.Kefu.Directory.ListChannelsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateChannel_ToAnotherChannelsAccessCode_IsRefusedAsConflictAndChannelsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Web, "Website", "web");
        var app = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.App, "App", "app");
        var before = TenantSnapshot.Of(await h.Kefu.Directory.ListChannelsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.UpdateChannelAsync(h.TenantId, app.Id, "App renamed", "web"));

        Assert.Equal(KefuErrorKind.Conflict, refusal.Kind);
        Assert.Contains("AccessCode", refusal.Message);
        Assert.Equal(before, TenantSnapshot.Of(await h.Kefu.Directory.ListChannelsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateChannel_KeepingItsOwnAccessCode_IsAccepted()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var channel = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Web, "Website", "web");

        var updated = await h.Kefu.Directory.UpdateChannelAsync(h.TenantId, channel.Id, "Main website", "web");

        Assert.Equal(channel with { Name = "Main website" }, updated);
    }
}
