using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Host.Api;

/// <summary>Departments, roles, agents, skill groups, channels and associations (C2–C6).</summary>
internal static class DirectoryApi
{
    public static void MapDirectoryApi(this RouteGroupBuilder api)
    {
        var departments = api.MapGroup("/departments").WithTags("Departments").RequirePermission(KefuPermissions.ManageTeam);
        departments.MapGet("/", async Task<Ok<IReadOnlyList<Department>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListDepartmentsAsync(c.TenantId, ct)));
        departments.MapPost("/", async Task<Created<Department>> (DepartmentBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddDepartmentAsync(c.TenantId, b.ParentId, b.Name, b.Description, ct);
            return TypedResults.Created($"/api/v1/departments/{created.Id}", created);
        });
        departments.MapPut("/{id:long}", async Task<Ok<Department>> (long id, DepartmentBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
            TypedResults.Ok(await d.UpdateDepartmentAsync(c.TenantId, id, b.Name, b.Description, ct)));
        departments.MapDelete("/{id:long}", async Task<Ok<IReadOnlyList<long>>> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
            TypedResults.Ok(await d.DeleteDepartmentAsync(c.TenantId, id, ct)));

        var roles = api.MapGroup("/roles").WithTags("Roles").RequirePermission(KefuPermissions.ManageTeam);
        roles.MapGet("/", async Task<Ok<IReadOnlyList<Role>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListRolesAsync(c.TenantId, ct)));
        roles.MapGet("/permissions", Ok<IReadOnlyList<string>> () => TypedResults.Ok(KefuPermissions.All));
        roles.MapPost("/", async Task<Created<Role>> (RoleDefinition b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddRoleAsync(c.TenantId, b, ct);
            return TypedResults.Created($"/api/v1/roles/{created.Id}", created);
        });
        roles.MapPut("/{id:long}", async Task<Ok<Role>> (long id, RoleDefinition b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateRoleAsync(c.TenantId, id, b, ct)));
        roles.MapPut("/{id:long}/enabled", async Task<Ok<Role>> (long id, EnabledBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.SetRoleEnabledAsync(c.TenantId, id, b.Enabled, ct)));
        roles.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteRoleAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });

        var agents = api.MapGroup("/agents").WithTags("Agents").RequirePermission(KefuPermissions.ManageTeam);
        agents.MapGet("/", async Task<Ok<IEnumerable<AgentDto>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok((await d.ListAgentsAsync(c.TenantId, ct)).Select(AgentDto.From)));
        agents.MapGet("/{id:long}", async Task<Ok<AgentDto>> (long id, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(AgentDto.From(await d.GetAgentAsync(c.TenantId, id, ct))));
        agents.MapGet("/{id:long}/permissions", async Task<Ok<IReadOnlyList<string>>> (long id, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.GetPermissionsAsync(c.TenantId, id, ct)));
        agents.MapPost("/", async Task<Created<AgentDto>> (NewAgent b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = AgentDto.From(await d.AddAgentAsync(c.TenantId, b, ct));
            return TypedResults.Created($"/api/v1/agents/{created.Id}", created);
        });
        agents.MapPut("/{id:long}", async Task<Ok<AgentDto>> (long id, AgentProfile b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(AgentDto.From(await d.UpdateAgentAsync(c.TenantId, id, b, ct))));
        agents.MapPut("/{id:long}/enabled", async Task<Ok<AgentDto>> (long id, EnabledBody b, Caller c, IKefuDirectory d, RealTime.RealTimeHub hub, CancellationToken ct) =>
        {
            var agent = AgentDto.From(await d.SetAgentEnabledAsync(c.TenantId, id, b.Enabled, ct));
            if (!b.Enabled)
            {
                hub.DisconnectAgent(c.TenantId, id);
            }

            return TypedResults.Ok(agent);
        });
        agents.MapPost("/{id:long}/password", async Task<NoContent> (long id, ResetPasswordBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.ResetPasswordAsync(c.TenantId, id, b.NewPassword, ct);
            return TypedResults.NoContent();
        });
        agents.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, RealTime.RealTimeHub hub, CancellationToken ct) =>
        {
            await d.DeleteAgentAsync(c.TenantId, id, ct);
            hub.DisconnectAgent(c.TenantId, id);
            return TypedResults.NoContent();
        });

        var groups = api.MapGroup("/groups").WithTags("Skill groups").RequirePermission(KefuPermissions.ManageTeam);
        groups.MapGet("/", async Task<Ok<IReadOnlyList<SkillGroup>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListSkillGroupsAsync(c.TenantId, ct)));
        groups.MapPost("/", async Task<Created<SkillGroup>> (NameBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddSkillGroupAsync(c.TenantId, b.Name, ct);
            return TypedResults.Created($"/api/v1/groups/{created.Id}", created);
        });
        groups.MapPut("/{id:long}", async Task<Ok<SkillGroup>> (long id, NameBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.RenameSkillGroupAsync(c.TenantId, id, b.Name, ct)));
        groups.MapPut("/{id:long}/members", async Task<Ok<SkillGroup>> (long id, MembersBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
            TypedResults.Ok(await d.ChangeSkillGroupMembersAsync(c.TenantId, id, b.Add ?? [], b.Remove ?? [], ct)));
        groups.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteSkillGroupAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });

        var channels = api.MapGroup("/channels").WithTags("Channels").RequirePermission(KefuPermissions.ManageConfiguration);
        channels.MapGet("/", async Task<Ok<IReadOnlyList<Channel>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListChannelsAsync(c.TenantId, ct)));
        channels.MapPost("/", async Task<Created<Channel>> (ChannelBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddChannelAsync(c.TenantId, b.Kind, b.Name, b.AccessCode, ct);
            return TypedResults.Created($"/api/v1/channels/{created.Id}", created);
        });
        channels.MapPut("/{id:long}", async Task<Ok<Channel>> (long id, ChannelBody b, Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.UpdateChannelAsync(c.TenantId, id, b.Name, b.AccessCode, ct)));
        channels.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteChannelAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });

        var associations = api.MapGroup("/associations").WithTags("Channels").RequirePermission(KefuPermissions.ManageConfiguration);
        associations.MapGet("/", async Task<Ok<IReadOnlyList<Association>>> (Caller c, IKefuDirectory d, CancellationToken ct) => TypedResults.Ok(await d.ListAssociationsAsync(c.TenantId, ct)));
        associations.MapPost("/", async Task<Created<Association>> (AssociationBody b, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            var created = await d.AddAssociationAsync(c.TenantId, b.ChannelId, b.Name, b.ExternalId, ct);
            return TypedResults.Created($"/api/v1/associations/{created.Id}", created);
        });
        associations.MapDelete("/{id:long}", async Task<NoContent> (long id, Caller c, IKefuDirectory d, CancellationToken ct) =>
        {
            await d.DeleteAssociationAsync(c.TenantId, id, ct);
            return TypedResults.NoContent();
        });
    }
}
