using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Durable.Serialization;

/// <summary>The one JSON convention for everything the engine stores or serves: web defaults (camelCase),
/// enums as strings, nulls omitted.</summary>
public static class DurableJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>The Durable Task SDK's converter on <see cref="Options"/>, for its worker and client: inputs, outputs,
    /// events and custom status keep the JSON Baton has always stored.</summary>
    public static readonly Microsoft.DurableTask.Converters.JsonDataConverter Converter = new(Options);

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static object? Deserialize(string? json, Type type) =>
        json is null ? (type.IsValueType ? Activator.CreateInstance(type) : null) : JsonSerializer.Deserialize(json, type, Options);

    public static T Deserialize<T>(string? json) => (T)Deserialize(json, typeof(T))!;

    /// <summary>A serialized value as text: a JSON string's content, anything else (other JSON, or not JSON) as written.</summary>
    public static string? TextOf(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : json;
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
