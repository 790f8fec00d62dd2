using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;

namespace Kefu;

/// <summary>
/// Kefu's entry point: every operation of the engine, grouped by area. Register it with
/// <c>services.AddKefu()</c>. Commands are applied by the tenant's sequential worker and return once committed;
/// a refused command throws a <see cref="KefuException"/> and changes nothing.
/// </summary>
public interface IKefu
{
    /// <summary>Tenants, the tenant template and tenant limits (C1).</summary>
    IKefuOrganisation Organisation { get; }

    /// <summary>A tenant's departments, roles, agents, skill groups, channels, tags, wrap-up categories, quick replies and settings.</summary>
    IKefuDirectory Directory { get; }

    /// <summary>Visitors, conversations, messages, presence, transfer, rating and wrap-up.</summary>
    IKefuConversations Conversations { get; }

    /// <summary>History search, messages, visitors and CRM parameters, read from the store.</summary>
    IKefuHistory History { get; }

    /// <summary>Returns once every command sent to the tenant before this call has been committed.</summary>
    ValueTask FlushAsync(long tenantId, CancellationToken cancellationToken = default);
}

/// <summary>The organisation above tenants (multi-tenant administration, C1, E17 3).</summary>
public interface IKefuOrganisation
{
    /// <summary>Creates a tenant from the organisation's template, with an optional first administrator.</summary>
    /// <exception cref="KefuValidationException">The name or the administrator is invalid.</exception>
    ValueTask<Tenant> CreateTenantAsync(NewTenant tenant, CancellationToken cancellationToken = default);

    /// <summary>Every tenant, oldest first.</summary>
    ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>The template new tenants are made from.</summary>
    ValueTask<TenantTemplate> GetTenantTemplateAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the template for new tenants; existing tenants keep their settings.</summary>
    ValueTask<TenantTemplate> SetTenantTemplateAsync(TenantTemplate template, CancellationToken cancellationToken = default);

    /// <summary>Sets a tenant's limits: maximum agents, and whether agents may take up to 200 chats (E17 2.6).</summary>
    ValueTask<TenantLimits> SetTenantLimitsAsync(long tenantId, TenantLimits limits, CancellationToken cancellationToken = default);
}

