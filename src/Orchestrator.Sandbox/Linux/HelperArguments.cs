using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Linux;

/// <summary>Builds the command line of <c>orchestrator-sandbox</c>, the NativeAOT helper (src/Orchestrator.SandboxHelper).</summary>
public static class HelperArguments
{
    /// <summary>
    /// The helper confining a command by itself, in a mount namespace of its own: a private /tmp (writable roots below
    /// it bound back), the mounts of <paramref name="mounts"/>, then Landlock granting whole writable roots (the mounts
    /// keep protected paths read-only), seccomp, limits, a new session.
    /// </summary>
    public static ImmutableArray<string> BuiltIn(SandboxProfile profile, MountPlan mounts, int? statusFd, IReadOnlyList<string> cgroups,
        bool hasCgroup, string workingDirectory)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        AddStatus(args, statusFd);
        args.AddRange("--require", "landlock,seccomp", "--setsid", "--mount-ns", "--private-tmp");
        foreach (var path in mounts.KeepWritable) args.AddRange("--keep", path);
        foreach (var path in mounts.KeepReadOnly) args.AddRange("--keep-ro", path);
        AddMounts(args, mounts);
        // No bubblewrap: drop every capability ourselves, and grant / child by child without /dev, so that root
        // cannot read raw disks (block devices are root's own files; dropping capabilities does not stop that).
        args.AddRange("--drop-caps", "--chdir", workingDirectory, "--landlock");
        foreach (var top in TopLevelDirectoriesExceptDev()) args.AddRange("--ro", top);
        AddDevices(args);
        args.AddRange("--rw", "/tmp");
        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var root in profile.WritableRoots) args.AddRange("--rw", root);
        AddConfinement(args, profile, cgroups, hasCgroup);
        return args.ToImmutable();
    }

    /// <summary>
    /// The fallback when no mount namespace can be had (unprivileged user namespaces disabled): Landlock alone, with
    /// rights granted child by child around protected and hidden paths (<see cref="LandlockGrants"/>), and a private
    /// temporary directory on the host.
    /// </summary>
    public static ImmutableArray<string> BuiltInWithoutMountNamespace(SandboxProfile profile, MountPlan mounts, string privateTmp,
        int? statusFd, IReadOnlyList<string> cgroups, bool hasCgroup, string workingDirectory)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        AddStatus(args, statusFd);
        args.AddRange("--require", "landlock,seccomp", "--setsid", "--drop-caps", "--chdir", workingDirectory, "--landlock");
        var writable = profile.Mode == SandboxMode.WorkspaceWrite ? profile.WritableRoots : [];
        var exposed = mounts.Ops.Where(o => o.Kind == Mounts.MountOpKind.Expose).Select(o => o.Path);
        foreach (var grant in LandlockGrants.For(TopLevelDirectoriesExceptDev(), writable, mounts.ProtectedPaths, mounts.HiddenPaths, exposed))
            args.AddRange(grant.ListOnly ? "--list" : (grant.IsDirectory, grant.Writable) switch
            {
                (true, true) => "--rw",
                (true, false) => "--ro",
                (false, true) => "--rw-file",
                (false, false) => "--ro-file",
            }, grant.Path);
        AddDevices(args);
        args.AddRange("--rw", privateTmp);
        AddConfinement(args, profile, cgroups, hasCgroup);
        return args.ToImmutable();
    }

    /// <summary>
    /// The helper inside bubblewrap, which hands it CAP_SYS_ADMIN and CAP_SETPCAP: it makes its mounts in a mount
    /// namespace of its own below bubblewrap's, drops every capability, and confines the command as the built-in
    /// layer does (joining the cgroup bubblewrap bound in). Landlock grants whole roots.
    /// </summary>
    public static ImmutableArray<string> InsideBubblewrap(SandboxProfile profile, MountPlan mounts, int? statusFd, int? lifelineFd,
        IReadOnlyList<string> cgroups, bool hasCgroup, string workingDirectory)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        AddStatus(args, statusFd, dieWithParent: false);
        if (lifelineFd is { } lifeline) args.AddRange("--lifeline-fd", lifeline.ToString(CultureInfo.InvariantCulture));
        args.AddRange("--require", "landlock,seccomp", "--mount-ns");
        AddMounts(args, mounts);
        args.AddRange("--drop-caps", "--chdir", workingDirectory, "--landlock", "--ro", "/", "--rw-file", "/dev/null", "--rw", "/tmp");
        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var root in profile.WritableRoots) args.AddRange("--rw", root);
        AddConfinement(args, profile, cgroups, hasCgroup);
        return args.ToImmutable();
    }

    /// <summary>No confinement (danger-full-access): only a new session, so a timeout can kill the whole group.</summary>
    public static ImmutableArray<string> Unconfined(string workingDirectory, IReadOnlyList<string> cgroups, int? statusFd)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        AddStatus(args, statusFd);
        args.AddRange("--setsid", "--chdir", workingDirectory);
        foreach (var dir in cgroups) args.AddRange("--cgroup", dir);
        return args.ToImmutable();
    }

    private static readonly string[] ReadableDevices = ["/dev/zero", "/dev/random", "/dev/urandom", "/dev/full"];

    /// <summary>The status pipe, and death with Orchestrator (the helper's parent, unless bubblewrap is in between).</summary>
    private static void AddStatus(ImmutableArray<string>.Builder args, int? statusFd, bool dieWithParent = true)
    {
        if (statusFd is { } fd) args.AddRange("--status-fd", fd.ToString(CultureInfo.InvariantCulture));
        if (dieWithParent && statusFd is not null) args.AddRange("--die-with-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    private static void AddMounts(ImmutableArray<string>.Builder args, MountPlan mounts)
    {
        foreach (var op in mounts.Ops) args.AddRange(op.Option, op.Path);
    }

    private static void AddDevices(ImmutableArray<string>.Builder args)
    {
        foreach (var device in ReadableDevices) args.AddRange("--ro-file", device);
        args.AddRange("--rw-file", "/dev/null", "--rw-file", "/dev/tty");
    }

    private static IEnumerable<string> TopLevelDirectoriesExceptDev()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries("/").Order(StringComparer.Ordinal))
            if (entry != "/dev") yield return entry;
    }

    private static void AddConfinement(ImmutableArray<string>.Builder args, SandboxProfile profile, IReadOnlyList<string> cgroups, bool hasCgroup)
    {
        args.AddRange("--net", profile.NetworkAllowed ? "on" : "off", "--scope", "--seccomp");
        foreach (var dir in cgroups) args.AddRange("--cgroup", dir);
        var limits = profile.Limits;
        args.AddRange("--rlimit", $"nofile={limits.MaxOpenFiles.ToString(CultureInfo.InvariantCulture)}");
        args.AddRange("--rlimit", $"fsize={limits.MaxFileSizeBytes.ToString(CultureInfo.InvariantCulture)}");
        args.AddRange("--rlimit", "core=0");
        if (limits.CpuSeconds is { } cpu) args.AddRange("--rlimit", $"cpu={cpu.ToString(CultureInfo.InvariantCulture)}");
        // RLIMIT_NPROC counts all of the user's processes and is ignored for root: only a fallback when no cgroup.
        // Without a memory cgroup, address space is the only memory bound left (it can upset runtimes that reserve
        // large virtual ranges, hence only as a fallback).
        if (!hasCgroup)
        {
            args.AddRange("--rlimit", $"nproc={limits.MaxProcesses.ToString(CultureInfo.InvariantCulture)}");
            args.AddRange("--rlimit", $"as={limits.MaxMemoryBytes.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
