using Kefu.Events;
using Kefu.Routing.Engine;

namespace Kefu.Routing;

/// <summary>Checks a routing configuration; every refusal names the field and what is allowed.</summary>
internal static class RoutingConfigurationValidator
{
    public static void Validate(RoutingConfiguration c, StrategyRegistry strategies)
    {
        if (!Enum.IsDefined(c.RobotMode))
        {
            throw new KefuValidationException(nameof(c.RobotMode), "ByRules, RobotOnly, RobotFirst, HumanOnly or HumanFirst");
        }

        if (c.RobotMode is RobotMode.RobotOnly or RobotMode.RobotFirst or RobotMode.HumanFirst && c.DefaultRobotId is null
            && !c.Rules.Any(r => r.Enabled && (r.AllDay ?? r.WorkHours ?? r.OffHours) is { Kind: TargetKind.Robot }))
        {
            throw new KefuValidationException(nameof(c.DefaultRobotId), $"set, or a rule that targets a robot, in {c.RobotMode} mode");
        }

        Positive(c.DefaultRobotId, nameof(c.DefaultRobotId));
        if (!Enum.IsDefined(c.DefaultPool))
        {
            throw new KefuValidationException(nameof(c.DefaultPool), "UngroupedAgents or AnyAgent");
        }

        Target(c.DefaultTarget, nameof(c.DefaultTarget));
        if (c.KindOrder is null || c.KindOrder.Count != 3 || c.KindOrder.Distinct().Count() != 3 || c.KindOrder.Any(k => !Enum.IsDefined(k)))
        {
            throw new KefuValidationException(nameof(c.KindOrder), "Channel, Association and Entry, each once, highest priority first");
        }

        if (c.Rules is null || c.Rules.Count > RoutingConfiguration.MaxRules)
        {
            throw new KefuValidationException(nameof(c.Rules), $"a list of at most {RoutingConfiguration.MaxRules} rules");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < c.Rules.Count; i++)
        {
            Rule(c.Rules[i], $"Rules[{i}]", names, c.Navigation);
        }

        Schedule(c.WorkHours ?? throw new KefuValidationException(nameof(c.WorkHours), "set"));
        Navigation(c.Navigation ?? throw new KefuValidationException(nameof(c.Navigation), "set"));
        if (c.Groups is null)
        {
            throw new KefuValidationException(nameof(c.Groups), "a list (empty for the defaults)");
        }

        var groups = new HashSet<long>();
        for (var i = 0; i < c.Groups.Count; i++)
        {
            var g = c.Groups[i];
            Positive(g.GroupId, $"Groups[{i}].GroupId");
            if (!groups.Add(g.GroupId))
            {
                throw new KefuValidationException($"Groups[{i}].GroupId", "each group once", $"group {g.GroupId} is listed twice");
            }

            if (g.Strategy is not null && !strategies.Contains(g.Strategy))
            {
                throw new KefuValidationException($"Groups[{i}].Strategy", $"null (the default) or one of {string.Join(", ", strategies.Names)}", $"'{g.Strategy}' is not registered");
            }
        }
    }

    public static void ValidateReferences(RoutingConfiguration c, IReadOnlySet<long> groups, IReadOnlySet<long> agents, IReadOnlySet<long> associations)
    {
        Exists(c.DefaultTarget);
        for (var i = 0; i < c.Rules.Count; i++)
        {
            var r = c.Rules[i];
            Exists(r.AllDay);
            Exists(r.WorkHours);
            Exists(r.OffHours);
            Exists(r.Overflow?.Target);
            if (r.AssociationId is { } a && !associations.Contains(a))
            {
                throw new KefuNotFoundException("Association", a);
            }

            if (r.EntryGroupId is { } g && !groups.Contains(g))
            {
                throw new KefuNotFoundException("SkillGroup", g);
            }
        }

        foreach (var g in c.Groups)
        {
            if (!groups.Contains(g.GroupId))
            {
                throw new KefuNotFoundException("SkillGroup", g.GroupId);
            }
        }

        void Exists(RoutingTarget? target)
        {
            switch (target)
            {
                case { Kind: TargetKind.Group } t when !groups.Contains(t.Id):
                    throw new KefuNotFoundException("SkillGroup", t.Id);
                case { Kind: TargetKind.Agent } t when !agents.Contains(t.Id):
                    throw new KefuNotFoundException("Agent", t.Id);
            }
        }
    }

    private static void Rule(RoutingRule r, string field, HashSet<string> names, NavigationSettings? navigation)
    {
        if (r is null)
        {
            throw new KefuValidationException(field, "a rule, not null");
        }

        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > 50)
        {
            throw new KefuValidationException(field + ".Name", "1–50 characters");
        }

        if (!names.Add(r.Name))
        {
            throw new KefuValidationException(field + ".Name", "unique among the rules", $"'{r.Name}' is used twice");
        }

        var matchers = (r.Channel is null ? 0 : 1) + (r.AssociationId is null ? 0 : 1) + (r.Entry is null && r.EntryGroupId is null ? 0 : 1) + (r.NavigationOption is null ? 0 : 1);
        if (matchers != 1 || (r.Entry is not null && r.EntryGroupId is not null))
        {
            throw new KefuValidationException(field, "exactly one of Channel, AssociationId, Entry, EntryGroupId or NavigationOption");
        }

