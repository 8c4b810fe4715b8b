using System.Text.Json;
using static Orchestrator.Core.Classification.CatalogJson;

namespace Orchestrator.Core.Classification;

/// <summary>Reads a catalog entry's options: the detailed "options" object and the shorthand lists.</summary>
internal static class CatalogOptionReader
{
    private static readonly HashSet<string> OptionProperties = new(StringComparer.Ordinal)
    {
        "takes", "optionalValue", "risk", "reason", "escapeHatch", "path", "pathArgument", "pathAfter", "valueStartsWith",
        "valueContains", "harmlessValues", "readOnly", "pattern", "chdir",
    };

    public static OptionTable ReadOptions(JsonElement element, string path)
    {
        var options = element.TryGetProperty("options", out var optionsElement)
            ? ReadOptionObject(optionsElement, path + ".options")
            : new Dictionary<string, OptionSpec>(StringComparer.Ordinal);

        // The list shorthands only fill in options the detailed "options" object does not describe. An entry may
        // group spellings like a key does ("-m|--message").
        foreach (var entry in StringList(element, "valueOptions", path))
            AddShorthand(options, entry, path + ".valueOptions", spec => spec with { Takes = 1 });
        foreach (var entry in StringList(element, "readOnlyOptions", path))
            AddShorthand(options, entry, path + ".readOnlyOptions", spec => spec with { MakesReadOnly = true });
        foreach (var entry in StringList(element, "patternOptions", path))
        {
            foreach (var name in OptionNames(entry, path + ".patternOptions"))
            {
                options[name] = options.TryGetValue(name, out var existing)
                    ? existing with { SuppliesPattern = true }
                    : Shorthand(name, entry) with { Takes = 1, SuppliesPattern = true };
            }
        }
        return options.Count == 0 ? OptionTable.Empty : new OptionTable(options);
    }

    private static void AddShorthand(Dictionary<string, OptionSpec> options, string entry, string path, Func<OptionSpec, OptionSpec> kind)
    {
        foreach (var name in OptionNames(entry, path))
            options.TryAdd(name, kind(Shorthand(name, entry)));
    }

    private static string[] OptionNames(string entry, string path)
    {
        var names = entry.Split('|');
        foreach (var name in names)
        {
            if (name.Length < 2 || name[0] != '-')
                throw new CommandCatalogException(path, $"option name '{name}' must start with '-'");
        }
        return names;
    }

    private static OptionSpec Shorthand(string name, string entry) =>
        new(name, 0, false, null, null, false, null, null, false, false) { Names = entry.Split('|') };

    public static Dictionary<string, OptionSpec> ReadOptionObject(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        var options = new Dictionary<string, OptionSpec>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var optionPath = $"{path}.{property.Name}";
            var value = property.Value;
            Expect(value, JsonValueKind.Object, optionPath);
            CheckProperties(value, optionPath, OptionProperties);

            var takes = 0;
            if (value.TryGetProperty("takes", out var takesElement))
            {
                takes = takesElement.ValueKind == JsonValueKind.String && takesElement.GetString() == "rest"
                    ? OptionSpec.TakesRest
                    : Integer(takesElement, optionPath + ".takes");
            }
            var risk = OptionalRisk(value, "risk", optionPath);
            var reason = OptionalString(value, "reason", optionPath);
            if (risk is not null && reason is null)
                throw new CommandCatalogException(optionPath, "an option with a 'risk' needs a 'reason'");
            PathAccessKind? valuePath = null;
            if (OptionalString(value, "path", optionPath) is { } pathKind)
                valuePath = ParseEnum<PathAccessKind>(pathKind, optionPath + ".path");
            var startsWith = value.TryGetProperty("valueStartsWith", out _) ? StringList(value, "valueStartsWith", optionPath) : null;
            var pathArgument = 1;
            if (value.TryGetProperty("pathArgument", out var pathArgumentElement))
            {
                pathArgument = Integer(pathArgumentElement, optionPath + ".pathArgument");
                if (valuePath is null || pathArgument < 1 || (takes != OptionSpec.TakesRest && pathArgument > Math.Max(takes, 1)))
                    throw new CommandCatalogException(optionPath + ".pathArgument", "must name one of the option's values (1-based) and needs 'path'");
            }
            var contains = value.TryGetProperty("valueContains", out _) ? StringList(value, "valueContains", optionPath) : null;
            var pathAfter = value.TryGetProperty("pathAfter", out _) ? StringList(value, "pathAfter", optionPath) : null;
            if (pathAfter is not null && valuePath is null)
                throw new CommandCatalogException(optionPath + ".pathAfter", "needs 'path' to say how the file is used");
            var harmless = value.TryGetProperty("harmlessValues", out _) ? StringList(value, "harmlessValues", optionPath) : null;
            if ((startsWith is not null || contains is not null || harmless is not null) && risk is null)
                throw new CommandCatalogException(optionPath, "'valueStartsWith'/'valueContains'/'harmlessValues' only qualify a 'risk'");
            var changesDirectory = Bool(value, "chdir", optionPath);
            if (changesDirectory && takes != 1)
                throw new CommandCatalogException(optionPath + ".chdir", "a directory-changing option must take exactly one value");

            // "-a|--all, -q|--quiet": options separated by commas share one description; '|' joins one option's spellings.
            foreach (var group in property.Name.Split(','))
            {
                var names = group.Trim().Split('|');
                foreach (var name in names)
                {
                    if (name.Length < 2 || name[0] != '-')
                        throw new CommandCatalogException(optionPath, $"option name '{name}' must start with '-'");
                    if (options.ContainsKey(name))
                        throw new CommandCatalogException(optionPath, $"option '{name}' is described more than once");
                    options[name] = new OptionSpec(name, takes, Bool(value, "optionalValue", optionPath), risk, reason,
                        Bool(value, "escapeHatch", optionPath), valuePath, startsWith,
                        Bool(value, "readOnly", optionPath), Bool(value, "pattern", optionPath))
                    {
                        Names = names,
                        PathArgument = pathArgument,
                        ChangesDirectory = changesDirectory,
                        ValueContains = contains,
                        HarmlessValues = harmless,
                        PathAfter = pathAfter,
                    };
                }
            }
        }
        return options;
    }
}
