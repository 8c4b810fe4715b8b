using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Policy;

/// <summary>
/// The effective policy: rules merged across layers (highest layer first, file order within a layer), the scalar
/// settings with where each came from, and every load error. Any load error makes the snapshot fail closed.
/// </summary>
public sealed record PolicySnapshot
{
    public const int DefaultMaxInputBytes = 256 * 1024;

    public required string ProjectDirectory { get; init; }
    public required string HomeDirectory { get; init; }
    public IReadOnlyList<PermissionRule> DenyRules { get; init; } = [];
    public IReadOnlyList<PermissionRule> AskRules { get; init; } = [];
    public IReadOnlyList<PermissionRule> AllowRules { get; init; } = [];
    public Sourced<SandboxMode>? Sandbox { get; init; }
    public Sourced<ApprovalPolicy>? Approval { get; init; }
    public Sourced<bool>? AcceptEdits { get; init; }
    public Sourced<NetworkAccess>? Network { get; init; }
    public Sourced<int>? MaxInputBytesSetting { get; init; }
    public bool AllowManagedRulesOnly { get; init; }
    public bool BypassPermissionsDisabled { get; init; }
    public IReadOnlyList<Sourced<string>> WritableRoots { get; init; } = [];
    public IReadOnlyList<Sourced<string>> ReadableRoots { get; init; } = [];
    public IReadOnlyList<Sourced<string>> ProtectedPaths { get; init; } = [];
    /// <summary>The default deny-read set (<see cref="Paths.SensitivePaths"/>) for this policy's home and data directories.</summary>
    public IReadOnlyList<Paths.SensitivePath> SensitiveReadPaths { get; init; } = [];
    /// <summary>Orchestrator's data directories in use (absolute): never written or read by a judged call.</summary>
    public IReadOnlyList<string> DataDirectories { get; init; } = [];
    public IReadOnlyList<JsonObjectValue> Hooks { get; init; } = [];
    /// <summary>The settings layer each of <see cref="Hooks"/> comes from, in the same order (which may define http hooks).</summary>
    public IReadOnlyList<SettingsLayer> HookLayers { get; init; } = [];
    public IReadOnlyList<PolicyLoadError> Errors { get; init; } = [];
    public IReadOnlyList<PolicyLoadError> Warnings { get; init; } = [];
    public IReadOnlyList<PolicySource> Sources { get; init; } = [];
    public string Version { get; init; } = "";

    public bool FailedClosed => Errors.Count > 0;
    public SandboxMode SandboxMode => Sandbox?.Value ?? SandboxMode.WorkspaceWrite;
    public ApprovalPolicy ApprovalPolicy => Approval?.Value ?? ApprovalPolicy.Untrusted;
    public NetworkAccess NetworkAccess => Network?.Value ?? NetworkAccess.Off;
    public bool AutoAcceptEdits => AcceptEdits?.Value ?? false;
    public int MaxInputBytes => MaxInputBytesSetting?.Value ?? DefaultMaxInputBytes;

    public IEnumerable<PermissionRule> AllRules => DenyRules.Concat(AskRules).Concat(AllowRules);
}
