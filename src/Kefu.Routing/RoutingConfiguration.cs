using Kefu.Events;

namespace Kefu.Routing;

/// <summary>How new visitors meet robots and humans (R4, IS 4.1.4; E17 8.5).</summary>
public enum RobotMode
{
    /// <summary>The rules decide (E17 8.5): a rule that targets a robot sends the visitor to it; a group rule sends them to humans.</summary>
    ByRules,
    /// <summary>Only robots serve; a robot's hand-off to a human is refused.</summary>
    RobotOnly,
    /// <summary>Every new visitor meets a robot first and may be handed to a human.</summary>
    RobotFirst,
    /// <summary>Only humans serve: robot targets are skipped.</summary>
    HumanOnly,
    /// <summary>Humans serve, but while anyone waits in a queue new visitors go to a robot.</summary>
    HumanFirst,
}

/// <summary>Who serves conversations that no rule sends anywhere (E17 8.5.4).</summary>
public enum DefaultPool
{
    /// <summary>The agents in no skill group (未分组的客服, E17 8.5.4).</summary>
    UngroupedAgents,
    /// <summary>Every agent, grouped or not.</summary>
    AnyAgent,
}

/// <summary>The kinds of assignment rule (E17 8.5.1–8.5.3); their order is the tenant's priority (8.5.5).</summary>
public enum RuleKind
{
    /// <summary>Matches the conversation's channel kind (app, web, WeChat, Weibo …).</summary>
    Channel,
    /// <summary>Matches the conversation's association (an app, official account or Weibo account).</summary>
    Association,
    /// <summary>Matches the entry: an entry name, or the skill group the entry button is bound to.</summary>
    Entry,
}

/// <summary>What a rule sends a conversation to.</summary>
public enum TargetKind
{
    /// <summary>A robot.</summary>
    Robot,
    /// <summary>A skill group.</summary>
    Group,
    /// <summary>A named agent.</summary>
    Agent,
}

/// <summary>A rule's target.</summary>
/// <param name="Kind">A robot, a skill group or a named agent.</param>
/// <param name="Id">The robot's, group's or agent's id.</param>
public sealed record RoutingTarget(TargetKind Kind, long Id)
{
    /// <summary>A robot.</summary>
    public static RoutingTarget Robot(long robotId) => new(TargetKind.Robot, robotId);
    /// <summary>A skill group.</summary>
    public static RoutingTarget Group(long groupId) => new(TargetKind.Group, groupId);
    /// <summary>A named agent.</summary>
    public static RoutingTarget Agent(long agentId) => new(TargetKind.Agent, agentId);

    /// <inheritdoc />
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Id}";
}

/// <summary>Overflow (R3): when more than <see cref="Threshold"/> wait for the rule's target, send to <see cref="Target"/> instead.</summary>
/// <param name="Threshold">The queue length N; overflow happens while the queue is longer than N. 0–10,000.</param>
/// <param name="Target">Another skill group or named agent.</param>
public sealed record QueueOverflow(int Threshold, RoutingTarget Target);

/// <summary>
/// An assignment rule. A channel rule sets <see cref="Channel"/>, an association rule <see cref="AssociationId"/>, an
/// entry rule <see cref="Entry"/> or <see cref="EntryGroupId"/>, a navigation rule <see cref="NavigationOption"/>.
/// The target is <see cref="AllDay"/>, or split into <see cref="WorkHours"/> and <see cref="OffHours"/> (a rule
/// without a target for the current period does not match).
/// </summary>
public sealed record RoutingRule
{
    /// <summary>The rule's name, shown in explanations and when a group in use cannot be deleted; 1–50 characters, unique.</summary>
    public required string Name { get; init; }
    /// <summary>Whether the rule is in force. <value>Default true.</value></summary>
    public bool Enabled { get; init; } = true;
    /// <summary>The channel kind a channel rule matches.</summary>
    public ChannelKind? Channel { get; init; }
    /// <summary>The association an association rule matches.</summary>
    public long? AssociationId { get; init; }
    /// <summary>The entry name an entry rule matches (ordinal comparison).</summary>
    public string? Entry { get; init; }
    /// <summary>An entry rule that matches conversations whose entry button is bound to this skill group.</summary>
    public long? EntryGroupId { get; init; }
    /// <summary>The consultation-navigation option a navigation rule matches (R3).</summary>
    public string? NavigationOption { get; init; }
    /// <summary>The target all day.</summary>
    public RoutingTarget? AllDay { get; init; }
    /// <summary>The target during work hours.</summary>
    public RoutingTarget? WorkHours { get; init; }
    /// <summary>The target outside work hours and on holidays.</summary>
    public RoutingTarget? OffHours { get; init; }
    /// <summary>Overflow to another target while the queue is long, or null for none.</summary>
    public QueueOverflow? Overflow { get; init; }

    /// <summary>Which kind of rule this is, or null for a navigation rule.</summary>
    public RuleKind? Kind =>
        Channel is not null ? RuleKind.Channel
        : AssociationId is not null ? RuleKind.Association
        : Entry is not null || EntryGroupId is not null ? RuleKind.Entry
        : null;

    /// <summary>Whether this is a consultation-navigation rule.</summary>
    public bool IsNavigation => NavigationOption is not null;
}

