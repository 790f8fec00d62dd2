using System.Collections.Concurrent;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kefu.Core.Tests.Validation;

/// <summary>An agent's capacity (接待量) is 0–100 chats, or 0–200 once the organisation raises the tenant's limit.</summary>
public class AgentValidationTests
{
    private static readonly TenantLimits Raised = new() { ChatLimitRaised = true };

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(int.MinValue)]
    public async Task AddAgent_WithMaxConcurrentChatsOutsideZeroToHundred_IsRefusedAndAgentsUnchanged(int chats)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.AddAgentAsync("Existing");
        var agentsBefore = TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent(maxConcurrentChats: chats)));

        Assert.Equal(KefuErrorKind.Validation, refusal.Kind);
        Assert.Equal("MaxConcurrentChats", refusal.Field);
        Assert.Contains("0", refusal.Allowed);
        Assert.Contains("100", refusal.Allowed);
        Assert.Contains("MaxConcurrentChats", refusal.Message);
        Assert.Equal(agentsBefore, TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task AddAgent_WithMaxConcurrentChatsAtTheBounds_IsAccepted(int chats)
    {
        await using var h = await KefuTestHarness.StartAsync();

        var agent = await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent(maxConcurrentChats: chats));

        Assert.Equal(chats, agent.MaxConcurrentChats);
        Assert.Equal(chats, (await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id)).MaxConcurrentChats);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(201)]
    public async Task UpdateAgent_WithMaxConcurrentChatsOutsideZeroToHundred_IsRefusedAndAgentUnchanged(int chats)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync("Ann", maxConcurrentChats: 7);
        var before = TenantSnapshot.Of(await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = chats }));

        Assert.Equal("MaxConcurrentChats", refusal.Field);
        Assert.Contains("100", refusal.Allowed);
        var after = await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id);
        Assert.Equal(7, after.MaxConcurrentChats);
        Assert.Equal(before, TenantSnapshot.Of(after));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task UpdateAgent_WithMaxConcurrentChatsAtTheBounds_IsAccepted(int chats)
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync("Ann", maxConcurrentChats: 7);

        await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = chats });

        Assert.Equal(chats, (await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id)).MaxConcurrentChats);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(150)]
    [InlineData(200)]
    public async Task AddAgent_WhenChatLimitRaised_AcceptsUpToTwoHundred(int chats)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, Raised);

        var agent = await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent(maxConcurrentChats: chats));

        Assert.Equal(chats, (await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id)).MaxConcurrentChats);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(201)]
    [InlineData(1000)]
    public async Task AddAgent_WhenChatLimitRaised_WithMaxConcurrentChatsOutsideZeroToTwoHundred_IsRefusedAndAgentsUnchanged(int chats)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, Raised);
        await h.AddAgentAsync("Existing", maxConcurrentChats: 150);
        var agentsBefore = TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId));

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent(maxConcurrentChats: chats)));

        Assert.Equal("MaxConcurrentChats", refusal.Field);
        Assert.Contains("200", refusal.Allowed);
        Assert.Contains("200", refusal.Message);
        Assert.Equal(agentsBefore, TenantSnapshot.Of(await h.Kefu.Directory.ListAgentsAsync(h.TenantId)));
    }

    [Fact]
    public async Task UpdateAgent_WhenChatLimitRaised_With201_IsRefusedAndAgentUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, Raised);
        var agent = await h.AddAgentAsync("Ann", maxConcurrentChats: 200);

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Directory.UpdateAgentAsync(h.TenantId, agent.Id, AgentProfile.From(agent) with { MaxConcurrentChats = 201 }));

        Assert.Equal("MaxConcurrentChats", refusal.Field);
        Assert.Contains("200", refusal.Allowed);
        Assert.Equal(200, (await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id)).MaxConcurrentChats);
    }

    [Fact]
    public async Task SetTenantLimits_LoweringWhileAnAgentTakesMoreThanHundred_IsRefusedAndLimitsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, Raised);
        var agent = await h.AddAgentAsync("Busy", maxConcurrentChats: 150);

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, new TenantLimits { ChatLimitRaised = false }));

        Assert.Equal("ChatLimitRaised", refusal.Field);
        Assert.Contains("100", refusal.Message);
        Assert.True((await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Limits.ChatLimitRaised);
        Assert.Equal(150, (await h.Kefu.Directory.GetAgentAsync(h.TenantId, agent.Id)).MaxConcurrentChats);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100_001)]
    public async Task SetTenantLimits_WithMaxAgentsOutsideOneToHundredThousand_IsRefusedAndLimitsUnchanged(int maxAgents)
    {
        await using var h = await KefuTestHarness.StartAsync();

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h,
            async () => await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, new TenantLimits { MaxAgents = maxAgents }));

        Assert.Equal("MaxAgents", refusal.Field);
        Assert.Contains("100000", refusal.Allowed);
        Assert.Equal(new TenantLimits(), (await h.Kefu.Directory.GetSettingsAsync(h.TenantId)).Limits);
    }

    [Fact]
    public async Task AddAgent_BeyondMaxAgents_IsRefusedWithLimitExceededAndAgentsUnchanged()
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.Kefu.Organisation.SetTenantLimitsAsync(h.TenantId, new TenantLimits { MaxAgents = 1 });
        await h.AddAgentAsync("Only");

        var refusal = await Refusal.AssertAsync<KefuException>(h,
            async () => await h.Kefu.Directory.AddAgentAsync(h.TenantId, h.Data.Agent("One too many")));

        Assert.Equal(KefuErrorKind.LimitExceeded, refusal.Kind);
        Assert.Contains("MaxAgents", refusal.Message);
        Assert.Single(await h.Kefu.Directory.ListAgentsAsync(h.TenantId));
    }

    [Fact]
    public async Task CreateTenant_WithAdministratorAboveHundredChats_IsRefusedAndNoTenantIsLeftBehind()
    {
        RecordingIdGenerator? ids = null;
        await using var h = await KefuTestHarness.StartAsync(build: b => b.Services.Replace(ServiceDescriptor.Singleton<IKefuIdGenerator>(sp =>
            ids = new RecordingIdGenerator(new SnowflakeIdGenerator(0)))));
        Assert.NotNull(ids);
        var tenantsBefore = TenantSnapshot.Of(await h.Kefu.Organisation.ListTenantsAsync());
        var firstNewId = ids.Issued.Count;

        var refusal = await Refusal.AssertAsync<KefuValidationException>(h, async () => await h.Kefu.Organisation.CreateTenantAsync(new NewTenant
        {
            Name = "Ghost",
            Administrator = h.Data.Agent("Admin", maxConcurrentChats: 101),
        }));

        Assert.Equal("MaxConcurrentChats", refusal.Field);
        Assert.Contains("100", refusal.Allowed);
        Assert.Equal(tenantsBefore, TenantSnapshot.Of(await h.Kefu.Organisation.ListTenantsAsync()));

        // The refused tenant's id is the first id the engine drew for the command: it must not exist anywhere.
        var refusedTenantId = ids.Issued[firstNewId];
        var notFound = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.GetSettingsAsync(refusedTenantId));
        Assert.Equal("Tenant", notFound.Entity);
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await h.Kefu.Directory.ListRolesAsync(refusedTenantId));
    }

    /// <summary>Records every id the engine draws, so a test can name an entity the API never returned.</summary>
    private sealed class RecordingIdGenerator(IKefuIdGenerator inner) : IKefuIdGenerator
    {
        private readonly ConcurrentQueue<long> _issued = new();

        public IReadOnlyList<long> Issued => [.. _issued];

        public long NextId(DateTimeOffset now)
        {
            var id = inner.NextId(now);
            _issued.Enqueue(id);
            return id;
        }
    }
}
