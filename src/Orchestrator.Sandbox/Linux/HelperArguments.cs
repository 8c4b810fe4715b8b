using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Linux;

/// <summary>Builds the command line of <c>orchestrator-sandbox</c>, the NativeAOT helper (src/Orchestrator.SandboxHelper).</summary>
public static class HelperArguments
{
    /// <summary>Token the outer helper replaces with the number of the fd holding the seccomp filter.</summary>
    public const string SeccompFdToken = "@SECCOMP_FD@";

    /// <summary>
    /// The helper confining a command by itself (no bubblewrap): Landlock with rights granted child by child so the
    /// protected paths in each writable root stay read-only, seccomp, limits, a new session.
    /// </summary>
    public static ImmutableArray<string> BuiltIn(SandboxProfile profile, string privateTmp, IReadOnlyList<string> cgroups,
        bool hasCgroup, string workingDirectory)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        // No bubblewrap: drop every capability ourselves, and grant / child by child without /dev, so that root
        // cannot read raw disks (block devices are root's own files; dropping capabilities does not stop that).
        args.AddRange("--require", "landlock,seccomp", "--setsid", "--drop-caps", "--chdir", workingDirectory, "--landlock");
        foreach (var top in TopLevelDirectoriesExceptDev()) args.AddRange("--ro", top);
        foreach (var device in ReadableDevices) args.AddRange("--ro-file", device);
        args.AddRange("--rw-file", "/dev/null", "--rw-file", "/dev/tty", "--rw", privateTmp);
        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var grant in WritableGrants.ForRoots(profile.WritableRoots, profile.ProtectedPaths))
                args.AddRange(grant.IsDirectory ? "--rw" : "--rw-file", grant.Path);
        AddConfinement(args, profile, cgroups, hasCgroup, seccomp: true);
        return args.ToImmutable();
    }

    /// <summary>The helper inside bubblewrap: bwrap's mounts protect paths, so Landlock grants whole roots.</summary>
    public static ImmutableArray<string> InsideBubblewrap(SandboxProfile profile, bool hasCgroup, string workingDirectory)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        args.AddRange("--require", "landlock", "--chdir", workingDirectory);
        args.AddRange("--landlock", "--ro", "/", "--rw-file", "/dev/null", "--rw", "/tmp");
        if (profile.Mode == SandboxMode.WorkspaceWrite)
            foreach (var root in profile.WritableRoots) args.AddRange("--rw", root);
        AddConfinement(args, profile, [], hasCgroup, seccomp: false);
        return args.ToImmutable();
    }

    /// <summary>The helper outside bubblewrap: joins the cgroup, starts a session, hands bwrap the seccomp filter.</summary>
    public static ImmutableArray<string> OutsideBubblewrap(SandboxProfile profile, IReadOnlyList<string> cgroups)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        args.AddRange("--pass-seccomp-fd", "--setsid", "--net", profile.NetworkAllowed ? "on" : "off");
        foreach (var dir in cgroups) args.AddRange("--cgroup", dir);
        return args.ToImmutable();
    }

    /// <summary>No confinement (danger-full-access): only a new session, so a timeout can kill the whole group.</summary>
    public static ImmutableArray<string> Unconfined(string workingDirectory, IReadOnlyList<string> cgroups)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        args.AddRange("--setsid", "--chdir", workingDirectory);
        foreach (var dir in cgroups) args.AddRange("--cgroup", dir);
        return args.ToImmutable();
    }

    private static readonly string[] ReadableDevices = ["/dev/zero", "/dev/random", "/dev/urandom", "/dev/full"];

    private static IEnumerable<string> TopLevelDirectoriesExceptDev()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries("/").Order(StringComparer.Ordinal))
            if (entry != "/dev") yield return entry;
    }

    private static void AddConfinement(ImmutableArray<string>.Builder args, SandboxProfile profile, IReadOnlyList<string> cgroups,
        bool hasCgroup, bool seccomp)
    {
        args.AddRange("--net", profile.NetworkAllowed ? "on" : "off", "--scope");
        if (seccomp) args.Add("--seccomp");
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
