using System.Globalization;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// Checks a robot against the ranges its model documents; every refusal is a <see cref="KefuValidationException"/>
/// naming the field as a caller writes it (<c>Replies.Welcome.Text</c>, <c>Menus[2].Items[0].Text</c>).
/// </summary>
internal static class RobotValidator
{
    public const int MaxNameLength = 50;
    public const int MaxReplyLength = 1000;
    public const int MaxAvatarUrlLength = 2048;
    public const int MaxHandOffKeywords = 50;
    public const int MaxHandOffKeywordLength = 20;
    public const int MaxMenus = 50;
    public const int MaxMenuTitleLength = 200;
    public const int MaxMenuItems = 20;
    public const int MaxMenuItemLength = 100;
    public const int MaxSuggestTextLength = 200;

    /// <summary>
    /// Checks every field that needs nothing but the robot, and returns it with its texts trimmed, a blank avatar
    /// made null and repeated hand-off keywords dropped.
    /// </summary>
    public static Robot Validate(Robot robot)
    {
        ArgumentNullException.ThrowIfNull(robot);
        var name = Text(robot.Name, MaxNameLength, nameof(Robot.Name));
        var avatar = string.IsNullOrWhiteSpace(robot.AvatarUrl) ? null : robot.AvatarUrl.Trim();
        if (avatar is { Length: > MaxAvatarUrlLength })
        {
            throw new KefuValidationException(nameof(Robot.AvatarUrl), $"null or at most {MaxAvatarUrlLength} characters", $"had {avatar.Length} characters");
        }

        return robot with
        {
            Name = name,
            AvatarUrl = avatar,
            Replies = Replies(robot.Replies),
            HandOff = HandOff(robot.HandOff),
            Matching = Matching(robot.Matching),
            Menus = Menus(robot.Menus),
        };
    }

