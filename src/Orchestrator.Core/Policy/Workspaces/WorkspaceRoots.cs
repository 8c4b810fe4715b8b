using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Policy.Workspaces;

/// <summary>
/// The directories a server serves workspaces under (<c>serve --root</c>), canonical. A call's workspace is its
/// <c>workspace</c> field, else the nearest ancestor of its <c>cwd</c> holding <c>.git</c> or <c>.orchestrator</c>, not
/// above the root that holds the cwd (the root itself when none does). Every path is compared after resolving
/// symlinks, so a link inside a root that points outside it is outside.
/// </summary>
public sealed class WorkspaceRoots
{
    private static readonly string[] Markers = [".git", ".orchestrator"];

    public WorkspaceRoots(IEnumerable<string> roots)
    {
        var canonical = new List<string>();
        foreach (var root in roots)
        {
            var resolved = Canonical(Path.GetFullPath(root));
            if (resolved is null || !Directory.Exists(resolved))
                throw new ArgumentException($"root {root} is not an existing directory", nameof(roots));
            canonical.Add(resolved);
        }
        if (canonical.Count == 0) throw new ArgumentException("at least one root is needed", nameof(roots));
        Roots = canonical.Distinct(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Roots { get; }

    public WorkspaceResolution Resolve(string? workspace, string? cwd)
    {
        if (!string.IsNullOrEmpty(workspace)) return Named(workspace);
        if (string.IsNullOrEmpty(cwd))
            return new WorkspaceResolution.Malformed("no workspace: the call names neither a workspace nor a cwd");
        if (!Path.IsPathRooted(cwd)) return new WorkspaceResolution.Malformed("cwd must be an absolute path");
        var resolved = Canonical(cwd);
        if (resolved is null || !Directory.Exists(resolved))
            return new WorkspaceResolution.Malformed($"cwd {cwd} is not an existing directory");
        if (RootOf(resolved) is not { } root)
            return new WorkspaceResolution.OutsideRoots($"cwd {cwd} is outside every workspace root this server serves ({string.Join(", ", Roots)})");
        for (var dir = resolved; dir.Length >= root.Length; dir = Path.GetDirectoryName(dir) ?? "")
        {
            if (Markers.Any(m => Path.Exists(Path.Combine(dir, m)))) return new WorkspaceResolution.Found(dir);
            if (dir == root) break;
        }
        return new WorkspaceResolution.Found(root);
    }

    private WorkspaceResolution Named(string workspace)
    {
        if (!Path.IsPathRooted(workspace)) return new WorkspaceResolution.Malformed("workspace must be an absolute path");
        var resolved = Canonical(workspace);
        if (resolved is null || !Directory.Exists(resolved))
            return new WorkspaceResolution.Malformed($"workspace {workspace} is not an existing directory");
        return RootOf(resolved) is null
            ? new WorkspaceResolution.OutsideRoots($"workspace {workspace} is outside every workspace root this server serves ({string.Join(", ", Roots)})")
            : new WorkspaceResolution.Found(resolved);
    }

    private string? RootOf(string canonical) =>
        Roots.Where(r => canonical == r || canonical.StartsWith(r == "/" ? r : r + "/", StringComparison.Ordinal))
            .OrderByDescending(r => r.Length).FirstOrDefault();

    private static string? Canonical(string path)
    {
        var canonical = PathCanonicalizer.Canonicalize(path, "/", "/");
        return canonical.IsResolved ? canonical.FullPath : null;
    }
}
