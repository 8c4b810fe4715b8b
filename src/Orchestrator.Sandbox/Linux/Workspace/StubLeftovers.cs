using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>
/// Earlier versions made an empty file for every missing protected name at the top of a writable root (a mount point
/// for bubblewrap) and removed it after the run — a crash left them behind. Such a file is recognised when its root is
/// first used: an empty regular file that either carries a directory's protected name (<c>.git</c>, <c>.vscode</c>, …:
/// never legitimate as an empty file) or has bubblewrap's mount-point mode 0444. It goes to the quarantine, not away:
/// a user's own empty <c>.bashrc</c> (normally 0644) is left alone, and anything moved by mistake can be moved back.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class StubLeftovers
{
    private static readonly HashSet<string> DirectoryNames = new(StringComparer.Ordinal)
    {
        ".git", ".orchestrator", ".claude", ".codex", ".agents", ".vscode", ".idea",
    };

    private const UnixFileMode MountPointMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static IEnumerable<string> Clean(string root, IEnumerable<string> protectedNames, Quarantine quarantine)
    {
        foreach (var name in protectedNames)
        {
            var path = PathText.Join(root, name);
            if (!IsStub(path, name)) continue;
            var movedTo = quarantine.Move(path, "an empty stub file left in the workspace by an older Orchestrator", out var failure);
            if (movedTo is not null) yield return $"moved {path}, an empty stub left by an older Orchestrator, to {movedTo}";
            else if (failure is not null) yield return $"{path} looks like a stub left by an older Orchestrator but {failure}";
        }
    }

    public static bool IsStub(string path, string name)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.LinkTarget is not null || info.Length != 0) return false;
            return DirectoryNames.Contains(name) || File.GetUnixFileMode(path) == MountPointMode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
