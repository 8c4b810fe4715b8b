using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// The bubblewrap command line for a profile (DESIGN §6): read-only root, fresh /dev, /proc and private /tmp, the
/// writable roots bound read-write, protected paths bound read-only over themselves (or /dev/null over those that
/// are symlinks or do not exist yet), hidden paths covered, every namespace unshared (network shared only when on),
/// all capabilities dropped, a new session, death with the parent, and our seccomp filter.
/// </summary>
public static class BubblewrapArguments
{
    public sealed record Result(ImmutableArray<string> Arguments, IReadOnlyList<string> CreatedMountPoints);

    public static Result Build(SandboxProfile profile, string helperPath, string workingDirectory)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        var created = new List<string>();
        args.AddRange("--die-with-parent", "--new-session", "--cap-drop", "ALL", "--unshare-all");
        if (profile.NetworkAllowed) args.Add("--share-net");
        args.AddRange("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
        // /tmp first: a writable root under /tmp is bound on top of the fresh tmpfs, not hidden by it.
        args.AddRange("--tmpfs", "/tmp");

        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var root in profile.WritableRoots)
                args.AddRange("--bind", root, root);
        else
            foreach (var root in profile.WritableRoots.Where(r => r.StartsWith("/tmp/", StringComparison.Ordinal)))
                args.AddRange("--ro-bind", root, root);

        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var path in profile.ProtectedPaths)
            {
                var info = new FileInfo(path);
                var isLink = info.LinkTarget is not null;
                if (!isLink && Directory.Exists(path)) args.AddRange("--ro-bind", path, path);
                else if (!isLink && File.Exists(path)) args.AddRange("--ro-bind", path, path);
                else
                {
                    // bwrap makes the mount point inside the bound root, i.e. an empty file on the host; it is removed after the run.
                    if (!isLink) created.Add(path);
                    args.AddRange("--ro-bind", "/dev/null", path);
                }
            }

        foreach (var hidden in profile.HiddenPaths)
        {
            if (Directory.Exists(hidden)) args.AddRange("--tmpfs", hidden);
            else if (File.Exists(hidden)) args.AddRange("--ro-bind", "/dev/null", hidden);
        }

        // The helper must stay reachable inside: /tmp is a fresh tmpfs and hidden paths are covered.
        if (helperPath.StartsWith("/tmp/", StringComparison.Ordinal) || profile.HiddenPaths.Any(h => helperPath.StartsWith(h + "/", StringComparison.Ordinal)))
            args.AddRange("--ro-bind", helperPath, helperPath);

        args.AddRange("--chdir", workingDirectory, "--seccomp", HelperArguments.SeccompFdToken);
        return new Result(args.ToImmutable(), created);
    }
}
