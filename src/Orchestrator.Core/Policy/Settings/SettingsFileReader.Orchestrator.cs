using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.Policy.Settings;

public static partial class SettingsFileReader
{
    private sealed partial class Reader
    {
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
    }
}
