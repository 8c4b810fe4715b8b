using System.Text.Json;
using static Orchestrator.Core.Classification.CatalogJson;

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
            ? new OptionTable(CatalogOptionReader.ReadOptionObject(sharedElement, path + ".sharedOptions")).MergedWith(inherited)
            : inherited;
        var options = CatalogOptionReader.ReadOptions(element, path).MergedWith(shared);
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
}
