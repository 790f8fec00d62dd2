namespace Kefu.Model;

/// <summary>
/// A tenant's settings. Each part is replaced as a whole and validated before it is stored; a refused update leaves
/// the settings unchanged.
/// </summary>
public sealed record TenantSettings
{
    /// <summary>Conversation rules (recall window, mandatory tags, retention, time-outs).</summary>
    public ConversationSettings Conversations { get; init; } = new();

    /// <summary>Canned phrases and their time-outs (C16).</summary>
    public CannedPhrases Phrases { get; init; } = new();

    /// <summary>Rating settings (C13).</summary>
    public RatingSettings Rating { get; init; } = new();

    /// <summary>The additional-information page (附加信息, C7).</summary>
    public AdditionalInfoSettings AdditionalInfo { get; init; } = new();

    /// <summary>Tenant limits set by the organisation (C1, C4).</summary>
    public TenantLimits Limits { get; init; } = new();

    internal void Validate()
    {
        Conversations.Validate();
        Phrases.Validate();
        Rating.Validate();
        AdditionalInfo.Validate();
        Limits.Validate();
    }
}

/// <summary>Limits on a tenant, set by the organisation.</summary>
public sealed record TenantLimits
{
    /// <summary>The largest <c>MaxConcurrentChats</c> of an agent when the limit is not raised.</summary>
    public const int StandardChatLimit = 100;

    /// <summary>The largest <c>MaxConcurrentChats</c> of an agent when the limit is raised (E17 2.6).</summary>
    public const int RaisedChatLimit = 200;

    /// <summary>How many agents the tenant may have. <value>Default 100; 1–100,000.</value></summary>
    public int MaxAgents { get; init; } = 100;

    /// <summary>Whether agents may take up to 200 chats at once instead of 100. <value>Default false.</value></summary>
    public bool ChatLimitRaised { get; init; }

    /// <summary>The largest <see cref="Agent.MaxConcurrentChats"/> allowed now.</summary>
    public int MaxConcurrentChatsLimit => ChatLimitRaised ? RaisedChatLimit : StandardChatLimit;

    internal void Validate() => Guard.Range(MaxAgents, 1, 100_000, nameof(MaxAgents));
}

/// <summary>Conversation rules of a tenant.</summary>
public sealed record ConversationSettings
{
    /// <summary>The smallest recall window, 10 seconds.</summary>
    public static readonly TimeSpan MinRecallWindow = TimeSpan.FromSeconds(10);

    /// <summary>The largest recall window, 10 minutes.</summary>
    public static readonly TimeSpan MaxRecallWindow = TimeSpan.FromMinutes(10);

    /// <summary>How long after sending an agent may recall a message (C10). <value>Default 2 minutes; 10 s – 10 min.</value></summary>
    public TimeSpan RecallWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether an agent must add a session tag before ending (C17). <value>Default false.</value></summary>
    public bool MandatorySessionTagOnClose { get; init; }

    /// <summary>How long closed conversations and their messages are kept (C18). <value>Default 180 days; 1–3,650 days.</value></summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(180);

    /// <summary>Whether conversations with no message for <see cref="InactiveTimeout"/> close (C1, R12). <value>Default false.</value></summary>
    public bool InactiveSessionAutoClose { get; init; }

    /// <summary>Silence after which an inactive conversation closes. <value>Default 30 minutes; 1 minute – 24 hours.</value></summary>
    public TimeSpan InactiveTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>What happens to an agent's conversations when the agent goes offline (IS 5.3). <value>Default <see cref="OfflineConversationPolicy.Close"/>.</value></summary>
    public OfflineConversationPolicy WhenAgentGoesOffline { get; init; } = OfflineConversationPolicy.Close;

    /// <summary>How long an offer rings before it passes to the next agent (R12). <value>Default 30 seconds; 5 seconds to 10 minutes.</value></summary>
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether an agent who lets an offer time out is set away for that media, so the next offers go elsewhere. <value>Default true.</value></summary>
    public bool MissedOfferSetsAway { get; init; } = true;

    /// <summary>
    /// How often a queued visitor is reminded of their position with the queue message (R9, <c>#人数#</c>);
    /// <see cref="TimeSpan.Zero"/> switches reminders off. <value>Default 10 seconds; zero, or 5 seconds to 1 hour.</value>
    /// </summary>
    public TimeSpan QueueReminderInterval { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        Guard.Range(RecallWindow, MinRecallWindow, MaxRecallWindow, nameof(RecallWindow), "between 10 seconds and 10 minutes");
        Guard.Range(Retention, TimeSpan.FromDays(1), TimeSpan.FromDays(3650), nameof(Retention), "between 1 and 3650 days");
        Guard.Range(InactiveTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromHours(24), nameof(InactiveTimeout), "between 1 minute and 24 hours");
        Guard.Range(OfferTimeout, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10), nameof(OfferTimeout), "between 5 seconds and 10 minutes");
        if (QueueReminderInterval != TimeSpan.Zero)
        {
            Guard.Range(QueueReminderInterval, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), nameof(QueueReminderInterval), "zero (off), or between 5 seconds and 1 hour");
        }
        if (!Enum.IsDefined(WhenAgentGoesOffline))
        {
            throw new KefuValidationException(nameof(WhenAgentGoesOffline), "Close or Requeue");
        }
    }
}

