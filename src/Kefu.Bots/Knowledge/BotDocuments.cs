using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// How robots and knowledge rules are kept in the configuration document store: one document per robot
/// (kind <see cref="RobotKind"/>, key the robot's id) and one per rule (kind <see cref="RuleKind"/>, key the rule's id,
/// the JSON holding its robot's id). The document's version is the entity's <c>Version</c>.
/// </summary>
internal static class BotDocuments
{
    /// <summary>The kind of a robot's document.</summary>
    public const string RobotKind = "bots.robot";

    /// <summary>The kind of a knowledge rule's document.</summary>
    public const string RuleKind = "bots.rule";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        IgnoreReadOnlyProperties = true,
    };

    public static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    // The version lives in the document's own version, never in its content.
    public static string Serialize(Robot robot) => JsonSerializer.Serialize(robot with { Version = 0 }, Json);

    public static string Serialize(KnowledgeRule rule) => JsonSerializer.Serialize(rule with { Version = 0 }, Json);

    public static Robot ReadRobot(Kefu.Storage.ConfigurationDocument document)
    {
        var robot = JsonSerializer.Deserialize<Robot>(document.Content, Json)
            ?? throw new JsonException($"Robot document {document.Key} is empty.");
        return robot with { Id = ParseKey(document.Key), Version = document.Version };
    }

    public static KnowledgeRule ReadRule(Kefu.Storage.ConfigurationDocument document)
    {
        var rule = JsonSerializer.Deserialize<KnowledgeRule>(document.Content, Json)
            ?? throw new JsonException($"Rule document {document.Key} is empty.");
        return rule with { Id = ParseKey(document.Key), Version = document.Version };
    }

    private static long ParseKey(string key) => long.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
}
