using System.Collections.Frozen;
using System.Text.Json;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// An enum's values under the names <see cref="EventJsonOptions"/> stores them by (camelCase, never numbers), for the
/// encodings that write and read JSON by hand: the same spelling, without a converter lookup per value.
/// </summary>
internal static class JsonEnumNames<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, JsonEncodedText> Names =
        Enum.GetValues<T>().Distinct().ToFrozenDictionary(v => v, v => JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(v.ToString())));

    private static readonly (T Value, byte[] Name)[] Values = [.. Names.Select(p => (p.Key, p.Value.EncodedUtf8Bytes.ToArray()))];

    public static JsonEncodedText Of(T value) =>
        Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{value} is not a named {typeof(T).Name}.");

    /// <summary>The value named by the reader's current string, exactly as written; anything else is refused.</summary>
    public static T Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a {typeof(T).Name} name, found {reader.TokenType}.");
        foreach (var (value, name) in Values)
            if (reader.ValueTextEquals(name)) return value;
        throw new JsonException($"\"{reader.GetString()}\" is not a {typeof(T).Name}.");
    }
}