/// <summary>What happens to an agent's open conversations when the agent goes offline.</summary>
public enum OfflineConversationPolicy
{
    /// <summary>The conversations are ended (IS 5.3: 咨询中的会话会被系统强制断开).</summary>
    Close,
    /// <summary>The conversations go back to the queue for another agent.</summary>
    Requeue,
}

/// <summary>A canned phrase that can be switched off.</summary>
/// <param name="Enabled">Whether the phrase is used.</param>
/// <param name="Text">The phrase.</param>
public sealed record Phrase(bool Enabled, string Text);

/// <summary>A phrase sent when someone has not replied for a number of minutes (1–20).</summary>
/// <param name="Enabled">Whether the time-out is active.</param>
/// <param name="Minutes">The time-out, 1–20 minutes.</param>
/// <param name="Text">The phrase.</param>
public sealed record TimedPhrase(bool Enabled, int Minutes, string Text)
{
    /// <summary>The time-out as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Timeout => TimeSpan.FromMinutes(Minutes);
}

/// <summary>Canned phrases and prompts (常用说辞和提示, IS 4.2.1). Defaults are the seed's texts.</summary>
public sealed record CannedPhrases
{
    /// <summary>The placeholder replaced by the visitor's queue position.</summary>
    public const string QueuePositionPlaceholder = "#人数#";

    /// <summary>Sent when a visitor reaches a human agent.</summary>
    public Phrase Welcome { get; init; } = new(true, "您好，很高兴能为您服务！请问有什么可以帮您的吗？");

    /// <summary>Shown when no agent is online.</summary>
    public string NobodyOnline { get; init; } = "非常抱歉，当前没有客服在线。客服工作时间为工作日9:00-20:00";

    /// <summary>Sent when either side ends the conversation.</summary>
    public Phrase End { get; init; } = new(true, "本次咨询已结束，感谢您的支持，祝您生活愉快！");

    /// <summary>The hint in the visitor's input box while chatting.</summary>
    public string InputHint { get; init; } = "请简要提交您的问题";

    /// <summary>The hint in the visitor's input box while queued.</summary>
    public string QueueInputHint { get; init; } = "接入排队中，请稍候.....";

    /// <summary>Sent when the visitor joins a queue; <c>#人数#</c> becomes the position.</summary>
    public string QueueMessage { get; init; } = "排队中，您在队伍中的第#人数#个";

    /// <summary>Whether <see cref="QueueOverLimitMessage"/> replaces the queue message beyond <see cref="QueueOverLimitThreshold"/>.</summary>
    public bool QueueOverLimitEnabled { get; init; }

    /// <summary>The position beyond which the over-limit message is sent. <value>Default 10; 1–10,000.</value></summary>
    public int QueueOverLimitThreshold { get; init; } = 10;

    /// <summary>Sent instead of the queue message when the position exceeds the threshold.</summary>
    public string QueueOverLimitMessage { get; init; } = "您在队伍中的第#人数#个，当前等待人数较多，建议非繁忙时间再咨询";

    /// <summary>Reminder to a visitor who has not replied (客户超时提示), 1–20 minutes.</summary>
    public TimedPhrase VisitorNoReplyReminder { get; init; } = new(false, 3, "您好，由于您长时间没有回复，本次咨询将于2分钟后自动结束。");

    /// <summary>Closes the conversation when the visitor has not replied (客户超时下线), 1–20 minutes.</summary>
    public TimedPhrase VisitorNoReplyClose { get; init; } = new(false, 5, "您好，由于您长时间没有回复，系统自动结束了本次咨询。");

    /// <summary>Sent when the agent has not replied to the visitor (客服超时回复), 1–20 minutes.</summary>
    public TimedPhrase AgentNoReply { get; init; } = new(false, 2, "您好，当前咨询客户量过多，客服正在忙碌中，请稍候。");

    internal void Validate()
    {
        ValidatePhrase(Welcome, nameof(Welcome));
        ValidatePhrase(End, nameof(End));
        Guard.Text(NobodyOnline, 500, nameof(NobodyOnline), required: false);
        Guard.Text(InputHint, 100, nameof(InputHint), required: false);
        Guard.Text(QueueInputHint, 100, nameof(QueueInputHint), required: false);
        Guard.Text(QueueMessage, 500, nameof(QueueMessage));
        Guard.Text(QueueOverLimitMessage, 500, nameof(QueueOverLimitMessage));
        Guard.Range(QueueOverLimitThreshold, 1, 10_000, nameof(QueueOverLimitThreshold));
        ValidateTimed(VisitorNoReplyReminder, nameof(VisitorNoReplyReminder));
        ValidateTimed(VisitorNoReplyClose, nameof(VisitorNoReplyClose));
        ValidateTimed(AgentNoReply, nameof(AgentNoReply));
    }

