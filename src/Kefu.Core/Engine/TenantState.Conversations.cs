using Kefu.Bots;
using Kefu.Events;
using Kefu.Model;
using Kefu.Moderation;
using Kefu.Routing;

namespace Kefu.Engine;

internal sealed partial class TenantState
{
    // ---- Presence (R6, R10, R11, C4)

    private readonly int[] _present = new int[3];
    private long _assignSequence;

    public AgentPresence SetStatus(long agentId, AgentStatus status, MediaKind media)
    {
        RequireTenant();
        if (!Enum.IsDefined(status))
        {
            throw new KefuValidationException("Status", "Offline, Online, Busy, Rest, Away or Invisible");
        }

        if (!Enum.IsDefined(media))
        {
            throw new KefuValidationException("Media", "Chat, Voice or Video");
        }

        var agent = GetAgent(agentId);
        if (!agent.Agent.Enabled && status != AgentStatus.Offline)
        {
            throw new KefuException(KefuErrorKind.Authentication, $"Agent {agentId} is disabled and cannot go {status}.");
        }

        ChangeStatus(agent, status, media);
        return Presence(agent);
    }

    public AgentPresence Logout(long agentId)
    {
        RequireTenant();
        var agent = GetAgent(agentId);
        SignOutEverywhere(agent);
        Emit().AgentLogout = new AgentUserLogoutEvent { AgentId = agentId };
        return Presence(agent);
    }

    public IReadOnlyList<AgentPresence> ListPresence()
    {
        RequireTenant();
        return [.. AgentList.Select(Presence)];
    }

    private static AgentPresence Presence(AgentRuntime a) => new(a.Agent.Id, a.Status, a.ActiveConversations, a.Agent.MaxConcurrentChats)
    {
        VoiceStatus = a.VoiceStatus,
        VideoStatus = a.VideoStatus,
        ActiveCalls = a.ActiveOf(MediaKind.Voice) + a.ActiveOf(MediaKind.Video),
    };

    /// <summary>Whether an agent in <paramref name="status"/> counts as present (on duty) for the nobody-online notice.</summary>
    private static bool IsPresent(AgentStatus status) => status is AgentStatus.Online or AgentStatus.Busy or AgentStatus.Rest;

    internal void SignOutEverywhere(AgentRuntime agent)
    {
        foreach (var media in MediaKinds.All)
        {
            ChangeStatus(agent, AgentStatus.Offline, media);
        }
    }

    internal void ChangeStatus(AgentRuntime agent, AgentStatus status, MediaKind media = MediaKind.Chat, bool drain = true)
    {
        var previous = agent.StatusOf(media);
        if (previous == status)
        {
            return;
        }

        agent.SetStatus(media, status);
        SetRestore(agent, media, null);
        _present[(int)media] += (IsPresent(status) ? 1 : 0) - (IsPresent(previous) ? 1 : 0);
        Emit().AgentStateChanged = new AgentUserStateChangedEvent { AgentId = agent.Agent.Id, Previous = previous, Current = status, Media = (MediaKindInfo)media };
        if (status == AgentStatus.Online)
        {
            agent.IdleSince = Now;
        }

        AgentChanged(agent);
        if (status == AgentStatus.Offline)
        {
            var id = agent.Agent.Id;
            foreach (var c in Open.Values.Where(c => c.AgentId == id && c.Media == media && c.State is ConversationState.InService or ConversationState.Offered).ToList())
            {
                if (Settings.Conversations.WhenAgentGoesOffline == OfflineConversationPolicy.Close && c.State == ConversationState.InService)
                {
                    Close(c, CloseReason.AgentOffline, ParticipantKind.System);
                }
                else
                {
                    Requeue(c);
                }
            }

            if (media == MediaKind.Chat)
            {
                foreach (var c in Open.Values.Where(c => c.PendingTransferToAgentId == id).ToList())
                {
                    DeclinePendingTransfer(c, id);
                }
            }
        }
        else if (status == AgentStatus.Online && drain)
        {
            Drain(agent, media);
        }
    }

    private static void SetRestore(AgentRuntime agent, MediaKind media, AgentStatus? restore)
    {
        if (media == MediaKind.Voice)
        {
            agent.VoiceRestore = restore;
        }
        else if (media == MediaKind.Video)
        {
            agent.VideoRestore = restore;
        }
    }

    private static AgentStatus? RestoreOf(AgentRuntime agent, MediaKind media) =>
        media == MediaKind.Voice ? agent.VoiceRestore : media == MediaKind.Video ? agent.VideoRestore : null;

    /// <summary>A call rings or is answered: the agent's voice or video presence turns busy, remembering what it was (R10).</summary>
    private void CallStarted(AgentRuntime agent, MediaKind media)
    {
        if (media == MediaKind.Chat || RestoreOf(agent, media) is not null)
        {
            return;
        }

        var previous = agent.StatusOf(media);
        if (previous is AgentStatus.Busy or AgentStatus.Offline)
        {
            return;
        }

        ChangeStatus(agent, AgentStatus.Busy, media);
        SetRestore(agent, media, previous);
    }

    /// <summary>A call hung up or stopped ringing: the presence the call replaced comes back (R10).</summary>
    private void CallEnded(AgentRuntime agent, MediaKind media, bool drain = true)
    {
        if (RestoreOf(agent, media) is not { } restore || agent.ActiveOf(media) > 0)
        {
            return;
        }

        SetRestore(agent, media, null);
        if (agent.StatusOf(media) == AgentStatus.Busy)
        {
            ChangeStatus(agent, restore, media, drain);
        }
    }

    /// <summary>Changes an agent's load of one media by <paramref name="delta"/> and tells the routing policy.</summary>
    private void AddLoad(AgentRuntime agent, MediaKind media, int delta)
    {
        agent.AddLoad(media, delta);
        if (delta < 0)
        {
            agent.IdleSince = Now;
        }

        AgentChanged(agent);
    }

    // ---- Visitors (C7)

    public async ValueTask<Visitor> UpdateVisitorAsync(long visitorId, VisitorProfile profile)
    {
        RequireTenant();
        ArgumentNullException.ThrowIfNull(profile);
        var current = await GetVisitorAsync(visitorId).ConfigureAwait(false);
        var visitor = Merge(current, profile);
        SaveVisitor(visitor);
        EmitVisitorChanged(visitor);
        return visitor;
    }

    public async ValueTask<Visitor> RecordPageVisitAsync(long visitorId, string url, string? title)
    {
        RequireTenant();
        url = Guard.Text(url, 2000, "Url");
        title = Guard.OptionalText(title, 200, "Title");
        var current = await GetVisitorAsync(visitorId).ConfigureAwait(false);
        var trail = current.BrowseTrail.Count >= Visitor.MaxBrowseTrail ? current.BrowseTrail.Skip(current.BrowseTrail.Count - Visitor.MaxBrowseTrail + 1) : current.BrowseTrail;
        var visitor = current with { BrowseTrail = [.. trail, new PageVisit(url, title, Now)], LastSeenAt = Now };
        SaveVisitor(visitor);
        return visitor;
    }

