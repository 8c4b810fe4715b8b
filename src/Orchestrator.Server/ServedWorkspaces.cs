using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Server;

/// <summary>
/// The workspaces this server judges calls in, and their policies. With roots (<c>serve --root</c>), a call's
/// workspace is resolved by <see cref="WorkspaceRoots"/> and a call outside every root is refused; without, the server
/// has one workspace (the project) and a call naming another <c>workspace</c> is refused.
/// </summary>
public sealed class ServedWorkspaces(PolicyCatalog policies, WorkspaceRoots? roots)
{
    public PolicyCatalog Policies => policies;

    public WorkspaceRoots? Roots => roots;

    /// <summary>The workspace to record on the call (null: the one workspace), or the refusal (400 malformed, 403 outside the roots).</summary>
    public (string? Workspace, int Status, string? Refusal) Resolve(string? workspace, string cwd)
    {
        if (roots is null)
        {
            if (workspace is null) return (null, 0, null);
            var one = new WorkspaceRoots([policies.DefaultWorkspace]).Resolve(workspace, cwd);
            return one switch
            {
                WorkspaceResolution.Found found when found.Workspace == CanonicalDefault() => (null, 0, null),
                WorkspaceResolution.Malformed malformed => (null, StatusCodes.Status400BadRequest, malformed.Reason),
                _ => (null, StatusCodes.Status403Forbidden, $"workspace {workspace} is not the one workspace this server serves ({policies.DefaultWorkspace})"),
            };
        }
        return roots.Resolve(workspace, cwd) switch
        {
            WorkspaceResolution.Found found => (found.Workspace, 0, null),
            WorkspaceResolution.Malformed malformed => (null, StatusCodes.Status400BadRequest, malformed.Reason),
            WorkspaceResolution.OutsideRoots outside => (null, StatusCodes.Status403Forbidden, outside.Reason),
            _ => (null, StatusCodes.Status400BadRequest, "no workspace"),
        };
    }

    private string CanonicalDefault() => new WorkspaceRoots([policies.DefaultWorkspace]).Roots[0];
}
