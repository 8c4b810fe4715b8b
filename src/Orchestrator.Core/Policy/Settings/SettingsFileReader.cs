using System.Security.Cryptography;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>
/// Reads one settings file in Claude Code's <c>settings.json</c> shape plus our <c>orchestrator</c> key. Any error is
/// reported with file:line:column and the file contributes no rules (the merged policy then fails closed).
/// </summary>
public static partial class SettingsFileReader
{
    public const int MaxSettingsBytes = PolicyFiles.MaxBytes;

    private static readonly HashSet<string> KnownTopLevel =
    [
        "$schema", "permissions", "hooks", "sandbox", "orchestrator", "allowManagedRulesOnly",
        "allowManagedPermissionRulesOnly", "allowManagedHooksOnly", "disableAllHooks",
        // Claude Code keys we accept and leave alone.
        "env", "model", "apiKeyHelper", "cleanupPeriodDays", "includeCoAuthoredBy", "statusLine", "outputStyle",
        "enableAllProjectMcpServers", "enabledMcpjsonServers", "disabledMcpjsonServers", "forceLoginMethod",
        "awsAuthRefresh", "awsCredentialExport", "enabledPlugins", "spinnerTipsEnabled", "alwaysThinkingEnabled",
    ];

    public static LayerSettings ReadFile(string path, SettingsLayer layer, RuleContext context)
    {
        var observed = context.Files.Observe(path);
        return observed.Kind switch
        {
            PolicyFileKind.File => Read(observed.Bytes.AsSpan(), path, layer,
                context with { SettingsDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/" }),
            PolicyFileKind.Missing => Failed(layer, path, new SourceLocation(path, 0, 0), "settings file not found"),
            PolicyFileKind.Directory => Failed(layer, path, new SourceLocation(path, 0, 0), "settings path is a directory, not a file"),
            _ when observed.Error?.StartsWith("larger than", StringComparison.Ordinal) == true =>
                Failed(layer, path, new SourceLocation(path, 0, 0), $"settings file {observed.Error}"),
            _ => Failed(layer, path, new SourceLocation(path, 0, 0), $"cannot read settings file: {observed.Error}"),
        };
    }

    public static LayerSettings Read(ReadOnlySpan<byte> utf8, string path, SettingsLayer layer, RuleContext context)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(utf8));
        var badByte = Utf8Validation.FirstInvalidByte(utf8);
        if (badByte >= 0)
        {
            var (line, column) = Utf8Validation.LineAndColumn(utf8, badByte);
            return Failed(layer, path, new SourceLocation(path, line, column), "invalid UTF-8") with { Digest = digest };
        }

        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        if (PositionedJson.IsBlank(utf8))
        {
            // Claude Code reads an empty file as {}; an empty managed policy is more likely a failed deployment.
            var empty = new PolicyLoadError(new SourceLocation(path, 1, 1), "empty settings file");
            return layer == SettingsLayer.Managed
                ? new LayerSettings(layer, path) { Errors = [empty with { Message = "empty managed settings file" }], Digest = digest }
                : new LayerSettings(layer, path) { Warnings = [empty with { Message = "empty settings file: nothing to apply" }], Digest = digest };
        }

        PositionedJson root;
        try
        {
            root = PositionedJson.Parse(utf8, path);
        }
        catch (PolicyLoadException e)
        {
            return new LayerSettings(layer, path) { Errors = [e.Error], Digest = digest };
        }
        var reader = new Reader(layer, path, context);
        var settings = reader.ReadRoot(root);
        return settings with { Digest = digest };
    }

    private static LayerSettings Failed(SettingsLayer layer, string path, SourceLocation location, string message) =>
        new(layer, path) { Errors = [new PolicyLoadError(location, message)] };

    /// <summary>One file's reader: the root and the primitives here, <c>permissions</c> and <c>orchestrator</c> in the partial files named after them.</summary>
    private sealed partial class Reader(SettingsLayer layer, string path, RuleContext context)
    {
        private readonly List<PolicyLoadError> _errors = [];
        private readonly List<PolicyLoadError> _warnings = [];
        private readonly List<PermissionRule> _rules = [];
        private readonly List<Codex.CodexHostExecutable> _hostExecutables = [];