/// <summary>A period of a work day, in the tenant's time zone; <see cref="End"/> after <see cref="Start"/>.</summary>
/// <param name="Start">When it starts.</param>
/// <param name="End">When it ends (exclusive).</param>
public sealed record WorkPeriod(TimeOnly Start, TimeOnly End);

/// <summary>Work hours (R5): up to 4 periods a day per weekday, holidays, in one time zone.</summary>
public sealed record WorkSchedule
{
    /// <summary>The most periods a day may have.</summary>
    public const int MaxPeriodsPerDay = 4;

    /// <summary>The IANA time zone the periods are in. <value>Default Asia/Shanghai.</value></summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>The periods of each weekday; a day that is missing has no work hours. <value>Default Monday–Friday 09:00–18:00.</value></summary>
    public IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkPeriod>> Week { get; init; } = DefaultWeek();

    /// <summary>Dates without work hours (public holidays), at most 366.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    private static Dictionary<DayOfWeek, IReadOnlyList<WorkPeriod>> DefaultWeek()
    {
        var day = new WorkPeriod(new TimeOnly(9, 0), new TimeOnly(18, 0));
        return new Dictionary<DayOfWeek, IReadOnlyList<WorkPeriod>>
        {
            [DayOfWeek.Monday] = [day],
            [DayOfWeek.Tuesday] = [day],
            [DayOfWeek.Wednesday] = [day],
            [DayOfWeek.Thursday] = [day],
            [DayOfWeek.Friday] = [day],
        };
    }
}

/// <summary>A consultation-navigation option (咨询导航, R3): shown to the visitor before human service.</summary>
/// <param name="Key">The option's key, 1–100 characters, unique; navigation rules match it.</param>
/// <param name="Title">What the visitor sees, 1–50 characters.</param>
/// <param name="Description">An optional line under the title, at most 200 characters.</param>
/// <param name="Enabled">Whether it is shown.</param>
public sealed record NavigationOption(string Key, string Title, string? Description = null, bool Enabled = true);

/// <summary>Consultation navigation (R3, IS 4.1.2): the menu shown before human service.</summary>
public sealed record NavigationSettings
{
    /// <summary>Whether the menu is shown (it is when enabled and at least one option is enabled).</summary>
    public bool Enabled { get; init; }
    /// <summary>The guide text above the options, at most 200 characters.</summary>
    public string Prompt { get; init; } = "请选择您要咨询的问题类型";
    /// <summary>The options, in display order; at most 50.</summary>
    public IReadOnlyList<NavigationOption> Options { get; init; } = [];
}

/// <summary>How one skill group picks among its members (R8).</summary>
/// <param name="GroupId">The skill group.</param>
/// <param name="Strategy">The strategy's name (<see cref="IAssignmentStrategy.Name"/>); null for the media's default.</param>
/// <param name="RequireAcceptance">Whether chats of this group ring until the agent accepts (calls always ring).</param>
public sealed record GroupRouting(long GroupId, string? Strategy = null, bool RequireAcceptance = false);

/// <summary>
/// A tenant's routing configuration (R1–R5, R8): robot mode, rules, the priority of rule kinds, work hours,
/// consultation navigation, per-group strategies and the default target. Saved as one versioned configuration document.
/// </summary>
public sealed record RoutingConfiguration
{
    /// <summary>The most rules a tenant may have.</summary>
    public const int MaxRules = 500;

    /// <summary>How new visitors meet robots and humans. <value>Default <see cref="RobotMode.ByRules"/>.</value></summary>
    public RobotMode RobotMode { get; init; } = RobotMode.ByRules;

    /// <summary>The robot for robot modes when no rule names one.</summary>
    public long? DefaultRobotId { get; init; }

    /// <summary>Where conversations no rule matches go: a skill group, named agent or robot; null for <see cref="DefaultPool"/>.</summary>
    public RoutingTarget? DefaultTarget { get; init; }

    /// <summary>
    /// Who serves conversations that no rule and no <see cref="DefaultTarget"/> send anywhere, and transfers or requeues
    /// without a group. <value>Default <see cref="Routing.DefaultPool.UngroupedAgents"/> (E17 8.5.4); a tenant whose
    /// agents all belong to groups should set a <see cref="DefaultTarget"/> or <see cref="Routing.DefaultPool.AnyAgent"/>.</value>
    /// </summary>
    public DefaultPool DefaultPool { get; init; } = DefaultPool.UngroupedAgents;

    /// <summary>The priority of the rule kinds, highest first (E17 8.5.5); each kind once. <value>Default channel, association, entry.</value></summary>
    public IReadOnlyList<RuleKind> KindOrder { get; init; } = [RuleKind.Channel, RuleKind.Association, RuleKind.Entry];

    /// <summary>The rules; within a kind (and among navigation rules) the first match wins.</summary>
    public IReadOnlyList<RoutingRule> Rules { get; init; } = [];

    /// <summary>Work hours for rules split by work and off hours.</summary>
    public WorkSchedule WorkHours { get; init; } = new();

    /// <summary>Consultation navigation.</summary>
    public NavigationSettings Navigation { get; init; } = new();

    /// <summary>Per-group strategy and acceptance; groups not listed use the defaults.</summary>
    public IReadOnlyList<GroupRouting> Groups { get; init; } = [];
}
