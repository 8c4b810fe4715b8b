using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// Reading JSON by hand as strictly as <see cref="EventJsonOptions"/> reads it — values of the wrong kind, unknown members
/// and missing required ones are refused with a <see cref="JsonException"/> naming the member — and a repeated member too
/// (<see cref="EventJsonOptions"/> keeps the last).
/// </summary>
internal static class StrictJson
{
    /// <summary>The members an object may have (at most 32), those it must have as a bit mask over their order.</summary>
    internal sealed class Members(string[] names, int required)
    {
        private readonly byte[][] _names = [.. names.Select(Encoding.UTF8.GetBytes)];

        /// <summary>
        /// Moves to the next member's value and answers its index, or -1 at the end of the object.
        /// </summary>
        public int Next(ref Utf8JsonReader r, ref int seen)
        {
            if (StrictJson.Next(ref r) == JsonTokenType.EndObject) return -1;
            for (var i = 0; i < _names.Length; i++)
            {
                if (!r.ValueTextEquals(_names[i])) continue;
                if ((seen & (1 << i)) != 0) throw new JsonException($"\"{names[i]}\" is given twice.");
                seen |= 1 << i;
                StrictJson.Next(ref r);
                return i;
            }
            throw new JsonException($"\"{r.GetString()}\" is not a member here.");
        }

        public void Require(int seen)
        {
            var missing = required & ~seen;
            if (missing == 0) return;
            throw new JsonException($"\"{names[System.Numerics.BitOperations.TrailingZeroCount(missing)]}\" is missing.");
        }
    }

    public static JsonTokenType Next(ref Utf8JsonReader r) =>
        r.Read() ? r.TokenType : throw new JsonException("The event ends early.");

    public static void StartObject(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected an object, found {r.TokenType}.");
    }

    public static string String(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String ? r.GetString()! : throw new JsonException($"Expected a string, found {r.TokenType}.");

    public static string? NullableString(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : String(ref r);

    public static int Int(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var value) ? value : throw new JsonException($"Expected an integer, found {r.TokenType}.");

    public static bool Bool(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"Expected true or false, found {r.TokenType}."),
    };

    public static DateTimeOffset Time(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var value) ? value : throw new JsonException("Expected a date and time.");

    /// <summary>An object of strings by name, as an immutable dictionary (a name given twice is refused; a null value kept, as v1 keeps it).</summary>
    public static ImmutableDictionary<string, string> Strings(ref Utf8JsonReader r)
    {
        StartObject(ref r);
        var values = ImmutableDictionary.CreateBuilder<string, string>();
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var key = r.GetString()!;
            Next(ref r);
            if (values.ContainsKey(key)) throw new JsonException($"\"{key}\" is given twice.");
            values.Add(key, NullableString(ref r)!);
        }
        return values.ToImmutable();
    }
}