    /// <summary>Checks what the robot refers to: the hand-off skill group and the rules of menu items.</summary>
    /// <param name="robot">A robot that passed <see cref="Validate"/>.</param>
    /// <param name="groupExists">Whether a skill group of the tenant has the id.</param>
    /// <param name="ruleExists">Whether the robot has a knowledge rule with the id.</param>
    public static void ValidateReferences(Robot robot, Func<long, bool> groupExists, Func<long, bool> ruleExists)
    {
        ArgumentNullException.ThrowIfNull(robot);
        ArgumentNullException.ThrowIfNull(groupExists);
        ArgumentNullException.ThrowIfNull(ruleExists);
        if (robot.HandOff.TargetGroupId is { } group && !groupExists(group))
        {
            throw new KefuValidationException("HandOff.TargetGroupId", "null or the id of one of the tenant's skill groups", $"skill group {group} does not exist");
        }

        for (var m = 0; m < robot.Menus.Count; m++)
        {
            var items = robot.Menus[m].Items;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].RuleId is { } rule && !ruleExists(rule))
                {
                    throw new KefuValidationException($"Menus[{m}].Items[{i}].RuleId", "null or the id of one of the robot's knowledge rules", $"rule {rule} does not exist");
                }
            }
        }
    }

    private static RobotReplies Replies(RobotReplies? replies)
    {
        const string field = nameof(Robot.Replies);
        Required(replies, field);
        var result = replies with
        {
            Welcome = Reply(replies.Welcome, $"{field}.{nameof(RobotReplies.Welcome)}"),
            Fallback = Reply(replies.Fallback, $"{field}.{nameof(RobotReplies.Fallback)}"),
            Repeated = Reply(replies.Repeated, $"{field}.{nameof(RobotReplies.Repeated)}"),
            Timeout = Reply(replies.Timeout, $"{field}.{nameof(RobotReplies.Timeout)}"),
        };
        Range(replies.RepeatThreshold, 2, 10, $"{field}.{nameof(RobotReplies.RepeatThreshold)}");
        if (replies.TimeoutAfter < TimeSpan.FromSeconds(10) || replies.TimeoutAfter > TimeSpan.FromHours(1))
        {
            throw new KefuValidationException($"{field}.{nameof(RobotReplies.TimeoutAfter)}", "between 10 seconds and 1 hour", $"was {replies.TimeoutAfter}");
        }

        return result;
    }

    private static AutoReply Reply(AutoReply? reply, string field)
    {
        Required(reply, field);
        return reply with { Text = Text(reply.Text, MaxReplyLength, $"{field}.{nameof(AutoReply.Text)}") };
    }

    private static HandOffSettings HandOff(HandOffSettings? handOff)
    {
        const string field = nameof(Robot.HandOff);
        Required(handOff, field);
        var keywords = handOff.Keywords ?? throw new KefuValidationException($"{field}.{nameof(HandOffSettings.Keywords)}", "a list (empty for none)");
        if (keywords.Count > MaxHandOffKeywords)
        {
            throw new KefuValidationException($"{field}.{nameof(HandOffSettings.Keywords)}", $"at most {MaxHandOffKeywords} keywords", $"had {keywords.Count}");
        }

        var kept = new List<string>(keywords.Count);
        for (var i = 0; i < keywords.Count; i++)
        {
            var keyword = Text(keywords[i], MaxHandOffKeywordLength, $"{field}.{nameof(HandOffSettings.Keywords)}[{i}]");
            if (!kept.Contains(keyword, StringComparer.OrdinalIgnoreCase))
            {
                kept.Add(keyword);
            }
        }

        Range(handOff.AfterConsecutiveMisses, 0, 20, $"{field}.{nameof(HandOffSettings.AfterConsecutiveMisses)}");
        if (handOff.TargetGroupId is <= 0)
        {
            throw new KefuValidationException($"{field}.{nameof(HandOffSettings.TargetGroupId)}", "null or the id of one of the tenant's skill groups", $"was {handOff.TargetGroupId}");
        }

        return handOff with
        {
            Keywords = kept,
            Text = Text(handOff.Text, MaxReplyLength, $"{field}.{nameof(HandOffSettings.Text)}"),
        };
    }

    private static MatchSettings Matching(MatchSettings? matching)
    {
        const string field = nameof(Robot.Matching);
        Required(matching, field);
        if (!(matching.AnswerThreshold >= 0.05 && matching.AnswerThreshold <= 1))
        {
            throw new KefuValidationException($"{field}.{nameof(MatchSettings.AnswerThreshold)}", "between 0.05 and 1", $"was {Format(matching.AnswerThreshold)}");
        }

        if (!(matching.SuggestThreshold >= 0.01 && matching.SuggestThreshold <= matching.AnswerThreshold))
        {
            throw new KefuValidationException($"{field}.{nameof(MatchSettings.SuggestThreshold)}",
                $"between 0.01 and the answer threshold ({Format(matching.AnswerThreshold)})", $"was {Format(matching.SuggestThreshold)}");
        }

        Range(matching.MaxSuggestions, 1, 3, $"{field}.{nameof(MatchSettings.MaxSuggestions)}");
        return matching with { SuggestText = Text(matching.SuggestText, MaxSuggestTextLength, $"{field}.{nameof(MatchSettings.SuggestText)}") };
    }

    private static List<RobotMenu> Menus(IReadOnlyList<RobotMenu>? menus)
    {
        const string field = nameof(Robot.Menus);
        if (menus is null || menus.Count > MaxMenus)
        {
            throw new KefuValidationException(field, $"a list of at most {MaxMenus} menus", menus is null ? "was null" : $"had {menus.Count}");
        }

        var ids = new HashSet<long>();
        var result = new List<RobotMenu>(menus.Count);
        for (var m = 0; m < menus.Count; m++)
        {
            var menu = menus[m];
            var at = $"{field}[{m}]";
            Required(menu, at);
            if (menu.Id < 1)
            {
                throw new KefuValidationException($"{at}.{nameof(RobotMenu.Id)}", "1 or more", $"was {menu.Id}");
            }

            if (!ids.Add(menu.Id))
            {
                throw new KefuValidationException($"{at}.{nameof(RobotMenu.Id)}", "unique among the robot's menus", $"menu {menu.Id} is listed twice");
            }

            var title = Text(menu.Title, MaxMenuTitleLength, $"{at}.{nameof(RobotMenu.Title)}");
            if (menu.Items is null || menu.Items.Count is < 1 or > MaxMenuItems)
            {
                throw new KefuValidationException($"{at}.{nameof(RobotMenu.Items)}", $"1–{MaxMenuItems} items", menu.Items is null ? "was null" : $"had {menu.Items.Count}");
            }

            var items = new List<RobotMenuItem>(menu.Items.Count);
            for (var i = 0; i < menu.Items.Count; i++)
            {
                var item = menu.Items[i];
                Required(item, $"{at}.{nameof(RobotMenu.Items)}[{i}]");
                items.Add(item with { Text = Text(item.Text, MaxMenuItemLength, $"{at}.{nameof(RobotMenu.Items)}[{i}].{nameof(RobotMenuItem.Text)}") });
            }

            result.Add(menu with { Title = title, Items = items });
        }

        return result;
    }

    /// <summary>A required text, trimmed: 1 to <paramref name="max"/> characters.</summary>
    internal static string Text(string? value, int max, string field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > max)
        {
            throw new KefuValidationException(field, $"1–{max} characters", trimmed is null ? "was null" : $"had {trimmed.Length} characters after trimming");
        }

        return trimmed;
    }

    private static void Range(int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, $"between {min} and {max}", $"was {value}");
        }
    }

    private static void Required<T>([System.Diagnostics.CodeAnalysis.NotNull] T? value, string field) where T : class
    {
        if (value is null)
        {
            throw new KefuValidationException(field, "set, not null");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