        public LayerSettings ReadRoot(PositionedJson root)
        {
            if (root is not JsonObjectValue obj)
            {
                Error(root.Location, $"settings must be a JSON object, found {root.KindName}");
                return Build(new LayerSettings(layer, path));
            }

            var result = new LayerSettings(layer, path);
            foreach (var member in obj.Members)
                if (member.Name == "autoMode")
                    _warnings.Add(new PolicyLoadError(member.NameLocation,
                        "'autoMode' (the rules of Claude Code's auto-mode classifier) is not used here: permission rules and the " +
                        "command classifier decide; write ask or deny rules for what must not run unasked"));
                else if (!KnownTopLevel.Contains(member.Name))
                    _warnings.Add(new PolicyLoadError(member.NameLocation, $"unknown setting '{member.Name}' is ignored"));

            if (obj.Find("permissions")?.Value is { } permissions)
                result = ReadPermissions(permissions, result);
            if (obj.Find("orchestrator")?.Value is { } ours)
                result = ReadOrchestrator(ours, result);
            var managedOnly = obj.Find("allowManagedRulesOnly") ?? obj.Find("allowManagedPermissionRulesOnly");
            if (managedOnly is not null && Bool(managedOnly.Value) is { } only)
                result = result with { AllowManagedRulesOnly = Sourced(only, managedOnly.Value) };
            if (obj.Find("allowManagedHooksOnly") is { } managedHooksOnly && Bool(managedHooksOnly.Value) is { } hooksOnly)
                result = result with { AllowManagedHooksOnly = Sourced(hooksOnly, managedHooksOnly.Value) };
            if (obj.Find("disableAllHooks") is { } disableHooks && Bool(disableHooks.Value) is { } disable)
                result = result with { DisableAllHooks = Sourced(disable, disableHooks.Value) };
            if (obj.Find("hooks")?.Value is { } hooks)
            {
                if (hooks is JsonObjectValue hooksObject)
                {
                    // A bad hook is a policy error like a bad rule: the file contributes no rules and the policy fails closed.
                    var configuration = HookConfiguration.Parse([hooksObject], context.ProjectDirectory, context.HomeDirectory, [layer]);
                    _errors.AddRange(configuration.Errors);
                    _warnings.AddRange(configuration.Warnings);
                    result = result with { Hooks = hooksObject };
                }
                else Error(hooks.Location, $"'hooks' must be an object, found {hooks.KindName}");
            }
            if (obj.Find("sandbox")?.Value is { } sandbox and not JsonObjectValue)
                Error(sandbox.Location, $"'sandbox' must be an object, found {sandbox.KindName}");
            return Build(result);
        }

        private IReadOnlyList<Sourced<string>> Strings(PositionedJson value)
        {
            if (value is not JsonArrayValue array)
            {
                Error(value.Location, $"expected an array of strings, found {value.KindName}");
                return [];
            }
            var list = new List<Sourced<string>>();
            foreach (var item in array.Items)
            {
                if (item is JsonStringValue { Value.Length: > 0 } s) list.Add(Sourced(s.Value, item));
                else Error(item.Location, $"expected a non-empty string, found {item.KindName}");
            }
            return list;
        }

        private string? String(PositionedJson value)
        {
            if (value is JsonStringValue s) return s.Value;
            Error(value.Location, $"expected a string, found {value.KindName}");
            return null;
        }

        private bool? Bool(PositionedJson value)
        {
            if (value is JsonBoolValue b) return b.Value;
            Error(value.Location, $"expected true or false, found {value.KindName}");
            return null;
        }

        private Sourced<T> Sourced<T>(T value, PositionedJson at) => new(value, new RuleOrigin(layer, at.Location));

        private void Error(SourceLocation at, string message) => _errors.Add(new PolicyLoadError(at, message));

        private LayerSettings Build(LayerSettings result) =>
            result with
            {
                Rules = _errors.Count == 0 ? _rules.ToArray() : [],
                HostExecutables = _errors.Count == 0 ? _hostExecutables.ToArray() : [],
                Errors = _errors.ToArray(),
                Warnings = _warnings.ToArray(),
            };
    }
}