    public async ValueTask<Visitor> SetVisitorTagAsync(long visitorId, long tagId, bool add)
    {
        RequireTenant();
        var current = await GetVisitorAsync(visitorId).ConfigureAwait(false);
        var has = current.TagIds.Contains(tagId);
        var defined = Tags.TryGetValue(tagId, out var tag) && tag.Scope == TagScope.Visitor;
        if (!defined && !(has && !add))
        {
            // A tag whose definition was deleted can still be taken off the visitors holding it.
            throw new KefuNotFoundException("VisitorTag", tagId);
        }

        if (has == add)
        {
            return current;
        }

        var visitor = current with { TagIds = add ? [.. current.TagIds, tagId] : [.. current.TagIds.Where(t => t != tagId)] };
        SaveVisitor(visitor);
        if (add)
        {
            Emit().VisitorTagAdded = new VisitorTagAddedEvent { VisitorId = visitorId, TagId = tagId };
        }
        else
        {
            Emit().VisitorTagRemoved = new VisitorTagRemovedEvent { VisitorId = visitorId, TagId = tagId };
        }

        return visitor;
    }

    private Visitor Merge(Visitor v, VisitorProfile p)
    {
        var info = v.AdditionalInfo;
        if (p.AdditionalInfo is { Count: > 0 })
        {
            var merged = new Dictionary<string, string>(v.AdditionalInfo, StringComparer.Ordinal);
            foreach (var (key, value) in p.AdditionalInfo)
            {
                Guard.Identifier(key, "AdditionalInfo.Key");
                merged[key] = Guard.Text(value, 500, "AdditionalInfo." + key, required: false);
            }

            if (merged.Count > AdditionalInfoSettings.MaxFields)
            {
                throw new KefuValidationException("AdditionalInfo", $"at most {AdditionalInfoSettings.MaxFields} fields", $"had {merged.Count}");
            }

            info = merged;
        }

        return v with
        {
            Name = Guard.OptionalText(p.Name, 50, "Name") ?? v.Name,
            Nickname = Guard.OptionalText(p.Nickname, 50, "Nickname") ?? v.Nickname,
            Phone = Guard.OptionalText(p.Phone, 32, "Phone") ?? v.Phone,
            Email = Guard.OptionalText(p.Email, 254, "Email") ?? v.Email,
            Gender = Guard.OptionalText(p.Gender, 10, "Gender") ?? v.Gender,
            Address = Guard.OptionalText(p.Address, 200, "Address") ?? v.Address,
            Note = Guard.OptionalText(p.Note, 500, "Note") ?? v.Note,
            ImId = Guard.OptionalText(p.ImId, 100, "ImId") ?? v.ImId,
            Device = p.Device ?? v.Device,
            AdditionalInfo = info,
            LastSeenAt = Now,
        };
    }

    private void EmitVisitorChanged(Visitor v) => Emit().VisitorChanged = new VisitorUserChangeEvent
    {
        VisitorId = v.Id,
        Name = v.Name,
        Nickname = v.Nickname ?? string.Empty,
        Phone = v.Phone ?? string.Empty,
        Email = v.Email ?? string.Empty,
        Gender = v.Gender ?? string.Empty,
        Address = v.Address ?? string.Empty,
        Note = v.Note ?? string.Empty,
    };

    // ---- Opening (C8, C19)

    public async ValueTask<Conversation> OpenAsync(ConversationRequest request)
    {
        RequireTenant();
        ArgumentNullException.ThrowIfNull(request);
        var kind = request.ChannelKind;
        if (request.ChannelId is { } channelId)
        {
            kind = (Channels.TryGetValue(channelId, out var channel) ? channel : throw new KefuNotFoundException("Channel", channelId)).Kind;
        }

        if (kind == ChannelKind.Unspecified || !Enum.IsDefined(kind))
        {
            throw new KefuValidationException("ChannelKind", "Web, H5, App, Wechat, Weibo, MiniProgram, Phone or Video");
        }

        if (request.AssociationId is { } associationId && !Associations.ContainsKey(associationId))
        {
            throw new KefuNotFoundException("Association", associationId);
        }

        if (request.GroupId is { } groupId)
        {
            GetGroup(groupId);
        }

        var entry = Guard.OptionalText(request.Entry, 100, "Entry");
        var navigation = Guard.OptionalText(request.NavigationOption, 100, "NavigationOption");
        Visitor visitor;
        if (request.VisitorId is { } visitorId)
        {
            var current = await GetVisitorAsync(visitorId).ConfigureAwait(false);
            visitor = request.Visitor is null ? current with { LastSeenAt = Now } : Merge(current, request.Visitor);
            SaveVisitor(visitor);
            if (request.Visitor is not null)
            {
                EmitVisitorChanged(visitor);
            }

            if (OpenByVisitor.TryGetValue(visitorId, out var openId))
            {
                return Open[openId].ToSnapshot();
            }
        }
        else
        {
            var id = NewId();
            var blank = new Visitor { Id = id, Name = $"游客 {id % 100_000:D5}", CreatedAt = Now, LastSeenAt = Now };
            visitor = request.Visitor is null ? blank : Merge(blank, request.Visitor);
            SaveVisitor(visitor);
            EmitVisitorChanged(visitor);
        }

        var c = new ConversationRuntime
        {
            Id = NewId(),
            TenantId = TenantId,
            VisitorId = visitor.Id,
            ChannelKind = kind,
            ChannelId = request.ChannelId,
            AssociationId = request.AssociationId,
            Entry = entry,
            EntryGroupId = request.GroupId,
            NavigationOption = navigation,
            GroupId = request.GroupId,
            CreatedAt = Now,
            State = ConversationState.Created,
        };
        Open[c.Id] = c;
        OpenByVisitor[c.VisitorId] = c.Id;
        Touch(c);
        Emit(c.Id).SessionCreated = new ServiceSessionCreatedEvent
        {
            VisitorId = c.VisitorId,
            ChannelKind = kind,
            ChannelId = c.ChannelId ?? 0,
            AssociationId = c.AssociationId ?? 0,
            RequestedGroupId = c.GroupId ?? 0,
            Entry = entry ?? string.Empty,
        };
        Route(c, RoutingReason.New, targetGroupId: null, excludedAgentId: null);
        return c.ToSnapshot();
    }

    /// <summary>An agent starts a conversation with a browsing visitor (C19, E17 2.2).</summary>
    public ValueTask<Conversation> InviteVisitorAsync(long agentId, long visitorId) => StartOutgoingAsync(agentId, visitorId, ChannelKind.Web);

    /// <summary>An agent calls a visitor: an outbound voice or video call (R10, R11), or the call-back a visitor asked for.</summary>
    public ValueTask<Conversation> CallVisitorAsync(long agentId, long visitorId, MediaKind media)
    {
        if (media == MediaKind.Chat || !Enum.IsDefined(media))
        {
            throw new KefuValidationException("Media", "Voice or Video");
        }

        return StartOutgoingAsync(agentId, visitorId, media == MediaKind.Voice ? ChannelKind.Phone : ChannelKind.Video);
    }

