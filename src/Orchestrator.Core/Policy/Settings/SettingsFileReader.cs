using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>
/// Reads one settings file in Claude Code's <c>settings.json</c> shape plus our <c>orchestrator</c> key. Any error is
/// reported with file:line:column and the file contributes no rules (the merged policy then fails closed).
/// </summary>
public static class SettingsFileReader
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

    private sealed class Reader(SettingsLayer layer, string path, RuleContext context)
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

        private LayerSettings ReadPermissions(PositionedJson value, LayerSettings result)
        {
            if (value is not JsonObjectValue permissions)
            {
                Error(value.Location, $"'permissions' must be an object, found {value.KindName}");
                return result;
            }
            foreach (var member in permissions.Members)
            {
                switch (member.Name)
                {
                    case "allow": ReadRules(member.Value, RuleDecision.Allow); break;
                    case "ask": ReadRules(member.Value, RuleDecision.Ask); break;
                    case "deny": ReadRules(member.Value, RuleDecision.Deny); break;
                    case "defaultMode":
                        result = ReadMode(member.Value, result);
                        break;
                    case "additionalDirectories":
                        result = result with { AdditionalDirectories = Strings(member.Value) };
                        break;
                    case "disableBypassPermissionsMode":
                        if (DisableFlag(member) is { } disableBypass) result = result with { DisableBypassPermissionsMode = disableBypass };
                        break;
                    case "disableAutoMode":
                        if (DisableFlag(member) is { } disableAuto) result = result with { DisableAutoMode = disableAuto };
                        break;
                    default:
                        _warnings.Add(new PolicyLoadError(member.NameLocation, $"unknown permissions setting '{member.Name}' is ignored"));
                        break;
                }
            }
            return result;
        }

        /// <summary>Claude Code's <c>"disable"</c>-valued switches; any other value is an error.</summary>
        private Sourced<bool>? DisableFlag(JsonMember member)
        {
            if (String(member.Value) is not { } text) return null;
            if (text == "disable") return Sourced(true, member.Value);
            Error(member.Value.Location, $"'{member.Name}' accepts only \"disable\"");
            return null;
        }

        private LayerSettings ReadOrchestrator(PositionedJson value, LayerSettings result)
        {
            if (value is not JsonObjectValue ours)
            {
                Error(value.Location, $"'orchestrator' must be an object, found {value.KindName}");
                return result;
            }
            foreach (var member in ours.Members)
            {
                switch (member.Name)
                {
                    case "mode":
                        result = ReadMode(member.Value, result);
                        break;
                    case "approvalPolicy":
                        if (String(member.Value) is { } approvalName)
                        {
                            var approval = ModeNames.ParseApproval(approvalName);
                            if (approval is null) Error(member.Value.Location, $"unknown approval policy '{approvalName}'; expected untrusted, on-request or never");
                            else result = result with { Approval = Sourced(approval.Value, member.Value) };
                        }
                        break;
                    case "network":
                        if (String(member.Value) is { } networkName)
                        {
                            var network = ModeNames.ParseNetwork(networkName);
                            if (network is null) Error(member.Value.Location, $"unknown network setting '{networkName}'; expected off, on or ask");
                            else result = result with { Network = Sourced(network.Value, member.Value) };
                        }
                        break;
                    case "writableRoots": result = result with { WritableRoots = Strings(member.Value) }; break;
                    case "protectedPaths":
                        var protectedPaths = Strings(member.Value);
                        foreach (var entry in protectedPaths)
                            if (entry.Value.Contains('\0') || (entry.Value.Contains('/') && !entry.Value.StartsWith('/') && !entry.Value.StartsWith("~/", StringComparison.Ordinal)))
                                Error(entry.Origin.Location, $"protected path '{entry.Value}' must be a file name (no '/') or an absolute or ~/ path");
                        result = result with { ProtectedPaths = protectedPaths };
                        break;
                    case "maxInputBytes":
                        if (member.Value is JsonNumberValue { Value: >= 1 and <= 16 * 1024 * 1024 } n && n.Value == Math.Floor(n.Value))
                            result = result with { MaxInputBytes = Sourced((int)n.Value, member.Value) };
                        else Error(member.Value.Location, "'maxInputBytes' must be a whole number between 1 and 16777216");
                        break;
                    case "mcpUpstreams":
                        result = result with { McpUpstreams = ReadUpstreams(member) };
                        break;
                    case "rules":
                        foreach (var file in Strings(member.Value))
                            ReadCodexRules(file.Value, file.Origin.Location);
                        break;
                    default:
                        _warnings.Add(new PolicyLoadError(member.NameLocation, $"unknown orchestrator setting '{member.Name}' is ignored"));
                        break;
                }
            }
            return result;
        }

        /// <summary>
        /// The gateway's upstreams, <c>NAME=COMMAND [ARGS…]</c> or <c>NAME=URL</c> (the rest is checked when the gateway
        /// starts). In a workspace's own file it is an error: an agent could add a server of its choosing, started on
        /// the host with the server's rights.
        /// </summary>
        private IReadOnlyList<Sourced<string>> ReadUpstreams(JsonMember member)
        {
            if (!((SettingsLayer?)layer).IsBeyondTheAgentsReach())
            {
                Error(member.NameLocation,
                    "'mcpUpstreams' may be set only in managed, command-line (--settings) or user settings, never in a workspace's own settings files (an agent working there could add an MCP server of its choosing)");
                return [];
            }
            var upstreams = Strings(member.Value);
            foreach (var entry in upstreams)
                if (McpTools.UpstreamProblem(entry.Value) is { } problem) Error(entry.Origin.Location, problem);
            return upstreams;
        }

        private void ReadCodexRules(string relative, SourceLocation referencedAt)
        {
            var full = Path.IsPathRooted(relative) ? relative : Path.GetFullPath(Path.Combine(context.SettingsDirectory, relative));
            if (context.Files.Observe(full).Kind != PolicyFileKind.File)
            {
                Error(referencedAt, $"rules file '{relative}' not found (looked at {full})");
                return;
            }
            var loaded = CodexRuleImport.Load(full, layer, context.HomeDirectory, context.Files);
            _rules.AddRange(loaded.Rules);
            _errors.AddRange(loaded.Errors);
            _warnings.AddRange(loaded.Warnings);
            _hostExecutables.AddRange(loaded.HostExecutables);
        }

        /// <summary>
        /// A mode name we do not know (Claude Code adds modes) is a warning and sets nothing: the next layer's mode or
        /// the default applies. A value that is not a string is an error.
        /// </summary>
        private LayerSettings ReadMode(PositionedJson value, LayerSettings result)
        {
            if (String(value) is not { } modeName) return result;
            if (PermissionMode.Find(modeName) is { } mode) return ApplyMode(result, mode, value);
            _warnings.Add(new PolicyLoadError(value.Location,
                $"unknown mode '{modeName}' is ignored (the mode of a lower layer or the default applies); known modes: {PermissionMode.Names}"));
            return result;
        }

        private LayerSettings ApplyMode(LayerSettings result, PermissionMode mode, PositionedJson at)
        {
            // Within one layer an explicit approvalPolicy wins over the one a named mode implies, whatever the order.
            result = result with
            {
                Sandbox = Sourced(mode.Sandbox, at), AcceptEdits = Sourced(mode.AcceptEdits, at),
                AutoMode = mode.Name == PermissionMode.Auto ? Sourced(true, at) : null,
            };
            if (mode.Approval is { } approval && result.Approval is null)
                result = result with { Approval = Sourced(approval, at) };
            return result;
        }

        private void ReadRules(PositionedJson value, RuleDecision decision)
        {
            if (value is not JsonArrayValue array)
            {
                Error(value.Location, $"permission rules must be an array of strings, found {value.KindName}");
                return;
            }
            foreach (var item in array.Items)
            {
                if (item is not JsonStringValue text)
                {
                    Error(item.Location, $"a permission rule must be a string, found {item.KindName}");
                    continue;
                }
                var origin = new RuleOrigin(layer, item.Location);
                var parsed = RuleParser.Parse(text.Value, decision, origin, context);
                if (parsed.Rule is null)
                {
                    // +1 for the opening quote of the JSON string.
                    var at = item.Location with { Column = item.Location.Column + 1 + parsed.ErrorOffset };
                    ReportRuleProblem(at, text.Value, decision, parsed);
                    continue;
                }
                if (!RuleParser.IsKnownTool(parsed.Rule.Tool))
                    _warnings.Add(new PolicyLoadError(item.Location,
                        $"rule \"{text.Value}\" names tool '{parsed.Rule.Tool}', which no known tool has (tool names are case-sensitive)" +
                        (KnownTools.Suggest(parsed.Rule.Tool) is { } known ? $"; did you mean '{known}'?" : "")));
                _rules.Add(parsed.Rule);
            }
        }

        /// <summary>
        /// A rule that never matches (Claude Code gives it no effect either) is skipped with a warning, whatever its
        /// decision. A malformed allow rule is skipped with a warning too: without it the call only asks. A malformed
        /// deny or ask rule is an error: its author meant to restrict something we cannot read, so the layer fails
        /// closed rather than drop the restriction.
        /// </summary>
        private void ReportRuleProblem(SourceLocation at, string text, RuleDecision decision, RuleParser.Result parsed)
        {
            var kind = decision.ToString().ToLowerInvariant();
            if (parsed.Problem == RuleProblem.Malformed && decision != RuleDecision.Allow)
            {
                Error(at, $"invalid {kind} rule \"{text}\": {parsed.Error}");
                return;
            }
            var consequence = decision switch
            {
                RuleDecision.Deny => "SKIPPED: what it seems to name is NOT denied",
                RuleDecision.Ask => "SKIPPED: what it seems to name is NOT asked for",
                _ => "skipped",
            };
            _warnings.Add(new PolicyLoadError(at, $"{kind} rule \"{text}\" {consequence}: {parsed.Error}"));
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
