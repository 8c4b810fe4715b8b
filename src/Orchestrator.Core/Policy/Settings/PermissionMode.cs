using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>
/// Named modes as a user writes them: ours (<c>read-only</c>, <c>workspace-write</c>, <c>danger-full-access</c>) and
/// Claude Code's (<c>default</c> alias <c>manual</c>, <c>acceptEdits</c>, <c>plan</c>, <c>auto</c>, <c>dontAsk</c>,
/// <c>bypassPermissions</c>), each mapped onto a sandbox mode and an approval policy. <see cref="ApprovalPolicy"/> is null
/// for ours: they set the sandbox only.
/// </summary>
public sealed record PermissionMode(string Name, SandboxMode Sandbox, ApprovalPolicy? Approval, bool AcceptEdits)
{
    public const string Auto = "auto";

    public static readonly IReadOnlyList<PermissionMode> All =
    [
        new("read-only", SandboxMode.ReadOnly, null, false),
        new("workspace-write", SandboxMode.WorkspaceWrite, null, false),
        new("danger-full-access", SandboxMode.DangerFullAccess, null, false),
        new("default", SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, false),
        new("manual", SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, false),
        new("acceptEdits", SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, true),
        new("plan", SandboxMode.ReadOnly, ApprovalPolicy.Untrusted, false),
        // Claude Code's auto mode: rules first, then reads and in-workspace edits run unasked and a classifier stops what
        // is risky. Here the sandbox contains what runs unasked and the command classifier asks for the rest.
        new(Auto, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, true),
        new("dontAsk", SandboxMode.ReadOnly, ApprovalPolicy.Never, false),
        new("bypassPermissions", SandboxMode.DangerFullAccess, ApprovalPolicy.Never, false),
    ];

    public static string Names => string.Join(", ", All.Select(m => m.Name));

    /// <summary>What a refused auto mode falls back to, as in Claude Code.</summary>
    public static PermissionMode Default => All.First(m => m.Name == "default");

    public static PermissionMode? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}

public static class ModeNames
{
    public static string Name(this SandboxMode mode) => mode switch
    {
        SandboxMode.ReadOnly => "read-only",
        SandboxMode.WorkspaceWrite => "workspace-write",
        _ => "danger-full-access",
    };

    public static string Name(this ApprovalPolicy policy) => policy switch
    {
        ApprovalPolicy.Untrusted => "untrusted",
        ApprovalPolicy.OnRequest => "on-request",
        _ => "never",
    };

    public static string Name(this NetworkAccess network) => network switch
    {
        NetworkAccess.Off => "off",
        NetworkAccess.On => "on",
        _ => "ask",
    };

    public static ApprovalPolicy? ParseApproval(string text) => text.ToLowerInvariant() switch
    {
        "untrusted" or "unless-trusted" => ApprovalPolicy.Untrusted,
        "on-request" => ApprovalPolicy.OnRequest,
        "never" => ApprovalPolicy.Never,
        _ => null,
    };

    public static NetworkAccess? ParseNetwork(string text) => text.ToLowerInvariant() switch
    {
        "off" => NetworkAccess.Off,
        "on" => NetworkAccess.On,
        "ask" => NetworkAccess.Ask,
        _ => null,
    };
}
