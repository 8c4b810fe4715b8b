using System.Globalization;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Hooks;

/// <summary>Validates Claude Code's <c>hooks</c> object shape, with file:line:column for every problem.</summary>
internal static class HookConfigurationReader
{
    // Claude Code events that do not concern a tool call: an imported .claude/settings.json may carry them, so they are
    // skipped with a warning instead of failing the whole policy.
    private static readonly HashSet<string> OtherClaudeCodeEvents =
    [
        "Notification", "UserPromptSubmit", "Stop", "SubagentStop", "PreCompact", "SessionStart", "SessionEnd",
    ];

    private static readonly HashSet<string> KnownHookKeys = ["type", "command", "url", "headers", "timeout", "onFailure", "name", "if"];

    /// <summary>
    /// The layers an http hook may come from: the administrator's, the operator's command line and the user's own
    /// files. A workspace file (project or project-local) is within reach of the agents working in it; an http hook
    /// there would send every call's input to a URL of the agent's choosing.
    /// </summary>
    public static bool MayDefineHttpHooks(SettingsLayer? layer) => layer.IsBeyondTheAgentsReach();

    /// <summary>
    /// The layers a PermissionRequest hook may come from: it answers in a person's place, so one in a workspace file an
    /// agent can write would let that agent approve its own asks.
    /// </summary>
    public static bool MayDefinePermissionRequestHooks(SettingsLayer? layer) => layer.IsBeyondTheAgentsReach();

    public static HookConfiguration Read(IReadOnlyList<JsonObjectValue> hooksObjects, string projectDirectory, string homeDirectory,
        IReadOnlyList<SettingsLayer>? layers = null)
    {
        var matchers = new List<HookMatcher>();
        var errors = new List<PolicyLoadError>();
        var warnings = new List<PolicyLoadError>();
        for (var i = 0; i < hooksObjects.Count; i++)
        {
            var hooks = hooksObjects[i];
            // As in rules, a condition's /path is relative to the directory of the settings file it is written in.
            var settingsDirectory = Path.GetDirectoryName(hooks.Location.File) is { Length: > 0 } dir ? dir : projectDirectory;
            var context = new RuleContext(settingsDirectory, projectDirectory, homeDirectory);
            var layer = layers is not null && i < layers.Count ? layers[i] : (SettingsLayer?)null;
            ReadEvents(hooks, context, layer, matchers, errors, warnings);
        }
        return new HookConfiguration(matchers, errors, warnings) { ProjectDirectory = Path.GetFullPath(projectDirectory) };
    }

    private static void ReadEvents(JsonObjectValue hooks, RuleContext context, SettingsLayer? layer, List<HookMatcher> matchers,
        List<PolicyLoadError> errors, List<PolicyLoadError> warnings)
    {
        foreach (var member in hooks.Members)
        {
            var known = Enum.GetValues<HookEvent>().Where(e => e.ToString() == member.Name).Cast<HookEvent?>().FirstOrDefault();
            if (known is not { } hookEvent)
            {
                if (OtherClaudeCodeEvents.Contains(member.Name))
                    warnings.Add(new(member.NameLocation, $"hook event '{member.Name}' does not concern tool calls and is ignored"));
                else
                    errors.Add(new(member.NameLocation,
                        $"unknown hook event '{member.Name}'; expected one of {string.Join(", ", Enum.GetNames<HookEvent>())}"));
                continue;
            }
            if (member.Value is not JsonArrayValue entries)
            {
                errors.Add(new(member.Value.Location, $"hook event '{member.Name}' must be an array of matchers, found {member.Value.KindName}"));
                continue;
            }
            foreach (var entry in entries.Items)
                if (ReadMatcher(hookEvent, entry, context, layer, errors, warnings) is { } matcher)
                    matchers.Add(matcher);
        }
    }