        if (r.Channel is { } channel && (channel == ChannelKind.Unspecified || !Enum.IsDefined(channel)))
        {
            throw new KefuValidationException(field + ".Channel", "Web, H5, App, Wechat, Weibo, MiniProgram, Phone or Video");
        }

        Positive(r.AssociationId, field + ".AssociationId");
        Positive(r.EntryGroupId, field + ".EntryGroupId");
        if (r.Entry is { } entry && (string.IsNullOrWhiteSpace(entry) || entry.Length > 100))
        {
            throw new KefuValidationException(field + ".Entry", "1–100 characters");
        }

        if (r.NavigationOption is { } option && !(navigation?.Options ?? []).Any(o => o.Key == option))
        {
            throw new KefuValidationException(field + ".NavigationOption", "the key of one of Navigation.Options", $"'{option}' is not one");
        }

        if (r.AllDay is not null && (r.WorkHours is not null || r.OffHours is not null))
        {
            throw new KefuValidationException(field, "either AllDay, or WorkHours and/or OffHours (split by work hours), not both");
        }

        if (r.AllDay is null && r.WorkHours is null && r.OffHours is null)
        {
            throw new KefuValidationException(field + ".AllDay", "a target (or WorkHours/OffHours targets)");
        }

        Target(r.AllDay, field + ".AllDay");
        Target(r.WorkHours, field + ".WorkHours");
        Target(r.OffHours, field + ".OffHours");
        if (r.Overflow is { } overflow)
        {
            if (overflow.Threshold is < 0 or > 10_000)
            {
                throw new KefuValidationException(field + ".Overflow.Threshold", "0–10,000 waiting conversations");
            }

            Target(overflow.Target, field + ".Overflow.Target");
            if (overflow.Target is null || overflow.Target.Kind == TargetKind.Robot)
            {
                throw new KefuValidationException(field + ".Overflow.Target", "a skill group or a named agent");
            }
        }
    }

    private static void Schedule(WorkSchedule s)
    {
        if (string.IsNullOrWhiteSpace(s.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out _))
        {
            throw new KefuValidationException("WorkHours.TimeZone", "an IANA time zone id such as Asia/Shanghai", $"'{s.TimeZone}' is not known here");
        }

        if (s.Week is null)
        {
            throw new KefuValidationException("WorkHours.Week", "set (a missing day has no work hours)");
        }

        foreach (var (day, periods) in s.Week)
        {
            var field = $"WorkHours.Week.{day}";
            if (!Enum.IsDefined(day) || periods is null || periods.Count > WorkSchedule.MaxPeriodsPerDay)
            {
                throw new KefuValidationException(field, $"at most {WorkSchedule.MaxPeriodsPerDay} periods a day");
            }

            var ordered = periods.OrderBy(p => p.Start).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                if (ordered[i].End <= ordered[i].Start)
                {
                    throw new KefuValidationException(field, "periods that end after they start", $"{ordered[i].Start:HH\\:mm}–{ordered[i].End:HH\\:mm}");
                }

                if (i > 0 && ordered[i].Start < ordered[i - 1].End)
                {
                    throw new KefuValidationException(field, "periods that do not overlap", $"{ordered[i - 1].Start:HH\\:mm}–{ordered[i - 1].End:HH\\:mm} and {ordered[i].Start:HH\\:mm}–{ordered[i].End:HH\\:mm}");
                }
            }
        }

        if (s.Holidays is null || s.Holidays.Count > 366)
        {
            throw new KefuValidationException("WorkHours.Holidays", "at most 366 dates");
        }
    }

    private static void Navigation(NavigationSettings n)
    {
        if ((n.Prompt?.Length ?? 0) > 200)
        {
            throw new KefuValidationException("Navigation.Prompt", "at most 200 characters");
        }

        if (n.Options is null || n.Options.Count > 50)
        {
            throw new KefuValidationException("Navigation.Options", "at most 50 options");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n.Options.Count; i++)
        {
            var o = n.Options[i];
            var field = $"Navigation.Options[{i}]";
            if (o is null || string.IsNullOrWhiteSpace(o.Key) || o.Key.Length > 100)
            {
                throw new KefuValidationException(field + ".Key", "1–100 characters");
            }

            if (!keys.Add(o.Key))
            {
                throw new KefuValidationException(field + ".Key", "unique among the options", $"'{o.Key}' is used twice");
            }

            if (string.IsNullOrWhiteSpace(o.Title) || o.Title.Length > 50)
            {
                throw new KefuValidationException(field + ".Title", "1–50 characters");
            }

            if ((o.Description?.Length ?? 0) > 200)
            {
                throw new KefuValidationException(field + ".Description", "at most 200 characters");
            }
        }
    }

    private static void Target(RoutingTarget? target, string field)
    {
        if (target is null)
        {
            return;
        }

        if (!Enum.IsDefined(target.Kind))
        {
            throw new KefuValidationException(field + ".Kind", "Robot, Group or Agent");
        }

        Positive(target.Id, field + ".Id");
    }

    private static void Positive(long? id, string field)
    {
        if (id is <= 0)
        {
            throw new KefuValidationException(field, "a positive id");
        }
    }
}
