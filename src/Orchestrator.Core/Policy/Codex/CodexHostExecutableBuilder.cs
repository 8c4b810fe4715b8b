namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Checks one <c>host_executable(name=..., paths=[...])</c> call with Codex's rules and messages: a bare program name,
/// and absolute (or <c>~/</c>) paths whose basename is that name. Duplicate paths are kept once.
/// </summary>
internal static class CodexHostExecutableBuilder
{
    public const string Function = "host_executable";
    private static readonly string[] KnownKeywords = ["name", "paths"];

    public static CodexHostExecutable? Build(CodexCall call, string? homeDirectory, List<PolicyLoadError> errors)
    {
        var before = errors.Count;
        var arguments = CodexArguments.Collect(call, KnownKeywords, errors);
        var nameValue = CodexArguments.Required(call, arguments, "name", errors);
        var pathsValue = CodexArguments.Required(call, arguments, "paths", errors);
        var name = nameValue is null ? null : CodexArguments.ReadString(nameValue, "name", errors);
        if (name is not null && NameProblem(name) is { } nameProblem)
        {
            errors.Add(new PolicyLoadError(nameValue!.Location, nameProblem));
            name = null;
        }

        var paths = new List<string>();
        switch (pathsValue)
        {
            case null:
                break;
            case CodexListValue list:
                foreach (var item in list.Items)
                {
                    if (item is not CodexStringValue raw)
                    {
                        errors.Add(new PolicyLoadError(item.Location, $"invalid rule: host_executable paths must be strings (got {item.StarlarkType})"));
                        continue;
                    }
                    if (Resolve(raw.Value, homeDirectory, out var problem) is not { } path)
                    {
                        errors.Add(new PolicyLoadError(item.Location,
                            $"invalid rule: host_executable paths must be absolute or use `~/...` home-relative syntax (got {raw.Value}): {problem}"));
                        continue;
                    }
                    if (name is not null && Path.GetFileName(path) != name)
                    {
                        errors.Add(new PolicyLoadError(item.Location, $"invalid rule: host_executable path `{raw.Value}` must have basename `{name}`"));
                        continue;
                    }
                    if (!paths.Contains(path, StringComparer.Ordinal)) paths.Add(path);
                }
                break;
            default:
                errors.Add(new PolicyLoadError(pathsValue.Location, $"paths must be a list; found {pathsValue.Describe()}"));
                break;
        }

        return name is null || errors.Count > before ? null : new CodexHostExecutable(name, paths, call.Location);
    }

    private static string? NameProblem(string name)
    {
        if (name.Length == 0) return "invalid rule: host_executable name cannot be empty";
        return name is "." or ".." || name.Contains('/') || name.Contains('\0')
            ? $"invalid rule: host_executable name must be a bare executable name (got {name})"
            : null;
    }

    /// <summary>An absolute path (normalised), <c>~/...</c> under the home directory, or null with the reason.</summary>
    private static string? Resolve(string raw, string? homeDirectory, out string? problem)
    {
        problem = null;
        if (raw.Contains('\0'))
        {
            problem = "path contains a NUL character";
            return null;
        }
        if (raw.StartsWith("~/", StringComparison.Ordinal))
        {
            if (homeDirectory is null)
            {
                problem = "the home directory is not known";
                return null;
            }
            return Path.GetFullPath(Path.Combine(homeDirectory, raw[2..]));
        }
        if (Path.IsPathRooted(raw)) return Path.GetFullPath(raw);
        problem = $"path is not absolute: {raw}";
        return null;
    }
}