    private static HookMatcher? ReadMatcher(HookEvent hookEvent, PositionedJson entry, RuleContext context, SettingsLayer? layer,
        List<PolicyLoadError> errors, List<PolicyLoadError> warnings)
    {
        if (entry is not JsonObjectValue obj)
        {
            errors.Add(new(entry.Location, $"a {hookEvent} entry must be an object with 'matcher' and 'hooks', found {entry.KindName}"));
            return null;
        }
        var ok = true;
        if (hookEvent == HookEvent.PermissionRequest && !MayDefinePermissionRequestHooks(layer))
        {
            errors.Add(new(entry.Location,
                "a PermissionRequest hook may be defined only in managed, command-line (--settings) or user settings, never in a workspace's own settings files (it answers in a person's place, so an agent working there could approve its own asks)"));
            ok = false;
        }
        var pattern = "";
        foreach (var member in obj.Members)
            if (member.Name == "if")
                warnings.Add(new(member.NameLocation,
                    "'if' belongs on each hook inside 'hooks', not on the matcher entry; here it is ignored and the hooks run for every call the matcher selects"));
            else if (member.Name is not ("matcher" or "hooks"))
                warnings.Add(new(member.NameLocation, $"unknown hook matcher setting '{member.Name}' is ignored"));
        if (obj.Find("matcher") is { } matcherMember)
        {
            if (matcherMember.Value is JsonStringValue text)
            {
                pattern = text.Value;
                if (HookMatcher.Validate(pattern) is { } problem)
                {
                    errors.Add(new(text.Location, problem));
                    ok = false;
                }
            }
            else
            {
                errors.Add(new(matcherMember.Value.Location, $"'matcher' must be a string, found {matcherMember.Value.KindName}"));
                ok = false;
            }
        }

        var definitions = new List<HookDefinition>();
        if (obj.Find("hooks") is not { } hooksMember)
        {
            errors.Add(new(obj.Location, $"a {hookEvent} entry needs a 'hooks' array"));
            return null;
        }
        if (hooksMember.Value is not JsonArrayValue hookArray)
        {
            errors.Add(new(hooksMember.Value.Location, $"'hooks' must be an array of hooks, found {hooksMember.Value.KindName}"));
            return null;
        }
        foreach (var item in hookArray.Items)
        {
            if (ReadHook(item, context, layer, errors, warnings) is { } definition) definitions.Add(definition);
            else ok = false;
        }
        return ok
            ? new HookMatcher { Event = hookEvent, Pattern = pattern, Hooks = definitions, Location = obj.Location }
            : null;
    }

    private static HookDefinition? ReadHook(PositionedJson item, RuleContext context, SettingsLayer? layer,
        List<PolicyLoadError> errors, List<PolicyLoadError> warnings)
    {
        if (item is not JsonObjectValue hook)
        {
            errors.Add(new(item.Location, $"a hook must be an object, found {item.KindName}"));
            return null;
        }
        var before = errors.Count;
        foreach (var member in hook.Members)
            if (!KnownHookKeys.Contains(member.Name))
                warnings.Add(new(member.NameLocation, $"unknown hook setting '{member.Name}' is ignored"));

        var type = HookType.Command;
        switch (hook.Find("type")?.Value)
        {
            case null:
                errors.Add(new(hook.Location, "a hook needs \"type\": \"command\" or \"http\""));
                break;
            case JsonStringValue { Value: "command" }:
                break;
            case JsonStringValue { Value: "http" } http:
                type = HookType.Http;
                if (!MayDefineHttpHooks(layer))
                    errors.Add(new(http.Location,
                        "an http hook may be defined only in managed, command-line (--settings) or user settings, never in a workspace's own settings files (an agent working there could send every call to a URL of its choosing)"));
                break;
            case JsonStringValue other:
                errors.Add(new(other.Location, $"unknown hook type '{other.Value}'; supported are \"command\" and \"http\""));
                break;
            case var wrong:
                errors.Add(new(wrong.Location, $"hook 'type' must be a string, found {wrong.KindName}"));
                break;
        }

        var command = type == HookType.Http ? ReadUrl(hook, errors) : ReadCommand(hook, errors);
        var headers = type == HookType.Http ? ReadHeaders(hook, errors) : null;

        var timeout = HookDefinition.DefaultTimeout;
        if (hook.Find("timeout")?.Value is { } timeoutValue)
        {
            if (timeoutValue is JsonNumberValue { Value: > 0 } seconds && seconds.Value <= HookDefinition.MaxTimeout.TotalSeconds)
                timeout = TimeSpan.FromSeconds(seconds.Value);
            else
                errors.Add(new(timeoutValue.Location,
                    $"hook 'timeout' must be a number of seconds greater than 0 and at most {HookDefinition.MaxTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}, found {Describe(timeoutValue)}"));
        }

        var onFailure = HookFailureMode.Deny;
        switch (hook.Find("onFailure")?.Value)
        {
            case null:
                break;
            case JsonStringValue { Value: "deny" }:
                break;
            case JsonStringValue { Value: "ignore" }:
                onFailure = HookFailureMode.Ignore;
                break;
            case var wrong:
                errors.Add(new(wrong.Location, $"hook 'onFailure' must be \"deny\" or \"ignore\", found {Describe(wrong)}"));
                break;
        }

        string? name = null;
        switch (hook.Find("name")?.Value)
        {
            case null:
                break;
            case JsonStringValue { Value.Length: > 0 } s:
                name = s.Value;
                break;
            case var wrong:
                errors.Add(new(wrong.Location, $"hook 'name' must be a non-empty string, found {Describe(wrong)}"));
                break;
        }

        HookCondition? condition = null;
        switch (hook.Find("if")?.Value)
        {
            case null:
                break;
            case JsonStringValue s:
                // A condition that cannot match (or cannot be read) would silently switch a guard off: an error.
                condition = HookCondition.Parse(s.Value, new RuleOrigin(SettingsLayer.Project, s.Location), context, out var problem, out var offset);
                if (condition is null)
                    errors.Add(new(s.Location with { Column = s.Location.Column + 1 + offset }, $"hook 'if' \"{s.Value}\" is not a usable permission rule: {problem}"));
                break;
            case var wrong:
                errors.Add(new(wrong.Location, $"hook 'if' must be a permission rule string such as \"Bash(git *)\", found {wrong.KindName}"));
                break;
        }

        return errors.Count == before && command is not null
            ? new HookDefinition(name ?? command, command, timeout, onFailure, hook.Location) { Condition = condition, Type = type, Headers = headers }
            : null;
    }

