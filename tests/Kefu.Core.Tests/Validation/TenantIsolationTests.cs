using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Core.Tests.Validation;

/// <summary>
/// Another tenant's ids are unknown in this tenant: using one is refused as not found and changes neither tenant.
/// </summary>
public class TenantIsolationTests
{
    [Fact]
    public async Task GetAndUpdateAgent_WithAnotherTenantsAgent_AreRefusedAsNotFoundAndNeitherTenantChanges()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreign = await h.Kefu.Directory.AddAgentAsync(other.Id, h.Data.Agent("Foreign"));
        await h.AddAgentAsync("Local");
        var otherBefore = await other.SnapshotAsync();

        var get = await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Directory.GetAgentAsync(h.TenantId, foreign.Id));
        var update = await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Directory.UpdateAgentAsync(
            h.TenantId, foreign.Id, AgentProfile.From(foreign) with { MaxConcurrentChats = 1 }));
        var status = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Conversations.SetStatusAsync(h.TenantId, foreign.Id, AgentStatus.Online));
        var delete = await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Directory.DeleteAgentAsync(h.TenantId, foreign.Id));

        Assert.All(new[] { get, update, status, delete }, e =>
        {
            Assert.Equal("Agent", e.Entity);
            Assert.Equal(foreign.Id, e.Id);
            Assert.Equal(KefuErrorKind.NotFound, e.Kind);
        });
        await other.AssertUnchangedAsync(otherBefore);
        Assert.Equal(foreign, await h.Kefu.Directory.GetAgentAsync(other.Id, foreign.Id));
    }

    [Fact]
    public async Task AddDepartment_UnderAnotherTenantsDepartment_IsRefusedAsNotFoundAndNeitherTenantChanges()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreign = await h.Kefu.Directory.AddDepartmentAsync(other.Id, null, "Foreign sales");
        await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, null, "Local sales");
        var otherBefore = await other.SnapshotAsync();

        var refusal = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.AddDepartmentAsync(h.TenantId, foreign.Id, "Team"));

        Assert.Equal("Department", refusal.Entity);
        Assert.Equal(foreign.Id, refusal.Id);
        Assert.Single(await h.Kefu.Directory.ListDepartmentsAsync(h.TenantId));
        await other.AssertUnchangedAsync(otherBefore);
    }

    [Fact]
    public async Task UpdateAndDeleteDepartment_OfAnotherTenant_AreRefusedAsNotFoundAndItSurvives()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreign = await h.Kefu.Directory.AddDepartmentAsync(other.Id, null, "Foreign sales");
        var otherBefore = await other.SnapshotAsync();

        var update = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.UpdateDepartmentAsync(h.TenantId, foreign.Id, "Hijacked"));
        var delete = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.DeleteDepartmentAsync(h.TenantId, foreign.Id));

        Assert.Equal("Department", update.Entity);
        Assert.Equal("Department", delete.Entity);
        Assert.Equal(foreign, Assert.Single(await h.Kefu.Directory.ListDepartmentsAsync(other.Id)));
        await other.AssertUnchangedAsync(otherBefore);
    }

    [Fact]
    public async Task AddAgent_WithAnotherTenantsDepartmentOrRole_IsRefusedAsNotFoundAndNeitherTenantChanges()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var department = await h.Kefu.Directory.AddDepartmentAsync(other.Id, null, "Foreign sales");
        var role = await h.Kefu.Directory.AddRoleAsync(other.Id, new RoleDefinition("R1", "Foreign role", [KefuPermissions.ServeConversations]));
        var otherBefore = await other.SnapshotAsync();

        var byDepartment = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent() with { DepartmentId = department.Id }));
        var byRole = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent() with { RoleIds = [role.Id] }));

        Assert.Equal(("Department", department.Id), (byDepartment.Entity, byDepartment.Id));
        Assert.Equal(("Role", role.Id), (byRole.Entity, byRole.Id));
        Assert.Empty(await h.Kefu.Directory.ListAgentsAsync(h.TenantId));
        await other.AssertUnchangedAsync(otherBefore);
    }

    [Fact]
    public async Task ConversationCommands_WithAnotherTenantsConversation_AreRefusedAsNotFoundAndItIsUntouched()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreignAgent = await h.Kefu.Directory.AddAgentAsync(other.Id, h.Data.Agent("Foreign"));
        await h.Kefu.Conversations.SetStatusAsync(other.Id, foreignAgent.Id, AgentStatus.Online);
        var foreign = await h.Kefu.Conversations.OpenAsync(other.Id, h.Data.Conversation());
        await h.Kefu.Conversations.SendAsync(other.Id, foreign.Id, Participant.Visitor(foreign.VisitorId), MessageContent.FromText("Hello"));
        var otherBefore = await other.SnapshotAsync();
        var messagesBefore = TenantSnapshot.Of(await h.Kefu.History.GetMessagesAsync(other.Id, foreign.Id));

        KefuNotFoundException[] refusals =
        [
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.SendAsync(
                h.TenantId, foreign.Id, Participant.Visitor(foreign.VisitorId), MessageContent.FromText("Injected"))),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.GetAsync(h.TenantId, foreign.Id)),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.EndAsync(
                h.TenantId, foreign.Id, Participant.Visitor(foreign.VisitorId))),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.RateAsync(
                h.TenantId, foreign.Id, foreign.VisitorId, new RatingInput(1))),
        ];

        Assert.All(refusals, e => Assert.Equal(("Conversation", foreign.Id), (e.Entity, e.Id)));
        await other.AssertUnchangedAsync(otherBefore);
        Assert.Equal(messagesBefore, TenantSnapshot.Of(await h.Kefu.History.GetMessagesAsync(other.Id, foreign.Id)));
        Assert.Empty(await h.Kefu.History.GetMessagesAsync(h.TenantId, foreign.Id));
    }

    [Fact]
    public async Task OpenConversation_WithAnotherTenantsVisitorGroupOrChannel_IsRefusedAsNotFoundAndNeitherTenantChanges()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreignConversation = await h.Kefu.Conversations.OpenAsync(other.Id, h.Data.Conversation());
        var group = await h.Kefu.Directory.AddSkillGroupAsync(other.Id, "Foreign VIP");
        var channel = await h.Kefu.Directory.AddChannelAsync(other.Id, ChannelKind.App, "Foreign app", "foreign_app");
        var otherBefore = await other.SnapshotAsync();

        var byVisitor = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Conversations.OpenAsync(h.TenantId, new ConversationRequest { VisitorId = foreignConversation.VisitorId }));
        var byGroup = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Conversations.OpenAsync(h.TenantId, h.Data.Conversation(groupId: group.Id)));
        var byChannel = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Conversations.OpenAsync(h.TenantId, h.Data.Conversation() with { ChannelId = channel.Id }));

        Assert.Equal(("Visitor", foreignConversation.VisitorId), (byVisitor.Entity, byVisitor.Id));
        Assert.Equal(("SkillGroup", group.Id), (byGroup.Entity, byGroup.Id));
        Assert.Equal(("Channel", channel.Id), (byChannel.Entity, byChannel.Id));
        Assert.Empty(await h.Kefu.Conversations.ListOpenAsync(h.TenantId));
        await other.AssertUnchangedAsync(otherBefore);
    }

    [Fact]
    public async Task ChangeSkillGroupMembers_WithAnotherTenantsAgent_IsRefusedAsNotFoundAndGroupUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreign = await h.Kefu.Directory.AddAgentAsync(other.Id, h.Data.Agent("Foreign"));
        var local = await h.AddAgentAsync("Local");
        var group = await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        var otherBefore = await other.SnapshotAsync();

        var refusal = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Directory.ChangeSkillGroupMembersAsync(h.TenantId, group.Id, [local.Id, foreign.Id], []));

        Assert.Equal(("Agent", foreign.Id), (refusal.Entity, refusal.Id));
        Assert.Empty(Assert.Single(await h.Kefu.Directory.ListSkillGroupsAsync(h.TenantId)).MemberIds);
        await other.AssertUnchangedAsync(otherBefore);
    }

    [Fact]
    public async Task SubmitWrapUp_WithAnotherTenantsCategory_IsRefusedAsNotFoundAndConversationUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreignCategory = await h.Kefu.Directory.AddWrapUpCategoryAsync(other.Id, null, "Foreign billing");
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();
        var otherBefore = await other.SnapshotAsync();

        var refusal = await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.SubmitWrapUpAsync(
            h.TenantId, conversation.Id, agent.Id, new WrapUpInput(foreignCategory.Id, Resolved: true)));

        Assert.Equal(("WrapUpCategory", foreignCategory.Id), (refusal.Entity, refusal.Id));
        Assert.Null((await h.Kefu.Conversations.GetAsync(h.TenantId, conversation.Id)).WrapUp);
        await other.AssertUnchangedAsync(otherBefore);
    }

    [Fact]
    public async Task GetVisitor_OfAnotherTenant_IsRefusedAsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await using var other = await OtherTenant.CreateAsync(h);
        var foreign = await h.Kefu.Conversations.OpenAsync(other.Id, h.Data.Conversation());

        var refusal = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.History.GetVisitorAsync(h.TenantId, foreign.VisitorId));

        Assert.Equal(("Visitor", foreign.VisitorId), (refusal.Entity, refusal.Id));
        Assert.Equal(foreign.VisitorId, (await h.Kefu.History.GetVisitorAsync(other.Id, foreign.VisitorId)).Id);
    }

    [Fact]
    public async Task Commands_ForATenantThatDoesNotExist_AreRefusedAsNotFoundNamingTheTenant()
    {
        await using var h = await KefuTestHarness.StartAsync();
        const long unknownTenant = 987_654_321;

        KefuNotFoundException[] refusals =
        [
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Directory.GetSettingsAsync(unknownTenant)),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Directory.AddAgentAsync(unknownTenant, h.Data.Agent())),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Directory.AddDepartmentAsync(unknownTenant, null, "Sales")),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.OpenAsync(unknownTenant, h.Data.Conversation())),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Conversations.SendAsync(
                unknownTenant, 1, Participant.Visitor(1), MessageContent.FromText("Hello"))),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.Organisation.SetTenantLimitsAsync(unknownTenant, new TenantLimits())),
            await Refusal.AssertAsync<KefuNotFoundException>(h, async () => await h.Kefu.History.GetMessagesAsync(unknownTenant, 1)),
        ];

        Assert.All(refusals, e => Assert.Equal(("Tenant", unknownTenant), (e.Entity, e.Id)));
        Assert.DoesNotContain(await h.Kefu.Organisation.ListTenantsAsync(), t => t.Id == unknownTenant);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Commands_WithATenantIdBelowOne_AreRefusedNamingTenantId(long tenantId)
    {
        await using var h = await KefuTestHarness.StartAsync();

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h, async () => await h.Kefu.Directory.AddSkillGroupAsync(tenantId, "VIP"));

        Assert.Equal("TenantId", refusal.Field);
    }

    /// <summary>A second tenant on the same engine, with its own event recorder.</summary>
    private sealed class OtherTenant : IAsyncDisposable
    {
        private readonly KefuTestHarness _h;
        private readonly EventRecorder _events;

        private OtherTenant(KefuTestHarness h, long id)
        {
            _h = h;
            Id = id;
            _events = new EventRecorder(h.Services.GetRequiredService<IKefuTransport>(), new EventFilter { TenantId = id });
        }

        public long Id { get; }

        public static async Task<OtherTenant> CreateAsync(KefuTestHarness h)
        {
            var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Other" });
            return new OtherTenant(h, tenant.Id);
        }

        public async Task<(string State, int Events)> SnapshotAsync() =>
            (await TenantSnapshot.TakeAsync(_h.Kefu, Id), _events.Events.Count);

        public async Task AssertUnchangedAsync((string State, int Events) before)
        {
            var after = await SnapshotAsync();
            Assert.Equal(before.Events, after.Events);
            Assert.Equal(before.State, after.State);
        }

        public ValueTask DisposeAsync()
        {
            _events.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
