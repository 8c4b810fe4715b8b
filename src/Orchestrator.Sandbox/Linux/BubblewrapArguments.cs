using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// The bubblewrap command line for a profile (DESIGN §6): read-only root, fresh /dev, /proc and private /tmp, the
/// writable roots bound read-write, every namespace unshared (network shared only when on), a new session, death with
/// the parent. Capabilities are dropped but for CAP_SYS_ADMIN and CAP_SETPCAP, which the helper inside needs for its
/// own mounts (protected and hidden paths, made on checked descriptors — bubblewrap's own binds would need a mount
/// point on the host for every path that is missing) and then drops with every other one before the command runs.
/// </summary>
public static class BubblewrapArguments
{
    public static ImmutableArray<string> Build(SandboxProfile profile, string helperPath, string workingDirectory, IReadOnlyList<string> cgroups)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        args.AddRange("--die-with-parent", "--new-session", "--unshare-all");
        if (profile.NetworkAllowed) args.Add("--share-net");
        args.AddRange("--cap-drop", "ALL", "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP");
        args.AddRange("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
        // /tmp first: a root under /tmp is bound on top of the fresh tmpfs, not hidden by it.
        args.AddRange("--tmpfs", "/tmp");

        var bound = new List<string>();
        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var root in profile.WritableRoots)
            {
                args.AddRange("--bind-try", root, root);
                bound.Add(root);
            }
        foreach (var path in profile.WritableRoots.Append(workingDirectory).Append(helperPath))
            if (PathText.IsSameOrUnder(path, "/tmp", StringComparison.Ordinal) && !bound.Any(b => PathText.IsSameOrUnder(path, b, StringComparison.Ordinal)))
            {
                args.AddRange("--ro-bind-try", path, path);
                bound.Add(path);
            }
        // The helper joins the command's cgroup from inside, through these binds (the rest of /sys stays read-only).
        foreach (var dir in cgroups) args.AddRange("--bind", dir, dir);

        args.AddRange("--chdir", workingDirectory);
        return args.ToImmutable();
    }
}
