using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using PayloadOneofCase = Kefu.Events.KefuEvent.PayloadOneofCase;

namespace Kefu.Core.Tests.Directory;

/// <summary>Tenants, their first administrator, passwords, the tenant template and tenant limits (C1).</summary>
public class TenantTests
{
    [Fact]
    public async Task CreateTenant_WithAdministrator_CreatesAdminRoleWithEveryPermissionAndTheAdmin()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var admin = h.Data.Agent("Admin");

        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Acme", Administrator = admin });

        Assert.Equal("Acme", tenant.Name);
        var role = Assert.Single(await h.Kefu.Directory.ListRolesAsync(tenant.Id));
        Assert.True(role.Enabled);
        Assert.Equal(KefuPermissions.All.Order(StringComparer.Ordinal), role.Permissions.Order(StringComparer.Ordinal));
        var agent = Assert.Single(await h.Kefu.Directory.ListAgentsAsync(tenant.Id));
        Assert.Equal(admin.Account, agent.Account);
        Assert.Equal(admin.EmployeeNumber, agent.EmployeeNumber);
        Assert.Equal([role.Id], agent.RoleIds);
        Assert.DoesNotContain(admin.Password, agent.PasswordHash, StringComparison.Ordinal);
        var permissions = await h.Kefu.Directory.GetPermissionsAsync(tenant.Id, agent.Id);
        Assert.Equal(KefuPermissions.All.Order(StringComparer.Ordinal), permissions);
        Assert.Equal(agent.Id, (await h.Kefu.Directory.AuthenticateAsync(tenant.Id, admin.Account, admin.Password))?.Id);
    }

    [Fact]
    public async Task CreateTenant_WithoutAdministrator_HasNoRolesOrAgents()
    {
        await using var h = await KefuTestHarness.StartAsync();

        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Empty" });

        Assert.Empty(await h.Kefu.Directory.ListRolesAsync(tenant.Id));
        Assert.Empty(await h.Kefu.Directory.ListAgentsAsync(tenant.Id));
        Assert.NotEqual(h.TenantId, tenant.Id);
    }

    [Fact]
    public async Task ListTenants_AfterCreatingTwo_ReturnsAllOldestFirst()
    {
        await using var h = await KefuTestHarness.StartAsync(tenantName: "First");
        var second = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Second" });
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var third = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Third" });

        var tenants = await h.Kefu.Organisation.ListTenantsAsync();

        Assert.Equal([h.TenantId, second.Id, third.Id], tenants.Select(t => t.Id));
        Assert.Equal(["First", "Second", "Third"], tenants.Select(t => t.Name));
        Assert.Equal(h.Clock.GetUtcNow(), tenants[2].CreatedAt);
    }

    [Fact]
    public async Task Authenticate_WithRightPassword_ReturnsAgentAndWithWrongPasswordReturnsNull()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync("Jane");

        var ok = await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password);
        var upperCaseAccount = await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account.ToUpperInvariant(), TestData.Password);
        var wrong = await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password + "x");
        var unknown = await h.Kefu.Directory.AuthenticateAsync(h.TenantId, "nobody@example.test", TestData.Password);

        Assert.Equal(agent.Id, ok?.Id);
        Assert.Equal(agent.Id, upperCaseAccount?.Id);
        Assert.Null(wrong);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task Authenticate_DisabledAgent_ReturnsNullUntilEnabledAgain()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();

        await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: false);
        var whileDisabled = await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password);
        await h.Kefu.Directory.SetAgentEnabledAsync(h.TenantId, agent.Id, enabled: true);
        var afterEnabling = await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password);

        Assert.Null(whileDisabled);
        Assert.Equal(agent.Id, afterEnabling?.Id);
    }

    [Fact]
    public async Task Agents_OfTwoTenants_AreIsolated()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var other = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Other" });
        var mine = await h.AddAgentAsync("Mine");
        var theirs = await h.Kefu.Directory.AddAgentAsync(other.Id, h.Data.Agent("Theirs") with { Account = mine.Account, Password = "their-password" });

        Assert.Equal(mine.Id, (await h.Kefu.Directory.AuthenticateAsync(h.TenantId, mine.Account, TestData.Password))?.Id);
        Assert.Equal(theirs.Id, (await h.Kefu.Directory.AuthenticateAsync(other.Id, mine.Account, "their-password"))?.Id);
        Assert.Null(await h.Kefu.Directory.AuthenticateAsync(other.Id, mine.Account, TestData.Password));
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.GetAgentAsync(other.Id, mine.Id));
        Assert.Equal([theirs.Id], (await h.Kefu.Directory.ListAgentsAsync(other.Id)).Select(a => a.Id));
    }

    [Fact]
    public async Task ChangePassword_WithWrongCurrentPassword_ThrowsAuthenticationAndOldPasswordStillWorks()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();

        var error = await Assert.ThrowsAsync<KefuException>(async () =>
            await h.Kefu.Directory.ChangePasswordAsync(h.TenantId, agent.Id, "not-the-password", "brand-new-1"));

        Assert.Equal(KefuErrorKind.Authentication, error.Kind);
        Assert.NotNull(await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password));
        Assert.Null(await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, "brand-new-1"));
    }

    [Fact]
    public async Task ChangePassword_WithRightCurrentPassword_OnlyTheNewPasswordWorks()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();

        await h.Kefu.Directory.ChangePasswordAsync(h.TenantId, agent.Id, TestData.Password, "brand-new-1");

        Assert.Equal(agent.Id, (await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, "brand-new-1"))?.Id);
        Assert.Null(await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password));
    }

    [Fact]
    public async Task ResetPassword_WithoutCurrentPassword_OnlyTheNewPasswordWorks()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync();
        var before = await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id);

        await h.Kefu.Directory.ResetPasswordAsync(h.TenantId, agent.Id, "reset-by-admin");

        var after = await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id);
        Assert.NotEqual(before.PasswordHash, after.PasswordHash);
        Assert.Equal(agent.Id, (await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, "reset-by-admin"))?.Id);
        Assert.Null(await h.Kefu.Directory.AuthenticateAsync(h.TenantId, agent.Account, TestData.Password));
    }

    [Fact]
    public async Task SetTenantTemplate_TenantCreatedAfterwards_GetsTheTemplateSettings()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var template = new TenantTemplate
        {
            MaxAgents = 2,
            MandatorySessionTagOnClose = true,
            VisitorNoReplyAutoClose = true,
            InactiveSessionAutoClose = true,
        };

        await h.Kefu.Organisation.SetTenantTemplateAsync(template);
        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "From template" });

        Assert.Equal(template, await h.Kefu.Organisation.GetTenantTemplateAsync());
        var settings = await h.Kefu.Directory.GetSettingsAsync(tenant.Id);
        Assert.Equal(2, settings.Limits.MaxAgents);
        Assert.True(settings.Conversations.MandatorySessionTagOnClose);
        Assert.True(settings.Conversations.InactiveSessionAutoClose);
        Assert.True(settings.Phrases.VisitorNoReplyClose.Enabled);
    }

    [Fact]
    public async Task SetTenantTemplate_TenantCreatedBefore_KeepsItsSettings()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var before = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);

        await h.Kefu.Organisation.SetTenantTemplateAsync(new TenantTemplate { MaxAgents = 2, MandatorySessionTagOnClose = true, VisitorNoReplyAutoClose = true });

        var after = await h.Kefu.Directory.GetSettingsAsync(h.TenantId);
        Assert.Equal(before, after);
        Assert.Equal(100, after.Limits.MaxAgents);
        Assert.False(after.Conversations.MandatorySessionTagOnClose);
        Assert.False(after.Phrases.VisitorNoReplyClose.Enabled);
        for (var i = 0; i < 3; i++)
        {
            await h.AddAgentAsync();
        }

        Assert.Equal(3, (await h.Kefu.Directory.ListAgentsAsync(h.TenantId)).Count);
    }

    [Fact]
    public async Task AddAgent_BeyondTemplateMaxAgents_ThrowsLimitExceeded()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantTemplateAsync(new TenantTemplate { MaxAgents = 2 });
        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Small" });
        await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent());
        await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent());

        var error = await Assert.ThrowsAsync<KefuException>(async () => await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent()));

        Assert.Equal(KefuErrorKind.LimitExceeded, error.Kind);
        Assert.Equal(2, (await h.Kefu.Directory.ListAgentsAsync(tenant.Id)).Count);
    }

    [Fact]
    public async Task AddAgent_AdministratorCountsTowardsMaxAgents()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantTemplateAsync(new TenantTemplate { MaxAgents = 2 });
        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Small", Administrator = h.Data.Agent("Admin") });
        await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent());

        var error = await Assert.ThrowsAsync<KefuException>(async () => await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent()));

        Assert.Equal(KefuErrorKind.LimitExceeded, error.Kind);
    }

    [Fact]
    public async Task AddAgent_AfterDeletingOneAtTheLimit_IsAllowedAgain()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantTemplateAsync(new TenantTemplate { MaxAgents = 1 });
        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Tiny" });
        var first = await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent());

        await h.Kefu.Directory.DeleteAgentAsync(tenant.Id, first.Id);
        var second = await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent());

        Assert.Equal(second.Id, Assert.Single(await h.Kefu.Directory.ListAgentsAsync(tenant.Id)).Id);
    }

    [Fact]
    public async Task VisitorNoReplyAutoClose_FromTemplate_ClosesSilentConversationOfNewTenant()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantTemplateAsync(new TenantTemplate { VisitorNoReplyAutoClose = true });
        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Auto close" });
        var minutes = (await h.Kefu.Directory.GetSettingsAsync(tenant.Id)).Phrases.VisitorNoReplyClose.Minutes;
        var agent = await h.Kefu.Directory.AddAgentAsync(tenant.Id, h.Data.Agent());
        await h.Kefu.Conversations.SetStatusAsync(tenant.Id, agent.Id, AgentStatus.Online);
        var conversation = await h.Kefu.Conversations.OpenAsync(tenant.Id, h.Data.Conversation());
        await h.Kefu.Conversations.SendAsync(tenant.Id, conversation.Id, Participant.Agent(agent.Id), MessageContent.FromText("还在吗？"));

        await h.AdvanceAsync(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
        var stillOpen = await h.Kefu.Conversations.GetAsync(tenant.Id, conversation.Id);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var closed = await h.Kefu.Conversations.GetAsync(tenant.Id, conversation.Id);

        Assert.Equal(ConversationState.InService, stillOpen.State);
        Assert.Equal(ConversationState.Closed, closed.State);
        Assert.Equal(CloseReason.VisitorNoReply, closed.CloseReason);
    }

    [Fact]
    public async Task CreateTenant_WithAdministrator_EmitsTenantCreatedThenAgentCreatedForTheNewTenantOnly()
    {
        await using var h = await KefuTestHarness.StartAsync();
        using var all = new EventRecorder(h.Services.GetRequiredService<IKefuTransport>(), new EventFilter());
        var admin = h.Data.Agent("Admin");

        var tenant = await h.Kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "Other", Administrator = admin });

        var events = all.Events.Where(e => e.TenantId == tenant.Id && e.PayloadCase != PayloadOneofCase.DirectoryChanged).ToList();
        Assert.Equal([PayloadOneofCase.TenantCreated, PayloadOneofCase.AgentCreated], events.Select(e => e.PayloadCase));
        Assert.Equal("Other", events[0].TenantCreated.Name);
        Assert.Equal(admin.Account, events[1].AgentCreated.Account);
        Assert.DoesNotContain(h.Events.Events, e => e.TenantId == tenant.Id);
    }
}
