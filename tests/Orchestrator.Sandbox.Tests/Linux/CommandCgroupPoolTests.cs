using System.Diagnostics;
using Orchestrator.Sandbox.Linux;

namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>
/// Command cgroups given back to a pool (real v1 groups below this process's own; needs root, as every cgroup of the
/// sandbox does): an empty group is reused by the next run with the same limits, reset, and only then.
/// </summary>
public sealed class CommandCgroupPoolTests : IDisposable
{
    private readonly CgroupPool _pool = new(capacity: 4);
    private readonly List<string> _made = [];

    [Fact]
    public void An_emptied_group_is_reused_by_the_next_run_with_the_same_limits()
    {
        var first = Create(ResourceLimits.Default);
        var directories = first.Directories;
        RunInside(first, "true");
        first.Dispose();

        Assert.Equal(1, _pool.IdleCount);
        Assert.All(directories, dir => Assert.True(Directory.Exists(dir), dir));
        using var second = Create(ResourceLimits.Default);
        Assert.Equal(directories, second.Directories);
        Assert.Equal(0, _pool.IdleCount);
    }

    [Fact]
    public void A_run_with_other_limits_gets_a_group_of_its_own()
    {
        var first = Create(ResourceLimits.Default);
        var directories = first.Directories;
        first.Dispose();

        using var second = Create(ResourceLimits.Default with { MaxProcesses = 77 });

        Assert.Empty(second.Directories.Intersect(directories));
        Assert.Equal("77", File.ReadAllText(Path.Combine(second.Directories.Single(d => d.Contains("/pids/", StringComparison.Ordinal)), "pids.max")).Trim());
        Assert.Equal(1, _pool.IdleCount);
    }

    [Fact]
    public void A_reused_group_does_not_carry_the_last_runs_kill_for_memory()
    {
        var limits = ResourceLimits.Default with { MaxMemoryBytes = 16L * 1024 * 1024 };
        var first = Create(limits);
        Assert.Contains(first.Directories, d => d.Contains("/memory/", StringComparison.Ordinal));
        var (exit, stderr) = RunInside(first, "python3 -c \"b = bytearray(64 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])\"");
        Assert.True(first.KilledForMemory, $"the memory hog was not killed at the group's limit (exit {exit}: {stderr})");
        first.Dispose();

        using var second = Create(limits);

        Assert.Equal(first.Directories, second.Directories);
        Assert.False(second.KilledForMemory);
        RunInside(second, "true");
        Assert.False(second.KilledForMemory);
    }

    [Fact]
    public void A_group_still_charged_for_a_tmpfs_file_its_run_left_is_removed_not_reused()
    {
        var shm = Path.Combine("/dev/shm", $"orchestrator-pool-{Guid.NewGuid():n}");
        try
        {
            var limits = ResourceLimits.Default with { MaxMemoryBytes = 64L * 1024 * 1024 };
            var first = Create(limits);
            var (exit, stderr) = RunInside(first, $"dd if=/dev/zero of={shm} bs=1M count=40 status=none");
            Assert.True(exit == 0, stderr);
            first.Dispose();

            // The 40 MiB stay charged while the file exists: a group reused now would leave the next run 24 MiB.
            Assert.Equal(0, _pool.IdleCount);
            Assert.All(first.Directories, dir => Assert.False(Directory.Exists(dir), dir));
        }
        finally
        {
            File.Delete(shm);
        }
    }

    [Fact]
    public void Page_cache_a_run_left_charged_is_reclaimed_before_its_group_is_reused()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orchestrator-pool-{Guid.NewGuid():n}");
        try
        {
            var limits = ResourceLimits.Default with { MaxMemoryBytes = 64L * 1024 * 1024 };
            var first = Create(limits);
            var memory = first.Directories.Single(d => d.Contains("/memory/", StringComparison.Ordinal));
            var (exit, stderr) = RunInside(first, $"dd if=/dev/zero of={file} bs=1M count=20 status=none");
            Assert.True(exit == 0, stderr);
            first.Dispose();

            using var second = Create(limits);
            Assert.Equal(first.Directories, second.Directories);
            Assert.InRange(long.Parse(File.ReadAllText(Path.Combine(memory, "memory.usage_in_bytes")).Trim()), 0, CommandCgroup.MaxResidueBytes);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_group_given_back_to_a_full_pool_is_removed()
    {
        var full = new CgroupPool(capacity: 0);
        var cgroup = CommandCgroup.TryCreate(ResourceLimits.Default, CommandCgroup.NameFor(Guid.NewGuid().ToString("n")[..16]), full, out var whyNot);
        Assert.True(cgroup is not null, whyNot);
        _made.AddRange(cgroup.Directories);

        cgroup.Dispose();

        Assert.All(cgroup.Directories, dir => Assert.False(Directory.Exists(dir), dir));
    }

    [Fact]
    public void An_idle_group_removed_from_under_the_pool_is_not_handed_out()
    {
        var first = Create(ResourceLimits.Default);
        first.Dispose();
        CommandCgroup.Remove(first.Directories);

        using var second = Create(ResourceLimits.Default);

        Assert.Empty(second.Directories.Intersect(first.Directories));
        Assert.All(second.Directories, dir => Assert.True(Directory.Exists(dir), dir));
    }

    [Fact]
    public void Removing_the_idle_groups_leaves_none_behind()
    {
        var a = Create(ResourceLimits.Default);
        var b = Create(ResourceLimits.Default with { MaxProcesses = 99 });
        a.Dispose();
        b.Dispose();
        Assert.Equal(2, _pool.IdleCount);

        _pool.RemoveIdle();

        Assert.Equal(0, _pool.IdleCount);
        Assert.All(a.Directories.Concat(b.Directories), dir => Assert.False(Directory.Exists(dir), dir));
    }

    private CommandCgroup Create(ResourceLimits limits)
    {
        var cgroup = CommandCgroup.TryCreate(limits, CommandCgroup.NameFor(Guid.NewGuid().ToString("n")[..16]), _pool, out var whyNot);
        Assert.True(cgroup is not null, $"no cgroup on this machine: {whyNot}");
        _made.AddRange(cgroup.Directories);
        return cgroup;
    }

    /// <summary>Runs a shell command that first moves itself into every directory of the group, and waits for it.</summary>
    private static (int Exit, string Stderr) RunInside(CommandCgroup cgroup, string command)
    {
        var join = string.Join("; ", cgroup.Directories.Select(d => $"echo $$ > '{d}/cgroup.procs'"));
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"{join}; exec {command}"]) { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr);
    }

    public void Dispose()
    {
        _pool.RemoveIdle();
        CommandCgroup.Remove(_made.Distinct());
    }
}
