using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>Channels and their associations (C6).</summary>
public class ChannelTests
{
    [Fact]
    public async Task AddChannel_WithAssociations_ListsBoth()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;

        var wechat = await h.Kefu.Directory.AddChannelAsync(t, ChannelKind.Wechat, "公众号", "wechat_main");
        var first = await h.Kefu.Directory.AddAssociationAsync(t, wechat.Id, "服务号", "gh_123");
        var second = await h.Kefu.Directory.AddAssociationAsync(t, wechat.Id, "订阅号");

        Assert.Equal(new Channel(wechat.Id, ChannelKind.Wechat, "公众号", "wechat_main"), Assert.Single(await h.Kefu.Directory.ListChannelsAsync(t)));
        Assert.Equal([first, second], await h.Kefu.Directory.ListAssociationsAsync(t));
        Assert.Equal("gh_123", first.ExternalId);
        Assert.Null(second.ExternalId);
    }

    [Fact]
    public async Task AddAssociation_ToUnknownChannel_ThrowsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.AddAssociationAsync(h.TenantId, 424242, "App"));

        Assert.Empty(await h.Kefu.Directory.ListAssociationsAsync(h.TenantId));
    }

    [Fact]
    public async Task UpdateChannel_RenamesAndChangesAccessCodeKeepsKind()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var app = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.App, "App", "app_v1");

        var updated = await h.Kefu.Directory.UpdateChannelAsync(h.TenantId, app.Id, "Mobile app", "app_v2");

        Assert.Equal(new Channel(app.Id, ChannelKind.App, "Mobile app", "app_v2"), updated);
        Assert.Equal(updated, Assert.Single(await h.Kefu.Directory.ListChannelsAsync(h.TenantId)));
    }

    [Fact]
    public async Task DeleteChannel_DeletesItsAssociationsOnly()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var wechat = await h.Kefu.Directory.AddChannelAsync(t, ChannelKind.Wechat, "公众号", "wechat_main");
        var app = await h.Kefu.Directory.AddChannelAsync(t, ChannelKind.App, "App", "app_main");
        await h.Kefu.Directory.AddAssociationAsync(t, wechat.Id, "服务号");
        await h.Kefu.Directory.AddAssociationAsync(t, wechat.Id, "订阅号");
        var kept = await h.Kefu.Directory.AddAssociationAsync(t, app.Id, "iOS");

        await h.Kefu.Directory.DeleteChannelAsync(t, wechat.Id);

        Assert.Equal([app.Id], (await h.Kefu.Directory.ListChannelsAsync(t)).Select(c => c.Id));
        Assert.Equal([kept], await h.Kefu.Directory.ListAssociationsAsync(t));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.AddAssociationAsync(t, wechat.Id, "again"));
    }

    [Fact]
    public async Task DeleteChannel_ThenReusingItsAccessCode_IsAllowed()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var channel = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.Web, "Web", "web");
        await h.Kefu.Directory.DeleteChannelAsync(h.TenantId, channel.Id);

        var again = await h.Kefu.Directory.AddChannelAsync(h.TenantId, ChannelKind.H5, "H5", "web");

        Assert.Equal(ChannelKind.H5, again.Kind);
    }

    [Fact]
    public async Task DeleteAssociation_DeletesOnlyThatAssociation()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var app = await h.Kefu.Directory.AddChannelAsync(t, ChannelKind.App, "App", "app_main");
        var ios = await h.Kefu.Directory.AddAssociationAsync(t, app.Id, "iOS");
        var android = await h.Kefu.Directory.AddAssociationAsync(t, app.Id, "Android");

        await h.Kefu.Directory.DeleteAssociationAsync(t, ios.Id);

        Assert.Equal([android], await h.Kefu.Directory.ListAssociationsAsync(t));
        Assert.Single(await h.Kefu.Directory.ListChannelsAsync(t));
    }

    [Fact]
    public async Task Open_WithChannelId_TakesTheChannelsKind()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var weibo = await h.Kefu.Directory.AddChannelAsync(t, ChannelKind.Weibo, "微博", "weibo_main");
        var account = await h.Kefu.Directory.AddAssociationAsync(t, weibo.Id, "官方微博");
        h.Events.Clear();

        var conversation = await h.Kefu.Conversations.OpenAsync(t, h.Data.Conversation(channel: ChannelKind.Web) with { ChannelId = weibo.Id, AssociationId = account.Id });

        Assert.Equal(ChannelKind.Weibo, conversation.ChannelKind);
        Assert.Equal(weibo.Id, conversation.ChannelId);
        Assert.Equal(account.Id, conversation.AssociationId);
        var created = Assert.Single(h.Events.Events, e => e.PayloadCase == PayloadOneofCase.SessionCreated).SessionCreated;
        Assert.Equal(ChannelKind.Weibo, created.ChannelKind);
        Assert.Equal(weibo.Id, created.ChannelId);
        Assert.Equal(account.Id, created.AssociationId);
        Assert.Equal(conversation.Id, Assert.Single((await h.Kefu.History.SearchAsync(t, new HistoryQuery { ChannelKind = ChannelKind.Weibo })).Items).Id);
    }

    [Fact]
    public async Task Open_WithDeletedChannel_ThrowsNotFoundAndCreatesNoConversation()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var t = h.TenantId;
        var channel = await h.Kefu.Directory.AddChannelAsync(t, ChannelKind.Video, "视频", "video");
        await h.Kefu.Directory.DeleteChannelAsync(t, channel.Id);

        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Conversations.OpenAsync(t, h.Data.Conversation() with { ChannelId = channel.Id }));

        Assert.Empty(await h.Kefu.Conversations.ListOpenAsync(t));
        Assert.Equal(0, (await h.Kefu.History.SearchAsync(t, new HistoryQuery())).Total);
    }
}
