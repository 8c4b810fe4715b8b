using System.Text.Json;

namespace Orchestrator.Core.Classification;

/// <summary>
/// Reads the catalog JSON into <see cref="CommandCatalog"/>. Strict on purpose: unknown properties, bad enum names
/// and missing reasons fail with the JSON path, because a typo in a safety catalog must not silently weaken it.
/// </summary>
internal static class CatalogLoader
{
    private static readonly HashSet<string> ProgramProperties = new(StringComparer.Ordinal)
    {
        "risk", "reason", "aliases", "prefix", "analyzer", "escapeHatch", "valueOptions", "readOnlyOptions",
        "patternOptions", "modeChars", "options", "sharedOptions", "paths", "positionalRules", "subcommands",
        "unknownSubcommandRisk", "infoOptions", "wrapperPositionals", "wordOptions", "comment",
    };

    private static readonly HashSet<string> OptionProperties = new(StringComparer.Ordinal)
    {
        "takes", "optionalValue", "risk", "reason", "escapeHatch", "path", "pathArgument", "pathAfter", "valueStartsWith",
        "valueContains", "harmlessValues", "readOnly", "pattern", "chdir",
    };

    public static CommandCatalog Load(string json, IReadOnlySet<string> analyzers)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new CommandCatalogException($"line {e.LineNumber + 1}", "not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            Expect(root, JsonValueKind.Object, "$");
            CheckProperties(root, "$", new HashSet<string>(StringComparer.Ordinal) { "programs", "environment", "trustedProgramDirectories", "comment" });

            var programs = new Dictionary<string, ProgramSpec>(StringComparer.Ordinal);
            var prefixPrograms = new List<(string, ProgramSpec)>();
            var programsElement = Required(root, "programs", "$");
            Expect(programsElement, JsonValueKind.Object, "$.programs");
            foreach (var property in programsElement.EnumerateObject())
            {
                var path = $"$.programs.{property.Name}";
                var spec = ReadProgram(property.Name, property.Value, path, analyzers, OptionTable.Empty, wordOptions: false);
                if (Bool(property.Value, "prefix", path))
                {
                    prefixPrograms.Add((property.Name, spec));
                    continue;
                }
                AddProgram(programs, property.Name, spec, path);
                foreach (var alias in StringList(property.Value, "aliases", path))
                    AddProgram(programs, alias, spec, path + ".aliases");
            }

            var variables = new List<EnvironmentVariableRule>();
            if (root.TryGetProperty("environment", out var environment))
            {
                Expect(environment, JsonValueKind.Array, "$.environment");
                var index = 0;
                foreach (var item in environment.EnumerateArray())
                {
                    var path = $"$.environment[{index++}]";
                    Expect(item, JsonValueKind.Object, path);
                    CheckProperties(item, path, new HashSet<string>(StringComparer.Ordinal) { "name", "prefix", "reason" });
                    var name = OptionalString(item, "name", path);
                    var prefix = OptionalString(item, "prefix", path);
                    if ((name is null) == (prefix is null))
                        throw new CommandCatalogException(path, "give exactly one of 'name' or 'prefix'");
                    variables.Add(new EnvironmentVariableRule(name ?? prefix!, prefix is not null, RequiredString(item, "reason", path)));
                }
            }

            var trustedDirectories = StringList(root, "trustedProgramDirectories", "$");
            return new CommandCatalog(programs, prefixPrograms, variables, trustedDirectories);
        }
    }

    private static void AddProgram(Dictionary<string, ProgramSpec> programs, string name, ProgramSpec spec, string path)
    {
        if (!programs.TryAdd(name, spec))
            throw new CommandCatalogException(path, $"program '{name}' is defined more than once");
    }

    private static ProgramSpec ReadProgram(string name, JsonElement element, string path, IReadOnlySet<string> analyzers,
        OptionTable inherited, bool wordOptions)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, ProgramProperties);

        var analyzer = OptionalString(element, "analyzer", path);
        if (analyzer is not null && !analyzers.Contains(analyzer))
            throw new CommandCatalogException(path + ".analyzer",
                $"unknown analyzer '{analyzer}' (known: {string.Join(", ", analyzers.Order(StringComparer.Ordinal))})");

        // Shared options belong to the program itself as well as to every subcommand (npm --prefix, pip --log).
        var shared = element.TryGetProperty("sharedOptions", out var sharedElement)
            ? new OptionTable(ReadOptionObject(sharedElement, path + ".sharedOptions")).MergedWith(inherited)
            : inherited;
        var options = ReadOptions(element, path).MergedWith(shared);
        wordOptions |= Bool(element, "wordOptions", path);

        Dictionary<string, ProgramSpec>? subcommands = null;
        if (element.TryGetProperty("subcommands", out var subElement))
        {
            Expect(subElement, JsonValueKind.Object, path + ".subcommands");
            subcommands = new Dictionary<string, ProgramSpec>(StringComparer.Ordinal);
            foreach (var sub in subElement.EnumerateObject())
            {
                var subPath = $"{path}.subcommands.{sub.Name}";
                var subSpec = ReadProgram($"{name} {sub.Name}", sub.Value, subPath, analyzers, shared, wordOptions);
                subcommands[sub.Name] = subSpec;
                foreach (var alias in StringList(sub.Value, "aliases", subPath))
                    subcommands[alias] = subSpec;
            }
        }

        var wrapperPositionals = element.TryGetProperty("wrapperPositionals", out var wp)
            ? Integer(wp, path + ".wrapperPositionals")
            : 0;

        return new ProgramSpec(
            name,
            RequiredRisk(element, "risk", path),
            RequiredString(element, "reason", path),
            analyzer,
            Bool(element, "escapeHatch", path),
            options,
            OptionalString(element, "modeChars", path),
            ReadPaths(element, path),
            ReadPositionalRules(element, path),
            subcommands,
            OptionalRisk(element, "unknownSubcommandRisk", path) ?? CommandRisk.Unknown,
            new HashSet<string>(StringList(element, "infoOptions", path), StringComparer.Ordinal),
            wrapperPositionals)
        {
            WordOptions = wordOptions,
        };
    }

    private static OptionTable ReadOptions(JsonElement element, string path)
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

    private static Dictionary<string, OptionSpec> ReadOptionObject(JsonElement element, string path)
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

    private static PathRule? ReadPaths(JsonElement element, string path)
    {
        if (!element.TryGetProperty("paths", out var paths)) return null;
        var rulePath = path + ".paths";
        Expect(paths, JsonValueKind.Object, rulePath);
        CheckProperties(paths, rulePath, new HashSet<string>(StringComparer.Ordinal) { "kind", "skip", "last", "first", "keyValue" });

        Dictionary<string, PathAccessKind>? keyValue = null;
        if (paths.TryGetProperty("keyValue", out var kv))
        {
            Expect(kv, JsonValueKind.Object, rulePath + ".keyValue");
            keyValue = new Dictionary<string, PathAccessKind>(StringComparer.Ordinal);
            foreach (var entry in kv.EnumerateObject())
            {
                Expect(entry.Value, JsonValueKind.String, $"{rulePath}.keyValue.{entry.Name}");
                keyValue[entry.Name] = ParseEnum<PathAccessKind>(entry.Value.GetString()!, $"{rulePath}.keyValue.{entry.Name}");
            }
        }

        return new PathRule(
            OptionalEnum<PathAccessKind>(paths, "kind", rulePath),
            paths.TryGetProperty("skip", out var skip) ? Integer(skip, rulePath + ".skip") : 0,
            OptionalEnum<PathAccessKind>(paths, "last", rulePath),
            OptionalEnum<PathAccessKind>(paths, "first", rulePath),
            keyValue);
    }

    private static IReadOnlyList<PositionalRule> ReadPositionalRules(JsonElement element, string path)
    {
        if (!element.TryGetProperty("positionalRules", out var rules)) return [];
        Expect(rules, JsonValueKind.Array, path + ".positionalRules");
        var result = new List<PositionalRule>();
        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            var rulePath = $"{path}.positionalRules[{index++}]";
            Expect(rule, JsonValueKind.Object, rulePath);
            CheckProperties(rule, rulePath, new HashSet<string>(StringComparer.Ordinal) { "startsWith", "notStartsWith", "risk", "reason", "escapeHatch" });
            result.Add(new PositionalRule(
                OptionalString(rule, "startsWith", rulePath),
                OptionalString(rule, "notStartsWith", rulePath),
                RequiredRisk(rule, "risk", rulePath),
                RequiredString(rule, "reason", rulePath),
                Bool(rule, "escapeHatch", rulePath)));
        }
        return result;
    }

    private static void CheckProperties(JsonElement element, string path, HashSet<string> allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
                throw new CommandCatalogException($"{path}.{property.Name}",
                    $"unknown property (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
        }
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
            throw new CommandCatalogException(path, $"expected {kind.ToString().ToLowerInvariant()} but found {element.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new CommandCatalogException(path, $"missing required property '{name}'");

    private static string RequiredString(JsonElement element, string name, string path)
    {
        var value = Required(element, name, path);
        Expect(value, JsonValueKind.String, $"{path}.{name}");
        var text = value.GetString()!;
        if (text.Length == 0) throw new CommandCatalogException($"{path}.{name}", "must not be empty");
        return text;
    }

    private static string? OptionalString(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        Expect(value, JsonValueKind.String, $"{path}.{name}");
        return value.GetString();
    }

    private static bool Bool(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return false;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new CommandCatalogException($"{path}.{name}", $"expected true or false but found {value.ValueKind.ToString().ToLowerInvariant()}");
        return value.GetBoolean();
    }

    private static int Integer(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var number) || number < 0)
            throw new CommandCatalogException(path, "expected a non-negative integer");
        return number;
    }

    private static IReadOnlyList<string> StringList(JsonElement element, string name, string path)
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

    private static CommandRisk RequiredRisk(JsonElement element, string name, string path) =>
        ParseEnum<CommandRisk>(RequiredString(element, name, path), $"{path}.{name}");

    private static CommandRisk? OptionalRisk(JsonElement element, string name, string path) =>
        OptionalEnum<CommandRisk>(element, name, path);

    private static T? OptionalEnum<T>(JsonElement element, string name, string path) where T : struct, Enum =>
        OptionalString(element, name, path) is { } text ? ParseEnum<T>(text, $"{path}.{name}") : null;

    private static T ParseEnum<T>(string text, string path) where T : struct, Enum
    {
        // Enum.TryParse accepts numbers and comma lists; only exact names are meaningful in the catalog.
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.Ordinal)) return value;
        }
        throw new CommandCatalogException(path, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
    }
}
