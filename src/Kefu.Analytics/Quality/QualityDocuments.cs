using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Kefu.Storage;

namespace Kefu.Analytics.Quality;

/// <summary>
/// How quality inspection is kept in the configuration document store: the rules as kind <see cref="RulesKind"/>, key
/// <see cref="RulesKey"/> (the document's version is <see cref="QualityRules.Version"/>), and each result as kind
/// <c>analytics.inspection.yyyy-MM-dd</c> (the UTC day the conversation was created), key the conversation id.
/// </summary>
internal static class QualityDocuments
{
    public const string RulesKind = "analytics.quality";
    public const string RulesKey = "rules";
    public const string ResultKindPrefix = "analytics.inspection.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string ResultKind(DateTimeOffset conversationCreatedAt) =>
        ResultKindPrefix + conversationCreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Key(long conversationId) => conversationId.ToString(CultureInfo.InvariantCulture);

    // The version lives in the document's own version, never in its content.
    public static string Serialize(QualityRules rules) => JsonSerializer.Serialize(rules with { Version = 0 }, Json);

    public static QualityRules ReadRules(ConfigurationDocument document)
    {
        var rules = JsonSerializer.Deserialize<QualityRules>(document.Content, Json)
            ?? throw new JsonException($"Quality rules document of tenant {document.TenantId} is empty.");
        return rules with { Version = document.Version };
    }

    public static string Serialize(InspectionResult result) => JsonSerializer.Serialize(result, Json);

    public static InspectionResult ReadResult(ConfigurationDocument document) =>
        JsonSerializer.Deserialize<InspectionResult>(document.Content, Json)
            ?? throw new JsonException($"Inspection result document {document.Kind}/{document.Key} is empty.");
}
