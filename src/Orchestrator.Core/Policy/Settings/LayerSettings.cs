using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>What one settings source contributes (a settings.json, a Codex .rules file, or command-line flags).</summary>
public sealed record LayerSettings(SettingsLayer Layer, string Source)
{
    public IReadOnlyList<PermissionRule> Rules { get; init; } = [];
    public Sourced<SandboxMode>? Sandbox { get; init; }
    public Sourced<ApprovalPolicy>? Approval { get; init; }
    public Sourced<bool>? AcceptEdits { get; init; }
    public Sourced<NetworkAccess>? Network { get; init; }
    public Sourced<bool>? AllowManagedRulesOnly { get; init; }
    public Sourced<bool>? DisableBypassPermissionsMode { get; init; }
    /// <summary><c>permissions.disableAutoMode: "disable"</c>: Claude Code's auto mode is refused, whichever layer names it.</summary>
    public Sourced<bool>? DisableAutoMode { get; init; }
    /// <summary>Set where this source names Claude Code's <c>auto</c> mode; the values it implies share this origin.</summary>
    public Sourced<bool>? AutoMode { get; init; }
    public Sourced<int>? MaxInputBytes { get; init; }
    public IReadOnlyList<Sourced<string>> AdditionalDirectories { get; init; } = [];
    public IReadOnlyList<Sourced<string>> WritableRoots { get; init; } = [];
    public IReadOnlyList<Sourced<string>> ProtectedPaths { get; init; } = [];
    /// <summary>The raw <c>hooks</c> object, validated when hooks are loaded.</summary>
    public JsonObjectValue? Hooks { get; init; }
    public Sourced<bool>? AllowManagedHooksOnly { get; init; }
    public Sourced<bool>? DisableAllHooks { get; init; }
    /// <summary>
    /// <c>orchestrator.mcpUpstreams</c>: the MCP servers the gateway fronts, each <c>NAME=COMMAND [ARGS…]</c> or
    /// <c>NAME=https://…</c> as for <c>--upstream</c>; only from layers beyond the agents' reach.
    /// </summary>
    public IReadOnlyList<Sourced<string>> McpUpstreams { get; init; } = [];
    /// <summary>Codex <c>host_executable</c> entries from this source's <c>.rules</c> files, in file order.</summary>
    public IReadOnlyList<Codex.CodexHostExecutable> HostExecutables { get; init; } = [];
    public IReadOnlyList<PolicyLoadError> Errors { get; init; } = [];
    public IReadOnlyList<PolicyLoadError> Warnings { get; init; } = [];
    /// <summary>SHA-256 of the source bytes (hex), for the policy version.</summary>
    public string Digest { get; init; } = "";
}
