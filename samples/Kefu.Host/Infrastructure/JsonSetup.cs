using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Host.Infrastructure;

/// <summary>
/// JSON conventions of the API and the WebSocket frames: camelCase, enums as strings, and 64-bit integers written as
/// strings (Kefu's ids exceed JavaScript's 2^53) and read from strings or numbers.
/// </summary>
public static class JsonSetup
{
    /// <summary>Applies the conventions.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;

        // Chinese stays readable, while <, >, &, ' and " are escaped: a text such as <script> travels as data and
        // cannot close a script block or an attribute even if a page misuses it.
        options.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new Int64AsStringConverter());
    }

    /// <summary>Options with the conventions, for the WebSocket frames.</summary>
    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    private sealed class Int64AsStringConverter : JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString();
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new JsonException($"'{text}' is not a 64-bit integer.");
            }

            return reader.GetInt64();
        }

        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
            => writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }
}
