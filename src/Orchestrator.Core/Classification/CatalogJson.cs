using System.Text.Json;

namespace Orchestrator.Core.Classification;

/// <summary>
/// Strict reading of catalog JSON: every error names the JSON path, because a typo in a safety catalog must not
/// silently weaken it.
/// </summary>
internal static class CatalogJson
{
    public static void CheckProperties(JsonElement element, string path, HashSet<string> allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
                throw new CommandCatalogException($"{path}.{property.Name}",
                    $"unknown property (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
        }
    }

    public static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
            throw new CommandCatalogException(path, $"expected {kind.ToString().ToLowerInvariant()} but found {element.ValueKind.ToString().ToLowerInvariant()}");
    }

    public static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new CommandCatalogException(path, $"missing required property '{name}'");

    public static string RequiredString(JsonElement element, string name, string path)
    {
        var value = Required(element, name, path);
        Expect(value, JsonValueKind.String, $"{path}.{name}");
        var text = value.GetString()!;
        if (text.Length == 0) throw new CommandCatalogException($"{path}.{name}", "must not be empty");
        return text;
    }

    public static string? OptionalString(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        Expect(value, JsonValueKind.String, $"{path}.{name}");
        return value.GetString();
    }

    public static bool Bool(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return false;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new CommandCatalogException($"{path}.{name}", $"expected true or false but found {value.ValueKind.ToString().ToLowerInvariant()}");
        return value.GetBoolean();
    }

    public static int Integer(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var number) || number < 0)
            throw new CommandCatalogException(path, "expected a non-negative integer");
        return number;
    }

    public static IReadOnlyList<string> StringList(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return [];
        Expect(value, JsonValueKind.Array, $"{path}.{name}");
        var result = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Expect(item, JsonValueKind.String, $"{path}.{name}[{index++}]");
            result.Add(item.GetString()!);
        }
        return result;
    }

    public static CommandRisk RequiredRisk(JsonElement element, string name, string path) =>
        ParseEnum<CommandRisk>(RequiredString(element, name, path), $"{path}.{name}");

    public static CommandRisk? OptionalRisk(JsonElement element, string name, string path) =>
        OptionalEnum<CommandRisk>(element, name, path);

    public static T? OptionalEnum<T>(JsonElement element, string name, string path) where T : struct, Enum =>
        OptionalString(element, name, path) is { } text ? ParseEnum<T>(text, $"{path}.{name}") : null;

    public static T ParseEnum<T>(string text, string path) where T : struct, Enum
    {
        // Enum.TryParse accepts numbers and comma lists; only exact names are meaningful in the catalog.
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.Ordinal)) return value;
        }
        throw new CommandCatalogException(path, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
    }
}