    private static string? ReadCommand(JsonObjectValue hook, List<PolicyLoadError> errors)
    {
        switch (hook.Find("command")?.Value)
        {
            case null:
                errors.Add(new(hook.Location, "a command hook needs a 'command'"));
                return null;
            case JsonStringValue { Value: var text } s:
                if (string.IsNullOrWhiteSpace(text)) errors.Add(new(s.Location, "hook 'command' must not be empty"));
                else if (text.Contains('\0')) errors.Add(new(s.Location, "hook 'command' must not contain a NUL character"));
                else return text;
                return null;
            case var wrong:
                errors.Add(new(wrong.Location, $"hook 'command' must be a string, found {wrong.KindName}"));
                return null;
        }
    }

    private static string? ReadUrl(JsonObjectValue hook, List<PolicyLoadError> errors)
    {
        switch (hook.Find("url")?.Value)
        {
            case null:
                errors.Add(new(hook.Location, "an http hook needs a 'url'"));
                return null;
            case JsonStringValue { Value: var text } s:
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo))
                    return uri.AbsoluteUri;
                errors.Add(new(s.Location, $"hook 'url' must be an absolute http:// or https:// URL without credentials, found \"{text}\""));
                return null;
            case var wrong:
                errors.Add(new(wrong.Location, $"hook 'url' must be a string, found {wrong.KindName}"));
                return null;
        }
    }

    private static IReadOnlyDictionary<string, string>? ReadHeaders(JsonObjectValue hook, List<PolicyLoadError> errors)
    {
        if (hook.Find("headers")?.Value is not { } value) return null;
        if (value is not JsonObjectValue headers)
        {
            errors.Add(new(value.Location, $"hook 'headers' must be an object of strings, found {value.KindName}"));
            return null;
        }
        var result = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in headers.Members)
            if (member.Value is JsonStringValue { Value: var text } && !text.Contains('\n') && !text.Contains('\r') && member.Name.Length > 0)
                result[member.Name] = text;
            else
                errors.Add(new(member.Value.Location, $"hook header '{member.Name}' must be a one-line string"));
        return result;
    }

    private static string Describe(PositionedJson value) => value switch
    {
        JsonStringValue s => $"\"{s.Value}\"",
        JsonNumberValue n => n.Value.ToString(CultureInfo.InvariantCulture),
        _ => value.KindName,
    };
}
