using System.Runtime.CompilerServices;
using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Kefu.Bots.Optimization;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Bots;

/// <summary>
/// Kefu.Bots' robot (B2, B4, E17 8.2–8.4): answers visitors from the robot's knowledge rules and auto replies.
/// Registered by <c>AddBots()</c> as Core's <see cref="IBotResponder"/>.
/// </summary>
/// <remarks>
/// <para>
/// A turn, in order: a missing or disabled robot hands the visitor to a human at once; a message containing one of
/// the robot's hand-off keywords hands over with the hand-off text and the robot's skill group; a pick of a "did you
/// mean" choice offered on the previous turn (<c>1</c>, <c>2</c>, <c>3</c> or the choice's text) or of an item of a
/// menu shown in the conversation answers that rule; otherwise the matching pipeline decides: at or above the answer
/// threshold the best rule answers (text, a menu, or an image or file), unless the visitor has asked the same question
/// <see cref="RobotReplies.RepeatThreshold"/> times in a row (the repeated-question reply); between the suggest and
/// answer thresholds the robot offers "did you mean" choices; below, the fallback reply, and after
/// <see cref="HandOffSettings.AfterConsecutiveMisses"/> such questions in a row, a hand-off.
/// </para>
/// <para>
/// Every question that got the fallback reply or "did you mean" choices is recorded for Q&amp;A optimisation
/// (<see cref="IBotOptimization"/>) without blocking. Runs inside the tenant's worker: reads only in-memory state.
/// </para>
/// </remarks>
public sealed class KnowledgeBotResponder : IBotResponder
{
    private static readonly BotTurn BareHandOff = new([], HandOffToHuman: true);
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".svg", ".heic", ".heif", ".tif", ".tiff", ".ico"];

    private readonly IBotCatalog _catalog;
    private readonly UnmatchedQuestionLog _unmatched;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<Robot, RobotView> _views = [];

    internal KnowledgeBotResponder(IBotCatalog catalog, UnmatchedQuestionLog unmatched, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(unmatched);
        ArgumentNullException.ThrowIfNull(time);
        _catalog = catalog;
        _unmatched = unmatched;
        _time = time;
    }

    /// <summary>
    /// Loads the tenant's robots, rules and indexes, and its log of unmatched questions (a log that cannot be read is
    /// logged and read again later: it does not keep the robots from answering).
    /// </summary>
    public async ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        await _catalog.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await _unmatched.TryLoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The robot's welcome when enabled (nothing otherwise); a missing or disabled robot hands over at once.</summary>
    public BotTurn Start(long tenantId, long robotId, Conversation conversation)
    {
        if (!_catalog.TryGetRobot(tenantId, robotId, out var robot) || !robot.Enabled)
        {
            return HandOffAtOnce(robot);
        }

        var welcome = robot.Replies.Welcome;
        return welcome.Enabled && welcome.Text.Length > 0 ? new BotTurn([welcome.Text]) : BotTurn.Silent;
    }

    /// <summary>The robot's answer to a visitor's message (see the remarks of the class for the order of the checks).</summary>
    public BotTurn Respond(in BotInput input)
    {
        ArgumentNullException.ThrowIfNull(input.Session);
        if (!_catalog.TryGetRobot(input.TenantId, input.RobotId, out var robot) || !robot.Enabled)
        {
            return HandOffAtOnce(robot);
        }

        var memory = input.Session.State as BotMemory ?? new BotMemory();
        input.Session.State = memory;
        var suggestions = memory.Suggestions;
        memory.Suggestions = [];

        var text = input.Text ?? string.Empty;
        var normal = QuestionText.Normalize(text);
        var view = ViewOf(robot);
        if (view.IsHandOff(normal))
        {
            return HandOff(robot);
        }

        if (PickedSuggestion(normal, suggestions) is { } suggested && AnswerableRule(input.TenantId, robot, suggested) is { } chosen)
        {
            return Answer(robot, memory, chosen, normal);
        }

        if (view.PickedMenuItem(normal, memory.MenusShown) is { } item)
        {
            if (item.RuleId is { } itemRule && AnswerableRule(input.TenantId, robot, itemRule) is { } rule)
            {
                return Answer(robot, memory, rule, normal);
            }

            text = item.Text;
            normal = QuestionText.Normalize(text);
        }

        var settings = robot.Matching;
        var match = _catalog.IndexOf(input.TenantId, robot.Id).Match(normal, Math.Clamp(settings.MaxSuggestions, 1, 10));
        if (match.Confidence >= settings.AnswerThreshold && AnswerableRule(input.TenantId, robot, match.Candidates[0].RuleId) is { } best)
        {
            return Answer(robot, memory, best, normal);
        }

        if (match.Confidence >= settings.SuggestThreshold && Suggest(input.TenantId, robot, memory, match) is { } offer)
        {
            Record(input, text, normal, match);
            return offer;
        }

        Record(input, text, normal, match);
        return Miss(robot, memory);
    }

    /// <summary>The robot's time-out wait (<see cref="RobotReplies.TimeoutAfter"/>) when its time-out reply is on; null otherwise.</summary>
    public TimeSpan? IdleTimeout(long tenantId, long robotId) =>
        _catalog.TryGetRobot(tenantId, robotId, out var robot) && robot.Enabled && robot.Replies.Timeout is { Enabled: true, Text.Length: > 0 }
            ? robot.Replies.TimeoutAfter
            : null;

    /// <summary>The robot's time-out reply, when it is on.</summary>
    public BotTurn TimedOut(in BotInput input) =>
        _catalog.TryGetRobot(input.TenantId, input.RobotId, out var robot) && robot.Enabled && robot.Replies.Timeout is { Enabled: true, Text.Length: > 0 } timeout
            ? new BotTurn([timeout.Text])
            : BotTurn.Silent;

    private static BotTurn HandOffAtOnce(Robot? robot) =>
        robot?.HandOff.TargetGroupId is { } group ? new BotTurn([], HandOffToHuman: true, TargetGroupId: group) : BareHandOff;

    private static BotTurn HandOff(Robot robot) =>
        new(robot.HandOff.Text.Length > 0 ? [robot.HandOff.Text] : [], HandOffToHuman: true, TargetGroupId: robot.HandOff.TargetGroupId);

    private static long? PickedSuggestion(string normal, IReadOnlyList<BotChoice> suggestions)
    {
        if (suggestions.Count == 0 || normal.Length == 0)
        {
            return null;
        }

        if (normal.Length == 1 && normal[0] is >= '1' and <= '9')
        {
            var index = normal[0] - '1';
            return index < suggestions.Count ? suggestions[index].RuleId : null;
        }

        foreach (var choice in suggestions)
        {
            if (string.Equals(choice.NormalTitle, normal, StringComparison.Ordinal))
            {
                return choice.RuleId;
            }
        }

        return null;
    }

    /// <summary>The rule when it belongs to the robot and is enabled.</summary>
    private KnowledgeRule? AnswerableRule(long tenantId, Robot robot, long ruleId) =>
        _catalog.TryGetRule(tenantId, ruleId, out var rule) && rule.RobotId == robot.Id && rule.Enabled ? rule : null;

    private BotTurn Answer(Robot robot, BotMemory memory, KnowledgeRule rule, string normal)
    {
        memory.ConsecutiveMisses = 0;
        var same = memory.SameQuestionCount > 0 && (string.Equals(memory.LastQuestion, normal, StringComparison.Ordinal) || memory.LastRuleId == rule.Id);
        memory.SameQuestionCount = same ? memory.SameQuestionCount + 1 : 1;
        memory.LastQuestion = normal;
        memory.LastRuleId = rule.Id;
        var repeated = robot.Replies.Repeated;
        if (same && memory.SameQuestionCount >= robot.Replies.RepeatThreshold && repeated.Enabled && repeated.Text.Length > 0)
        {
            return new BotTurn([repeated.Text]);
        }

        return Render(robot, memory, rule.Answer);
    }

    private static BotTurn Render(Robot robot, BotMemory memory, KnowledgeAnswer answer)
    {
        IReadOnlyList<string> words = string.IsNullOrWhiteSpace(answer.Text) ? [] : [answer.Text];
        switch (answer.Kind)
        {
            case AnswerKind.Menu when answer.MenuId is { } menuId && robot.Menus.FirstOrDefault(m => m.Id == menuId) is { Items.Count: > 0 } menu:
                memory.MenusShown.Add(menu.Id);
                return new BotTurn(words)
                {
                    Attachments = [new MessageContent(MessageKind.Menu, menu.Title, MenuItems: [.. menu.Items.Select(i => i.Text)])],
                };
            case AnswerKind.Media when answer.Media is { } media:
                return new BotTurn(words)
                {
                    Attachments = [IsImage(media) ? MessageContent.Image(media) : MessageContent.File(media)],
                };
            default:
                return words.Count > 0 ? new BotTurn(words) : BotTurn.Silent;
        }
    }

    /// <summary>An image by its content type, or by the extension of its name or address when it has none.</summary>
    internal static bool IsImage(MediaAttachment media)
    {
        if (!string.IsNullOrWhiteSpace(media.ContentType))
        {
            return media.ContentType.TrimStart().StartsWith("image/", StringComparison.OrdinalIgnoreCase);
        }

        return HasImageExtension(media.Name) || HasImageExtension(media.Url.Split('?', '#')[0]);

        static bool HasImageExtension(string? path) =>
            !string.IsNullOrEmpty(path) && ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
    }

    private BotTurn? Suggest(long tenantId, Robot robot, BotMemory memory, KnowledgeMatch match)
    {
        var choices = new List<BotChoice>(match.Candidates.Count);
        var titles = new List<string>(match.Candidates.Count);
        foreach (var candidate in match.Candidates)
        {
            if (candidate.Confidence < robot.Matching.SuggestThreshold || AnswerableRule(tenantId, robot, candidate.RuleId) is not { } rule)
            {
                continue;
            }

            var title = rule.Title.Trim();
            var normalTitle = QuestionText.Normalize(title);
            if (title.Length == 0 || choices.Exists(c => c.RuleId == rule.Id || c.NormalTitle == normalTitle))
            {
                continue;
            }

            choices.Add(new BotChoice(rule.Id, normalTitle));
            titles.Add(title.Length <= 100 ? title : title[..100]);
        }

        if (choices.Count == 0)
        {
            return null;
        }

        memory.Suggestions = choices;
        memory.BreakChain();
        return new BotTurn([robot.Matching.SuggestText])
        {
            Attachments = [new MessageContent(MessageKind.Menu, null, MenuItems: titles)],
        };
    }

    private static BotTurn Miss(Robot robot, BotMemory memory)
    {
        memory.BreakChain();
        memory.ConsecutiveMisses++;
        var limit = robot.HandOff.AfterConsecutiveMisses;
        if (limit > 0 && memory.ConsecutiveMisses >= limit)
        {
            memory.ConsecutiveMisses = 0;
            return HandOff(robot);
        }

        var fallback = robot.Replies.Fallback;
        return fallback.Enabled && fallback.Text.Length > 0 ? new BotTurn([fallback.Text]) : BotTurn.Silent;
    }

    private void Record(in BotInput input, string text, string normal, KnowledgeMatch match) =>
        _unmatched.Record(input.TenantId, input.RobotId, text, normal, match.BestRuleId, match.Confidence, _time.GetUtcNow());

    private RobotView ViewOf(Robot robot) => _views.GetValue(robot, static r => new RobotView(r));

    /// <summary>What the responder derives from a robot's settings once per version of the robot: folded keywords, menu items.</summary>
    private sealed class RobotView
    {
        private readonly string[] _handOffWords;
        private readonly Dictionary<long, (string Normal, RobotMenuItem Item)[]> _menuItems;

        public RobotView(Robot robot)
        {
            _handOffWords = [.. robot.HandOff.Keywords.Select(k => QuestionText.Normalize(k)).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal)];
            _menuItems = [];
            foreach (var menu in robot.Menus)
            {
                _menuItems.TryAdd(menu.Id, [.. menu.Items.Select(i => (QuestionText.Normalize(i.Text), i))]);
            }
        }

        public bool IsHandOff(string normal)
        {
            if (normal.Length == 0)
            {
                return false;
            }

            foreach (var word in _handOffWords)
            {
                if (normal.Contains(word, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        public RobotMenuItem? PickedMenuItem(string normal, HashSet<long> menusShown)
        {
            if (normal.Length == 0 || menusShown.Count == 0)
            {
                return null;
            }

            foreach (var menuId in menusShown)
            {
                if (_menuItems.TryGetValue(menuId, out var items))
                {
                    foreach (var (itemNormal, item) in items)
                    {
                        if (string.Equals(itemNormal, normal, StringComparison.Ordinal))
                        {
                            return item;
                        }
                    }
                }
            }

            return null;
        }
    }
}