    private async ValueTask<Conversation> StartOutgoingAsync(long agentId, long visitorId, ChannelKind kind)
    {
        RequireTenant();
        var agent = GetAgent(agentId);
        var media = MediaKinds.Of(kind);
        if (agent.StatusOf(media) == AgentStatus.Offline)
        {
            throw new KefuStateException("Agent", agentId, media == MediaKind.Chat
                ? $"Agent {agentId} is offline and cannot invite visitors."
                : $"Agent {agentId} is not signed in for {media} and cannot call visitors.");
        }

        if (agent.ActiveOf(media) >= agent.CapacityOf(media))
        {
            throw new KefuStateException("Agent", agentId, $"Agent {agentId} already serves {agent.ActiveOf(media)} {media} conversation(s), the most they may (R7).");
        }

        var visitor = await GetVisitorAsync(visitorId).ConfigureAwait(false);
        if (OpenByVisitor.TryGetValue(visitorId, out var openId))
        {
            throw new KefuStateException("Visitor", visitorId, $"Visitor {visitorId} is already in conversation {openId}.");
        }

        var c = new ConversationRuntime
        {
            Id = NewId(),
            TenantId = TenantId,
            VisitorId = visitor.Id,
            ChannelKind = kind,
            InvitingAgentId = agentId,
            CreatedAt = Now,
            State = ConversationState.Created,
        };
        Open[c.Id] = c;
        OpenByVisitor[c.VisitorId] = c.Id;
        Touch(c);
        Emit(c.Id).SessionCreated = new ServiceSessionCreatedEvent { VisitorId = visitorId, ChannelKind = kind, InvitingAgentId = agentId };
        var explanation = media == MediaKind.Chat ? InvitationExplanation : OutboundExplanation;
        RecordRouting(c, RoutingReason.ByAgent, RoutingDecision.AssignTo(agentId, null, explanation));
        AssignTo(c, agent, null, explanation, picked: true);
        return c.ToSnapshot();
    }

    private static readonly RoutingExplanation OutboundExplanation = "outbound call by the agent";

    /// <summary>Puts a voice or video call on hold, or takes it off (R10); the agent stays busy meanwhile.</summary>
    public async ValueTask<Conversation> HoldAsync(long conversationId, long agentId, bool hold)
    {
        RequireTenant();
        var c = await RequireServedByAsync(conversationId, agentId).ConfigureAwait(false);
        if (c.Media == MediaKind.Chat)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is a chat; only calls can be held.");
        }

        if (c.OnHold != hold)
        {
            c.OnHold = hold;
            Touch(c);
            Emit(c.Id).CallHold = new CallHoldChangedEvent { AgentId = agentId, OnHold = hold };
        }

