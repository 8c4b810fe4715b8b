namespace Orchestrator.Core.Policy.Workspaces;

/// <summary>Which workspace a call belongs to, or why it belongs to none the server serves.</summary>
public abstract record WorkspaceResolution
{
    private WorkspaceResolution() { }

    /// <summary>The canonical workspace directory (symlinks resolved), under one of the roots.</summary>
    public sealed record Found(string Workspace) : WorkspaceResolution;

    /// <summary>No workspace named, or a malformed one: the request is at fault (400).</summary>
    public sealed record Malformed(string Reason) : WorkspaceResolution;

    /// <summary>The workspace is outside every root (403): never judged against another project's policy.</summary>
    public sealed record OutsideRoots(string Reason) : WorkspaceResolution;
}
