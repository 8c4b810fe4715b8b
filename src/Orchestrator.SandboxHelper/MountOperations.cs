using System.Globalization;
using Orchestrator.Sandbox.Linux.Mounts;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// The mounts of <c>--private-tmp</c>, <c>--protect</c>, <c>--hide</c> and <c>--expose</c>, made inside the helper's
/// own mount namespace (<see cref="MountNamespace"/>) before Landlock and seccomp. Every target is opened without
/// following a final symbolic link and checked before anything is mounted on that very descriptor, so a path swapped
/// for a link meanwhile can neither redirect a mount nor escape it; a target that does not exist, or that the helper
/// (hence the command) cannot reach, is skipped: there is nothing to protect or hide, and nothing is ever created on
/// the host to mount on.
/// </summary>
internal static class MountOperations
{
    private const ulong MsNoSuid = 2;
    private const ulong MsNoDev = 4;
    private const int OCreat = 0x40;
    private const int XOk = 1;
    private const int ROk = 4;

    public static void Apply(HelperOptions options)
    {
        if (options.PrivateTmp)
        {
            PrivateTmp(options.Keep, options.KeepReadOnly);
        }

        // Exposed paths are opened before any hiding: once a tmpfs covers their directory they cannot be reached.
        var exposed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in options.MountOps.Where(op => op.Kind == MountOpKind.Expose))
        {
            if (OpenTarget(op.Path) is { } fd)
            {
                exposed[op.Path] = fd;
            }
        }

        var hiddenDirectories = new List<string>();
        foreach (var op in options.MountOps)
        {
            try
            {
                switch (op.Kind)
                {
                    case MountOpKind.Protect:
                        Protect(op.Path);
                        break;
                    case MountOpKind.Hide:
                        if (Hide(op.Path))
                        {
                            hiddenDirectories.Add(op.Path);
                        }

                        break;
                    case MountOpKind.Expose:
                        if (exposed.TryGetValue(op.Path, out var source))
                        {
                            Expose(op.Path, source);
                        }

                        break;
                }
            }
            catch (MountFailure failure)
            {
                throw new HelperException($"cannot {op.Kind.ToString().ToLowerInvariant()} {op.Path}: {failure.Message}");
            }
        }

        foreach (var fd in exposed.Values)
        {
            Libc.Close(fd);
        }

