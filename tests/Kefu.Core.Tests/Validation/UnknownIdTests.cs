using Kefu.Events;
using Kefu.Model;
using Kefu.Testing;

namespace Kefu.Core.Tests.Validation;

/// <summary>An id that names nothing in the tenant is refused as not found, naming the entity and the id, and changes nothing.</summary>
public class UnknownIdTests
{
    private const long Unknown = 777_000_777;

    [Theory]
    [InlineData("GetAgent", "Agent")]
    [InlineData("UpdateAgent", "Agent")]
    [InlineData("SetAgentEnabled", "Agent")]
    [InlineData("DeleteAgent", "Agent")]
    [InlineData("SetStatus", "Agent")]
    [InlineData("ResetPassword", "Agent")]
    [InlineData("UpdateDepartment", "Department")]
    [InlineData("DeleteDepartment", "Department")]
    [InlineData("AddDepartmentUnderParent", "Department")]
    [InlineData("UpdateRole", "Role")]
    [InlineData("SetRoleEnabled", "Role")]
    [InlineData("DeleteRole", "Role")]
    [InlineData("RenameSkillGroup", "SkillGroup")]
    [InlineData("DeleteSkillGroup", "SkillGroup")]
    [InlineData("ChangeSkillGroupMembers", "SkillGroup")]
    [InlineData("UpdateChannel", "Channel")]
    [InlineData("DeleteChannel", "Channel")]
    [InlineData("AddAssociation", "Channel")]
    [InlineData("DeleteAssociation", "Association")]
    [InlineData("DeleteTag", "Tag")]
    [InlineData("RenameWrapUpCategory", "WrapUpCategory")]
    [InlineData("MoveWrapUpCategory", "WrapUpCategory")]
    [InlineData("DeleteWrapUpCategory", "WrapUpCategory")]
    [InlineData("DeleteQuickReplyFolder", "QuickReplyFolder")]
    [InlineData("AddQuickReply", "QuickReplyFolder")]
    [InlineData("DeleteQuickReply", "QuickReply")]
    [InlineData("Send", "Conversation")]
    [InlineData("End", "Conversation")]
    [InlineData("Get", "Conversation")]
    [InlineData("Rate", "Conversation")]
    [InlineData("SubmitWrapUp", "Conversation")]
    [InlineData("Recall", "Conversation")]
    [InlineData("MarkRead", "Conversation")]
    [InlineData("UpdateVisitor", "Visitor")]
    [InlineData("OpenForVisitor", "Visitor")]
    [InlineData("GetVisitor", "Visitor")]
    public async Task Command_WithAnUnknownId_IsRefusedAsNotFoundNamingTheEntityAndStateUnchanged(string command, string entity)
    {
        await using var h = await KefuTestHarness.StartAsync();
        await h.AddAgentAsync("Existing", online: true);
        await h.Kefu.Directory.AddSkillGroupAsync(h.TenantId, "VIP");
        await h.OpenConversationAsync();

        var refusal = await Refusal.AssertAsync<KefuNotFoundException>(h, () => Run(h, command, Unknown));

        Assert.Equal(KefuErrorKind.NotFound, refusal.Kind);
        Assert.Equal(entity, refusal.Entity);
        Assert.Equal(Unknown, refusal.Id);
        Assert.Contains(Unknown.ToString(System.Globalization.CultureInfo.InvariantCulture), refusal.Message);
    }

    [Fact]
    public async Task Recall_OfAnUnknownMessage_IsRefusedAsNotFound()
    {
        await using var h = await KefuTestHarness.StartAsync();
        var agent = await h.AddAgentAsync(online: true);
        var conversation = await h.OpenConversationAsync();

        var refusal = await Refusal.AssertAsync<KefuNotFoundException>(h,
            async () => await h.Kefu.Conversations.RecallAsync(h.TenantId, conversation.Id, agent.Id, Unknown));

        Assert.Equal(("Message", Unknown), (refusal.Entity, refusal.Id));
    }