        return c.ToSnapshot();
    }

    /// <summary>References the recording of a call (R10: every call is recorded; the recording lives where the telephony keeps it).</summary>
    public async ValueTask<Conversation> AttachRecordingAsync(long conversationId, long agentId, string url)
    {
        RequireTenant();
        url = Guard.Text(url, 2000, "Url");
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.AgentId != agentId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Agent {agentId} did not serve conversation {conversationId}.");
        }

        if (c.Media == MediaKind.Chat)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is a chat; only calls have recordings.");
        }

        c.RecordingUrl = url;
        Touch(c);
        Emit(c.Id).CallRecording = new CallRecordingAttachedEvent { AgentId = agentId, Url = url };
        return c.ToSnapshot();
    }

    // ---- Routing, queueing, assignment

    private void Route(ConversationRuntime c, RoutingReason reason, long? targetGroupId, long? excludedAgentId)
    {
        var request = new RoutingRequest(c.Id, c.VisitorId, c.ChannelKind, c.ChannelId, c.AssociationId, c.Entry, c.EntryGroupId,
            c.NavigationOption, targetGroupId, excludedAgentId, reason);
        var decision = _s.Routing.Route(request, this);
        switch (decision.Outcome)
        {
            case RoutingOutcome.Assign:
                RecordRouting(c, reason, decision);
                AssignTo(c, RequireDecisionAgent(decision, c), decision.GroupId, decision.Explanation, picked: false);
                break;
            case RoutingOutcome.Offer:
                RecordRouting(c, reason, decision);
                OfferTo(c, RequireDecisionAgent(decision, c), decision.GroupId, decision.Explanation);
                break;
            case RoutingOutcome.Bot when reason != RoutingReason.HandOff && decision.RobotId is { } robotId:
                RecordRouting(c, reason, decision);
                StartBot(c, robotId);
                break;
            case RoutingOutcome.Bot or RoutingOutcome.StayWithBot when c.State == ConversationState.Bot:
                // The hand-off is refused (robot-only mode): the robot keeps the conversation.
                RecordRouting(c, reason, decision with { Outcome = RoutingOutcome.StayWithBot });
                break;
            case RoutingOutcome.Queue:
                RecordRouting(c, reason, decision);
                Enqueue(c, decision, excludedAgentId);
                break;
            default:
                throw new InvalidOperationException($"The routing policy {_s.Routing.GetType().Name} decided {decision.Outcome} for conversation {c.Id} in state {c.State}, which cannot apply.");
        }
    }

    private void RecordRouting(ConversationRuntime c, RoutingReason reason, in RoutingDecision decision)
    {
        var e = decision.Explanation;
        var candidates = e.CandidateCount == 0 ? [] : new RoutingCandidate[e.CandidateCount];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = e[i];
        }

        var record = new RoutingRecord(Now, reason, decision.Outcome, decision.AgentId, decision.GroupId, decision.RobotId, e.Rule, e.Reason, e.Strategy, e.Eligible, candidates);
        var kept = c.Routing.Count >= Conversation.MaxRoutingRecords ? c.Routing.Skip(c.Routing.Count - Conversation.MaxRoutingRecords + 1) : c.Routing;
        c.Routing = [.. kept, record];
        Touch(c);
    }

    private AgentRuntime RequireDecisionAgent(in RoutingDecision decision, ConversationRuntime c)
    {
        if (decision.AgentId is not { } id || !AgentsById.TryGetValue(id, out var agent))
        {
            throw new InvalidOperationException($"The routing policy {_s.Routing.GetType().Name} chose agent {decision.AgentId}, who does not exist.");
        }

        if (!agent.CanTakeAutomatically(c.Media))
        {
            throw new InvalidOperationException(
                $"The routing policy {_s.Routing.GetType().Name} chose agent {id}, who cannot take a {c.Media} conversation now ({agent.StatusOf(c.Media)}, {agent.ActiveOf(c.Media)} of {agent.CapacityOf(c.Media)}).");
        }

        return agent;
    }

    private void AssignTo(ConversationRuntime c, AgentRuntime agent, long? groupId, in RoutingExplanation explanation, bool picked)
    {
        var media = c.Media;
        var counted = c.State == ConversationState.Offered && c.AgentId == agent.Agent.Id;
        var wait = RemoveFromQueue(c);
        var firstPickUp = c.AssignedAt is null;
        c.State = ConversationState.InService;
        c.AgentId = agent.Agent.Id;
        c.GroupId = groupId ?? c.GroupId;
        c.AssignedAt ??= Now;
        if (!counted)
        {
            agent.AddLoad(media, 1);
        }

        agent.IdleSince = Now;
        agent.LastAssignedSequence = ++_assignSequence;
        AgentChanged(agent);
        CallStarted(agent, media);
        Touch(c);
        Emit(c.Id).SessionAssigned = new ServiceSessionAssignedEvent
        {
            AgentId = agent.Agent.Id,
            GroupId = c.GroupId ?? 0,
            Explanation = explanation.ToString(),
            Routing = explanation.ToEvent(),
            QueueWaitMs = wait,
            Picked = picked,
        };
        if (firstPickUp && Settings.Phrases.Welcome.Enabled)
        {
            AddSystemMessage(c, Settings.Phrases.Welcome.Text);
        }

        ArmTimers(c);
    }

    private void OfferTo(ConversationRuntime c, AgentRuntime agent, long? groupId, in RoutingExplanation explanation)
    {
        RemoveFromQueue(c);
        c.State = ConversationState.Offered;
        c.AgentId = agent.Agent.Id;
        c.GroupId = groupId ?? c.GroupId;
        c.OfferedAt = Now;
        agent.AddLoad(c.Media, 1);
        agent.OffersReceived++;
        agent.LastAssignedSequence = ++_assignSequence;
        AgentChanged(agent);
        CallStarted(agent, c.Media);
        Touch(c);
        Emit(c.Id).SessionOffered = new ServiceSessionOfferedEvent { AgentId = agent.Agent.Id, Explanation = explanation.ToString(), Routing = explanation.ToEvent() };
        ArmTimer(c, TimerKind.OfferTimeout);
    }

    /// <summary>An offer ends unaccepted (declined or timed out): the agent is freed and the conversation routed again without them.</summary>
    private void EndOffer(ConversationRuntime c, AgentRuntime agent, bool timedOut)
    {
        var media = c.Media;
        c.AgentId = null;
        c.State = ConversationState.Created;
        Touch(c);
        Emit(c.Id).OfferEnded = new ServiceSessionOfferEndedEvent { AgentId = agent.Agent.Id, TimedOut = timedOut };
        if (timedOut && Settings.Conversations.MissedOfferSetsAway)
        {
            // A missed offer sets the agent away: instead of the presence the ringing replaced, or at once.
            if (RestoreOf(agent, media) is AgentStatus.Online)
            {
                SetRestore(agent, media, AgentStatus.Away);
            }
            else if (agent.StatusOf(media) == AgentStatus.Online)
            {
                ChangeStatus(agent, AgentStatus.Away, media, drain: false);
            }
        }

        AddLoad(agent, media, -1);
        CallEnded(agent, media, drain: false);

        // The conversation that rang is older than anything queued: it is routed before the agent takes another.
        Route(c, timedOut ? RoutingReason.OfferTimedOut : RoutingReason.OfferDeclined, c.GroupId, excludedAgentId: agent.Agent.Id);
        Drain(agent, media);
    }

    private void Enqueue(ConversationRuntime c, in RoutingDecision decision, long? excludedAgentId)
    {
        RemoveFromQueue(c);
        var media = c.Media;
        var key = decision.AgentId is { } wanted ? QueueKey.Agent(wanted, media)
            : decision.GroupId is null && decision.Ungrouped ? QueueKey.Ungrouped(media)
            : QueueKey.For(decision.GroupId, media);
        c.State = ConversationState.Queued;
        c.GroupId = decision.GroupId;
        c.QueuedForAgentId = decision.AgentId;
        c.QueuedAt = Now;
        c.LastQueueReminderAt = null;
        JoinQueue(c, key, Now, excludedAgentId);
        Touch(c);
        var position = QueueOf(key).Count;
        Emit(c.Id).SessionQueued = new ServiceSessionQueuedEvent
        {
            GroupId = decision.GroupId ?? 0,
            AgentId = decision.AgentId ?? 0,
            Position = position,
            Reason = decision.Explanation.ToString(),
            Routing = decision.Explanation.ToEvent(),
        };
        SendQueueMessage(c, position);
        var phrases = Settings.Phrases;
        if (_present[(int)media] == 0 && !string.IsNullOrEmpty(phrases.NobodyOnline))
        {
            AddSystemMessage(c, phrases.NobodyOnline);
        }

        ArmTimer(c, TimerKind.QueueReminder);
    }

    /// <summary>The queue message with the visitor's position (<c>#人数#</c>), or the over-limit notice past the threshold (R9).</summary>
    private void SendQueueMessage(ConversationRuntime c, int position)
    {
        var phrases = Settings.Phrases;
        var text = phrases.QueueOverLimitEnabled && position > phrases.QueueOverLimitThreshold ? phrases.QueueOverLimitMessage : phrases.QueueMessage;
        AddSystemMessage(c, text.Replace(CannedPhrases.QueuePositionPlaceholder, position.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    /// <summary>Moves a queued conversation to another queue, keeping its place in time.</summary>
    internal void MoveToQueue(ConversationRuntime c, QueueKey key)
    {
        if (c.QueueEntry is not { } entry)
        {
            return;
        }

        LeaveQueue(entry);
        c.QueuedForAgentId = key.Kind == QueueTargetKind.Agent ? key.Id : null;
        JoinQueue(c, key, entry.QueuedAt, entry.ExcludedAgentId);
        Touch(c);
    }

    private long RemoveFromQueue(ConversationRuntime c)
    {
        if (c.QueueEntry is not { } entry)
        {
            return 0;
        }

        LeaveQueue(entry);
        c.QueueEntry = null;
        c.QueuedForAgentId = null;
        var wait = (long)(Now - entry.QueuedAt).TotalMilliseconds;
        c.QueueWaitMilliseconds += wait;
        return wait;
    }

    /// <summary>Takes a conversation from its agent and routes it again, to anyone but that agent.</summary>
    private void Requeue(ConversationRuntime c)
    {
        var previous = c.AgentId;
        AgentRuntime? agent = null;
        if (previous is { } agentId && AgentsById.TryGetValue(agentId, out agent) && c.State is ConversationState.InService or ConversationState.Offered)
        {
            AddLoad(agent, c.Media, -1);
            CallEnded(agent, c.Media);
        }

        c.AgentId = null;
        c.PendingTransferToAgentId = null;
        c.State = ConversationState.Created;
        Route(c, RoutingReason.Requeue, c.GroupId, excludedAgentId: previous);
    }

    /// <summary>
    /// Gives an agent who may take one more conversation of <paramref name="media"/> the waiting conversations the
    /// routing policy picks, in the same batch: chats are assigned, calls ring (offered).
    /// </summary>
    internal void Drain(AgentRuntime agent, MediaKind media)
    {
        while (QueuedCount > 0 && agent.CanTakeAutomatically(media))
        {
            var next = _s.Routing.SelectForAgent(agent, media, this);
            if (next is null || !Open.TryGetValue(next.ConversationId, out var c) || c.State != ConversationState.Queued)
            {
                break;
            }

            var outcome = _s.Routing.DrainOutcome(next, media, this);
            var decision = outcome == RoutingOutcome.Offer
                ? RoutingDecision.OfferTo(agent.Agent.Id, next.GroupId, DrainExplanation)
                : RoutingDecision.AssignTo(agent.Agent.Id, next.GroupId, DrainExplanation);
            RecordRouting(c, RoutingReason.CapacityFreed, decision);
            if (outcome == RoutingOutcome.Offer)
            {
                OfferTo(c, agent, next.GroupId, DrainExplanation);
            }
            else
            {
                AssignTo(c, agent, next.GroupId, DrainExplanation, picked: false);
            }
        }
    }

    private static readonly RoutingExplanation DrainExplanation = new("capacity freed", "the oldest waiting conversation this agent may take");

    internal void DrainAll(AgentRuntime agent)
    {
        foreach (var media in MediaKinds.All)
        {
            Drain(agent, media);
        }
    }

    public async ValueTask<Conversation> PickFromQueueAsync(long agentId, long conversationId)
    {
        RequireTenant();
        var agent = GetAgent(agentId);
        var c = await RequireOpenAsync(conversationId).ConfigureAwait(false);
        var media = c.Media;
        if (agent.StatusOf(media) == AgentStatus.Offline)
        {
            throw new KefuStateException("Agent", agentId, $"Agent {agentId} is offline for {media} and cannot pick conversations.");
        }

        if (c.State != ConversationState.Queued || c.QueueEntry is not { } entry)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is not waiting in a queue (it is {c.State}).");
        }

        if (!entry.Queue.Admits(agent))
        {
            var whose = entry.Queue.Kind == QueueTargetKind.Agent ? $"agent {entry.Queue.Id}" : $"skill group {entry.Queue.Id}, which agent {agentId} is not a member of";
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} waits for {whose}.");
        }

        if (agent.ActiveOf(media) >= agent.CapacityOf(media))
        {
            throw new KefuStateException("Agent", agentId, $"Agent {agentId} already serves {agent.ActiveOf(media)} {media} conversation(s), the most they may (R7).");
        }

        var decision = RoutingDecision.AssignTo(agentId, c.GroupId, PickedExplanation);
        RecordRouting(c, RoutingReason.ByAgent, decision);
        AssignTo(c, agent, c.GroupId, PickedExplanation, picked: true);
        return c.ToSnapshot();
    }

    private static readonly RoutingExplanation InvitationExplanation = "proactive invitation by the agent";
    private static readonly RoutingExplanation PickedExplanation = "picked from the queue by the agent";
    private static readonly RoutingExplanation AcceptedExplanation = "offer accepted";

    public async ValueTask<Conversation> AnswerOfferAsync(long agentId, long conversationId, bool accept)
    {
        RequireTenant();
        var agent = GetAgent(agentId);
        var c = await RequireOpenAsync(conversationId).ConfigureAwait(false);
        if (c.State != ConversationState.Offered || c.AgentId != agentId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is not offered to agent {agentId}.");
        }

        if (accept)
        {
            agent.OffersAccepted++;
            AssignTo(c, agent, c.GroupId, AcceptedExplanation, picked: false);
        }
        else
        {
            EndOffer(c, agent, timedOut: false);
        }

        return c.ToSnapshot();
    }

    public IReadOnlyList<QueuePosition> GetQueue(long? groupId)
    {
        RequireTenant();
        var result = new List<QueuePosition>();
        foreach (var queue in QueuesByKey.Values)
        {
            if (queue.Count == 0 || (groupId is not null && !(queue.Key.Kind == QueueTargetKind.Group && queue.Key.Id == groupId)))
            {
                continue;
            }

            var position = 0;
            for (var e = queue.Head; e is not null; e = e.NextEntry)
            {
                var c = Open[e.ConversationId];
                result.Add(new QueuePosition(e.ConversationId, c.VisitorId, e.GroupId, e.QueuedAt, ++position)
                {
                    AgentId = c.QueuedForAgentId,
                    Media = queue.Key.Media,
                    Queue = queue.Key.Kind,
                    Order = e.Order,
                });
            }
        }

        result.Sort(static (x, y) => x.Order.CompareTo(y.Order));
        return result;
    }

    public async ValueTask<QueuePosition?> GetQueuePositionAsync(long conversationId)
    {
        RequireTenant();
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.QueueEntry is not { Owner: { } queue } entry)
        {
            return null;
        }

        return new QueuePosition(c.Id, c.VisitorId, entry.GroupId, entry.QueuedAt, queue.PositionOf(entry))
        {
            AgentId = c.QueuedForAgentId,
            Media = queue.Key.Media,
            Queue = queue.Key.Kind,
            Order = entry.Order,
        };
    }

    // ---- Robots

    private void StartBot(ConversationRuntime c, long robotId)
    {
        RemoveFromQueue(c);
        c.State = ConversationState.Bot;
        c.RobotId = robotId;
        c.BotSession = new BotSession();
        Touch(c);
        ApplyBotTurn(c, _s.Bots.Start(TenantId, robotId, c.ToSnapshot()), idleReply: false);
    }

    private void ApplyBotTurn(ConversationRuntime c, BotTurn turn, bool idleReply)
    {
        foreach (var reply in turn.Replies)
        {
            AddMessage(c, ParticipantKind.Bot, c.RobotId ?? 0, MessageKind.Text, reply);
        }

        foreach (var content in turn.Attachments)
        {
            AddBotContent(c, content);
        }

        if (turn.HandOffToHuman && c.State == ConversationState.Bot)
        {
            c.BotSession = null;
            c.BotWaitingSince = null;
            Route(c, RoutingReason.HandOff, turn.TargetGroupId, excludedAgentId: null);
            return;
        }

        if (c.State == ConversationState.Bot && !idleReply)
        {
            c.BotWaitingSince = Now;
            c.BotIdleReplied = false;
            ArmTimer(c, TimerKind.BotIdle);
        }
    }

    private void AddBotContent(ConversationRuntime c, MessageContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        content.Validate();
        var e = new ServiceSessionMessageEvent { SenderKind = ParticipantKind.Bot, SenderId = c.RobotId ?? 0, Kind = content.Kind, Text = content.Text ?? string.Empty };
        if (content.Media is { } media)
        {
            e.Media = new MediaContent { Url = media.Url, Name = media.Name, Size = media.Size, ContentType = media.ContentType ?? string.Empty };
        }

        if (content.MenuItems is { } items)
        {
            e.Menu = new MenuContent();
            e.Menu.Items.AddRange(items);
        }

        Append(c, e);
    }

    private BotInput BotInputOf(ConversationRuntime c, string text) =>
        new(TenantId, c.RobotId ?? 0, c.ToSnapshot(), text, c.BotSession ??= new BotSession());

    // ---- Messages (C9, C10)

    /// <summary>
    /// Sends a message to a loaded conversation: the message path. It allocates the message's event and nothing else
    /// in steady state: the event is the stored form of the message.
    /// </summary>
    public SendResult Send(ConversationRuntime c, Participant sender, MessageContent content, string? clientMessageId)
    {
        var clientKey = clientMessageId is null ? default : ClientIdKey.Of(sender.Kind, sender.Id, clientMessageId);
        if (clientMessageId is not null && c.ClientIds is { } window && window.TryGet(clientKey, out var seen))
        {
            return new SendResult(seen.MessageId, seen.SentAt, null, MessageFilterAction.Allow, null, Duplicate: true);
        }

        if (c.IsClosed)
        {
            throw new KefuStateException("Conversation", c.Id, $"Conversation {c.Id} is closed; messages can no longer be sent to it.");
        }

        ArgumentNullException.ThrowIfNull(content);
        content.Validate();
        if (clientMessageId is { Length: 0 or > 100 })
        {
            throw new KefuValidationException("ClientMessageId", "1–100 characters or null");
        }

        switch (sender.Kind)
        {
            case ParticipantKind.Visitor when sender.Id != c.VisitorId:
                throw new KefuStateException("Conversation", c.Id, $"Visitor {sender.Id} is not the visitor of conversation {c.Id}.");
            case ParticipantKind.Visitor:
                break;
            case ParticipantKind.Agent when c.State != ConversationState.InService || c.AgentId != sender.Id:
                throw new KefuStateException("Conversation", c.Id, $"Agent {sender.Id} is not serving conversation {c.Id} (it is {c.State}).");
            case ParticipantKind.Agent:
                break;
            default:
                throw new KefuValidationException("Sender.Kind", "Visitor or Agent");
        }

        var text = content.Text;
        var action = MessageFilterAction.Allow;
        string? notice = null;
        IReadOnlyList<string>? filteredWords = null;
        if (!string.IsNullOrEmpty(text))
        {
            var verdict = _s.Filter.Inspect(TenantId, sender.Kind, text);
            action = verdict.Action;
            switch (action)
            {
                case MessageFilterAction.Block:
                    notice = verdict.Notice ?? "The message contains words that are not allowed and was not sent.";
                    var blocked = new MessageBlockedEvent { SenderKind = sender.Kind, SenderId = sender.Id, Reason = notice };
                    if (verdict.Words is not null)
                    {
                        blocked.Words.AddRange(verdict.Words);
                    }

                    Emit(c.Id).MessageBlocked = blocked;
                    return new SendResult(0, Now, null, action, notice, Duplicate: false);
                case MessageFilterAction.Mask:
                    text = verdict.Text ?? text;
                    filteredWords = verdict.Words;
                    break;
                case MessageFilterAction.Remind:
                    notice = sender.Kind == ParticipantKind.Agent ? verdict.Notice : null;
                    filteredWords = verdict.Words;
                    break;
            }
        }

        var e = new ServiceSessionMessageEvent
        {
            SenderKind = sender.Kind,
            SenderId = sender.Id,
            Kind = content.Kind,
            Text = text ?? string.Empty,
            ClientMessageId = clientMessageId ?? string.Empty,
            Masked = action == MessageFilterAction.Mask,
        };
        if (filteredWords is not null)
        {
            e.Filtered = new MessageFilterWords();
            e.Filtered.Words.AddRange(filteredWords);
        }

        if (content.Media is { } media)
        {
            e.Media = new MediaContent { Url = media.Url, Name = media.Name, Size = media.Size, ContentType = media.ContentType ?? string.Empty };
        }

        if (content.MenuItems is { } items)
        {
            e.Menu = new MenuContent();
            e.Menu.Items.AddRange(items);
        }

        if (text is not null && _s.Analyzer.IsEnabled && _s.Analyzer.Analyze(TenantId, sender.Kind, text) is { } sentiment)
        {
            e.Sentiment = sentiment.Label;
            e.SentimentScore = sentiment.Score;
        }

        var id = Append(c, e);
        if (clientMessageId is not null)
        {
            ClientIdsOf(c).Add(clientKey, new ClientIdWindow.Entry(id, Now));
        }

        if (c.State == ConversationState.Bot && sender.Kind == ParticipantKind.Visitor && text is not null)
        {
            ApplyBotTurn(c, _s.Bots.Respond(BotInputOf(c, text)), idleReply: false);
        }

        return new SendResult(id, Now, text, action, notice, Duplicate: false);
    }

    /// <summary>Sends a quick reply (C15) as the agent's text message; another agent's personal reply is not found.</summary>
    public async ValueTask<SendResult> SendQuickReplyAsync(long conversationId, long agentId, long quickReplyId, string? clientMessageId)
    {
        RequireTenant();
        var reply = QuickReplies.TryGetValue(quickReplyId, out var q) ? q : throw new KefuNotFoundException("QuickReply", quickReplyId);
        var folder = Folders[reply.FolderId];
        if (folder.Library == QuickReplyLibrary.Personal && folder.OwnerAgentId != agentId)
        {
            throw new KefuNotFoundException("QuickReply", quickReplyId);
        }

        return await SendAsync(conversationId, Participant.Agent(agentId), MessageContent.FromText(reply.Text), clientMessageId).ConfigureAwait(false);
    }

    public async ValueTask<SendResult> SendAsync(long conversationId, Participant sender, MessageContent content, string? clientMessageId)
    {
        RequireTenant();
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.IsClosed && c.ClientIds is null && clientMessageId is not null)
        {
            // A closed conversation read back from the store has no window yet: only a retry needs it.
            await LoadMessageIndexAsync(c, CancellationToken.None).ConfigureAwait(false);
        }

        return Send(c, sender, content, clientMessageId);
    }

    private void AddSystemMessage(ConversationRuntime c, string text) => AddMessage(c, ParticipantKind.System, 0, MessageKind.SystemNotice, text);

    private void AddMessage(ConversationRuntime c, ParticipantKind sender, long senderId, MessageKind kind, string text) =>
        Append(c, new ServiceSessionMessageEvent { SenderKind = sender, SenderId = senderId, Kind = kind, Text = text });

    /// <summary>Stores a new message: gives it an id, emits its event and updates the conversation.</summary>
    private long Append(ConversationRuntime c, ServiceSessionMessageEvent m)
    {
        var id = NewId();
        m.MessageId = id;
        c.MessageCount++;
        c.LastMessageAt = Now;
        if (m.SenderKind == ParticipantKind.Visitor)
        {
            c.VisitorMessageCount++;
            c.LastVisitorMessageAt = Now;
            c.FirstUnansweredVisitorMessageAt ??= Now;
            c.VisitorReminderSent = false;
        }
        else if (m.SenderKind == ParticipantKind.Agent)
        {
            c.AgentMessageCount++;
            c.LastAgentMessageAt = Now;
            c.FirstAgentMessageAt ??= Now;
            c.FirstUnansweredVisitorMessageAt = null;
            c.AgentNoReplySent = false;
            c.VisitorReminderSent = false;
        }

        Touch(c);
        Emit(c.Id).Message = m;
        if (m.SenderKind is ParticipantKind.Visitor or ParticipantKind.Agent && HasTimers)
        {
            ArmTimers(c);
        }

        return id;
    }

    public async ValueTask<Message> RecallAsync(long conversationId, long agentId, long messageId)
    {
        RequireTenant();
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.IsClosed)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is closed; its messages can no longer be recalled.");
        }

        var uncommitted = Commit.EventList.LastOrDefault(x => x.PayloadCase == KefuEvent.PayloadOneofCase.Message && x.Message.MessageId == messageId && x.ConversationId == conversationId);
        var message = uncommitted?.ToMessage()
            ?? await _s.Conversations.GetMessageAsync(TenantId, conversationId, messageId).ConfigureAwait(false)
            ?? throw new KefuNotFoundException("Message", messageId);
        if (message.SenderKind != ParticipantKind.Agent || message.SenderId != agentId)
        {
            throw new KefuStateException("Message", messageId, $"Message {messageId} was not sent by agent {agentId}; only its sender can recall it.");
        }

        var recalledInThisBatch = Commit.EventList.Exists(x => x.PayloadCase == KefuEvent.PayloadOneofCase.MessageRecalled && x.MessageRecalled.MessageId == messageId);
        if (message.Recalled || recalledInThisBatch)
        {
            throw new KefuStateException("Message", messageId, $"Message {messageId} was already recalled.");
        }

        var window = Settings.Conversations.RecallWindow;
        if (Now - message.SentAt > window)
        {
            throw new KefuStateException("Message", messageId,
                $"Message {messageId} was sent {(Now - message.SentAt).TotalSeconds:F0} s ago; messages can only be recalled within {window.TotalSeconds:F0} s (RecallWindow).");
        }

        Emit(c.Id).MessageRecalled = new MessageRecalledEvent { MessageId = messageId, AgentId = agentId };
        return message with { Recalled = true };
    }

    public async ValueTask<bool> MarkReadAsync(long conversationId, Participant reader, long upToMessageId)
    {
        RequireTenant();
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        RequireParticipant(c, reader);
        if (reader.Kind == ParticipantKind.Visitor ? upToMessageId <= c.VisitorReadUpTo : upToMessageId <= c.AgentReadUpTo)
        {
            return false;
        }

        if (reader.Kind == ParticipantKind.Visitor)
        {
            c.VisitorReadUpTo = upToMessageId;
        }
        else
        {
            c.AgentReadUpTo = upToMessageId;
        }

        Touch(c);
        Emit(c.Id).MessagesRead = new MessagesReadEvent { ReaderKind = reader.Kind, ReaderId = reader.Id, UpToMessageId = upToMessageId };
        return true;
    }

    public async ValueTask<bool> TypingAsync(long conversationId, long visitorId, string? text)
    {
        RequireTenant();
        var c = await RequireOpenAsync(conversationId).ConfigureAwait(false);
        RequireParticipant(c, Participant.Visitor(visitorId));
        var preview = text ?? string.Empty;
        if (preview.Length > MessageContent.MaxTextLength)
        {
            throw new KefuValidationException("Text", $"at most {MessageContent.MaxTextLength} characters");
        }

        EmitTransient(c.Id).VisitorTyping = new VisitorTypingEvent { VisitorId = visitorId, PreviewText = preview };
        return true;
    }

    // ---- Transfer (C11)

    public async ValueTask<Conversation> RequestTransferAsync(long conversationId, long fromAgentId, long toAgentId, string? note)
    {
        RequireTenant();
        var c = await RequireServedByAsync(conversationId, fromAgentId).ConfigureAwait(false);
        var target = GetAgent(toAgentId);
        note = Guard.OptionalText(note, 200, "Note");
        if (toAgentId == fromAgentId)
        {
            throw new KefuValidationException("ToAgentId", "another agent than the one transferring");
        }

        if (!target.Agent.Enabled || target.StatusOf(c.Media) == AgentStatus.Offline)
        {
            throw new KefuStateException("Agent", toAgentId, $"Agent {toAgentId} is offline for {c.Media} and cannot receive a transfer.");
        }

        if (c.PendingTransferToAgentId is { } pending)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} already has a transfer waiting for agent {pending}.");
        }

        c.PendingTransferToAgentId = toAgentId;
        Touch(c);
        Emit(c.Id).TransferRequested = new ServiceSessionTransferRequestedEvent { FromAgentId = fromAgentId, ToAgentId = toAgentId, Note = note ?? string.Empty };
        return c.ToSnapshot();
    }

    public async ValueTask<Conversation> AnswerTransferAsync(long conversationId, long agentId, bool accept)
    {
        RequireTenant();
        var c = await RequireOpenAsync(conversationId).ConfigureAwait(false);
        if (c.PendingTransferToAgentId is not { } pending || (pending != agentId && !(c.AgentId == agentId && !accept)))
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} has no transfer waiting for agent {agentId}.");
        }

        if (!accept)
        {
            DeclinePendingTransfer(c, agentId);
            return c.ToSnapshot();
        }

        var target = GetAgent(agentId);
        if (target.StatusOf(c.Media) == AgentStatus.Offline)
        {
            throw new KefuStateException("Agent", agentId, $"Agent {agentId} is offline for {c.Media} and cannot accept a transfer.");
        }

        var media = c.Media;
        if (target.ActiveOf(media) >= target.CapacityOf(media))
        {
            throw new KefuStateException("Agent", agentId, $"Agent {agentId} already serves {target.ActiveOf(media)} {media} conversation(s), the most they may (R7).");
        }

        var from = c.AgentId is { } fromId ? AgentsById.GetValueOrDefault(fromId) : null;
        target.AddLoad(media, 1);
        target.IdleSince = Now;
        target.LastAssignedSequence = ++_assignSequence;
        AgentChanged(target);
        c.AgentId = agentId;
        c.PendingTransferToAgentId = null;
        Touch(c);
        Emit(c.Id).SessionTransferred = new ServiceSessionTransferredEvent { FromAgentId = from?.Agent.Id ?? 0, ToAgentId = agentId };
        ArmTimers(c);
        if (from is not null)
        {
            AddLoad(from, media, -1);
            CallEnded(from, media);
            CallStarted(target, media);
            Drain(from, media);
        }

        return c.ToSnapshot();
    }

    private void DeclinePendingTransfer(ConversationRuntime c, long byAgentId)
    {
        var to = c.PendingTransferToAgentId ?? 0;
        c.PendingTransferToAgentId = null;
        Touch(c);
        Emit(c.Id).TransferDeclined = new ServiceSessionTransferDeclinedEvent { FromAgentId = c.AgentId ?? 0, ToAgentId = to, DeclinedByAgentId = byAgentId };
    }

    public async ValueTask<Conversation> TransferToGroupAsync(long conversationId, long fromAgentId, long groupId)
    {
        RequireTenant();
        var c = await RequireServedByAsync(conversationId, fromAgentId).ConfigureAwait(false);
        GetGroup(groupId);
        var from = GetAgent(fromAgentId);
        var media = c.Media;
        c.AgentId = null;
        c.PendingTransferToAgentId = null;
        c.State = ConversationState.Created;
        Touch(c);
        Emit(c.Id).SessionTransferred = new ServiceSessionTransferredEvent { FromAgentId = fromAgentId, ToGroupId = groupId };
        AddLoad(from, media, -1);
        CallEnded(from, media);
        Route(c, RoutingReason.Transfer, groupId, excludedAgentId: fromAgentId);
        Drain(from, media);
        return c.ToSnapshot();
    }

    // ---- Ending (C12)

    public async ValueTask<Conversation> EndAsync(long conversationId, Participant by)
    {
        RequireTenant();
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.IsClosed)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is already closed.");
        }

        RequireParticipant(c, by);
        CloseReason reason;
        if (by.Kind == ParticipantKind.Agent)
        {
            if (c.State != ConversationState.InService)
            {
                throw new KefuStateException("Conversation", conversationId, $"Agent {by.Id} is not serving conversation {conversationId} (it is {c.State}).");
            }

            if (Settings.Conversations.MandatorySessionTagOnClose && c.TagIds.Count == 0)
            {
                throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} needs a session tag before it can be ended (MandatorySessionTagOnClose).");
            }

            reason = CloseReason.AgentEnded;
        }
        else
        {
            reason = c.State is ConversationState.Queued ? CloseReason.QueueAbandoned : CloseReason.VisitorEnded;
        }

        Close(c, reason, by.Kind);
        return c.ToSnapshot();
    }

    internal void Close(ConversationRuntime c, CloseReason reason, ParticipantKind closedBy, string? closingText = null)
    {
        RemoveFromQueue(c);
        var text = closingText ?? (Settings.Phrases.End.Enabled && c.State != ConversationState.Queued ? Settings.Phrases.End.Text : null);
        if (text is not null)
        {
            AddSystemMessage(c, text);
        }

        AgentRuntime? agent = null;
        var released = c.AgentId is { } agentId && c.State is ConversationState.InService or ConversationState.Offered && AgentsById.TryGetValue(agentId, out agent);

        c.State = ConversationState.Closed;
        c.OnHold = false;
        c.ClosedAt = Now;
        c.CloseReason = reason;
        c.PendingTransferToAgentId = null;
        Touch(c);
        Emit(c.Id).SessionClosed = new ServiceSessionClosedEvent
        {
            VisitorId = c.VisitorId,
            AgentId = c.AgentId ?? 0,
            Reason = reason,
            ClosedBy = closedBy,
            CreatedAtMs = c.CreatedAt.ToUnixTimeMilliseconds(),
            AssignedAtMs = c.AssignedAt?.ToUnixTimeMilliseconds() ?? 0,
            FirstAgentMessageAtMs = c.FirstAgentMessageAt?.ToUnixTimeMilliseconds() ?? 0,
            MessageCount = c.MessageCount,
        };
        if (closedBy == ParticipantKind.Agent && c.Rating is null)
        {
            c.RatingInvited = true;
            Emit(c.Id).RatingInvited = new RatingInvitedEvent { AgentId = c.AgentId ?? 0, Automatic = true };
        }

        Open.Remove(c.Id);
        OpenByVisitor.Remove(c.VisitorId);
        RememberClosed(c);
        if (released && agent is not null)
        {
            var media = c.Media;
            AddLoad(agent, media, -1);
            CallEnded(agent, media);
            Drain(agent, media);
        }
    }

    // ---- Rating (C13)

    public async ValueTask<Conversation> InviteRatingAsync(long conversationId, long agentId)
    {
        RequireTenant();
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.AgentId != agentId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Agent {agentId} did not serve conversation {conversationId}.");
        }

        if (c.Rating is not null)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is already rated; a rating can be given once.");
        }

        c.RatingInvited = true;
        Touch(c);
        Emit(c.Id).RatingInvited = new RatingInvitedEvent { AgentId = agentId, Automatic = false };
        return c.ToSnapshot();
    }

    public async ValueTask<Conversation> RateAsync(long conversationId, long visitorId, RatingInput input)
    {
        RequireTenant();
        ArgumentNullException.ThrowIfNull(input);
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.VisitorId != visitorId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Visitor {visitorId} is not the visitor of conversation {conversationId}.");
        }

        if (c.Rating is not null)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is already rated; a rating can be given once.");
        }

        if (c.AssignedAt is null)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} was never served by an agent and cannot be rated.");
        }

        var settings = Settings.Rating;
        Guard.Range(input.Level, 1, settings.Levels, "Level");
        var allowed = input.Level - 1 < settings.TagsByLevel.Count ? settings.TagsByLevel[input.Level - 1] : [];
        var tags = (input.Tags ?? []).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var tag in tags)
        {
            if (!allowed.Contains(tag, StringComparer.Ordinal))
            {
                throw new KefuValidationException("Tags", allowed.Count == 0 ? "empty for this level" : $"tags of level {input.Level}: {string.Join(", ", allowed)}", $"'{tag}' is not one");
            }
        }

        var comment = Guard.OptionalText(input.Comment, 500, "Comment");
        if (comment is not null && !settings.CommentEnabled)
        {
            throw new KefuValidationException("Comment", "empty: comments are switched off (RatingSettings.CommentEnabled)");
        }

        c.Rating = new Rating(input.Level, settings.Levels, tags, comment, Now);
        Touch(c);
        var e = new RatingSubmittedEvent { Level = input.Level, LevelCount = settings.Levels, Comment = comment ?? string.Empty, AgentId = c.AgentId ?? 0 };
        e.Tags.AddRange(tags);
        Emit(c.Id).RatingSubmitted = e;
        return c.ToSnapshot();
    }

    // ---- Wrap-up (C14), tags and notes (C17)

    public async ValueTask<Conversation> SaveWrapUpAsync(long conversationId, long agentId, WrapUpInput input, bool submit)
    {
        RequireTenant();
        ArgumentNullException.ThrowIfNull(input);
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.AgentId != agentId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Agent {agentId} did not serve conversation {conversationId}.");
        }

        if (c.WrapUp is { Submitted: true })
        {
            throw new KefuStateException("Conversation", conversationId, $"The wrap-up of conversation {conversationId} was submitted and can no longer change.");
        }

        if (input.ProblemTypeId is { } problem && !Categories.ContainsKey(problem))
        {
            throw new KefuNotFoundException("WrapUpCategory", problem);
        }

        var detail = Guard.OptionalText(input.Detail, 2000, "Detail");
        var reply = Guard.OptionalText(input.Reply, 2000, "Reply");
        if (submit && input.ProblemTypeId is null)
        {
            throw new KefuValidationException("ProblemTypeId", "set to submit a wrap-up (a draft may leave it empty)");
        }

        if (submit && input.Resolved is null)
        {
            throw new KefuValidationException("Resolved", "set to submit a wrap-up (a draft may leave it empty)");
        }

        c.WrapUp = new WrapUp
        {
            ProblemTypeId = input.ProblemTypeId,
            Resolved = input.Resolved,
            Detail = detail,
            Reply = reply,
            Submitted = submit,
            AgentId = agentId,
            SavedAt = Now,
        };
        Touch(c);
        Emit(c.Id).WrapUpSaved = new WrapUpSavedEvent { ProblemTypeId = input.ProblemTypeId ?? 0, Resolved = input.Resolved ?? false, Submitted = submit, AgentId = agentId };
        return c.ToSnapshot();
    }

    public async ValueTask<Conversation> SetSessionTagsAsync(long conversationId, long agentId, IReadOnlyList<long> tagIds, string? note)
    {
        RequireTenant();
        ArgumentNullException.ThrowIfNull(tagIds);
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.AgentId != agentId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Agent {agentId} did not serve conversation {conversationId}.");
        }

        foreach (var tagId in tagIds)
        {
            if (!Tags.TryGetValue(tagId, out var tag) || tag.Scope != TagScope.Session)
            {
                throw new KefuNotFoundException("SessionTag", tagId);
            }
        }

        note = Guard.OptionalText(note, 500, "Note");
        c.TagIds = [.. tagIds.Distinct()];
        c.Note = note;
        Touch(c);
        var e = new ServiceSessionTagsChangedEvent { Note = note ?? string.Empty };
        e.TagIds.AddRange(c.TagIds);
        Emit(c.Id).SessionTagsChanged = e;
        return c.ToSnapshot();
    }

    // ---- CRM and tickets (C21)

    public async ValueTask<CrmParameters> GetCrmParametersAsync(long conversationId, long agentId)
    {
        RequireTenant();
        var agent = GetAgent(agentId).Agent;
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        var visitor = await GetVisitorAsync(c.VisitorId).ConfigureAwait(false);
        return new CrmParameters(agentId, visitor.Id, agent.Email, TenantId, agent.DisplayName, visitor.ImId);
    }

    public async ValueTask<long> RequestTicketAsync(long conversationId, long agentId, string title, string? description)
    {
        RequireTenant();
        title = Guard.Text(title, 200, "Title");
        description = Guard.OptionalText(description, 5000, "Description");
        var crm = await GetCrmParametersAsync(conversationId, agentId).ConfigureAwait(false);
        var e = Emit(conversationId);
        e.TicketRequested = new TicketRequestedEvent
        {
            AgentId = agentId,
            VisitorId = crm.UserId,
            Title = title,
            Description = description ?? string.Empty,
            CrmAgentEmail = crm.Email ?? string.Empty,
            CrmAgentName = crm.AgentName,
            VisitorImId = crm.VisitorImId ?? string.Empty,
        };
        return e.EventId;
    }

    // ---- Reads

    public IReadOnlyList<Conversation> ListOpen(long? agentId) =>
        [.. Open.Values.Where(c => agentId is null || c.AgentId == agentId).OrderBy(c => c.Id).Select(c => c.ToSnapshot())];

    // ---- Helpers

    private async ValueTask<ConversationRuntime> RequireOpenAsync(long conversationId)
    {
        var c = await GetConversationAsync(conversationId).ConfigureAwait(false);
        if (c.IsClosed)
        {
            throw new KefuStateException("Conversation", conversationId, $"Conversation {conversationId} is closed.");
        }

        return c;
    }

    private async ValueTask<ConversationRuntime> RequireServedByAsync(long conversationId, long agentId)
    {
        var c = await RequireOpenAsync(conversationId).ConfigureAwait(false);
        if (c.State != ConversationState.InService || c.AgentId != agentId)
        {
            throw new KefuStateException("Conversation", conversationId, $"Agent {agentId} is not serving conversation {conversationId} (it is {c.State}).");
        }

        return c;
    }

    private static void RequireParticipant(ConversationRuntime c, Participant p)
    {
        var ok = p.Kind switch
        {
            ParticipantKind.Visitor => p.Id == c.VisitorId,
            ParticipantKind.Agent => p.Id == c.AgentId,
            _ => false,
        };
        if (!ok)
        {
            throw new KefuStateException("Conversation", c.Id, $"{p.Kind} {p.Id} is not a participant of conversation {c.Id}.");
        }
    }
}