        // A hidden directory stays empty: its tmpfs turns read-only once the exposed paths are mounted in it.
        foreach (var directory in hiddenDirectories)
        {
            WithTarget(directory, (fd, _) => MountApi.MakeReadOnly(fd));
        }
    }

    /// <summary>
    /// What a hidden file shows: an empty read-only file (not /dev/null, which a read-only mount still lets one write
    /// to: the command would believe it saved data that went nowhere). It lives on a tmpfs mounted nowhere.
    /// </summary>
    private static readonly Lazy<int> EmptyFile = new(() =>
    {
        var tmpfs = MountApi.DetachedTmpfs();
        var created = Libc.Openat(tmpfs, "empty", Libc.O_WRONLY | OCreat | Libc.O_CLOEXEC, 0x124);
        if (created < 0)
        {
            throw new HelperException($"cannot create the empty file that hides files: {Libc.Describe(Libc.LastError)}");
        }

        Libc.Close(created);
        var file = Libc.Openat(tmpfs, "empty", Libc.O_PATH | Libc.O_CLOEXEC, 0);
        return file >= 0 ? file : throw new HelperException($"cannot open the empty file that hides files: {Libc.Describe(Libc.LastError)}");
    });

    /// <summary>
    /// A fresh tmpfs on /tmp, with the given directories below /tmp bound back into it: writable roots as they are,
    /// the others read-only (Landlock's write right on /tmp would otherwise reach everything mounted below it).
    /// </summary>
    private static void PrivateTmp(IReadOnlyList<string> keep, IReadOnlyList<string> keepReadOnly)
    {
        var kept = new List<(string Path, int Fd, bool ReadOnly)>();
        var all = keep.Select(p => (Path: p, ReadOnly: false)).Concat(keepReadOnly.Select(p => (Path: p, ReadOnly: true)));
        foreach (var (path, readOnly) in all.OrderBy(k => k.Path, StringComparer.Ordinal))
        {
            if (OpenTarget(path) is { } fd)
            {
                kept.Add((path, fd, readOnly));
            }
        }

        if (Libc.Mount("tmpfs", "/tmp", "tmpfs", MsNoSuid | MsNoDev, "mode=1777") != 0)
        {
            throw new HelperException($"cannot mount a private /tmp: {Libc.Describe(Libc.LastError)}");
        }

        // Parents first: a directory kept inside another kept one is mounted on top of it, with its own access.
        foreach (var (path, fd, readOnly) in kept)
        {
            try
            {
                MakeDirectories(path);
                var tree = MountApi.CloneTree(fd);
                if (readOnly)
                {
                    MountApi.MakeReadOnly(tree);
                }

                WithTarget(path, (target, _) => MountApi.Attach(tree, target));
                Libc.Close(tree);
            }
            catch (MountFailure failure)
            {
                throw new HelperException($"cannot bind {path} into the private /tmp: {failure.Message}");
            }
            finally
            {
                Libc.Close(fd);
            }
        }
    }

    private static void Protect(string path) =>
        WithTarget(path, (fd, kind) =>
        {
            RefuseLink(path, kind);
            var tree = MountApi.CloneTree(fd);
            try
            {
                MountApi.MakeReadOnly(tree);
                MountApi.Attach(tree, fd);
            }
            finally
            {
                Libc.Close(tree);
            }
        });

    /// <returns>Whether a directory was covered with a tmpfs (to be made read-only at the end).</returns>
    private static bool Hide(string path)
    {
        var directory = false;
        WithTarget(path, (fd, kind) =>
        {
            RefuseLink(path, kind);
            // Out of the command's reach already — a directory it cannot search, a file it cannot read, owned by
            // someone else (an owner could chmod it; the command's permissions never grow otherwise: capabilities are
            // dropped, no new privileges): no mount needed.
            var target = "/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture);
            if (FileKinds.OwnerOf(fd) is { } owner && owner != Libc.Geteuid()
                && Libc.Access(path, kind == FileKind.Directory ? XOk : ROk) != 0 && Libc.LastError == Libc.EACCES)
            {
                return;
            }

            if (kind == FileKind.Directory)
            {
                if (Libc.Mount("tmpfs", target, "tmpfs", MsNoSuid | MsNoDev, "mode=0755") != 0)
                {
                    throw new HelperException($"cannot hide {path}: mounting a tmpfs failed: {Libc.Describe(Libc.LastError)}");
                }

                directory = true;
                return;
            }

            BindReadOnly(EmptyFile.Value, fd);
        });
        return directory;
    }

    private static void Expose(string path, int source)
    {
        var kind = FileKinds.Of(source);
        RefuseLink(path, kind);
        MakeDirectories(Path.GetDirectoryName(path)!);
        if (kind == FileKind.Directory)
        {
            if (Libc.Mkdirat(Libc.AT_FDCWD, path, 0x1ED) != 0 && Libc.LastError != Libc.EEXIST)
            {
                throw new HelperException($"cannot make a mount point for {path}: {Libc.Describe(Libc.LastError)}");
            }
        }
        else
        {
            var created = Libc.Open(path, Libc.O_WRONLY | OCreat | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0x124);
            if (created < 0)
            {
                throw new HelperException($"cannot make a mount point for {path}: {Libc.Describe(Libc.LastError)}");
            }

            Libc.Close(created);
        }

        WithTarget(path, (target, _) => BindReadOnly(source, target));
    }

    private static void BindReadOnly(int source, int target)
    {
        var tree = MountApi.CloneTree(source);
        try
        {
            MountApi.MakeReadOnly(tree);
            MountApi.Attach(tree, target);
        }
        finally
        {
            Libc.Close(tree);
        }
    }

    /// <summary>Opens <paramref name="path"/> (O_PATH, final link not followed) and runs <paramref name="action"/> on it; a missing path is skipped.</summary>
    private static void WithTarget(string path, Action<int, FileKind> action)
    {
        if (OpenTarget(path) is not { } fd)
        {
            return;
        }

        try
        {
            action(fd, FileKinds.Of(fd));
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static int? OpenTarget(string path)
    {
        var fd = Libc.Open(path, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (fd >= 0)
        {
            return fd;
        }

        // Missing, or out of the helper's reach (so out of the command's too): nothing to protect or hide.
        var error = Libc.LastError;
        return error is Libc.ENOENT or Libc.ENOTDIR or Libc.EACCES
            ? null
            : throw new HelperException($"cannot open {path}: {Libc.Describe(error)}");
    }

    private static void RefuseLink(string path, FileKind kind)
    {
        if (kind == FileKind.SymbolicLink)
        {
            throw new HelperException($"{path} became a symbolic link while the sandbox was starting; refusing to run");
        }
    }

    private static void MakeDirectories(string path)
    {
        var current = "";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            if (Libc.Mkdirat(Libc.AT_FDCWD, current, 0x1ED) != 0 && Libc.LastError != Libc.EEXIST)
            {
                throw new HelperException($"cannot create {current}: {Libc.Describe(Libc.LastError)}");
            }
        }
    }
}