/// <summary>A tenant's directory and settings. Every method takes the tenant id first.</summary>
public interface IKefuDirectory
{
    /// <summary>The tenant's settings.</summary>
    ValueTask<TenantSettings> GetSettingsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the conversation rules (recall window, mandatory tags, retention, inactivity).</summary>
    ValueTask<TenantSettings> UpdateConversationSettingsAsync(long tenantId, ConversationSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Replaces the canned phrases (C16); time-outs must be 1–20 minutes.</summary>
    ValueTask<TenantSettings> UpdateCannedPhrasesAsync(long tenantId, CannedPhrases phrases, CancellationToken cancellationToken = default);

    /// <summary>Replaces the rating settings (C13): 2, 3 or 5 levels, at most 9 tags per level.</summary>
    ValueTask<TenantSettings> UpdateRatingSettingsAsync(long tenantId, RatingSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Replaces the additional-information page (at most 10 fields, a title of at most 6 characters).</summary>
    ValueTask<TenantSettings> UpdateAdditionalInfoAsync(long tenantId, AdditionalInfoSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Adds a department under <paramref name="parentId"/> (a root department when null); names are unique.</summary>
    ValueTask<Department> AddDepartmentAsync(long tenantId, long? parentId, string name, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Renames a department and changes its description.</summary>
    ValueTask<Department> UpdateDepartmentAsync(long tenantId, long departmentId, string name, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a department and all its descendants; returns the deleted ids.</summary>
    ValueTask<IReadOnlyList<long>> DeleteDepartmentAsync(long tenantId, long departmentId, CancellationToken cancellationToken = default);

    /// <summary>Every department.</summary>
    ValueTask<IReadOnlyList<Department>> ListDepartmentsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a role; codes and names are unique.</summary>
    ValueTask<Role> AddRoleAsync(long tenantId, RoleDefinition role, CancellationToken cancellationToken = default);

    /// <summary>Replaces a role's code, name, description and permissions.</summary>
    ValueTask<Role> UpdateRoleAsync(long tenantId, long roleId, RoleDefinition role, CancellationToken cancellationToken = default);

    /// <summary>Enables or disables a role; a disabled role grants nothing.</summary>
    ValueTask<Role> SetRoleEnabledAsync(long tenantId, long roleId, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>Deletes a role and removes it from its agents.</summary>
    ValueTask DeleteRoleAsync(long tenantId, long roleId, CancellationToken cancellationToken = default);

    /// <summary>Every role.</summary>
    ValueTask<IReadOnlyList<Role>> ListRolesAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds an agent; the password is hashed before it reaches the worker.</summary>
    ValueTask<Agent> AddAgentAsync(long tenantId, NewAgent agent, CancellationToken cancellationToken = default);

    /// <summary>Replaces an agent's profile. Raising the capacity lets the agent take waiting conversations at once.</summary>
    ValueTask<Agent> UpdateAgentAsync(long tenantId, long agentId, AgentProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Enables or disables an agent; disabling forces the agent offline.</summary>
    ValueTask<Agent> SetAgentEnabledAsync(long tenantId, long agentId, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>Changes a password after checking the current one (IS 1.2).</summary>
    /// <exception cref="KefuException">Kind <see cref="KefuErrorKind.Authentication"/> when the current password is wrong.</exception>
    ValueTask ChangePasswordAsync(long tenantId, long agentId, string currentPassword, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>Sets a password without the current one (an administrator's reset).</summary>
    ValueTask ResetPasswordAsync(long tenantId, long agentId, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>The agent with this account and password, if enabled; null when they do not match.</summary>
    ValueTask<Agent?> AuthenticateAsync(long tenantId, string account, string password, CancellationToken cancellationToken = default);

    /// <summary>Deletes an agent: forced offline, open conversations requeued, removed from groups.</summary>
    ValueTask DeleteAgentAsync(long tenantId, long agentId, CancellationToken cancellationToken = default);

    /// <summary>An agent.</summary>
    ValueTask<Agent> GetAgentAsync(long tenantId, long agentId, CancellationToken cancellationToken = default);

    /// <summary>Every agent, in creation order.</summary>
    ValueTask<IReadOnlyList<Agent>> ListAgentsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>The union of the permissions of an agent's enabled roles.</summary>
    ValueTask<IReadOnlyList<string>> GetPermissionsAsync(long tenantId, long agentId, CancellationToken cancellationToken = default);

    /// <summary>Adds a skill group; names are unique.</summary>
    ValueTask<SkillGroup> AddSkillGroupAsync(long tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>Renames a skill group.</summary>
    ValueTask<SkillGroup> RenameSkillGroupAsync(long tenantId, long groupId, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a skill group; refused (kind <see cref="KefuErrorKind.InUse"/>, naming the rules) while a routing rule uses it.</summary>
    ValueTask DeleteSkillGroupAsync(long tenantId, long groupId, CancellationToken cancellationToken = default);

    /// <summary>Adds and removes members of a skill group.</summary>
    ValueTask<SkillGroup> ChangeSkillGroupMembersAsync(long tenantId, long groupId, IReadOnlyList<long> add, IReadOnlyList<long> remove, CancellationToken cancellationToken = default);

    /// <summary>Every skill group.</summary>
    ValueTask<IReadOnlyList<SkillGroup>> ListSkillGroupsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a channel; its access code matches <c>[A-Za-z_][A-Za-z0-9_]*</c> and is unique.</summary>
    ValueTask<Channel> AddChannelAsync(long tenantId, ChannelKind kind, string name, string accessCode, CancellationToken cancellationToken = default);

    /// <summary>Renames a channel and changes its access code.</summary>
    ValueTask<Channel> UpdateChannelAsync(long tenantId, long channelId, string name, string accessCode, CancellationToken cancellationToken = default);

    /// <summary>Deletes a channel and its associations.</summary>
    ValueTask DeleteChannelAsync(long tenantId, long channelId, CancellationToken cancellationToken = default);

    /// <summary>Every channel.</summary>
    ValueTask<IReadOnlyList<Channel>> ListChannelsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds an association (one account or integration) to a channel.</summary>
    ValueTask<Association> AddAssociationAsync(long tenantId, long channelId, string name, string? externalId = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes an association.</summary>
    ValueTask DeleteAssociationAsync(long tenantId, long associationId, CancellationToken cancellationToken = default);

    /// <summary>Every association.</summary>
    ValueTask<IReadOnlyList<Association>> ListAssociationsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a session or visitor tag; names are unique per scope.</summary>
    ValueTask<TagDefinition> AddTagAsync(long tenantId, TagScope scope, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tag definition.</summary>
    ValueTask DeleteTagAsync(long tenantId, long tagId, CancellationToken cancellationToken = default);

    /// <summary>Every tag definition.</summary>
    ValueTask<IReadOnlyList<TagDefinition>> ListTagsAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a wrap-up category under a parent (a first-level category when null); at most 4 levels.</summary>
    ValueTask<WrapUpCategory> AddWrapUpCategoryAsync(long tenantId, long? parentId, string name, CancellationToken cancellationToken = default);

    /// <summary>Renames a wrap-up category.</summary>
    ValueTask<WrapUpCategory> RenameWrapUpCategoryAsync(long tenantId, long categoryId, string name, CancellationToken cancellationToken = default);

    /// <summary>Moves a category up (negative) or down (positive) among its siblings; returns the siblings in their new order.</summary>
    ValueTask<IReadOnlyList<WrapUpCategory>> MoveWrapUpCategoryAsync(long tenantId, long categoryId, int by, CancellationToken cancellationToken = default);

    /// <summary>Deletes a category and all its sub-categories; returns the deleted ids.</summary>
    ValueTask<IReadOnlyList<long>> DeleteWrapUpCategoryAsync(long tenantId, long categoryId, CancellationToken cancellationToken = default);

    /// <summary>Every wrap-up category, by parent and order.</summary>
    ValueTask<IReadOnlyList<WrapUpCategory>> ListWrapUpCategoriesAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a quick-reply folder to the public library, or to an agent's personal one.</summary>
    ValueTask<QuickReplyFolder> AddQuickReplyFolderAsync(long tenantId, QuickReplyLibrary library, long? ownerAgentId, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a folder and its quick replies.</summary>
    ValueTask DeleteQuickReplyFolderAsync(long tenantId, long folderId, CancellationToken cancellationToken = default);

    /// <summary>Adds a quick reply to a folder.</summary>
    ValueTask<QuickReply> AddQuickReplyAsync(long tenantId, long folderId, string text, CancellationToken cancellationToken = default);

    /// <summary>Changes a quick reply's text or moves it to another folder.</summary>
    ValueTask<QuickReply> UpdateQuickReplyAsync(long tenantId, long quickReplyId, long folderId, string text, CancellationToken cancellationToken = default);

    /// <summary>Moves a quick reply up (negative) or down (positive) in its folder.</summary>
    ValueTask<IReadOnlyList<QuickReply>> MoveQuickReplyAsync(long tenantId, long quickReplyId, int by, CancellationToken cancellationToken = default);

    /// <summary>Deletes a quick reply.</summary>
    ValueTask DeleteQuickReplyAsync(long tenantId, long quickReplyId, CancellationToken cancellationToken = default);

    /// <summary>Every quick-reply folder.</summary>
    ValueTask<IReadOnlyList<QuickReplyFolder>> ListQuickReplyFoldersAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Quick replies an agent can use (public, and the agent's own when <paramref name="agentId"/> is set) containing the keyword.</summary>
    ValueTask<IReadOnlyList<QuickReply>> SearchQuickRepliesAsync(long tenantId, long? agentId, string? keyword = null, CancellationToken cancellationToken = default);
}

/// <summary>Conversations and the people in them. Every method takes the tenant id first.</summary>
public interface IKefuConversations
{
    /// <summary>Opens a conversation for a visitor (creating the visitor when needed) and routes it. A visitor with an open conversation gets that one.</summary>
    ValueTask<Conversation> OpenAsync(long tenantId, ConversationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a message. A second send with the same <paramref name="clientMessageId"/> returns the first message
    /// (<see cref="SendResult.Duplicate"/>) and stores nothing.
    /// </summary>
    ValueTask<SendResult> SendAsync(long tenantId, long conversationId, Participant sender, MessageContent content, string? clientMessageId = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a quick reply as the agent's message (C15).</summary>
    ValueTask<SendResult> SendQuickReplyAsync(long tenantId, long conversationId, long agentId, long quickReplyId, string? clientMessageId = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes what the visitor is typing to the agent (消息预知); not stored.</summary>
    ValueTask TypingAsync(long tenantId, long conversationId, long visitorId, string? text, CancellationToken cancellationToken = default);

    /// <summary>Marks messages read up to a message (read receipts).</summary>
    ValueTask MarkReadAsync(long tenantId, long conversationId, Participant reader, long upToMessageId, CancellationToken cancellationToken = default);

    /// <summary>Recalls an agent's message within the tenant's recall window (default 2 minutes); returns it with its content for re-editing.</summary>
    ValueTask<Message> RecallAsync(long tenantId, long conversationId, long agentId, long messageId, CancellationToken cancellationToken = default);

    /// <summary>Asks another agent to take a conversation; it stays with the first agent until accepted (C11).</summary>
    ValueTask<Conversation> RequestTransferAsync(long tenantId, long conversationId, long fromAgentId, long toAgentId, string? note = null, CancellationToken cancellationToken = default);

    /// <summary>The target agent accepts or declines a transfer; the requesting agent may cancel it by declining.</summary>
    ValueTask<Conversation> AnswerTransferAsync(long tenantId, long conversationId, long agentId, bool accept, CancellationToken cancellationToken = default);

    /// <summary>Transfers a conversation to a skill group at once: it is routed among the group's members or queues for the group.</summary>
    ValueTask<Conversation> TransferToGroupAsync(long tenantId, long conversationId, long fromAgentId, long groupId, CancellationToken cancellationToken = default);

    /// <summary>An agent accepts or declines a conversation offered to it.</summary>
    ValueTask<Conversation> AnswerOfferAsync(long tenantId, long conversationId, long agentId, bool accept, CancellationToken cancellationToken = default);

    /// <summary>An agent takes a waiting conversation from the queue by hand.</summary>
    ValueTask<Conversation> PickFromQueueAsync(long tenantId, long agentId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>An agent starts a conversation with a browsing visitor (C19).</summary>
    ValueTask<Conversation> InviteVisitorAsync(long tenantId, long agentId, long visitorId, CancellationToken cancellationToken = default);

    /// <summary>Ends a conversation; when an agent ends an unrated conversation the visitor is invited to rate it.</summary>
    ValueTask<Conversation> EndAsync(long tenantId, long conversationId, Participant by, CancellationToken cancellationToken = default);

    /// <summary>An agent invites the visitor to rate; refused once the conversation is rated.</summary>
    ValueTask<Conversation> InviteRatingAsync(long tenantId, long conversationId, long agentId, CancellationToken cancellationToken = default);

    /// <summary>The visitor rates the conversation, once.</summary>
    ValueTask<Conversation> RateAsync(long tenantId, long conversationId, long visitorId, RatingInput rating, CancellationToken cancellationToken = default);

    /// <summary>Saves a wrap-up draft (暂存); refused once submitted.</summary>
    ValueTask<Conversation> SaveWrapUpDraftAsync(long tenantId, long conversationId, long agentId, WrapUpInput wrapUp, CancellationToken cancellationToken = default);

    /// <summary>Submits the wrap-up: the problem type and the resolution are required; it cannot change afterwards.</summary>
    ValueTask<Conversation> SubmitWrapUpAsync(long tenantId, long conversationId, long agentId, WrapUpInput wrapUp, CancellationToken cancellationToken = default);

    /// <summary>Sets the conversation's session tags and note (C17).</summary>
    ValueTask<Conversation> SetSessionTagsAsync(long tenantId, long conversationId, long agentId, IReadOnlyList<long> tagIds, string? note = null, CancellationToken cancellationToken = default);

    /// <summary>Asks the ticket system for a ticket (工单, C21): a <see cref="TicketRequestedEvent"/> with the CRM parameters; returns its event id.</summary>
    ValueTask<long> RequestTicketAsync(long tenantId, long conversationId, long agentId, string title, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Sets an agent's presence; going offline ends or requeues the agent's conversations, going online assigns waiting ones.</summary>
    ValueTask<AgentPresence> SetStatusAsync(long tenantId, long agentId, AgentStatus status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets an agent's presence for one media (R6, R10, R11): <see cref="Kefu.Routing.MediaKind.Chat"/> is the same as
    /// <see cref="SetStatusAsync"/>; voice and video are the call-centre and video sign-in (online = signed in and idle,
    /// offline = signed out). A call that rings or is answered turns that presence busy and hang-up restores it.
    /// </summary>
    ValueTask<AgentPresence> SetMediaStatusAsync(long tenantId, long agentId, Kefu.Routing.MediaKind media, AgentStatus status, CancellationToken cancellationToken = default);

    /// <summary>
    /// An agent calls a visitor (R10 outbound call or call-back, R11 video): a voice or video conversation served by the
    /// agent at once; the agent must be signed in for that media and not on another call.
    /// </summary>
    ValueTask<Conversation> CallVisitorAsync(long tenantId, long agentId, long visitorId, Kefu.Routing.MediaKind media, CancellationToken cancellationToken = default);

    /// <summary>Puts the agent's call on hold or takes it off (R10).</summary>
    ValueTask<Conversation> HoldAsync(long tenantId, long conversationId, long agentId, bool hold, CancellationToken cancellationToken = default);

    /// <summary>References the recording of a call the agent served (R10).</summary>
    ValueTask<Conversation> AttachRecordingAsync(long tenantId, long conversationId, long agentId, string url, CancellationToken cancellationToken = default);

    /// <summary>Logs an agent out: offline, and an <see cref="AgentUserLogoutEvent"/>.</summary>
    ValueTask<AgentPresence> LogoutAsync(long tenantId, long agentId, CancellationToken cancellationToken = default);

    /// <summary>Every agent's presence.</summary>
    ValueTask<IReadOnlyList<AgentPresence>> ListPresenceAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>Changes a visitor's profile.</summary>
    ValueTask<Visitor> UpdateVisitorAsync(long tenantId, long visitorId, VisitorProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Records a page the visitor browsed (browse trail, at most 50 kept).</summary>
    ValueTask<Visitor> RecordPageVisitAsync(long tenantId, long visitorId, string url, string? title = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a visitor tag.</summary>
    ValueTask<Visitor> AddVisitorTagAsync(long tenantId, long visitorId, long tagId, CancellationToken cancellationToken = default);

    /// <summary>Removes a visitor tag.</summary>
    ValueTask<Visitor> RemoveVisitorTagAsync(long tenantId, long visitorId, long tagId, CancellationToken cancellationToken = default);

    /// <summary>A conversation's current state (open ones from the worker, closed ones from the store).</summary>
    ValueTask<Conversation> GetAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Open conversations, of one agent when <paramref name="agentId"/> is set.</summary>
    ValueTask<IReadOnlyList<Conversation>> ListOpenAsync(long tenantId, long? agentId = null, CancellationToken cancellationToken = default);

    /// <summary>The waiting conversations with their positions, of one group when <paramref name="groupId"/> is set.</summary>
    ValueTask<IReadOnlyList<QueuePosition>> GetQueueAsync(long tenantId, long? groupId = null, CancellationToken cancellationToken = default);

    /// <summary>A conversation's queue position, or null when it is not waiting.</summary>
    ValueTask<QueuePosition?> GetQueuePositionAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default);
}

/// <summary>History (C18) and customer records (IS 6), read from the store.</summary>
public interface IKefuHistory
{
    /// <summary>Searches conversations by id, time range, status, rating, problem type, channel, agent, visitor or message text; newest first.</summary>
    ValueTask<Page<Conversation>> SearchAsync(long tenantId, HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of a conversation's messages before <paramref name="beforeMessageId"/> (the newest when null), oldest first.</summary>
    ValueTask<IReadOnlyList<Message>> GetMessagesAsync(long tenantId, long conversationId, long? beforeMessageId = null, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="GetMessagesAsync"/>, across all the visitor's conversations with any agent (IS 5.4.4).</summary>
    ValueTask<IReadOnlyList<Message>> GetVisitorMessagesAsync(long tenantId, long visitorId, long? beforeMessageId = null, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>A visitor.</summary>
    ValueTask<Visitor> GetVisitorAsync(long tenantId, long visitorId, CancellationToken cancellationToken = default);

    /// <summary>Searches visitors by name, phone or e-mail.</summary>
    ValueTask<Page<Visitor>> SearchVisitorsAsync(long tenantId, VisitorQuery query, CancellationToken cancellationToken = default);

    /// <summary>The parameters passed to a CRM page for a conversation and agent (C21).</summary>
    ValueTask<CrmParameters> GetCrmParametersAsync(long tenantId, long conversationId, long agentId, CancellationToken cancellationToken = default);
}