    private static void ValidatePhrase(Phrase? phrase, string field)
    {
        if (phrase is null)
        {
            throw new KefuValidationException(field, "set");
        }

        Guard.Text(phrase.Text, 500, field + ".Text", required: phrase.Enabled);
    }

    private static void ValidateTimed(TimedPhrase? phrase, string field)
    {
        if (phrase is null)
        {
            throw new KefuValidationException(field, "set");
        }

        Guard.Range(phrase.Minutes, 1, 20, field + ".Minutes");
        Guard.Text(phrase.Text, 500, field + ".Text", required: phrase.Enabled);
    }
}

/// <summary>Rating settings (评价设置, IS 4.2.2).</summary>
public sealed record RatingSettings
{
    /// <summary>The most tags a level may have.</summary>
    public const int MaxTagsPerLevel = 9;

    /// <summary>Number of levels: 2 (满意/不满意), 3 (满意/一般/不满意) or 5 (非常满意 … 非常不满意). <value>Default 5.</value></summary>
    public int Levels { get; init; } = 5;

    /// <summary>Tags a visitor may pick per level, index 0 for level 1 (the lowest); at most 9 per level.</summary>
    public IReadOnlyList<IReadOnlyList<string>> TagsByLevel { get; init; } = [];

    /// <summary>Whether the visitor may add a comment. <value>Default true.</value></summary>
    public bool CommentEnabled { get; init; } = true;

    /// <summary>The names of the levels from the lowest (1) to the highest.</summary>
    public IReadOnlyList<string> LevelNames => Levels switch
    {
        2 => ["不满意", "满意"],
        3 => ["不满意", "一般", "满意"],
        _ => ["非常不满意", "不满意", "一般", "满意", "非常满意"],
    };

    internal void Validate()
    {
        if (Levels is not (2 or 3 or 5))
        {
            throw new KefuValidationException(nameof(Levels), "2, 3 or 5", $"was {Levels}");
        }

        if (TagsByLevel is null || TagsByLevel.Count > Levels)
        {
            throw new KefuValidationException(nameof(TagsByLevel), $"at most one list per level ({Levels})");
        }

        for (var i = 0; i < TagsByLevel.Count; i++)
        {
            var tags = TagsByLevel[i] ?? [];
            if (tags.Count > MaxTagsPerLevel)
            {
                throw new KefuValidationException($"{nameof(TagsByLevel)}[{i}]", $"at most {MaxTagsPerLevel} tags", $"had {tags.Count}");
            }

            foreach (var tag in tags)
            {
                Guard.Text(tag, 20, $"{nameof(TagsByLevel)}[{i}]");
            }

            if (tags.Distinct(StringComparer.Ordinal).Count() != tags.Count)
            {
                throw new KefuValidationException($"{nameof(TagsByLevel)}[{i}]", "distinct tags");
            }
        }
    }
}

/// <summary>A field of the additional-information page: a key filled by a third-party system and its display name.</summary>
public sealed record AdditionalInfoField(string Key, string DisplayName, bool Visible = true);

/// <summary>The additional-information page in the workbench (附加信息配置, IS 4.1.6).</summary>
public sealed record AdditionalInfoSettings
{
    /// <summary>The most fields the page shows.</summary>
    public const int MaxFields = 10;

    /// <summary>The longest page title, in characters.</summary>
    public const int MaxTitleLength = 6;

    /// <summary>Whether the page is shown. <value>Default false.</value></summary>
    public bool Enabled { get; init; }

    /// <summary>The page title, at most 6 characters. <value>Default 附加信息.</value></summary>
    public string Title { get; init; } = "附加信息";

    /// <summary>The fields, at most 10.</summary>
    public IReadOnlyList<AdditionalInfoField> Fields { get; init; } = [];

    internal void Validate()
    {
        if (Title is null || Title.Trim().Length == 0 || Title.Trim().Length > MaxTitleLength)
        {
            throw new KefuValidationException(nameof(Title), $"1–{MaxTitleLength} characters", $"had {Title?.Trim().Length ?? 0}");
        }

        if (Fields is null || Fields.Count > MaxFields)
        {
            throw new KefuValidationException(nameof(Fields), $"at most {MaxFields} fields", $"had {Fields?.Count ?? 0}");
        }

        foreach (var field in Fields)
        {
            if (field is null)
            {
                throw new KefuValidationException(nameof(Fields), "a list without empty entries");
            }

            Guard.Identifier(field.Key, nameof(AdditionalInfoField.Key));
            Guard.Text(field.DisplayName, 20, nameof(AdditionalInfoField.DisplayName));
        }

        if (Fields.Select(f => f.Key).Distinct(StringComparer.Ordinal).Count() != Fields.Count)
        {
            throw new KefuValidationException(nameof(Fields), "fields with distinct keys");
        }
    }
}