    private static async Task Run(KefuTestHarness h, string command, long id)
    {
        var d = h.Kefu.Directory;
        var c = h.Kefu.Conversations;
        var t = h.TenantId;
        switch (command)
        {
            case "GetAgent": await d.GetAgentAsync(t, id); break;
            case "UpdateAgent": await d.UpdateAgentAsync(t, id, new AgentProfile { Name = "Ann", EmployeeNumber = "E9999" }); break;
            case "SetAgentEnabled": await d.SetAgentEnabledAsync(t, id, false); break;
            case "DeleteAgent": await d.DeleteAgentAsync(t, id); break;
            case "SetStatus": await c.SetStatusAsync(t, id, AgentStatus.Online); break;
            case "ResetPassword": await d.ResetPasswordAsync(t, id, "new-secret-1"); break;
            case "UpdateDepartment": await d.UpdateDepartmentAsync(t, id, "Sales"); break;
            case "DeleteDepartment": await d.DeleteDepartmentAsync(t, id); break;
            case "AddDepartmentUnderParent": await d.AddDepartmentAsync(t, id, "Team"); break;
            case "UpdateRole": await d.UpdateRoleAsync(t, id, new RoleDefinition("R1", "Role", [])); break;
            case "SetRoleEnabled": await d.SetRoleEnabledAsync(t, id, false); break;
            case "DeleteRole": await d.DeleteRoleAsync(t, id); break;
            case "RenameSkillGroup": await d.RenameSkillGroupAsync(t, id, "Renamed"); break;
            case "DeleteSkillGroup": await d.DeleteSkillGroupAsync(t, id); break;
            case "ChangeSkillGroupMembers": await d.ChangeSkillGroupMembersAsync(t, id, [], []); break;
            case "UpdateChannel": await d.UpdateChannelAsync(t, id, "Web", "web"); break;
            case "DeleteChannel": await d.DeleteChannelAsync(t, id); break;
            case "AddAssociation": await d.AddAssociationAsync(t, id, "App key"); break;
            case "DeleteAssociation": await d.DeleteAssociationAsync(t, id); break;
            case "DeleteTag": await d.DeleteTagAsync(t, id); break;
            case "RenameWrapUpCategory": await d.RenameWrapUpCategoryAsync(t, id, "Renamed"); break;
            case "MoveWrapUpCategory": await d.MoveWrapUpCategoryAsync(t, id, 1); break;
            case "DeleteWrapUpCategory": await d.DeleteWrapUpCategoryAsync(t, id); break;
            case "DeleteQuickReplyFolder": await d.DeleteQuickReplyFolderAsync(t, id); break;
            case "AddQuickReply": await d.AddQuickReplyAsync(t, id, "Hello"); break;
            case "DeleteQuickReply": await d.DeleteQuickReplyAsync(t, id); break;
            case "Send": await c.SendAsync(t, id, Participant.Visitor(1), MessageContent.FromText("Hello")); break;
            case "End": await c.EndAsync(t, id, Participant.Visitor(1)); break;
            case "Get": await c.GetAsync(t, id); break;
            case "Rate": await c.RateAsync(t, id, 1, new RatingInput(5)); break;
            case "SubmitWrapUp": await c.SubmitWrapUpAsync(t, id, 1, new WrapUpInput(1, true)); break;
            case "Recall": await c.RecallAsync(t, id, 1, 1); break;
            case "MarkRead": await c.MarkReadAsync(t, id, Participant.Visitor(1), 1); break;
            case "UpdateVisitor": await c.UpdateVisitorAsync(t, id, new VisitorProfile { Note = "VIP" }); break;
            case "OpenForVisitor": await c.OpenAsync(t, new ConversationRequest { VisitorId = id }); break;
            case "GetVisitor": await h.Kefu.History.GetVisitorAsync(t, id); break;
            default: throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command.");
        }
    }
}
