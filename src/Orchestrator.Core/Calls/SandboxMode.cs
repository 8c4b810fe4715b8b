namespace Orchestrator.Core.Calls;

/// <summary>What the sandbox lets a command touch (Codex's sandbox modes).</summary>
public enum SandboxMode
{
    ReadOnly,
    WorkspaceWrite,
    DangerFullAccess,
}

/// <summary>When the operator is asked (Codex's approval policies).</summary>
public enum ApprovalPolicy
{
    /// <summary>Only known-safe commands run without asking.</summary>
    Untrusted,
    /// <summary>Ask when a rule says ask, the command needs more than the sandbox gives, or the call asks to escalate.</summary>
    OnRequest,
    /// <summary>Never ask: every ask becomes deny.</summary>
    Never,
}

public enum NetworkAccess
{
    Off,
    On,
    Ask,
}
