using System.Text.Json;
using Kefu.Model;

namespace Kefu.Adapters;

/// <summary>How model records are stored: JSON, directory entities tagged with their type name.</summary>
internal static class StoreJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    private static readonly Dictionary<string, Type> DirectoryTypes = new[]
    {
        typeof(Department), typeof(Role), typeof(Agent), typeof(SkillGroup), typeof(Channel), typeof(Association),
        typeof(TagDefinition), typeof(WrapUpCategory), typeof(QuickReplyFolder), typeof(QuickReply),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json)
        => JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is null.");

    public static string DirectoryKind(IDirectoryEntity entity)
    {
        var kind = entity.GetType().Name;
        return DirectoryTypes.ContainsKey(kind)
            ? kind
            : throw new NotSupportedException($"The store does not know the directory entity type {entity.GetType().FullName}.");
    }

    public static string WriteDirectory(IDirectoryEntity entity) => JsonSerializer.Serialize(entity, entity.GetType(), Options);

    public static IDirectoryEntity ReadDirectory(string kind, string json)
    {
        var type = DirectoryTypes.TryGetValue(kind, out var t) ? t : throw new InvalidDataException($"Unknown stored directory entity kind '{kind}'.");
        return (IDirectoryEntity)(JsonSerializer.Deserialize(json, type, Options) ?? throw new InvalidDataException($"A stored {kind} is null."));
    }
}
